import type { Readable } from 'node:stream';

/** What a probe of the source learnt, small enough for workflow history. */
export interface SourceMetadata {
  /** Redacted URL (no credentials). */
  url: string;
  status: number;
  etag?: string;
  lastModified?: string;
  contentLength?: number;
  contentType?: string;
}

/** Validators from the last published run, for a conditional fetch. */
export interface ConditionalHeaders {
  etag?: string;
  lastModified?: string;
}

export type OpenResult =
  | { notModified: true; metadata: SourceMetadata }
  | {
      notModified: false;
      metadata: SourceMetadata;
      /**
       * The decoded (gunzipped if Content-Encoding says so) body. It errors with a
       * retryable SourceError when the connection drops or the number of bytes on
       * the wire does not match Content-Length.
       */
      body: Readable;
    };

/** The registry's HTTP API. Errors are SourceError with retryability already decided. */
export interface RegistrySource {
  /** Checks the source answers 2xx without downloading the body. */
  probe(url: string, options?: { signal?: AbortSignal }): Promise<SourceMetadata>;
  /** Starts the download; 304 when the conditional headers still match. */
  open(url: string, options?: { conditional?: ConditionalHeaders; signal?: AbortSignal }): Promise<OpenResult>;
}
