import { describe, expect, it } from 'vitest';
import { isRetryableStatus, parseRetryAfterMs, statusFailure, transportFailure } from '../../src/source/sourceFailures';

const URL = 'https://registry.example/ncr.json';
const NOW = Date.parse('2025-11-04T10:00:00Z');

describe('status classification', () => {
  it.each([500, 502, 503, 504, 599, 408, 429])('%i is retryable', (status) => {
    expect(isRetryableStatus(status)).toBe(true);
  });

  it.each([400, 401, 403, 404, 405, 410, 451])('%i is not retryable', (status) => {
    expect(isRetryableStatus(status)).toBe(false);
  });

  it('falls back to the standard reason phrase when the server sends none', () => {
    expect(statusFailure(404, '', URL, undefined).message).toBe(`registry returned 404 Not Found for ${URL}`);
  });

  it('ignores Retry-After on a status that will not be retried', () => {
    expect(statusFailure(404, 'Not Found', URL, '5').details.retryAfterMs).toBeUndefined();
  });
});

describe('parseRetryAfterMs', () => {
  it('reads delta-seconds', () => {
    expect(parseRetryAfterMs('120', NOW)).toBe(120_000);
    expect(parseRetryAfterMs(' 0 ', NOW)).toBe(0);
  });

  it('reads an HTTP date in any of its three formats, and a date in the past as 0', () => {
    expect(parseRetryAfterMs('Tue, 04 Nov 2025 10:01:30 GMT', NOW)).toBe(90_000);
    expect(parseRetryAfterMs('Tuesday, 04-Nov-25 10:01:30 GMT', NOW)).toBe(90_000);
    expect(parseRetryAfterMs('Tue Nov  4 10:01:30 2025', NOW)).toBe(90_000);
    expect(parseRetryAfterMs('Tue, 04 Nov 2025 09:00:00 GMT', NOW)).toBe(0);
  });

  it.each([undefined, '', 'soon', '-5', '1.5'])('gives undefined for %j', (header) => {
    expect(parseRetryAfterMs(header, NOW)).toBeUndefined();
  });
});

describe('transportFailure', () => {
  function networkError(code: string, message = `connect ${code} 10.0.0.1:443`): Error {
    return Object.assign(new Error(message), { code });
  }

  const retryableCodes = [
    'ECONNRESET',
    'ECONNREFUSED',
    'ENOTFOUND',
    'ETIMEDOUT',
    'EAI_AGAIN',
    'EPIPE',
    'EHOSTUNREACH',
    'ENETUNREACH',
  ];
  it.each(retryableCodes)('%s is retryable', (code) => {
    const failure = transportFailure(networkError(code), URL);

    expect(failure).toMatchObject({ retryable: true, message: `could not reach registry at ${URL}: ${code}` });
  });

  it('treats "socket hang up" as retryable even without a code', () => {
    expect(transportFailure(new Error('socket hang up'), URL).retryable).toBe(true);
  });

  it.each(['CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID', 'ERR_INVALID_URL'])('%s is not retryable', (code) => {
    expect(transportFailure(networkError(code), URL).retryable).toBe(false);
  });

  it('keeps only the system error as the cause, not the HTTP client error that wraps it', () => {
    const system = networkError('ECONNREFUSED');
    const clientError = Object.assign(new Error('wrapped', { cause: system }), {
      code: 'ECONNREFUSED',
      config: { url: 'https://user:secret@registry.example/' },
    });

    expect(transportFailure(clientError, URL).cause).toBe(system);
  });
});
