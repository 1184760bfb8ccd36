import { createServer } from 'node:net';

export const LOOPBACK = '127.0.0.1';

/**
 * A TCP port on 127.0.0.1 that was free a moment ago. Another process may
 * take it before ours binds it; callers that start servers report a failed
 * bind clearly rather than retrying blindly.
 */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('the OS assigned no port'))));
    });
  });
}

/** Whether nothing listens on 127.0.0.1:`port` right now. */
export async function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, LOOPBACK, () => server.close(() => resolve(true)));
  });
}

/** `port` when it is free; otherwise a free port if `fallback`, else an Error naming the port and its use. */
export async function choosePort(port: number | undefined, use: string, fallback: boolean): Promise<number> {
  if (port === undefined) return freePort();
  if (await isPortFree(port)) return port;
  if (fallback) return freePort();
  throw new Error(`cannot start ${use}: port ${LOOPBACK}:${port} is already in use`);
}
