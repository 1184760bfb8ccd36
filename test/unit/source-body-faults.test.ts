import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpSource } from '../../src/source/httpSource';
import { startFaultyRegistry, type FaultyRegistry } from '../support/faultyRegistry';
import { failureOf, openAndRead } from '../support/sourceFailure';

const SAMPLE = readFileSync(join(__dirname, '..', 'fixtures', 'ncr-public-sample.json'));
// Long enough that a busy machine's scheduling delays never look like a stall, short enough that stalls cost a second.
const IDLE_TIMEOUT_MS = 1_000;
/** How long the stalled registry would keep quiet: far beyond the idle timeout, so only the idle timeout can end the wait. */
const STALL_MS = 20_000;
const source = createHttpSource({ connectTimeoutMs: 5_000, idleTimeoutMs: IDLE_TIMEOUT_MS, userAgent: 'test' });

let registry: FaultyRegistry;
beforeEach(async () => {
  registry = await startFaultyRegistry();
  registry.serve('/ncr.json', { body: SAMPLE });
});
afterEach(() => registry.close());

const download = (path: string): Promise<Buffer> => openAndRead(source, registry.url(path));

describe('body faults', () => {
  it('detects a body cut short of Content-Length, retryably', async () => {
    registry.failNext('/ncr.json', [{ truncateAfterBytes: 5000 }]);

    const error = await failureOf(download('/ncr.json'));

    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(
      `body truncated: received 5000 of ${SAMPLE.length} bytes from ${registry.url('/ncr.json')} (`,
    );
  });

  it('detects a gzip body cut short of Content-Length, retryably', async () => {
    registry.serve('/ncr.json.gz', { body: SAMPLE, gzip: true });
    registry.failNext('/ncr.json.gz', [{ truncateAfterBytes: 1000 }]);

    const error = await failureOf(download('/ncr.json.gz'));

    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/^body truncated: received 1000 of \d+ bytes from /);
  });

  it('treats a connection reset mid-body as retryable truncation', async () => {
    registry.failNext('/ncr.json', [{ resetAfterBytes: 1000 }]);

    const error = await failureOf(download('/ncr.json'));

    expect(error.retryable).toBe(true);
    // The reset may discard bytes still in flight, so only the total is certain.
    expect(error.message).toMatch(new RegExp(`^body truncated: received \\d+ of ${SAMPLE.length} bytes from `));
  });

  it('treats a chunked body whose connection drops as retryable truncation', async () => {
    registry.serveStream('/stream.json', () => Readable.from([SAMPLE]));
    registry.failNext('/stream.json', [{ truncateAfterBytes: 3000 }]);

    const error = await failureOf(download('/stream.json'));

    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/^body truncated: received \d+ bytes from /);
  });

  it('treats a gzip chunked body whose server fails mid-way as retryable truncation', async () => {
    registry.serveStream(
      '/failing.json',
      () =>
        new Readable({
          read() {
            this.push(SAMPLE);
            this.destroy(new Error('disk read failed'));
          },
        }),
      { gzip: true },
    );

    const error = await failureOf(download('/failing.json'));

    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/^body truncated: received \d+ bytes from .* \(the connection was closed\)$/);
  });

  it('fails a body that stalls mid-way for idleTimeoutMs, retryably', async () => {
    registry.failNext('/ncr.json', [{ stallAfterBytes: 100, stallMs: STALL_MS }]);
    const started = Date.now();

    const error = await failureOf(download('/ncr.json'));

    expect(error.retryable).toBe(true);
    expect(error.message).toBe(
      `body truncated: received 100 of ${SAMPLE.length} bytes from ${registry.url('/ncr.json')} ` +
        `(no data for ${IDLE_TIMEOUT_MS} ms)`,
    );
    // Failed while the registry was still quiet, not when it carried on.
    expect(Date.now() - started).toBeLessThan(STALL_MS);
  });

  it('fails open() when the body stalls before its first byte', async () => {
    registry.failNext('/ncr.json', [{ stallAfterBytes: 0, stallMs: STALL_MS }]);

    const error = await failureOf(source.open(registry.url('/ncr.json')));

    expect(error).toMatchObject({
      retryable: true,
      message: expect.stringContaining(`(no data for ${IDLE_TIMEOUT_MS} ms)`),
    });
  });

  it('tolerates a pause shorter than idleTimeoutMs', async () => {
    registry.failNext('/ncr.json', [{ stallAfterBytes: 100, stallMs: IDLE_TIMEOUT_MS / 10 }]);

    expect(await download('/ncr.json')).toEqual(SAMPLE);
  });

  it('does not mistake a slow reader for a stalled server, and applies backpressure', async () => {
    const total = 64 * 1024 * 1024;
    let produced = 0;
    registry.serveStream('/big.json', () =>
      Readable.from(
        (function* generate() {
          const chunk = Buffer.alloc(64 * 1024, 0x20);
          chunk[0] = 0x5b; // '[' so the sniffing sees JSON at once
          for (let sent = 0; sent < total; sent += chunk.length) {
            produced += chunk.length;
            yield chunk;
          }
        })(),
      ),
    );
    const result = await source.open(registry.url('/big.json'));
    if (result.notModified) throw new Error('unexpected 304');

    await sleep(IDLE_TIMEOUT_MS * 3);

    // Socket and stream buffers hold a few MB at most; the rest waits for the reader.
    expect(produced).toBeLessThan(total / 2);
    let received = 0;
    for await (const chunk of result.body) received += (chunk as Buffer).length;
    expect(received).toBe(total);
  });

  it('streams a paced body completely', async () => {
    registry.serve('/slow.json', { body: SAMPLE, bytesPerSecond: 100_000 });
    const started = Date.now();

    expect(await download('/slow.json')).toEqual(SAMPLE);
    // 15.6 KB at 100 KB/s: pacing really happened.
    expect(Date.now() - started).toBeGreaterThan(100);
  });
});
