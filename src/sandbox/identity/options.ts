import { generateKeyPairSync, randomUUID } from 'node:crypto';
import type { ClientMetadata } from 'oidc-provider';
import type { IdentityClient } from './index.ts';

/* Checks of the identity service's options, each refusal naming the option; and its signing key. */

export function clientMetadata(client: IdentityClient): ClientMetadata {
  if (!client || typeof client.clientId !== 'string' || !client.clientId) throw new TypeError('identity: a client needs a clientId');
  if (!Array.isArray(client.redirectUris) || client.redirectUris.length === 0) {
    throw new TypeError(`identity: client ${client.clientId} needs at least one redirect URI`);
  }
  const postLogout = client.postLogoutRedirectUris ?? [];
  for (const uri of [...client.redirectUris, ...postLogout]) {
    const parsed = URL.parse(uri);
    if (!parsed || parsed.hash) throw new TypeError(`identity: client ${client.clientId}: ${JSON.stringify(uri)} is not an absolute URL without a fragment`);
  }
  if (client.clientSecret !== undefined && (typeof client.clientSecret !== 'string' || !client.clientSecret)) {
    throw new TypeError(`identity: client ${client.clientId}: clientSecret must be a non-empty string or absent`);
  }
  return {
    client_id: client.clientId,
    ...(client.clientSecret
      ? { client_secret: client.clientSecret, token_endpoint_auth_method: 'client_secret_basic' as const }
      : { token_endpoint_auth_method: 'none' as const }),
    redirect_uris: [...client.redirectUris],
    post_logout_redirect_uris: [...postLogout],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
  };
}

export function generateSigningKey() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateJwk = { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' };
  const publicKeyDer = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
  return { privateJwk, publicKeyDer };
}

export function parseIssuer(issuer: string): URL {
  const url = typeof issuer === 'string' ? URL.parse(issuer) : null;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash || issuer.endsWith('/')) {
    throw new TypeError(`identity: issuer must be an http(s) URL without a trailing slash, query or fragment, got ${JSON.stringify(issuer)}`);
  }
  return url;
}

export function ttlOption(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new TypeError(`identity: ${name} must be a whole number of seconds ≥ 1, got ${String(value)}`);
  return value;
}

