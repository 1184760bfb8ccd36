import {
  createServer,
  STATUS_CODES,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { pipeline, type Readable } from 'node:stream';
import { createGzip, gzipSync } from 'node:zlib';

/** A body served at a path, with the validators a registry would send. */
export interface Fixture {
  body: Buffer | string;
  /** Gzip the body when the request accepts gzip. */
  gzip?: boolean;
  etag?: string;
  lastModified?: string;
  /** Defaults to application/json. */
  contentType?: string;
  /** Pace the body to roughly this rate, for progress tests. */
  bytesPerSecond?: number;
  /** More response headers (Link, X-Total-Count, …). */
  headers?: Record<string, string>;
}

/** What a dynamic route answers one request with: a fixture, or a scripted refusal. */
export type DynamicAnswer = { fixture: Fixture } | { refusal: Fault };

/** A body produced on demand and sent chunked (no Content-Length), never held in memory whole. */
export interface StreamFixture {
  open: () => Readable;
  gzip?: boolean;
  /** Defaults to application/json. */
  contentType?: string;
}

/**
 * What to do instead of, or on top of, the normal answer to one request. A
 * fault with `status` or `body` replaces the answer; the others disturb it.
 * Byte counts are of the body as sent (after gzip).
 */
export interface Fault {
  status?: number;
  /** Retry-After: delta-seconds or an HTTP date. */
  retryAfter?: number | string;
  location?: string;
  contentType?: string;
  /** More response headers, e.g. a Content-Encoding the body does not have. */
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** Wait this long before sending the headers. */
  delayMs?: number;
  /** Close the connection without answering. */
  hangUp?: boolean;
  /** Reset the connection (TCP RST) after this many body bytes. */
  resetAfterBytes?: number;
  /** Close the connection after this many body bytes, though Content-Length promised more. */
  truncateAfterBytes?: number;
  /** Pause `stallMs` after this many body bytes, then carry on. */
  stallAfterBytes?: number;
  stallMs?: number;
}

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  /** Path with the query string, as received. */
  url: string;
  headers: IncomingHttpHeaders;
  /** Date.now() when it arrived, to measure retry intervals. */
  receivedAt: number;
}

type Route =
  | { kind: 'fixture'; fixture: Fixture; gzipped?: Buffer }
  | { kind: 'stream'; fixture: StreamFixture }
  | { kind: 'redirect'; location: string; status: number }
  | { kind: 'dynamic'; answer: (request: URL, headers: IncomingHttpHeaders) => DynamicAnswer };

/** How a response body is sent: its chunks and the faults and pacing applied to them. */
interface BodyPlan {
  chunks: AsyncIterable<Buffer> | Iterable<Buffer>;
  fault: Fault;
  bytesPerSecond?: number;
}

const CHUNK_BYTES = 16 * 1024;

/**
 * A local HTTP server standing in for the registry, scriptable per request:
 * `serve` a fixture, then `failNext` to queue faults that the next requests to
 * that path get, in order, before it answers normally again. It listens on
 * 127.0.0.1 only and close() destroys every socket.
 */
export class FaultyRegistry {
  /** Every request received, in order. */
  readonly requests: RecordedRequest[] = [];
  /** Answer HEAD with 405, like servers that only implement GET. */
  disableHead = false;

  private readonly routes = new Map<string, Route>();
  private readonly faults = new Map<string, Fault[]>();
  private readonly sockets = new Set<Socket>();
  private readonly wakers = new Set<() => void>();
  private closed = false;
  private readonly server = createServer((req, res) => {
    this.handle(req, res).catch(() => res.destroy());
  });

