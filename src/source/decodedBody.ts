import { Readable, type Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { SourceError } from '../domain/errors';

export interface DecodedBodyOptions {
  /** Redacted URL, for messages. */
  url: string;
  /** What messages call the server: `registry` by default, `feed <id>` for an open-data feed. */
  sourceName?: string;
  contentEncoding?: string;
  contentType?: string;
  /** More decoded bytes than this fails the body (not retryable): guards against compression bombs. */
  maxBytes: number;
  /** Removes credentials from text the server sent back, before it goes into a message. */
  scrub: (text: string) => string;
  /** Length of the longest string `scrub` replaces, so a snippet never ends in part of one. */
  longestSecret: number;
}

const SNIPPET_CHARS = 120;
/** How much of a markup body we read, at most, to build the snippet. */
const SNIPPET_READ_BYTES = 16 * 1024;
/**
 * How much leading whitespace we hold while looking for the first significant byte. A body
 * of nothing but whitespace (a compression bomb, say) must not be gathered whole: past
 * this, it is not markup, and the JSON scanner judges the rest.
 */
const SNIFF_READ_BYTES = 64 * 1024;
const LESS_THAN = 0x3c;
const UTF8_BOM = [0xef, 0xbb, 0xbf];
const JSON_WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

/**
 * Decodes the wire body (gzip, deflate, br) and, before handing it over, peeks at
 * its start: an HTML content type or a body starting with `<` (a maintenance
 * or login page served with 200) is a non-retryable SourceError with a snippet,
 * so the caller gets it from open(). The returned stream pulls on demand and
 * fails with the wire's SourceError, or a retryable one if decoding fails.
 * Owns `wire`: it is destroyed when the result is, or when this throws.
 */
export async function openDecodedBody(wire: Readable, options: DecodedBodyOptions): Promise<Readable> {
  let decoded: Readable;
  try {
    decoded = decode(wire, options);
  } catch (error) {
    wire.destroy();
    throw error;
  }
  const reader = new DecodedReader(wire, decoded, options);
  try {
    const head = await reader.readHead();
    const body = Readable.from(reader.chunksAfter(head), { objectMode: false });
    body.once('close', () => decoded.destroy());
    return body;
  } catch (error) {
    decoded.destroy();
    throw error;
  }
}

/** Reads decoded chunks one at a time, counting them and naming failures. */
class DecodedReader {
  private readonly chunks: AsyncIterator<Buffer>;
  private decodedBytes = 0;

  constructor(
    private readonly wire: Readable,
    decoded: Readable,
    private readonly options: DecodedBodyOptions,
  ) {
    this.chunks = decoded[Symbol.asyncIterator]();
  }

  /** Chunks up to and including the first significant byte (or SNIFF_READ_BYTES of whitespace); throws if the body is markup. */
  async readHead(): Promise<Buffer[]> {
    const head: Buffer[] = [];
    const sniffer = new FirstByteSniffer();
    let ended = false;
    let headBytes = 0;
    while (sniffer.firstByte === undefined && headBytes < SNIFF_READ_BYTES) {
      const chunk = await this.next();
      if (chunk === undefined) {
        ended = true;
        break;
      }
      head.push(chunk);
      headBytes += chunk.length;
      sniffer.scan(chunk);
    }
    const mediaType = this.options.contentType?.split(';')[0]?.trim().toLowerCase();
    const htmlType = mediaType === 'text/html' || mediaType === 'application/xhtml+xml';
    if (htmlType || sniffer.firstByte === LESS_THAN) {
      const snippet = await this.snippet(head, ended);
      const { url } = this.options;
      const message = htmlType
        ? `${this.options.sourceName ?? 'registry'} at ${url} returned ${mediaType}, not JSON: ${snippet}`
        : `${this.options.sourceName ?? 'registry'} at ${url} returned markup, not JSON (Content-Type ${mediaType || 'not set'}): ${snippet}`;
      throw new SourceError(message, false, { url, status: 200 });
    }
    return head;
  }

  async *chunksAfter(head: Buffer[]): AsyncGenerator<Buffer> {
    yield* head;
    for (let chunk = await this.next(); chunk !== undefined; chunk = await this.next()) yield chunk;
  }

  /** The next decoded chunk, or undefined at the end. */
  private async next(): Promise<Buffer | undefined> {
    let step: IteratorResult<Buffer>;
    try {
      step = await this.chunks.next();
    } catch (error) {
      // The wire's own failure (truncation, stall, size, abort) reaches us through the decoder;
      // anything else is the decoder's.
      throw this.wire.errored ?? this.decodeFailure(error);
    }
    if (step.done) return undefined;
    this.decodedBytes += step.value.length;
    if (this.decodedBytes > this.options.maxBytes) {
      const { url, maxBytes } = this.options;
      throw new SourceError(`decoded body from ${url} exceeds the limit of ${maxBytes} bytes`, false, { url });
    }
    return step.value;
  }

  /** A short printable excerpt of a markup body, scrubbed of credentials. A read failure just ends it early. */
  private async snippet(head: Buffer[], ended: boolean): Promise<string> {
    let collected = Buffer.concat(head);
    let text = excerpt(collected, ended, this.options);
    while (!ended && text.length <= SNIPPET_CHARS && collected.length < SNIPPET_READ_BYTES) {
      let chunk: Buffer | undefined;
      try {
        chunk = await this.next();
      } catch {
        break;
      }
      ended = chunk === undefined;
      if (chunk !== undefined) collected = Buffer.concat([collected, chunk]);
      text = excerpt(collected, ended, this.options);
    }
    if (text.length === 0) return '(empty body)';
    return text.length > SNIPPET_CHARS ? `${text.slice(0, SNIPPET_CHARS).trimEnd()}…` : text;
  }

  private decodeFailure(error: unknown): SourceError {
    const { url, contentEncoding } = this.options;
    const reason = error instanceof Error ? error.message : String(error);
    return new SourceError(
      `could not decode the ${contentEncoding ?? 'identity'} body from ${url}: ${reason}`,
      true,
      { url },
      { cause: error },
    );
  }
}

/**
 * Printable, whitespace-collapsed text of `bytes`, credentials replaced. Unless
 * the body ended, the tail that could hold the start of a cut-off secret is dropped.
 */
function excerpt(bytes: Buffer, ended: boolean, options: DecodedBodyOptions): string {
  const scrubbed = options.scrub(bytes.toString('utf8'));
  const safe = ended ? scrubbed : scrubbed.slice(0, Math.max(0, scrubbed.length - options.longestSecret));
  // \s covers the BOM too.
  return safe.replace(/[\u0000-\u001f\u007f-\u009f\ufffd\s]+/g, ' ').trim();
}

/** Finds the first byte that is neither a UTF-8 BOM nor JSON whitespace, across chunks. */
class FirstByteSniffer {
  firstByte: number | undefined;
  private offset = 0;

  scan(chunk: Buffer): void {
    for (const byte of chunk) {
      const inBom = this.offset < UTF8_BOM.length && byte === UTF8_BOM[this.offset];
      this.offset += 1;
      if (inBom || JSON_WHITESPACE.has(byte)) continue;
      this.firstByte = byte;
      return;
    }
  }
}

function decode(wire: Readable, { url, contentEncoding, sourceName = 'registry' }: DecodedBodyOptions): Readable {
  const decoder = decoderFor(contentEncoding?.trim().toLowerCase() ?? '');
  if (decoder === undefined) {
    throw new SourceError(`${sourceName} at ${url} sent an unsupported Content-Encoding: ${contentEncoding}`, false, {
      url,
    });
  }
  if (decoder === 'identity') return wire;
  wire.on('error', (error) => decoder.destroy(error));
  decoder.on('close', () => wire.destroy());
  return wire.pipe(decoder);
}

function decoderFor(encoding: string): Transform | 'identity' | undefined {
  switch (encoding) {
    case '':
    case 'identity':
      return 'identity';
    case 'gzip':
    case 'x-gzip':
      return createGunzip();
    case 'deflate':
      return createInflate();
    case 'br':
      return createBrotliDecompress();
    default:
      return undefined;
  }
}
