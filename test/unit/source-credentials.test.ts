import { buffer } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpSource } from '../../src/source/httpSource';
import { startFaultyRegistry, type FaultyRegistry } from '../support/faultyRegistry';
import { failureOf } from '../support/sourceFailure';

const USER = 'reg-user';
const PASSWORD = 'pa55-w0rd';
const API_KEY = 'SECRET-KEY-123';
const TOKEN = 'TOKEN-456';
const SECRETS = [USER, PASSWORD, API_KEY, TOKEN];
const BASIC_AUTH = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;

// Generous enough that a busy machine never times out a prompt local answer.
const source = createHttpSource({ connectTimeoutMs: 2_000, idleTimeoutMs: 2_000, userAgent: 'test' });
/** How long a silent registry keeps quiet: far beyond the timeouts, so only they can end the wait. */
const SILENCE_MS = 20_000;

let registry: FaultyRegistry;
beforeEach(async () => {
  registry = await startFaultyRegistry();
  registry.serve('/ncr.json', { body: '{"ChargeDevice": []}', etag: '"v1"' });
});
afterEach(() => registry.close());

/** The registry URL of `path` carrying every kind of credential redactUrl knows about. */
function withCredentials(url: string): string {
  const parsed = new URL(url);
  parsed.username = USER;
  parsed.password = PASSWORD;
  parsed.searchParams.set('apikey', API_KEY);
  parsed.searchParams.set('token', TOKEN);
  parsed.searchParams.set('format', 'json');
  return parsed.href;
}

/** Everything of an error that can reach logs or workflow history: messages, stacks and fields, causes included. */
function exposedText(error: unknown): string {
  const parts: string[] = [];
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    parts.push(current.message, String(current.stack), JSON.stringify(current));
  }
  return parts.join('\n');
}

function expectNoSecrets(text: string): void {
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

describe('credentials in the URL', () => {
  it('sends userinfo as Basic auth and keeps every credential out of the metadata', async () => {
    const metadata = await source.probe(withCredentials(registry.url('/ncr.json')));

    expect(registry.requests[0]?.headers.authorization).toBe(BASIC_AUTH);
    expect(registry.requests[0]?.url).toBe(`/ncr.json?apikey=${API_KEY}&token=${TOKEN}&format=json`);
    expect(metadata.url).toBe(
      registry.url('/ncr.json').replace('http://', 'http://REDACTED@') + '?apikey=REDACTED&token=REDACTED&format=json',
    );
    expectNoSecrets(JSON.stringify(metadata));
  });

  it('keeps credentials out of the metadata of a download and of a 304', async () => {
    const url = withCredentials(registry.url('/ncr.json'));
    const downloaded = await source.open(url);
    const notModified = await source.open(url, { conditional: { etag: '"v1"' } });

    if (downloaded.notModified) throw new Error('unexpected 304');
    await buffer(downloaded.body);
    expect(notModified.notModified).toBe(true);
    expectNoSecrets(JSON.stringify([downloaded.metadata, notModified.metadata]));
    expect(registry.requests.map((request) => request.headers.authorization)).toEqual([BASIC_AUTH, BASIC_AUTH]);
  });

  it.each([401, 404, 503])('keeps credentials out of a %i error', async (status) => {
    registry.failNext('/ncr.json', [{ status }]);

    const error = await failureOf(source.open(withCredentials(registry.url('/ncr.json'))));

    expect(error.message).toContain(`registry returned ${status}`);
    expect(error.message).toContain('REDACTED');
    expectNoSecrets(exposedText(error));
  });

  it('keeps credentials out of connection, timeout and truncation errors', async () => {
    registry.failNext('/ncr.json', [{ delayMs: SILENCE_MS }, { truncateAfterBytes: 5 }]);
    const url = withCredentials(registry.url('/ncr.json'));

    const timeout = await failureOf(source.open(url));
    const truncated = await failureOf(
      source.open(url).then((result) => (result.notModified ? undefined : buffer(result.body))),
    );
    await registry.close();
    const refused = await failureOf(source.probe(url));

    expect(timeout.message).toContain('did not respond');
    expect(truncated.message).toContain('body truncated');
    expect(refused.message).toContain('ECONNREFUSED');
    expectNoSecrets([timeout, truncated, refused].map(exposedText).join('\n'));
  });

  it('scrubs credentials the server echoes into an HTML error page', async () => {
    const echoed = `GET /ncr.json?apikey=${API_KEY}&token=${encodeURIComponent(TOKEN)} as ${USER}:${PASSWORD}`;
    registry.failNext('/ncr.json', [{ status: 200, contentType: 'text/html', body: `<html><p>${echoed}</p></html>` }]);

    const error = await failureOf(source.open(withCredentials(registry.url('/ncr.json'))));

    expect(error.message).toContain('returned text/html, not JSON: <html><p>GET /ncr.json?apikey=REDACTED');
    expectNoSecrets(exposedText(error));
  });

  it('never ends a snippet in the first characters of a credential', async () => {
    // The snippet is cut around 120 characters; a credential straddling the cut must not leave a prefix behind.
    const page = `<html>${'x'.repeat(110)}${API_KEY}${'y'.repeat(200)}</html>`;
    registry.failNext('/ncr.json', [{ status: 200, contentType: 'text/html', body: page }]);

    const error = await failureOf(source.open(withCredentials(registry.url('/ncr.json'))));

    expect(error.message).not.toContain('SECRET');
  });

  it('never quotes the start of a credential cut off by a stalled connection', async () => {
    const page = `<html>${'x'.repeat(50)}${API_KEY}${'y'.repeat(200)}</html>`;
    const cut = page.indexOf(API_KEY) + 'SECRET-K'.length;
    registry.failNext('/ncr.json', [
      { status: 200, contentType: 'text/html', body: page, stallAfterBytes: cut, stallMs: SILENCE_MS },
    ]);

    const error = await failureOf(source.open(withCredentials(registry.url('/ncr.json'))));

    expect(error.message).toContain('returned text/html, not JSON: <html>xxxxx');
    expect(error.message).not.toContain('SECRET');
  });

  it('keeps Basic auth on a same-origin redirect and drops it on a cross-origin one', async () => {
    const other = await startFaultyRegistry();
    try {
      other.serve('/ncr.json', { body: '{"ChargeDevice": []}' });
      registry.redirect('/latest', '/ncr.json');
      registry.redirect('/mirror', other.url('/ncr.json'));

      await source.probe(withCredentials(registry.url('/latest')));
      await source.probe(withCredentials(registry.url('/mirror')));

      expect(registry.requests.map((request) => [request.path, request.headers.authorization])).toEqual([
        ['/latest', BASIC_AUTH],
        ['/ncr.json', BASIC_AUTH],
        ['/mirror', BASIC_AUTH],
      ]);
      expect(other.requests).toHaveLength(1);
      expect(other.requests[0]?.headers.authorization).toBeUndefined();
    } finally {
      await other.close();
    }
  });
});
