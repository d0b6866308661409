import { Outbound } from '../outbound/index.ts';

/** How a delivery is sent: POST `body` to `url`; resolves with the answer's status once it has arrived. */
export type WebhookSender = (url: string, init: { headers: Record<string, string>; body: string; signal: AbortSignal }) => Promise<{ status: number; statusText?: string }>;

/** The default sender, with what ends its connections. */
export type OutboundSender = WebhookSender & { close(): Promise<void> };

const MAX_DRAINED = 64 * 1024;

/**
 * The default sender: POSTs through the outbound, on keep-alive connections (several times the
 * deliveries per second of `fetch` on loopback), one pool per webhook URL, not per host: two URLs on
 * one host must not wait for each other's sockets. Redirects are not followed (a 3xx is a failed
 * attempt). Up to 64 KiB of the answer is read so the connection can be reused; a longer answer closes it.
 *
 * Every delivery passes the SSRF checks first (outbound/targets.ts; its DNS may have changed since the
 * portal saved the URL): private addresses only with `allowPrivate` (the operator's
 * `outbound.allowPrivateTargets`), link-local, metadata and the companion's own ports never; the
 * connection goes to the address checked. A refused URL rejects with FS_ERR_URL_REFUSED.
 *
 * Given the companion's outbound, `close()` leaves it to its owner; without one the sender makes its
 * own, which `close()` (Webhooks.stop) closes and the next delivery makes again.
 */
export function httpSender({ maxSocketsPerUrl = 16, outbound, allowPrivate = false }: { maxSocketsPerUrl?: number; outbound?: Outbound; allowPrivate?: boolean } = {}): OutboundSender {
  let own: Outbound | undefined;
  const send: WebhookSender = async (url, { headers, body, signal }) => {
    const target = new URL(url);
    const payload = Buffer.from(body, 'utf8');
    const via = outbound ?? (own ??= new Outbound());
    const [address] = await via.checkTarget(target, { allowPrivate, purpose: 'connect', signal });
    const exchange = via.request(target, { method: 'POST', headers: { ...headers, 'Content-Length': String(payload.length) }, signal, pool: { key: url, maxSockets: maxSocketsPerUrl }, address });
    exchange.request.end(payload);
    const response = await exchange.response;
    let read = 0;
    response.on('data', (chunk: Buffer) => {
      read += chunk.length;
      if (read > MAX_DRAINED) response.destroy();
    });
    response.on('error', () => undefined);
    return { status: response.statusCode ?? 0, statusText: response.statusMessage ?? '' };
  };
  return Object.assign(send, {
    close: async () => {
      const closing = own;
      own = undefined;
      await closing?.close();
    },
  });
}
