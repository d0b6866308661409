import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header with the signing time (Unix seconds); not the payload's own `timestamp`. */
export const TIMESTAMP_HEADER = 'FS-Timestamp';
/** The header with the hex HMAC-SHA256 of `timestamp + "." + rawBody`. */
export const SIGNATURE_HEADER = 'FS-Signature';

/** Hex HMAC-SHA256 of `${timestamp}.${rawBody}` with the webhook URL's secret. */
export function signWebhook(secret: string, timestamp: number | string, rawBody: string | Uint8Array): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

/** Headers as Node's `req.headers`, a Fetch `Headers`, or a plain object (any letter case). */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

export interface VerifyWebhookOptions {
  /**
   * Refuse a timestamp further than this from now (both ways), against replays; 300 by default.
   * `Infinity` turns the check off (e.g. for a recorded test vector).
   */
  toleranceSeconds?: number;
  /** The current time in Unix milliseconds; `Date.now()` by default. */
  now?: number;
}

/**
 * Checks a webhook delivery: `rawBody` is the request body exactly as received (a string or the bytes —
 * not a re-serialised JSON object), `headers` the request's headers, `secret` the webhook URL's secret.
 * True only when FS-Signature is the HMAC of FS-Timestamp and the body, compared in constant time, and the
 * timestamp is within `toleranceSeconds` of now.
 */
export function verifyWebhook(rawBody: string | Uint8Array, headers: WebhookHeaders, secret: string, { toleranceSeconds = 300, now = Date.now() }: VerifyWebhookOptions = {}): boolean {
  const timestamp = header(headers, TIMESTAMP_HEADER);
  const signature = header(headers, SIGNATURE_HEADER);
  if (timestamp === undefined || signature === undefined || !/^\d{1,15}$/.test(timestamp) || !/^[0-9a-f]{64}$/i.test(signature)) return false;
  if (Math.abs(now / 1000 - Number(timestamp)) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, rawBody), 'hex');
  return timingSafeEqual(expected, Buffer.from(signature, 'hex'));
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(headers as Record<string, string | string[] | undefined>)) {
    if (key.toLowerCase() === lower) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}