  constructor() {
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  get origin(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  url(path: string): string {
    return `${this.origin}${path}`;
  }

  serve(path: string, fixture: Fixture): void {
    const gzipped = fixture.gzip ? gzipSync(fixture.body) : undefined;
    this.routes.set(path, { kind: 'fixture', fixture, gzipped });
  }

  serveStream(path: string, open: () => Readable, options: Omit<StreamFixture, 'open'> = {}): void {
    this.routes.set(path, { kind: 'stream', fixture: { ...options, open } });
  }

  /** Answers each request to `path` as `answer` decides from its URL (query included) and headers. */
  serveDynamic(path: string, answer: (request: URL, headers: IncomingHttpHeaders) => DynamicAnswer): void {
    this.routes.set(path, { kind: 'dynamic', answer });
  }

  redirect(path: string, location: string, status = 302): void {
    this.routes.set(path, { kind: 'redirect', location, status });
  }

  /** Queues faults for the next requests to `path` (any method), one per request. */
  failNext(path: string, faults: Fault[]): void {
    this.faults.set(path, [...(this.faults.get(path) ?? []), ...faults]);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const wake of this.wakers) wake();
    const stopped = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await stopped;
  }

  /** Binds a free port of 127.0.0.1; startFaultyRegistry() does this for you. */
  listen(): Promise<this> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve(this));
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const path = new URL(url, 'http://registry.invalid').pathname;
    const method = req.method ?? 'GET';
    this.requests.push({ method, path, url, headers: req.headers, receivedAt: Date.now() });

    if (method === 'HEAD' && this.disableHead) {
      res.writeHead(405, { Allow: 'GET', 'Content-Length': '0' }).end();
      return;
    }
    const fault = this.faults.get(path)?.shift() ?? {};
    if (fault.delayMs) await this.sleep(fault.delayMs);
    if (this.closed) return;
    if (fault.hangUp) {
      req.socket.destroy();
      return;
    }

