import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** How a delivery is sent: POST `body` to `url`; resolves with the answer's status once it has arrived. */
export type WebhookSender = (url: string, init: { headers: Record<string, string>; body: string; signal: AbortSignal }) => Promise<{ status: number; statusText?: string }>;

const MAX_DRAINED = 64 * 1024;

/**
 * The default sender: node:http(s) with keep-alive connections (several times the deliveries per second
 * of `fetch` on loopback). Redirects are not followed (a 3xx is a failed attempt). Up to 64 KiB of the
 * answer is read so the connection can be reused; a longer answer closes it.
 */
export function httpSender({ maxSocketsPerUrl = 16 }: { maxSocketsPerUrl?: number } = {}): WebhookSender {
  // One pool per webhook URL, not per host: two URLs on one host must not wait for each other's sockets.
  const agents = new Map<string, HttpAgent>();
  const agentFor = (url: string, secure: boolean): HttpAgent => {
    let agent = agents.get(url);
    if (!agent) agents.set(url, (agent = secure ? new HttpsAgent({ keepAlive: true, maxSockets: maxSocketsPerUrl }) : new HttpAgent({ keepAlive: true, maxSockets: maxSocketsPerUrl })));
    return agent;
  };
  return (url, { headers, body, signal }) =>
    new Promise((resolve, reject) => {
      const target = new URL(url);
      const secure = target.protocol === 'https:';
      const payload = Buffer.from(body, 'utf8');
      const request = (secure ? httpsRequest : httpRequest)(
        target,
        { method: 'POST', agent: agentFor(url, secure), headers: { ...headers, 'Content-Length': String(payload.length) }, signal },
        (response: IncomingMessage) => {
          resolve({ status: response.statusCode ?? 0, statusText: response.statusMessage ?? '' });
          let read = 0;
          response.on('data', (chunk: Buffer) => {
            read += chunk.length;
            if (read > MAX_DRAINED) response.destroy();
          });
          response.on('error', () => undefined);
        },
      );
      request.once('error', (error) => reject(signal.aborted ? (signal.reason as Error) : error));
      request.end(payload);
    });
}
