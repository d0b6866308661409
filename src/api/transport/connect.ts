import type { RepositoryId } from '../../protocol/services.ts';
import type { CompanionClient } from './client.ts';

/**
 * The companion's sign-in page for a repository, opened in the popup (`GET /auth/<source>/start`): when
 * the person is signed in, it hands the session to `origin` by postMessage, with `nonce` to match.
 */
export function signInUrl(client: CompanionClient, { source, origin, nonce }: { source: RepositoryId; origin: string; nonce: string }): URL {
  return client.url(`/auth/${source.toLowerCase()}/start`, { origin, nonce });
}
