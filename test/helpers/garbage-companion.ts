import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/*
 * A companion that answers garbage, for the browser tests (web-test-runner.config.mjs starts it; a page
 * cannot start servers). A test queues the answers for an API key of its own, then points a picker at
 * `url` with that key: each call carrying the key gets the next answer, in order, so runs never share
 * answers. CORS headers let the page read every answer, as it would from a misbehaving companion of the
 * page's allowed origin.
 */

/** One answer: a status with a body, or a way to break the connection. */
export interface GarbageAnswer {
  status: number;
  /** No header when empty. */
  contentType: string;
  body: string;
  /**
   * `truncated`: announces more bytes than it sends, then drops the connection; `huge`: the body repeated
   * to about `hugeBytes`; `dropped`: the connection closes before any answer.
   */
  shape?: 'whole' | 'truncated' | 'huge' | 'dropped';
  hugeBytes?: number;
}

/** What an unscripted call gets (a late or extra call of the element). */
const FALLBACK: GarbageAnswer = { status: 502, contentType: 'text/html', body: '<html><body>Bad gateway</body></html>' };

export interface GarbageCompanion {
  url: string;
  /** Queues `answers` for calls with `?key=<apiKey>`; returns how many calls that key has had so far. */
  script(apiKey: string, answers: GarbageAnswer[]): number;
  stop(): Promise<void>;
}

export async function startGarbageCompanion(): Promise<GarbageCompanion> {
  const queues = new Map<string, GarbageAnswer[]>();
  const calls = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    request.resume();
    allowCors(request, response);
    if (request.method === 'OPTIONS') return void response.writeHead(204).end();
    const key = new URL(request.url ?? '/', 'http://garbage').searchParams.get('key') ?? '';
    calls.set(key, (calls.get(key) ?? 0) + 1);
    answer(response, queues.get(key)?.shift() ?? FALLBACK);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    script(apiKey, answers) {
      queues.set(apiKey, [...answers]);
      return calls.get(apiKey) ?? 0;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function allowCors(request: IncomingMessage, response: ServerResponse): void {
  response.setHeader('Access-Control-Allow-Origin', request.headers.origin ?? '*');
  response.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE, OPTIONS');
  response.setHeader('Access-Control-Allow-Headers', request.headers['access-control-request-headers'] ?? '*');
  response.setHeader('Access-Control-Expose-Headers', '*');
}

function answer(response: ServerResponse, { status, contentType, body, shape = 'whole', hugeBytes = 4 << 20 }: GarbageAnswer): void {
  if (shape === 'dropped') return void response.socket?.destroy();
  const headers: Record<string, string> = contentType ? { 'Content-Type': contentType } : {};
  // 204 and 304 carry no body, whatever the script says.
  const bodyless = status === 204 || status === 304;
  const bytes = bodyless ? Buffer.alloc(0) : shape === 'huge' ? Buffer.from((body || 'x').repeat(Math.ceil(hugeBytes / Math.max(1, body.length)))) : Buffer.from(body);
  if (shape === 'truncated' && !bodyless) {
    response.writeHead(status, { ...headers, 'Content-Length': String(bytes.length + 1000) });
    response.write(bytes.subarray(0, Math.floor(bytes.length / 2)));
    // Give the half a chance to leave, then break the connection mid-body.
    return void setImmediate(() => response.socket?.destroy());
  }
  response.writeHead(status, { ...headers, 'Content-Length': String(bytes.length) }).end(bytes);
}
