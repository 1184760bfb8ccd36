import axios, { type AxiosResponse } from 'axios';
import type { IncomingMessage } from 'node:http';
import { DEFAULTS } from '../defaults';
import { SourceError } from '../domain/errors';
import { openDecodedBody } from './decodedBody';
import type {
  ConditionalHeaders,
  OpenResult,
  RegistrySource,
  RequestCredentials,
  SourceMetadata,
} from './registrySource';
import { parseTarget, redirectTarget, scrubSecrets, withSecrets, type RequestTarget } from './requestTarget';
import { statusFailure, transportFailure } from './sourceFailures';
import { WireBody } from './wireBody';

export const MAX_REDIRECTS = 5;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Answers from servers that do not implement HEAD; probe then falls back to GET. */
const HEAD_UNSUPPORTED_STATUSES = new Set([405, 501]);

export interface HttpSourceOptions {
  /** Time allowed for each request (each redirect hop) to connect and receive the response headers. */
  connectTimeoutMs?: number;
  /** A body that delivers no bytes for this long, while its reader wants more, fails (retryable). */
  idleTimeoutMs?: number;
  /** Largest body accepted, on the wire and decoded; larger is a non-retryable SourceError. */
  maxBodyBytes?: number;
  /**
   * Hostnames that may be fetched, redirect targets included, compared
   * case-insensitively and on any port. Undefined allows every host; only http
   * and https are ever allowed.
   */
  allowedHosts?: readonly string[];
  userAgent?: string;
  /** What messages call the server: `registry` by default. */
  sourceName?: string;
}

type Method = 'HEAD' | 'GET';
type RegistryResponse = AxiosResponse<IncomingMessage>;

/** A response that is not a redirect, the target that gave it and the one first asked for. */
interface Answer {
  requested: RequestTarget;
  target: RequestTarget;
  response: RegistryResponse;
}

/**
 * The registry over HTTP(S) with axios. Redirects are followed here (at most
 * MAX_REDIRECTS), so each target passes the SSRF guard; bodies are decoded here,
 * so bytes on the wire can be checked against Content-Length. Credentials in the
 * URL are sent as Basic auth and never appear in messages or metadata.
 */