    const route = this.routes.get(path);
    if (fault.status !== undefined || fault.body !== undefined || route === undefined) {
      await this.sendScripted(req, res, fault);
      return;
    }
    switch (route.kind) {
      case 'redirect':
        res.writeHead(route.status, { Location: route.location, 'Content-Length': '0' }).end();
        return;
      case 'stream':
        await this.sendStream(req, res, route.fixture, fault);
        return;
      case 'fixture':
        await this.sendFixture(req, res, route.fixture, route.gzipped, fault);
        return;
      case 'dynamic': {
        const answer = route.answer(new URL(url, this.origin), req.headers);
        if ('refusal' in answer) await this.sendScripted(req, res, { ...answer.refusal, ...fault });
        else await this.sendFixture(req, res, answer.fixture, undefined, fault);
        return;
      }
    }
  }

  /** The status, headers and body a fault asks for; 404 for a path nothing is served at. */
  private async sendScripted(req: IncomingMessage, res: ServerResponse, fault: Fault): Promise<void> {
    const status = fault.status ?? (fault.body !== undefined ? 200 : 404);
    const body = Buffer.from(fault.body ?? `${status} ${STATUS_CODES[status] ?? ''}\n`);
    res.writeHead(status, {
      'Content-Type': fault.contentType ?? 'text/plain',
      'Content-Length': String(body.length),
      ...(fault.retryAfter !== undefined ? { 'Retry-After': String(fault.retryAfter) } : {}),
      ...(fault.location !== undefined ? { Location: fault.location } : {}),
      ...fault.headers,
    });
    await this.sendBody(req, res, { chunks: chunksOf(body), fault });
  }

  private async sendFixture(
    req: IncomingMessage,
    res: ServerResponse,
    fixture: Fixture,
    gzipped: Buffer | undefined,
    fault: Fault,
  ): Promise<void> {
    const validators = {
      ...(fixture.etag ? { ETag: fixture.etag } : {}),
      ...(fixture.lastModified ? { 'Last-Modified': fixture.lastModified } : {}),
    };
    if (isNotModified(req, fixture)) {
      res.writeHead(304, validators).end();
      return;
    }
    const useGzip = gzipped !== undefined && acceptsGzip(req);
    const body = useGzip ? gzipped : Buffer.from(fixture.body);
    res.writeHead(200, {
      ...validators,
      ...fixture.headers,
      'Content-Type': fault.contentType ?? fixture.contentType ?? 'application/json',
      'Content-Length': String(body.length),
      ...(useGzip ? { 'Content-Encoding': 'gzip' } : {}),
    });
    await this.sendBody(req, res, { chunks: chunksOf(body), fault, bytesPerSecond: fixture.bytesPerSecond });
  }

  private async sendStream(
    req: IncomingMessage,
    res: ServerResponse,
    fixture: StreamFixture,
    fault: Fault,
  ): Promise<void> {
    const useGzip = fixture.gzip === true && acceptsGzip(req);
    res.writeHead(200, {
      'Content-Type': fault.contentType ?? fixture.contentType ?? 'application/json',
      ...(useGzip ? { 'Content-Encoding': 'gzip' } : {}),
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const source = fixture.open();
    // pipeline, so a source that fails makes the encoded stream fail too: the client sees the connection drop.
    const encoded = useGzip ? pipeline(source, createGzip(), () => undefined) : source;
    try {
      await this.sendBody(req, res, { chunks: encoded, fault });
    } finally {
      source.destroy();
      encoded.destroy();
    }
  }

  /**
   * Writes the body chunk by chunk, waiting for each write to be flushed (so a
   * slow client slows the source), and applies the byte-count faults exactly
   * at their offsets.
   */
  private async sendBody(req: IncomingMessage, res: ServerResponse, plan: BodyPlan): Promise<void> {
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const { fault, bytesPerSecond } = plan;
    const stopAt = Math.min(fault.resetAfterBytes ?? Infinity, fault.truncateAfterBytes ?? Infinity);
    const pace = bytesPerSecond ? Math.max(1, Math.floor(bytesPerSecond / 20)) : Infinity;
    let sent = 0;
    let stalled = false;
    res.flushHeaders();
    const atOffset = async (): Promise<boolean> => {
      if (!stalled && fault.stallAfterBytes === sent) {
        stalled = true;
        await this.sleep(fault.stallMs ?? 0);
      }
      if (sent === fault.resetAfterBytes) {
        res.socket?.resetAndDestroy();
        return false;
      }
      if (sent === fault.truncateAfterBytes) {
        res.socket?.end();
        return false;
      }
      return !this.closed && !res.destroyed;
    };

    if (!(await atOffset())) return;
    for await (const chunk of plan.chunks) {
      let rest = chunk;
      while (rest.length > 0) {
        const stallAt = fault.stallAfterBytes !== undefined && !stalled ? fault.stallAfterBytes : Infinity;
        const nextStop = Math.min(stopAt, stallAt);
        const size = Math.min(rest.length, pace, nextStop > sent ? nextStop - sent : Infinity);
        if (!(await flushed(res, rest.subarray(0, size)))) return;
        sent += size;
        rest = rest.subarray(size);
        if (!(await atOffset())) return;
        if (bytesPerSecond) await this.sleep((size / bytesPerSecond) * 1000);
      }
    }
    res.end();
  }

  /** A timer that close() cuts short, so no handler outlives the server. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakers.add(wake);
    });
  }
}

/** Starts a FaultyRegistry on a free port of 127.0.0.1. */
export function startFaultyRegistry(): Promise<FaultyRegistry> {
  return new FaultyRegistry().listen();
}

function chunksOf(body: Buffer): Buffer[] {
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < body.length; offset += CHUNK_BYTES) {
    chunks.push(body.subarray(offset, offset + CHUNK_BYTES));
  }
  return chunks;
}

/**
 * Resolves true once `chunk` is handed to the socket, false when the write
 * fails or the response is gone. The write's error is the signal to stop: from
 * Node 24 a write to a connection the client dropped fails at once while
 * `res.destroyed` is still false, so a loop that waited for it would spin.
 */
function flushed(res: ServerResponse, chunk: Buffer): Promise<boolean> {
  return new Promise((resolve) => {
    const settle = (written: boolean) => {
      res.off('close', onClose);
      resolve(written);
    };
    const onClose = () => settle(false);
    res.once('close', onClose);
    res.write(chunk, (error) => settle(!error));
  });
}

function acceptsGzip(req: IncomingMessage): boolean {
  return /\bgzip\b/i.test(req.headers['accept-encoding'] ?? '');
}

/** RFC 9110: If-None-Match wins; If-Modified-Since only counts without it. */
function isNotModified(req: IncomingMessage, fixture: Fixture): boolean {
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    if (!fixture.etag) return false;
    const weak = (tag: string) => tag.trim().replace(/^W\//, '');
    return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || weak(tag) === weak(fixture.etag ?? ''));
  }
  const ifModifiedSince = req.headers['if-modified-since'];
  if (ifModifiedSince === undefined || !fixture.lastModified) return false;
  return Date.parse(ifModifiedSince) >= Date.parse(fixture.lastModified);
}
