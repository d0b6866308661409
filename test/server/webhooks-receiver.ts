import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** Parsed body. */
  json: { id: number; action: string; timestamp: number; text: Record<string, unknown> };
  /** Date.now() when the request arrived. */
  at: number;
}

/** What a path answers: a status, after an optional delay; `hang` never answers (until close). */
export type Behaviour = { status: number; delayMs?: number } | 'hang';

export interface Receiver {
  url: string;
  received: Received[];
  /** Requests per path, in arrival order. */
  at(path: string): Received[];
  /** Sets how a path answers (200 by default). */
  set(path: string, behaviour: Behaviour): void;
  /** Resolves once `path` has received `count` requests. */
  waitFor(path: string, count: number, timeoutMs?: number): Promise<Received[]>;
  /** Any other GET answers a small file (for storeUrl). */
  close(): Promise<void>;
}

/** A webhook receiver on loopback that records every request with its raw body. */
export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  const behaviours = new Map<string, Behaviour>();
  const waiters: Array<() => void> = [];
  const hanging = new Set<ServerResponse>();
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0]!;
    if (request.method === 'GET') {
      response.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': '13' }).end('fetched bytes');
      return;
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ path, headers: request.headers, body, json: JSON.parse(body) as Received['json'], at: Date.now() });
      for (const wake of waiters.splice(0)) wake();
      const behaviour = behaviours.get(path) ?? { status: 200 };
      if (behaviour === 'hang') {
        hanging.add(response);
        return;
      }
      const answer = () => response.writeHead(behaviour.status, { 'Content-Type': 'text/plain' }).end('ok');
      if (behaviour.delayMs) setTimeout(answer, behaviour.delayMs);
      else answer();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const at = (path: string) => received.filter((entry) => entry.path === path);
  return {
    url,
    received,
    at,
    set: (path, behaviour) => behaviours.set(path, behaviour),
    async waitFor(path, count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (at(path).length < count) {
        if (Date.now() > deadline) throw new Error(`${path} received ${at(path).length} of ${count} requests`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
      return at(path);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const response of hanging) response.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
