import type { Agent, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import type { NodeExchange } from './node-http.ts';

/** How the fetch below reaches node:http: through the instance's pools, with its in-flight tracking. */
export type Send = (url: URL, init: { method: string; headers: OutgoingHttpHeaders; signal?: AbortSignal; agent: Agent }) => NodeExchange;

/** RequestInit, taking any Uint8Array as a body (openid-client's CustomFetch types one over any ArrayBuffer). */
export type FetchInit = Omit<RequestInit, 'body'> & { body?: RequestInit['body'] | Uint8Array };

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 20;
/** Statuses whose answers have no body (a Response refuses one). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/**
 * `fetch` over node:http, with the instance's pools and limits, keeping fetch's contract so that a
 * library taking a fetch (openid-client's `customFetch`) can be given it: a network failure is
 * `TypeError('fetch failed', { cause })`, an aborted signal rejects with its reason, every status is
 * an answer, and redirects are followed (20 at most, Authorization dropped on leaving the origin)
 * unless `redirect` says otherwise. A request body is read whole before it is sent: these are API
 * calls; streamed bodies go through `Outbound.request`. No compression is asked for.
 */
export async function fetchOverNode(send: Send, agentFor: (url: URL) => Agent, input: string | URL, init: FetchInit = {}): Promise<Response> {
  // A Request does the normalising: header lists, a body of any kind and its Content-Type.
  const normal = new Request(input, { ...init, body: init.body as BodyInit | null | undefined, signal: null });
  let url = new URL(normal.url);
  let method = normal.method;
  let body: Buffer | undefined = normal.body ? Buffer.from(await normal.arrayBuffer()) : undefined;
  const headers = Object.fromEntries(normal.headers) as Record<string, string>;
  const signal = init.signal ?? undefined;
  for (let hop = 0; ; hop++) {
    const message = await exchange(send, url, { method, headers: body ? { ...headers, 'content-length': String(body.length) } : headers, signal, agent: agentFor(url) }, body);
    const status = message.statusCode ?? 0;
    const location = message.headers.location;
    if (!REDIRECTS.has(status) || location === undefined || normal.redirect === 'manual') return toResponse(message, url, method);
    message.resume();
    if (normal.redirect === 'error' || hop >= MAX_REDIRECTS) throw new TypeError('fetch failed', { cause: new Error(`${url.origin} redirected ${hop >= MAX_REDIRECTS ? `more than ${MAX_REDIRECTS} times` : 'where no redirect was allowed'}`) });
    const next = new URL(location, url);
    if (next.origin !== url.origin) delete headers.authorization;
    // As fetch does: 303, and 301/302 after a POST, become a GET without a body.
    if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) {
      if (method !== 'HEAD') method = 'GET';
      body = undefined;
      delete headers['content-type'];
    }
    url = next;
  }
}

async function exchange(send: Send, url: URL, init: Parameters<Send>[1], body: Buffer | undefined): Promise<IncomingMessage> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError('fetch failed', { cause: new Error(`${url.protocol} is not http: or https:`) });
  if (init.signal?.aborted) throw init.signal.reason;
  try {
    const { request, response } = send(url, init);
    request.end(body);
    return await response;
  } catch (error) {
    if (init.signal?.aborted) throw error;
    throw new TypeError('fetch failed', { cause: error });
  }
}

/** The answer as a web Response; its body stays a stream (and errors as the message does). */
function toResponse(message: IncomingMessage, url: URL, method: string): Response {
  const status = message.statusCode ?? 0;
  const headers = new Headers();
  const raw = message.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  const empty = method === 'HEAD' || NULL_BODY.has(status);
  if (empty) message.resume();
  let response: Response;
  try {
    response = new Response(empty ? null : (Readable.toWeb(message) as ReadableStream<Uint8Array>), { status, statusText: message.statusMessage ?? '', headers });
  } catch (error) {
    // A status a Response cannot hold (below 200 or above 599) is no HTTP answer.
    message.destroy();
    throw new TypeError('fetch failed', { cause: error });
  }
  Object.defineProperty(response, 'url', { value: url.href });
  return response;
}
