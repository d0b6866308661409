import { SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from './signature.ts';
import { signStandardWebhook, standardMessageId, STANDARD_ID_HEADER, STANDARD_SIGNATURE_HEADER, STANDARD_TIMESTAMP_HEADER } from './standard-signature.ts';

/** How a webhook URL's deliveries are signed: `fs` (FS-Timestamp, FS-Signature) or `standard` (Standard Webhooks 1.0). */
export type SigningScheme = 'fs' | 'standard';

export const SIGNING_SCHEMES = ['fs', 'standard'] as const satisfies readonly SigningScheme[];

/** What one attempt signs with: the scheme and the secrets in use, the current one first. */
export interface WebhookSigning {
  scheme: SigningScheme;
  /** One secret, or two during a rotation (the new, then the old): one signature each, space-separated. */
  secrets: readonly string[];
}

/** The signature headers of one attempt at `timestamp` (Unix seconds). */
export function signatureHeaders({ scheme, secrets }: WebhookSigning, eventId: number, timestamp: number, body: string): Record<string, string> {
  if (scheme === 'standard') {
    const id = standardMessageId(eventId);
    return {
      [STANDARD_ID_HEADER]: id,
      [STANDARD_TIMESTAMP_HEADER]: String(timestamp),
      [STANDARD_SIGNATURE_HEADER]: secrets.map((secret) => signStandardWebhook(secret, id, timestamp, body)).join(' '),
    };
  }
  // One secret gives one hex value, as receivers written before rotation expect.
  return { [TIMESTAMP_HEADER]: String(timestamp), [SIGNATURE_HEADER]: secrets.map((secret) => signWebhook(secret, timestamp, body)).join(' ') };
}
