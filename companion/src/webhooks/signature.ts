import { createHmac, timingSafeEqual } from 'node:crypto';
import { signStandardWebhook, STANDARD_ID_HEADER, STANDARD_SIGNATURE_HEADER, STANDARD_TIMESTAMP_HEADER } from './standard-signature.ts';

/** The header with the signing time (Unix seconds); not the payload's own `timestamp`. */
export const TIMESTAMP_HEADER = 'FS-Timestamp';
/** The header with the hex HMAC-SHA256 of `timestamp + "." + rawBody` (two, space-separated, while a secret is rotated). */
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
 * not a re-serialised JSON object), `headers` the request's headers, `secret` the webhook URL's secret
 * (or several: any one may match, e.g. while a receiver moves to a rotated secret).
 *
 * The scheme comes from the headers: with `webhook-signature` it is Standard Webhooks 1.0 (`webhook-id`,
 * `webhook-timestamp`, `v1,<base64>` signatures keyed with a `whsec_` secret), otherwise FS-Timestamp and
 * FS-Signature (hex). Either header may carry several space-separated signatures (the companion sends
 * two while a secret is being rotated); one match is enough. True only when a signature matches,
 * compared in constant time, and the timestamp is within `toleranceSeconds` of now.
 */
export function verifyWebhook(rawBody: string | Uint8Array, headers: WebhookHeaders, secret: string | readonly string[], { toleranceSeconds = 300, now = Date.now() }: VerifyWebhookOptions = {}): boolean {
  const secrets = typeof secret === 'string' ? [secret] : secret;
  const standard = header(headers, STANDARD_SIGNATURE_HEADER);
  const timestamp = header(headers, standard === undefined ? TIMESTAMP_HEADER : STANDARD_TIMESTAMP_HEADER);
  if (timestamp === undefined || !/^\d{1,15}$/.test(timestamp)) return false;
  if (Math.abs(now / 1000 - Number(timestamp)) > toleranceSeconds) return false;
  if (standard !== undefined) {
    const id = header(headers, STANDARD_ID_HEADER);
    if (id === undefined || id === '') return false;
    const given = signatureList(standard, /^v1,([A-Za-z0-9+/]{43}=)$/, 'base64');
    return anyMatches(given, secrets.map((key) => Buffer.from(signStandardWebhook(key, id, timestamp, rawBody).slice(3), 'base64')));
  }
  const signature = header(headers, SIGNATURE_HEADER);
  if (signature === undefined) return false;
  const given = signatureList(signature, /^([0-9a-f]{64})$/i, 'hex');
  return anyMatches(given, secrets.map((key) => Buffer.from(signWebhook(key, timestamp, rawBody), 'hex')));
}

/** The space-separated signatures of a header that have the expected form, decoded; others are ignored (as the spec says). */
function signatureList(value: string, form: RegExp, encoding: 'hex' | 'base64'): Buffer[] {
  return value
    .split(' ')
    .map((part) => form.exec(part)?.[1])
    .filter((part) => part !== undefined)
    .map((part) => Buffer.from(part, encoding));
}

function anyMatches(given: Buffer[], expected: Buffer[]): boolean {
  let matched = false;
  // Every pair is compared: how long it takes says nothing about which one matched.
  for (const signature of given) for (const wanted of expected) if (signature.length === wanted.length && timingSafeEqual(signature, wanted)) matched = true;
  return matched;
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(headers as Record<string, string | string[] | undefined>)) {
    if (key.toLowerCase() === lower) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}
