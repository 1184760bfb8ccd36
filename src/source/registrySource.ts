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

/**
 * Credentials sent with a request, other than URL userinfo (which parseTarget
 * handles). Their values never appear in messages or metadata.
 */
export interface RequestCredentials {
  /** Headers that carry credentials: sent to the requested origin only, not to a redirect elsewhere. */
  headers?: Record<string, string>;
  /** Query parameters of the URL that hold credentials beyond redact.ts's list: redacted wherever the URL is shown. */
  secretParams?: readonly string[];
  /** The credential values, so text the server echoes back is scrubbed of them. */
  secrets?: readonly string[];
}

export type OpenResult =
  | { notModified: true; metadata: SourceMetadata }
  | {
      notModified: false;
      metadata: SourceMetadata;
      /** The final answer's headers with string values, names lower-cased (Link, X-Total-Count, …). */
      headers: Readonly<Record<string, string>>;
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
  open(
    url: string,
    options?: { conditional?: ConditionalHeaders; signal?: AbortSignal; credentials?: RequestCredentials },
  ): Promise<OpenResult>;
}
