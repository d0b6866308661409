import type { AppRegistry, RegisteredWebhook } from '../apps/registry.ts';
import type { WebhookSigning } from './signing-headers.ts';
import { isStandardSecretLike } from './standard-signature.ts';

/**
 * What an attempt signs with, chosen when it is made: a retry 12 hours after a rotation carries the
 * URL's secrets of now (the new one, and the old one while its grace lasts), not those of when the
 * event was written. The delivery row keeps the secret it was written with (`secret_sealed`); the
 * registry's copy in memory finds the webhook by URL and that secret (current or previous), so this
 * costs no query. A delivery whose webhook is gone, or was rotated twice since, signs with the secret
 * it was written with, in the scheme that secret's form names (the configuration refuses a whsec_
 * secret on an "fs" URL, and a scheme change gives a new secret).
 */
export function signingAt(registry: AppRegistry | undefined, url: string, writtenWith: string, now: number): WebhookSigning {
  const hook = registry?.webhookSignedWith(url, writtenWith);
  if (!hook) return { scheme: isStandardSecretLike(writtenWith) ? 'standard' : 'fs', secrets: [writtenWith] };
  return { scheme: hook.signing, secrets: secretsOf(hook, now) };
}

/** The secrets a webhook signs with at `now`: the current one, and the previous one until its time ends. */
export function secretsOf(hook: Pick<RegisteredWebhook, 'secret' | 'previousSecret' | 'previousSecretUntil'>, now: number): string[] {
  return hook.previousSecret !== undefined && hook.previousSecretUntil !== undefined && now < hook.previousSecretUntil ? [hook.secret, hook.previousSecret] : [hook.secret];
}
