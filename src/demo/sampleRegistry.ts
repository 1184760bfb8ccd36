import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/** The bundled sample: real NCR records in the registry's exact payload shape. */
export const SAMPLE_PAYLOAD = join(__dirname, '..', '..', 'assets', 'ncr-public-sample.json');

export interface SampleRegistry {
  url: string;
  close(): Promise<void>;
}

/** Serves the bundled sample on 127.0.0.1 as the registry's JSON endpoint, so the demo runs offline. */
export async function startSampleRegistry(payloadPath = SAMPLE_PAYLOAD): Promise<SampleRegistry> {
  const { size, mtime } = await stat(payloadPath);
  const path = '/api/retrieve/registry/format/json';
  const server: Server = createServer((request, response) => {
    if (request.url !== path) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, {
      'content-type': 'application/json',
      'content-length': size,
      'last-modified': mtime.toUTCString(),
    });
    if (request.method === 'HEAD') response.end();
    else createReadStream(payloadPath).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
