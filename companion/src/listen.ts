import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';

export interface Listening {
  /** The base URL, e.g. http://127.0.0.1:3020 (no trailing slash). */
  url: string;
  port: number;
  close: () => Promise<void>;
}

interface FetchApp {
  fetch: (request: Request) => Response | Promise<Response>;
}

/** Serves a fetch-style app on host:port (0 picks a free port) and resolves once it is listening. */
export function listen(app: FetchApp, { host = '127.0.0.1', port = 0 }: { host?: string; port?: number } = {}): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: host, port }, (info: AddressInfo) => {
      resolve({
        url: `http://${host.includes(':') ? `[${host}]` : host}:${info.port}`,
        port: info.port,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()));
            // Keep-alive connections would hold close() open until they time out.
            if ('closeAllConnections' in server) server.closeAllConnections();
          }),
      });
    });
    server.once('error', reject);
  });
}
