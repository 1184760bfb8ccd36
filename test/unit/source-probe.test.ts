import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SourceError } from '../../src/domain/errors';
import { createHttpSource } from '../../src/source/httpSource';
import { startFaultyRegistry, type FaultyRegistry } from '../support/faultyRegistry';

const SAMPLE = readFileSync(join(__dirname, '..', 'fixtures', 'ncr-public-sample.json'));
// Generous enough that a busy machine never times out a prompt local answer.
const CONNECT_TIMEOUT_MS = 2_000;
/** How long the slow registry keeps its headers back: far beyond the timeout, so only the timeout can end the wait. */
const HEADERS_DELAY_MS = 20_000;
const source = createHttpSource({
  connectTimeoutMs: CONNECT_TIMEOUT_MS,
  idleTimeoutMs: 2_000,
  userAgent: 'uk-chargers-test',
});

let registry: FaultyRegistry;
beforeEach(async () => {
  registry = await startFaultyRegistry();
  registry.serve('/ncr.json', {
    body: SAMPLE,
    etag: '"v42"',
    lastModified: 'Tue, 04 Nov 2025 10:00:00 GMT',
    contentType: 'application/json; charset=utf-8',
  });
});
afterEach(() => registry.close());

describe('probe', () => {
  it('answers the metadata of a 2xx HEAD without a body', async () => {
    const metadata = await source.probe(registry.url('/ncr.json'));

    expect(metadata).toEqual({
      url: registry.url('/ncr.json'),
      status: 200,
      etag: '"v42"',
      lastModified: 'Tue, 04 Nov 2025 10:00:00 GMT',
      contentLength: SAMPLE.length,
      contentType: 'application/json; charset=utf-8',
    });
    expect(registry.requests.map((request) => request.method)).toEqual(['HEAD']);
    expect(registry.requests[0]?.headers['user-agent']).toBe('uk-chargers-test');
  });

  it('falls back to GET when HEAD gets 405, dropping the body once the headers arrive', async () => {
    registry.disableHead = true;
    const served: Readable[] = [];
    registry.serveStream('/endless.json', () => {
      const body = endless();
      served.push(body);
      return body;
    });

    const metadata = await source.probe(registry.url('/endless.json'));

    expect(metadata).toEqual({ url: registry.url('/endless.json'), status: 200, contentType: 'application/json' });
    expect(registry.requests.map((request) => request.method)).toEqual(['HEAD', 'GET']);
    // The registry stops producing the endless body only when the client drops the connection.
    await expect(closedWithin(served[0], 30_000)).resolves.toBe(true);
  });

  it('falls back to GET when HEAD gets 501', async () => {
    registry.failNext('/ncr.json', [{ status: 501 }]);

    const metadata = await source.probe(registry.url('/ncr.json'));

    expect(metadata.status).toBe(200);
    expect(registry.requests.map((request) => request.method)).toEqual(['HEAD', 'GET']);
  });

  it.each([500, 502, 503, 504, 408])('treats %i as retryable', async (status) => {
    registry.failNext('/ncr.json', [{ status }]);

    const error = await source.probe(registry.url('/ncr.json')).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(SourceError);
    expect(error).toMatchObject({ retryable: true, details: { url: registry.url('/ncr.json'), status } });
    expect((error as SourceError).message).toContain(`registry returned ${status} `);
  });

  it('treats 429 as retryable and reads Retry-After in seconds', async () => {
    registry.failNext('/ncr.json', [{ status: 429, retryAfter: 7 }]);

    const error = await source.probe(registry.url('/ncr.json')).catch((caught: unknown) => caught);

    expect(error).toMatchObject({ retryable: true, details: { status: 429, retryAfterMs: 7000 } });
    expect((error as SourceError).message).toBe(
      `registry returned 429 Too Many Requests for ${registry.url('/ncr.json')} (retry after 7 s)`,
    );
  });

  it('reads Retry-After given as an HTTP date', async () => {
    registry.failNext('/ncr.json', [{ status: 429, retryAfter: new Date(Date.now() + 30_000).toUTCString() }]);

    const error = (await source.probe(registry.url('/ncr.json')).catch((caught: unknown) => caught)) as SourceError;

    expect(error.retryable).toBe(true);
    // HTTP dates have whole seconds, and some time (seconds on a busy machine) passes before the answer is parsed.
    expect(error.details.retryAfterMs).toBeGreaterThan(20_000);
    expect(error.details.retryAfterMs).toBeLessThanOrEqual(30_000);
  });

  it.each([
    [401, 'Unauthorized'],
    [403, 'Forbidden'],
    [404, 'Not Found'],
    [410, 'Gone'],
  ])('treats %i as not retryable, naming the status and URL', async (status, reason) => {
    registry.failNext('/ncr.json', [{ status }]);

    const error = await source.probe(registry.url('/ncr.json')).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(SourceError);
    expect(error).toMatchObject({
      retryable: false,
      message: `registry returned ${status} ${reason} for ${registry.url('/ncr.json')}`,
      details: { url: registry.url('/ncr.json'), status },
    });
  });

  it('times out, retryably, when the headers do not arrive within connectTimeoutMs', async () => {
    registry.failNext('/ncr.json', [{ delayMs: HEADERS_DELAY_MS }]);
    const started = Date.now();

    const error = await source.probe(registry.url('/ncr.json')).catch((caught: unknown) => caught);

    expect(error).toMatchObject({
      retryable: true,
      message: `registry at ${registry.url('/ncr.json')} did not respond within ${CONNECT_TIMEOUT_MS} ms`,
    });
    // Gave up while the registry was still silent, not when its answer came.
    expect(Date.now() - started).toBeLessThan(HEADERS_DELAY_MS);
  });

  it('treats a refused connection as retryable', async () => {
    const url = registry.url('/ncr.json');
    await registry.close();

    const error = await source.probe(url).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(SourceError);
    expect(error).toMatchObject({ retryable: true, message: `could not reach registry at ${url}: ECONNREFUSED` });
  });

  it('treats a connection closed before any answer (socket hang up) as retryable', async () => {
    registry.failNext('/ncr.json', [{ hangUp: true }]);

    const error = await source.probe(registry.url('/ncr.json')).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(SourceError);
    expect(error).toMatchObject({
      retryable: true,
      message: `could not reach registry at ${registry.url('/ncr.json')}: ECONNRESET`,
    });
  });
});

function closedWithin(stream: Readable | undefined, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (stream === undefined || stream.closed) return resolve(stream !== undefined);
    const timer = setTimeout(() => resolve(false), ms);
    stream.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** A body that never ends. */
function endless(): Readable {
  return new Readable({
    read() {
      this.push(Buffer.alloc(16 * 1024, 0x20));
    },
  });
}
