import type { WebhookAction } from 'fs-picker/protocol';
import type { DueDelivery } from './due-deliveries.ts';
import { eventBody } from './events.ts';
import type { WebhookSender } from './send.ts';
import { SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from './signature.ts';

/** How one attempt went. Times are Unix milliseconds. */
export interface AttemptResult {
  ok: boolean;
  status: number | null;
  error: string | null;
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
  /** The signing secret from the delivery's sealed one. */
  openSecret: (sealed: string) => string;
}

/**
 * Sends one delivery: POST the event's JSON, signed with `FS-Timestamp` and `FS-Signature`. Never
 * throws: a refusal, a non-2xx answer or no answer within `timeoutMs` is a failed attempt with its
 * reason; `stopping` aborting it makes a `stopped` result (no attempt at all).
 */
export async function attemptDelivery(delivery: DueDelivery, stopping: AbortSignal, { send, timeoutMs, now, openSecret }: AttemptOptions): Promise<AttemptResult> {
  const startedAt = now();
  const began = performance.now();
  const done = (ok: boolean, status: number | null, error: string | null): AttemptResult => ({ ok, status, error, startedAt, durationMs: Math.round(performance.now() - began), stopped: false });
  try {
    const body = eventBody(delivery.event_id, delivery.action as WebhookAction, Number(delivery.timestamp), delivery.text);
    const timestamp = Math.floor(startedAt / 1000);
    const signal = AbortSignal.any([AbortSignal.timeout(timeoutMs), stopping]);
    const response = await send(delivery.url, {
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'fs-picker-webhooks/1',
        [TIMESTAMP_HEADER]: String(timestamp),
        [SIGNATURE_HEADER]: signWebhook(openSecret(delivery.secret_sealed), timestamp, body),
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
    return done(false, null, cause?.code ?? cause?.message ?? (error as Error).message);
  }
}
