import type { WebhookAction } from 'fs-picker/protocol';
import type { DueDelivery } from './due-deliveries.ts';
import { eventBody } from './events.ts';
import type { WebhookSender } from './send.ts';
import { signatureHeaders, type WebhookSigning } from './signing-headers.ts';

/** How one attempt went. Times are Unix milliseconds. */
export interface AttemptResult {
  ok: boolean;
  status: number | null;
  /** What the delivery log records and the portal shows (see {@link attemptDelivery}). */
  error: string | null;
  /** What really went wrong, for the operator's log only; never recorded or shown. */
  detail?: string;
  startedAt: number;
  durationMs: number;
  /** The worker was stopped during the attempt. */
  stopped: boolean;
}

export interface AttemptOptions {
  send: WebhookSender;
  /** A 2xx within this many milliseconds is success. */
  timeoutMs: number;
  now: () => number;
  /** How this attempt is signed: the scheme and the URL's secrets at `at` (see signing-keys.ts). */
  signing: (delivery: DueDelivery, at: number) => WebhookSigning;
  /** The event's text as JSON, from what the outbox stored. */
  openText: (stored: string) => string;
}

/** What the log says of a receiver that could not be reached, whatever the reason. */
export const COULD_NOT_DELIVER = 'could not deliver';

/**
 * Sends one delivery: POST the event's JSON, signed in the URL's scheme (FS-Signature or Standard
 * Webhooks) with the secrets it has at the attempt. Never
 * throws: a failure is a failed attempt with its reason; `stopping` aborting it makes a `stopped`
 * result (no attempt at all).
 *
 * The reason recorded (and shown in the portal's delivery log) is one of: the receiver's answer
 * ("answered 500 Internal Server Error"), "no answer within 10 s", or "could not deliver" for
 * everything else: a URL the SSRF checks refuse, a host that does not resolve, a connection refused
 * or reset, TLS failing, an answer that is not HTTP. Those are one message on purpose: told apart, they
 * would make the delivery log a port scanner (closed port, refused address, non-HTTP service). The
 * operator's log gets the real reason (`detail`).
 */
export async function attemptDelivery(delivery: DueDelivery, stopping: AbortSignal, { send, timeoutMs, now, signing, openText }: AttemptOptions): Promise<AttemptResult> {
  const startedAt = now();
  const began = performance.now();
  const done = (ok: boolean, status: number | null, error: string | null, detail?: string): AttemptResult => ({
    ok,
    status,
    error,
    ...(detail === undefined ? {} : { detail }),
    startedAt,
    durationMs: Math.round(performance.now() - began),
    stopped: false,
  });
  try {
    const body = eventBody(delivery.event_id, delivery.action as WebhookAction, Number(delivery.timestamp), openText(delivery.text));
    const timestamp = Math.floor(startedAt / 1000);
    const signal = AbortSignal.any([AbortSignal.timeout(timeoutMs), stopping]);
    const response = await send(delivery.url, {
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'fs-picker-webhooks/1',
        ...signatureHeaders(signing(delivery, startedAt), delivery.event_id, timestamp, body),
      },
      body,
      signal,
    });
    if (response.status >= 200 && response.status <= 299) return done(true, response.status, null);
    return done(false, response.status, `answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
  } catch (error) {
    if (stopping.aborted) return { ...done(false, null, 'the companion stopped'), stopped: true };
    const name = (error as Error).name;
    if (name === 'TimeoutError') return done(false, null, `no answer within ${timeoutMs / 1000} s`);
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const detail = [(error as Error).message, cause?.code ?? cause?.message].filter(Boolean).join(': ');
    return done(false, null, COULD_NOT_DELIVER, detail);
  }
}
