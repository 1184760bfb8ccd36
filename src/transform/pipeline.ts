import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type * as Zlib from 'node:zlib';
import { PayloadError, TruncatedPayloadError } from '../domain/errors';
import type { TransformStats } from '../domain/stats';
import { DeviceAggregator, type ChargerModelRow } from './aggregate';
import { csvChunks } from './csv';
import { NcrScanner } from './ncrScanner';

export interface TransformProgress {
  /** Bytes read from the input (compressed bytes when the input is gzip). */
  bytesRead: number;
  devicesSeen: number;
}

export interface TransformOptions {
  /** Called every PROGRESS_INTERVAL_BYTES of input; keep it cheap. */
  onProgress?: (progress: TransformProgress) => void;
  /**
   * A gzip payload that inflates to more bytes than this fails with PayloadError: a small
   * staged file must not cost hours of scanning (a compression bomb). Plain payloads were
   * already limited when they were fetched.
   */
  maxGunzippedBytes?: number;
}

/** Devices processed are reported every MiB read: a live count for `status` at a negligible cost. */
const PROGRESS_INTERVAL_BYTES = 1024 * 1024;
const GZIP_MAGIC = [0x1f, 0x8b];
/** Larger than zlib's 16 KiB default: fewer, bigger pieces for the scanner. */
const GUNZIP_CHUNK_BYTES = 256 * 1024;

/**
 * Reads a registry payload (plain or gzip JSON, optional UTF-8 BOM), aggregates its
 * devices and writes the CSV to `output`, which is ended. Memory stays bounded by the
 * number of distinct rows, never by the payload size. Rejects with PayloadError or
 * TruncatedPayloadError for a bad payload, after destroying `input`; errors of the
 * input stream itself are passed through unchanged.
 */
export async function transformPayload(
  input: Readable,
  output: Writable,
  options: TransformOptions = {},
): Promise<TransformStats> {
  let aggregator: DeviceAggregator;
  try {
    // Inside the try: a scanner that cannot be built (its WebAssembly missing) must release the input too,
    // or an unread S3 body times out later with nobody listening and ends the worker.
    aggregator = new DeviceAggregator();
    const scanner = new NcrScanner(aggregator);
    await scanPayload(
      input,
      scanner,
      progressReporter(aggregator, options.onProgress),
      options.maxGunzippedBytes ?? Infinity,
    );
    scanner.end();
  } catch (error) {
    input.destroy();
    throw error;
  }
  const { stats, rows } = aggregator.finish();
  await pipeline(Readable.from(csvBytes(rows), { objectMode: false }), output);
  return stats;
}

function* csvBytes(rows: Iterable<ChargerModelRow>): Generator<Buffer> {
  for (const text of csvChunks(rows)) yield Buffer.from(text, 'utf8');
}

type ChunkObserver = (bytesRead: number) => void;

function progressReporter(aggregator: DeviceAggregator, onProgress: TransformOptions['onProgress']): ChunkObserver {
  if (onProgress === undefined) return () => undefined;
  let nextReportAt = PROGRESS_INTERVAL_BYTES;
  return (bytesRead) => {
    if (bytesRead < nextReportAt) return;
    nextReportAt = bytesRead + PROGRESS_INTERVAL_BYTES;
    onProgress({ bytesRead, devicesSeen: aggregator.devicesSeen });
  };
}

/** Feeds the decoded payload bytes to the scanner, gunzipping when the input starts with the gzip magic bytes. */
async function scanPayload(
  input: Readable,
  scanner: NcrScanner,
  observe: ChunkObserver,
  maxGunzippedBytes: number,
): Promise<void> {
  const chunks = input[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let head: Buffer = Buffer.alloc(0);
  while (head.length < GZIP_MAGIC.length) {
    const next = await chunks.next();
    if (next.done) break;
    head = head.length === 0 ? toBuffer(next.value) : Buffer.concat([head, toBuffer(next.value)]);
  }
  let bytesRead = head.length;

  async function* inputChunks(): AsyncGenerator<Buffer> {
    if (head.length > 0) yield head;
    for (;;) {
      const next = await chunks.next();
      if (next.done) return;
      const chunk = toBuffer(next.value);
      bytesRead += chunk.length;
      yield chunk;
    }
  }
  async function scan(decoded: AsyncIterable<Buffer>): Promise<void> {
    for await (const chunk of decoded) {
      scanner.write(chunk);
      observe(bytesRead);
    }
  }

  if (head[0] !== GZIP_MAGIC[0] || head[1] !== GZIP_MAGIC[1]) {
    await scan(inputChunks());
    return;
  }
  let gunzippedBytes = 0;
  let overLimit: PayloadError | undefined;
  async function* limited(gunzipped: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const chunk of gunzipped) {
      gunzippedBytes += chunk.length;
      if (gunzippedBytes > maxGunzippedBytes) {
        overLimit = new PayloadError(
          `the gzip payload inflates past the limit of ${maxGunzippedBytes} bytes after ${bytesRead} compressed bytes`,
          {
            byteOffset: bytesRead,
          },
        );
        throw overLimit;
      }
      yield chunk;
    }
  }
  // Loaded for gzip payloads only: a plain one (the CLI's usual input) starts faster without it.
  const { createGunzip } = require('node:zlib') as typeof Zlib;
  try {
    await pipeline(
      Readable.from(inputChunks(), { objectMode: false }),
      createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES }),
      (gunzipped: AsyncIterable<Buffer>) => scan(limited(gunzipped)),
    );
  } catch (error) {
    // Stopping the gunzip early makes pipeline report an abort rather than the reason.
    throw overLimit ?? gzipPayloadError(error, bytesRead);
  }
}

/** Input streams with an encoding set yield strings; the scanner works on bytes. */
function toBuffer(chunk: Buffer | string): Buffer {
  return typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
}

/**
 * zlib errors become payload errors: an early end is a truncated download, anything
 * else corrupt data. Their offsets count compressed bytes read, as the decoded
 * offset of a gzip failure is not known.
 */
function gzipPayloadError(error: unknown, bytesRead: number): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('Z_')) return error;
  if (code === 'Z_BUF_ERROR') {
    return new TruncatedPayloadError(`the gzip payload ends early after ${bytesRead} compressed bytes`, {
      byteOffset: bytesRead,
    });
  }
  return new PayloadError(
    `invalid gzip data within the first ${bytesRead} compressed bytes: ${(error as Error).message}`,
    {
      byteOffset: bytesRead,
    },
  );
}
