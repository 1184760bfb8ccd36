import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SourceError } from '../../src/domain/errors';
import { createHttpSource } from '../../src/source/httpSource';
import type { OpenResult } from '../../src/source/registrySource';
import { startFaultyRegistry, type FaultyRegistry } from '../support/faultyRegistry';

const SAMPLE = readFileSync(join(__dirname, '..', 'fixtures', 'ncr-public-sample.json'));
const ETAG = '"v42"';
const LAST_MODIFIED = 'Tue, 04 Nov 2025 10:00:00 GMT';
// Generous enough that a busy machine never times out a prompt local answer.
const source = createHttpSource({ connectTimeoutMs: 5_000, idleTimeoutMs: 5_000, userAgent: 'uk-chargers-test' });

let registry: FaultyRegistry;
beforeEach(async () => {
  registry = await startFaultyRegistry();
  registry.serve('/ncr.json', { body: SAMPLE, etag: ETAG, lastModified: LAST_MODIFIED });
});
afterEach(() => registry.close());

function bodyOf(result: OpenResult): Promise<Buffer> {
  if (result.notModified) throw new Error('expected a body, got 304');
  return buffer(result.body);
}

describe('open', () => {
  it('streams the body of a 200 with its metadata, asking for gzip', async () => {
    const result = await source.open(registry.url('/ncr.json'));

    expect(result.notModified).toBe(false);
    expect(result.metadata).toEqual({
      url: registry.url('/ncr.json'),
      status: 200,
      etag: ETAG,
      lastModified: LAST_MODIFIED,
      contentLength: SAMPLE.length,
      contentType: 'application/json',
    });
    expect(await bodyOf(result)).toEqual(SAMPLE);
    expect(registry.requests[0]).toMatchObject({
      method: 'GET',
      headers: { 'accept-encoding': 'gzip', 'user-agent': 'uk-chargers-test' },
    });
    expect(registry.requests[0]?.headers['if-none-match']).toBeUndefined();
  });

  it('decodes a gzip body; Content-Length is the compressed size', async () => {
    registry.serve('/ncr.json.gz', { body: SAMPLE, gzip: true });

    const result = await source.open(registry.url('/ncr.json.gz'));

    expect(result.metadata.contentLength).toBe(gzipSync(SAMPLE).length);
    expect(result.metadata.contentLength).toBeLessThan(SAMPLE.length);
    expect(await bodyOf(result)).toEqual(SAMPLE);
  });

  it('decodes a chunked gzip body of unknown length', async () => {
    registry.serveStream('/stream.json', () => Readable.from([SAMPLE.subarray(0, 5000), SAMPLE.subarray(5000)]), {
      gzip: true,
    });

    const result = await source.open(registry.url('/stream.json'));

    expect(result.metadata.contentLength).toBeUndefined();
    expect(await bodyOf(result)).toEqual(SAMPLE);
  });

  it('sends If-None-Match and reports 304 as not modified', async () => {
    const result = await source.open(registry.url('/ncr.json'), { conditional: { etag: ETAG } });

    expect(result).toEqual({
      notModified: true,
      metadata: { url: registry.url('/ncr.json'), status: 304, etag: ETAG, lastModified: LAST_MODIFIED },
    });
    expect(registry.requests[0]?.headers['if-none-match']).toBe(ETAG);
  });

  it('sends If-Modified-Since and reports 304 as not modified', async () => {
    const result = await source.open(registry.url('/ncr.json'), { conditional: { lastModified: LAST_MODIFIED } });

    expect(result.notModified).toBe(true);
    expect(registry.requests[0]?.headers['if-modified-since']).toBe(LAST_MODIFIED);
  });

  it('streams the new body when the validators no longer match', async () => {
    const result = await source.open(registry.url('/ncr.json'), {
      conditional: { etag: '"v41"', lastModified: 'Mon, 03 Nov 2025 10:00:00 GMT' },
    });

    expect(result.notModified).toBe(false);
    expect(await bodyOf(result)).toEqual(SAMPLE);
    expect(registry.requests[0]?.headers).toMatchObject({
      'if-none-match': '"v41"',
      'if-modified-since': 'Mon, 03 Nov 2025 10:00:00 GMT',
    });
  });

  it('rejects a 304 to an unconditional request, not retryable', async () => {
    registry.failNext('/ncr.json', [{ status: 304 }]);

    const error = await source.open(registry.url('/ncr.json')).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(SourceError);
    expect(error).toMatchObject({
      retryable: false,
      message: `registry returned 304 Not Modified for ${registry.url('/ncr.json')}`,
    });
  });

  it.each([
    [503, true],
    [429, true],
    [404, false],
    [403, false],
  ])('classifies %i like probe does (retryable: %s)', async (status, retryable) => {
    registry.failNext('/ncr.json', [{ status }]);

    const error = await source.open(registry.url('/ncr.json')).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(SourceError);
    expect(error).toMatchObject({ retryable, details: { status, url: registry.url('/ncr.json') } });
  });

  it('follows a redirect on the same host, reporting the requested URL', async () => {
    registry.redirect('/latest', '/ncr.json', 301);

    const result = await source.open(registry.url('/latest'));

    expect(result.metadata).toMatchObject({ url: registry.url('/latest'), status: 200, etag: ETAG });
    expect(await bodyOf(result)).toEqual(SAMPLE);
    expect(registry.requests.map((request) => request.path)).toEqual(['/latest', '/ncr.json']);
  });

  it('rejects with the abort reason when the caller aborts before the headers', async () => {
    registry.failNext('/ncr.json', [{ delayMs: 10_000 }]);
    const controller = new AbortController();
    const reason = new Error('activity cancelled');
    setTimeout(() => controller.abort(reason), 50);

    await expect(source.open(registry.url('/ncr.json'), { signal: controller.signal })).rejects.toBe(reason);
  });

  it('fails the body with the abort reason when the caller aborts mid-body', async () => {
    // About 15 s of body, so the abort 100 ms in lands mid-body however busy the machine.
    registry.serve('/slow.json', { body: SAMPLE, bytesPerSecond: 1_000 });
    const controller = new AbortController();
    const reason = new Error('activity cancelled');

    const result = await source.open(registry.url('/slow.json'), { signal: controller.signal });
    setTimeout(() => controller.abort(reason), 100);

    await expect(bodyOf(result)).rejects.toBe(reason);
  });
});

