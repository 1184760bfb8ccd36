import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';

const CHUNK_BYTES = 1024 * 1024;

/**
 * A deterministic body of `totalBytes`, produced one 1 MiB chunk at a time as
 * the reader pulls, so a test can stream tens of MB without holding them.
 * Each chunk has its own fill pattern, so reordered or repeated parts show.
 * With `failAfterBytes`, the stream errors once that many bytes were produced.
 */
export function generatedBody(totalBytes: number, options: { failAfterBytes?: number } = {}): Readable {
  return Readable.from(generatedChunks(totalBytes, options.failAfterBytes), { objectMode: false });
}

/** SHA-256 (hex) of what generatedBody(totalBytes) produces. */
export async function generatedBodySha256(totalBytes: number): Promise<string> {
  return (await digestStream(generatedBody(totalBytes))).sha256;
}

/** Reads `stream` to its end, keeping only a running digest and byte count. */
export async function digestStream(stream: AsyncIterable<Buffer | string>): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of stream) {
    hash.update(chunk);
    bytes += Buffer.byteLength(chunk);
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** Reads a small stream into memory. */
export async function readBytes(stream: AsyncIterable<Buffer | string>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** Reads a small stream into a UTF-8 string. */
export async function readText(stream: AsyncIterable<Buffer | string>): Promise<string> {
  return (await readBytes(stream)).toString('utf8');
}

function* generatedChunks(totalBytes: number, failAfterBytes: number | undefined): Generator<Buffer> {
  let produced = 0;
  for (let index = 0; produced < totalBytes; index++) {
    if (failAfterBytes !== undefined && produced >= failAfterBytes) {
      throw new Error(`generated body failed on purpose after ${produced} bytes`);
    }
    const size = Math.min(CHUNK_BYTES, totalBytes - produced);
    yield Buffer.alloc(size, `chunk ${index};`);
    produced += size;
  }
}
