import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../src/defaults';
import { createHttpSource } from '../../src/source/httpSource';
import { startFaultyRegistry, type FaultyRegistry } from '../support/faultyRegistry';
import { failureOf, openAndRead } from '../support/sourceFailure';

const LIMIT = 10_000;
const source = createHttpSource({ connectTimeoutMs: 5_000, idleTimeoutMs: 5_000, maxBodyBytes: LIMIT });

let registry: FaultyRegistry;
beforeEach(async () => {
  registry = await startFaultyRegistry();
});
afterEach(() => registry.close());

/** A JSON-looking body of `size` bytes: '[' then spaces. */
function jsonBody(size: number): Buffer {
  const body = Buffer.alloc(size, 0x20);
  body[0] = 0x5b;
  return body;
}

const download = (path: string): Promise<Buffer> => openAndRead(source, registry.url(path));

describe('body size limit', () => {
  it('defaults to 2 GiB', () => {
    expect(DEFAULTS.sourceMaxBytes).toBe(2 * 1024 ** 3);
  });

  it('accepts a body of exactly the limit', async () => {
    registry.serve('/ncr.json', { body: jsonBody(LIMIT) });

    expect((await download('/ncr.json')).length).toBe(LIMIT);
  });

  it('refuses a declared Content-Length over the limit before reading the body', async () => {
    registry.serve('/ncr.json', { body: jsonBody(LIMIT + 1) });

    const error = await failureOf(source.open(registry.url('/ncr.json')));

    expect(error).toMatchObject({
      retryable: false,
      message: `body from ${registry.url('/ncr.json')} is ${LIMIT + 1} bytes, over the limit of ${LIMIT} bytes`,
    });
  });

  it('refuses a declared Content-Length over the limit in probe too', async () => {
    registry.serve('/ncr.json', { body: jsonBody(LIMIT + 1) });

    const error = await failureOf(source.probe(registry.url('/ncr.json')));

    expect(error.retryable).toBe(false);
    expect(error.message).toContain('over the limit');
  });

  it('counts a chunked body of unknown length and fails it past the limit', async () => {
    registry.serveStream('/stream.json', () => Readable.from(Array.from({ length: 50 }, () => jsonBody(1000))));

    const error = await failureOf(download('/stream.json'));

    expect(error).toMatchObject({
      retryable: false,
      message: `body from ${registry.url('/stream.json')} exceeds the limit of ${LIMIT} bytes`,
    });
  });

  it('counts decoded bytes too, so a small gzip body cannot expand past the limit', async () => {
    registry.serveStream('/bomb.json', () => Readable.from([jsonBody(1024 * 1024)]), { gzip: true });

    const error = await failureOf(download('/bomb.json'));

    expect(error).toMatchObject({
      retryable: false,
      message: `decoded body from ${registry.url('/bomb.json')} exceeds the limit of ${LIMIT} bytes`,
    });
    expect(registry.requests).toHaveLength(1);
  });
});
