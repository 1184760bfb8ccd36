import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream';

export interface FileServer {
  /** URL of the file served at `path`. */
  url(path: string): string;
  close(): Promise<void>;
}

/**
 * A local HTTP server standing in for the registry: each path maps to a file,
 * streamed from disk with its Content-Length and no validators (so every fetch
 * is a full download). Listens on 127.0.0.1 only.
 */
export async function serveFiles(files: Record<string, string>): Promise<FileServer> {
  const server = createServer((request, response) => {
    const file = files[new URL(request.url ?? '/', 'http://bench.invalid').pathname];
    if (file === undefined || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404, { 'Content-Length': '0' }).end();
      return;
    }
    stat(file).then(
      (info) => {
        response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(info.size) });
        if (request.method === 'HEAD') response.end();
        else pipeline(createReadStream(file, { highWaterMark: 1 << 20 }), response, () => undefined);
      },
      () => response.writeHead(500, { 'Content-Length': '0' }).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
