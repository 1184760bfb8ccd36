import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { pipeline, Transform, type TransformCallback } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';

/** One request the proxy saw: method, path (`/bucket/key`, decoded) and query (e.g. a multipart upload's `partNumber`). */
export interface ProxiedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
}

/**
 * An HTTP proxy in front of an S3 endpoint (MinIO), so a test can see every
 * request a worker makes and disturb them like a real network or outage would:
 * run a hook before a request is forwarded (e.g. halt MinIO right then) or slow
 * down the responses to some requests. Headers pass unchanged, so signatures
 * stay valid. A request that cannot be forwarded has its connection destroyed.
 */
export class S3Proxy {
  /** Every request received, in order. */
  readonly requests: ProxiedRequest[] = [];
  /** Awaited before each request is forwarded. */
  beforeForward?: (request: ProxiedRequest) => Promise<void> | void;
  /** Responses to matching requests are sent at about this rate. */
  throttle?: { matches: (request: ProxiedRequest) => boolean; bytesPerSecond: number };

  private readonly upstream: URL;
  private readonly sockets = new Set<Socket>();
  private readonly server = createServer((req, res) => {
    this.forward(req, res).catch(() => res.destroy());
  });

  constructor(upstreamEndpoint: string) {
    this.upstream = new URL(upstreamEndpoint);
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  get endpoint(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** Requests whose path starts with `/bucket/`. */
  requestsTo(bucket: string): ProxiedRequest[] {
    return this.requests.filter((seen) => seen.path.startsWith(`/${bucket}/`) || seen.path === `/${bucket}`);
  }

  listen(): Promise<this> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve(this));
    });
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  private async forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://proxy.invalid');
    const seen = { method: req.method ?? 'GET', path: decodeURIComponent(url.pathname), query: url.searchParams };
    this.requests.push(seen);
    await this.beforeForward?.(seen);
    const throttled = this.throttle?.matches(seen) ? this.throttle.bytesPerSecond : undefined;
    const upstream = request({
      host: this.upstream.hostname,
      port: this.upstream.port,
      method: req.method,
      path: req.url,
      headers: req.headers,
    });
    upstream.once('error', () => {
      req.socket.destroy();
    });
    upstream.once('response', (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      if (throttled === undefined) pipeline(answer, res, () => undefined);
      else pipeline(answer, new Pacer(throttled), res, () => undefined);
    });
    pipeline(req, upstream, () => undefined);
  }
}

/** Passes bytes through at about `bytesPerSecond`, in pieces of a twentieth of a second. */
class Pacer extends Transform {
  constructor(private readonly bytesPerSecond: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const piece = Math.max(1, Math.floor(this.bytesPerSecond / 20));
    const send = async () => {
      for (let offset = 0; offset < chunk.length; offset += piece) {
        const part = chunk.subarray(offset, offset + piece);
        this.push(part);
        await sleep((part.length / this.bytesPerSecond) * 1000);
      }
    };
    send().then(() => callback(), callback);
  }
}

/** Starts an S3Proxy on a free port of 127.0.0.1, forwarding to `upstreamEndpoint`. */
export function startS3Proxy(upstreamEndpoint: string): Promise<S3Proxy> {
  return new S3Proxy(upstreamEndpoint).listen();
}
