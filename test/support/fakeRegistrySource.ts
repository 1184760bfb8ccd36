import { Readable } from 'node:stream';
import { SourceError } from '../../src/domain/errors';
import { redactUrl } from '../../src/domain/redact';
import type { ConditionalHeaders, OpenResult, RegistrySource, SourceMetadata } from '../../src/source/registrySource';
import { statusFailure } from '../../src/source/sourceFailures';

/** Bodies are served in pieces of this size, so a consumer sees progress on a payload of a few MiB. */
const CHUNK_BYTES = 16 * 1024;

export interface ServedPayload {
  body: Buffer;
  etag?: string;
  lastModified?: string;
  /** Defaults to application/json. */
  contentType?: string;
}

/** One call the activities made, as the fake saw it. */
export interface SourceRequest {
  method: 'probe' | 'open';
  url: string;
  conditional?: ConditionalHeaders;
}

/**
 * An in-memory RegistrySource for activity tests: serves one payload, answers 304
 * to validators that match it, and can be told to fail every request, to end the
 * body early (a server without Content-Length that stops sending) or to break
 * the connection part-way through the body. Every request is recorded.
 */
export class FakeRegistrySource implements RegistrySource {
  readonly requests: SourceRequest[] = [];
  private failure?: (url: string) => Error;
  private bodyFault?: { kind: 'truncate' | 'drop'; afterBytes: number };

  constructor(private payload: ServedPayload) {}

  /** Serves `payload` from now on, with no fault. */
  serve(payload: ServedPayload): void {
    this.payload = payload;
    this.failure = undefined;
    this.bodyFault = undefined;
  }

  /** Every request fails with `error` (not necessarily a SourceError: a bug may throw anything). */
  failWith(error: Error): void {
    this.failure = () => error;
  }

  /** Every request fails with the SourceError the HTTP source makes of this status and Retry-After header. */
  failWithStatus(status: number, retryAfter?: string): void {
    this.failure = (url) => statusFailure(status, undefined, redactUrl(url), retryAfter);
  }

  /** The body ends cleanly after `bytes`, with no declared length to betray it. */
  truncateAfter(bytes: number): void {
    this.bodyFault = { kind: 'truncate', afterBytes: bytes };
  }

  /** The body errors with a retryable SourceError after `bytes`, as a dropped connection does. */
  dropAfter(bytes: number): void {
    this.bodyFault = { kind: 'drop', afterBytes: bytes };
  }

  probe(url: string): Promise<SourceMetadata> {
    this.requests.push({ method: 'probe', url });
    return this.answer(url, () => this.metadata(url, 200));
  }

  open(url: string, options: { conditional?: ConditionalHeaders } = {}): Promise<OpenResult> {
    this.requests.push({ method: 'open', url, conditional: options.conditional });
    return this.answer(url, () =>
      this.matches(options.conditional)
        ? { notModified: true, metadata: this.metadata(url, 304) }
        : { notModified: false, metadata: this.metadata(url, 200), headers: {}, body: this.body(url) },
    );
  }

  private answer<T>(url: string, succeed: () => T): Promise<T> {
    return this.failure ? Promise.reject(this.failure(url)) : Promise.resolve(succeed());
  }

  /** As a server compares them: the ETag exactly, Last-Modified as the same instant. */
  private matches(conditional: ConditionalHeaders | undefined): boolean {
    const { etag, lastModified } = this.payload;
    if (conditional?.etag !== undefined) return conditional.etag === etag;
    if (conditional?.lastModified !== undefined && lastModified !== undefined) {
      return Date.parse(conditional.lastModified) === Date.parse(lastModified);
    }
    return false;
  }

  private metadata(url: string, status: number): SourceMetadata {
    const { body, etag, lastModified, contentType = 'application/json' } = this.payload;
    return {
      url: redactUrl(url),
      status,
      etag,
      lastModified,
      contentType,
      ...(this.bodyFault === undefined && status === 200 ? { contentLength: body.length } : {}),
    };
  }

  private body(url: string): Readable {
    const fault = this.bodyFault;
    const served = fault ? this.payload.body.subarray(0, fault.afterBytes) : this.payload.body;
    function* chunks(): Generator<Buffer> {
      for (let offset = 0; offset < served.length; offset += CHUNK_BYTES) {
        yield served.subarray(offset, offset + CHUNK_BYTES);
      }
      if (fault?.kind === 'drop') {
        throw new SourceError(`connection to ${redactUrl(url)} dropped after ${served.length} bytes`, true, {
          url: redactUrl(url),
        });
      }
    }
    return Readable.from(chunks(), { objectMode: false });
  }
}