export function createHttpSource(options: HttpSourceOptions = {}): RegistrySource {
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULTS.sourceConnectTimeoutMs;
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULTS.sourceIdleTimeoutMs;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULTS.sourceMaxBytes;
  const sourceName = options.sourceName ?? 'registry';
  const { allowedHosts } = options;
  const client = axios.create({
    responseType: 'stream',
    decompress: false,
    maxRedirects: 0,
    validateStatus: () => true,
  });
  const baseHeaders = {
    'User-Agent': options.userAgent ?? DEFAULTS.userAgent,
    Accept: 'application/json, */*;q=0.5',
    'Accept-Encoding': 'gzip',
  };

  /** One request with a deadline for the response headers; the caller's signal aborts it too. */
  async function send(
    method: Method,
    target: RequestTarget,
    headers: Record<string, string>,
    signal: AbortSignal | undefined,
  ): Promise<RegistryResponse> {
    signal?.throwIfAborted();
    const attempt = new AbortController();
    const abortAttempt = () => attempt.abort();
    signal?.addEventListener('abort', abortAttempt, { once: true });
    const deadline = setTimeout(abortAttempt, connectTimeoutMs);
    try {
      return await client.request<IncomingMessage>({
        method,
        url: target.url.href,
        headers,
        auth: target.auth,
        signal: attempt.signal,
      });
    } catch (error) {
      signal?.throwIfAborted();
      if (attempt.signal.aborted) {
        throw new SourceError(
          `${sourceName} at ${target.redacted} did not respond within ${connectTimeoutMs} ms`,
          true,
          {
            url: target.redacted,
          },
        );
      }
      throw transportFailure(error, target.redacted, sourceName);
    } finally {
      clearTimeout(deadline);
      signal?.removeEventListener('abort', abortAttempt);
    }
  }

  /**
   * Sends the request and follows redirects, checking every target. Credential
   * headers go to the requested origin only, as Basic auth does.
   */
  async function request(
    method: Method,
    url: string,
    headers: Record<string, string>,
    signal: AbortSignal | undefined,
    credentials: RequestCredentials = {},
  ): Promise<Answer> {
    const requested = withSecrets(parseTarget(url, allowedHosts, credentials.secretParams), credentials.secrets ?? []);
    let target = requested;
    for (let redirects = 0; ; redirects += 1) {
      const sameOrigin = target.url.origin === requested.url.origin;
      const response = await send(method, target, { ...headers, ...(sameOrigin ? credentials.headers : {}) }, signal);
      const location = header(response, 'location');
      if (!REDIRECT_STATUSES.has(response.status) || location === undefined) return { requested, target, response };
      response.data.destroy();
      if (redirects === MAX_REDIRECTS) {
        throw new SourceError(
          `${sourceName} at ${requested.redacted} redirected more than ${MAX_REDIRECTS} times`,
          false,
          {
            url: requested.redacted,
            status: response.status,
          },
        );
      }
      target = redirectTarget(target, location, allowedHosts, sourceName);
    }
  }

  /** Throws unless the answer is 2xx with an acceptable declared size. */
  function checkAnswer({ target, response }: Answer, metadata: SourceMetadata): void {
    if (response.status < 200 || response.status > 299) {
      throw statusFailure(
        response.status,
        response.statusText,
        target.redacted,
        header(response, 'retry-after'),
        Date.now(),
        sourceName,
      );
    }
    if (metadata.contentLength !== undefined && metadata.contentLength > maxBodyBytes) {
      throw new SourceError(
        `body from ${target.redacted} is ${metadata.contentLength} bytes, over the limit of ${maxBodyBytes} bytes`,
        false,
        { url: target.redacted, status: response.status },
      );
    }
  }

  return {
    async probe(url, { signal } = {}) {
      let answer = await request('HEAD', url, baseHeaders, signal);
      if (HEAD_UNSUPPORTED_STATUSES.has(answer.response.status)) {
        answer.response.data.destroy();
        answer = await request('GET', url, baseHeaders, signal);
      }
      // Only the headers matter; a GET fallback's body is dropped unread.
      answer.response.data.destroy();
      const metadata = metadataOf(answer);
      checkAnswer(answer, metadata);
      return metadata;
    },

    async open(url, { conditional, signal, credentials } = {}): Promise<OpenResult> {
      const validators = conditionalHeaders(conditional);
      const answer = await request('GET', url, { ...baseHeaders, ...validators }, signal, credentials);
      const { target, response } = answer;
      const metadata = metadataOf(answer);
      if (response.status === 304 && Object.keys(validators).length > 0) {
        response.data.destroy();
        return { notModified: true, metadata };
      }
      try {
        checkAnswer(answer, metadata);
      } catch (error) {
        response.data.destroy();
        throw error;
      }
      const wire = new WireBody(response.data, {
        url: target.redacted,
        expectedBytes: metadata.contentLength,
        maxBytes: maxBodyBytes,
        idleTimeoutMs,
      });
      abortWith(signal, wire);
      const body = await openDecodedBody(wire, {
        url: target.redacted,
        sourceName,
        contentEncoding: header(response, 'content-encoding'),
        contentType: metadata.contentType,
        maxBytes: maxBodyBytes,
        scrub: (text) => scrubSecrets(text, target),
        longestSecret: Math.max(0, ...target.secrets.map((secret) => secret.length)),
      });
      return { notModified: false, metadata, headers: stringHeaders(response), body };
    },
  };
}

/** Destroys `wire` with the abort reason when `signal` fires before the wire closes. */
function abortWith(signal: AbortSignal | undefined, wire: WireBody): void {
  if (!signal) return;
  const destroy = () =>
    wire.destroy(signal.reason instanceof Error ? signal.reason : new Error('the request was aborted'));
  if (signal.aborted) {
    destroy();
    return;
  }
  const onAbort = destroy;
  signal.addEventListener('abort', onAbort, { once: true });
  wire.once('close', () => signal.removeEventListener('abort', onAbort));
}

function conditionalHeaders(conditional: ConditionalHeaders | undefined): Record<string, string> {
  return {
    ...(conditional?.etag ? { 'If-None-Match': conditional.etag } : {}),
    ...(conditional?.lastModified ? { 'If-Modified-Since': conditional.lastModified } : {}),
  };
}

/** Metadata under the requested URL, redacted; absent headers are left out rather than undefined. */
function metadataOf({ requested, response }: Answer): SourceMetadata {
  const metadata: SourceMetadata = { url: requested.redacted, status: response.status };
  const etag = header(response, 'etag');
  const lastModified = header(response, 'last-modified');
  const contentLength = header(response, 'content-length');
  const contentType = header(response, 'content-type');
  if (etag !== undefined) metadata.etag = etag;
  if (lastModified !== undefined) metadata.lastModified = lastModified;
  if (contentLength !== undefined && /^\d+$/.test(contentLength)) metadata.contentLength = Number(contentLength);
  if (contentType !== undefined) metadata.contentType = contentType;
  return metadata;
}

function stringHeaders(response: RegistryResponse): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers as Record<string, unknown>)) {
    if (typeof value === 'string') headers[name.toLowerCase()] = value;
  }
  return headers;
}

function header(response: RegistryResponse, name: string): string | undefined {
  const value: unknown = response.headers[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