describe('open, content encodings', () => {
  it('decodes deflate and br bodies', async () => {
    registry.failNext('/ncr.json', [
      { status: 200, headers: { 'Content-Encoding': 'deflate' }, body: deflateSync(SAMPLE) },
      { status: 200, headers: { 'Content-Encoding': 'br' }, body: brotliCompressSync(SAMPLE) },
    ]);

    expect(await bodyOf(await source.open(registry.url('/ncr.json')))).toEqual(SAMPLE);
    expect(await bodyOf(await source.open(registry.url('/ncr.json')))).toEqual(SAMPLE);
  });

  it('fails, retryably, when a complete body is not valid gzip', async () => {
    registry.failNext('/ncr.json', [{ status: 200, headers: { 'Content-Encoding': 'gzip' }, body: '{"not": "gzip"}' }]);

    const error = await source
      .open(registry.url('/ncr.json'))
      .then(bodyOf)
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(SourceError);
    expect(error).toMatchObject({
      retryable: true,
      message: expect.stringMatching(`^could not decode the gzip body from ${registry.url('/ncr.json')}: `),
    });
  });

  it('refuses a Content-Encoding it cannot decode, not retryable', async () => {
    registry.failNext('/ncr.json', [{ status: 200, headers: { 'Content-Encoding': 'compress' }, body: 'x' }]);

    const error = await source.open(registry.url('/ncr.json')).catch((caught: unknown) => caught);

    expect(error).toMatchObject({
      retryable: false,
      message: `registry at ${registry.url('/ncr.json')} sent an unsupported Content-Encoding: compress`,
    });
  });
});
