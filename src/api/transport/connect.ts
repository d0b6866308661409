import type { CompanionClient } from './client.ts';

/**
 * The companion's sign-in page for Alfresco, opened in the popup (`GET /auth/alfresco/start`): when the
 * person is signed in, it hands the session to `origin` by postMessage, with `nonce` to match.
 */
export function signInUrl(client: CompanionClient, { origin, nonce }: { origin: string; nonce: string }): URL {
  return client.url('/auth/alfresco/start', { origin, nonce });
}
