import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Listening {
  /** The base URL, e.g. http://127.0.0.1:3020 (no trailing slash). */
  url: string;
  port: number;
  /** Stops at once: open connections, keep-alive or busy, are cut (tests, and servers nobody downloads from). */
  close: () => Promise<void>;
  /**
   * Stops accepting connections at once and lets the requests in flight finish, for at most `deadlineMs`;
   * what is still open then is cut. Resolves once every connection is gone, with how many were cut.
   */
  drain: (deadlineMs: number) => Promise<{ cut: number }>;
}

interface FetchApp {
  fetch: (request: Request) => Response | Promise<Response>;
}

/** How often a draining server closes the keep-alive connections that went idle since (a request ended on them). */
const IDLE_SWEEP_MS = 100;

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
        drain: (deadlineMs) => drain(server as Server, deadlineMs),
      });
    });
    server.once('error', reject);
  });
}

async function drain(server: Server, deadlineMs: number): Promise<{ cut: number }> {
  let cut = 0;
  const closed = new Promise<void>((done) => server.close(() => done()));
  // An idle keep-alive connection carries no request: closed now, so it does not hold the deadline.
  server.closeIdleConnections();
  const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
  const deadline = setTimeout(() => {
    server.getConnections((_error, count) => {
      cut = count;
      server.closeAllConnections();
    });
  }, deadlineMs);
  try {
    await closed;
  } finally {
    clearInterval(sweep);
    clearTimeout(deadline);
  }
  return { cut };
}
