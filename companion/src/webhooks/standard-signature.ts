import { createHmac, randomBytes } from 'node:crypto';

/*
 * Standard Webhooks 1.0 (https://www.standardwebhooks.com, spec/standard-webhooks.md): the headers,
 * the `whsec_` secret form and the `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` signature.
 */

/** The message id: the event's, the same on every attempt (`evt_<event id>`), so receivers can drop repeats. */
export const STANDARD_ID_HEADER = 'webhook-id';
/** The signing time, Unix seconds. */
export const STANDARD_TIMESTAMP_HEADER = 'webhook-timestamp';
/** Space-separated `v1,<base64>` signatures: one per secret in use (two during a rotation). */
export const STANDARD_SIGNATURE_HEADER = 'webhook-signature';

const PREFIX = 'whsec_';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Why `secret` is not a Standard Webhooks secret, or undefined when it is one. */
export function standardSecretProblem(secret: string): string | undefined {
  const encoded = secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : undefined;
  if (encoded === undefined || encoded.length % 4 !== 0 || !BASE64.test(encoded)) return 'must be "whsec_" and the base64 of 24 to 64 random bytes (node -p "\'whsec_\' + crypto.randomBytes(32).toString(\'base64\')")';
  const bytes = Buffer.from(encoded, 'base64').length;
  if (bytes < 24 || bytes > 64) return `must be "whsec_" and the base64 of 24 to 64 random bytes; it holds ${bytes}`;
  return undefined;
}

/** Whether a secret has the Standard Webhooks form (`whsec_…`), well made or not. */
export function isStandardSecretLike(secret: string): boolean {
  return secret.startsWith(PREFIX);
}

/** A new `whsec_` secret: 32 random bytes. */
export function newStandardSecret(): string {
  return `${PREFIX}${randomBytes(32).toString('base64')}`;
}

const keys = new Map<string, Buffer>();

/**
 * The HMAC key of a secret: the bytes after `whsec_`, base64-decoded (a secret without the prefix is
 * taken as the base64 alone, as the spec's libraries do). Remembered: the same few secrets sign every delivery.
 */
export function standardKey(secret: string): Buffer {
  let key = keys.get(secret);
  if (key === undefined) {
    key = Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, 'base64');
    if (keys.size >= 1024) keys.clear();
    keys.set(secret, key);
  }
  return key;
}

/** `v1,<base64 HMAC-SHA256 of "${id}.${timestamp}.${rawBody}">` with the secret's key. */
export function signStandardWebhook(secret: string, id: string, timestamp: number | string, rawBody: string | Uint8Array): string {
  return `v1,${createHmac('sha256', standardKey(secret)).update(`${id}.${timestamp}.`).update(rawBody).digest('base64')}`;
}

/** The webhook-id of an event. */
export function standardMessageId(eventId: number): string {
  return `evt_${eventId}`;
}
