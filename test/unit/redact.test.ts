import { describe, expect, it } from 'vitest';
import { redactUrl, urlCarriesCredentials } from '../../src/domain/redact';

describe('redactUrl', () => {
  it('removes userinfo and secret query values, keeping the rest', () => {
    expect(redactUrl('https://user:hunter2@host.test/a?apikey=SECRET&page=2&token=T0K')).toBe(
      'https://REDACTED@host.test/a?apikey=REDACTED&page=2&token=REDACTED',
    );
  });

  it("also redacts a feed's own credential parameter, whatever its case", () => {
    expect(redactUrl('https://host.test/a?Access-Code=SECRET&page=2', ['access-code'])).toBe(
      'https://host.test/a?Access-Code=REDACTED&page=2',
    );
    expect(redactUrl('https://host.test/a?Access-Code=SECRET&page=2')).toContain('SECRET');
  });

  it('leaves URLs without credentials and non-URLs as they are', () => {
    expect(redactUrl('https://host.test/a?page=2')).toBe('https://host.test/a?page=2');
    expect(redactUrl('not a url')).toBe('not a url');
  });
});

describe('urlCarriesCredentials', () => {
  it('spots userinfo and secret query parameters', () => {
    expect(urlCarriesCredentials('https://u:p@host.test/')).toBe(true);
    expect(urlCarriesCredentials('https://host.test/?key=abc')).toBe(true);
    expect(urlCarriesCredentials('https://host.test/x?page=1')).toBe(false);
    expect(urlCarriesCredentials('https://host.test')).toBe(false);
  });
});
