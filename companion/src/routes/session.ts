import { Hono } from 'hono';
import { AppRegistry } from '../apps/registry.ts';
import { describeOAuthError } from '../auth/oauth-errors.ts';
import type { Companion } from '../context.ts';
import { requireSession, type SessionEnv } from '../security/session.ts';

/**
 * `GET /api/session`: who is connected, asked of the session's source with its grant, so an expired
 * token is refreshed on the way and a grant the source no longer honours is FS_ERR_RECONNECT.
 * `DELETE /api/session`: signs out: ends what the source lets us end, then deletes the grant (and with
 * it every session on it) → 204.
 */
export function sessionRoutes(companion: Companion): Hono<SessionEnv> {
  const { logger } = companion;
  const apps = AppRegistry.of(companion.db);
  return new Hono<SessionEnv>()
    .use(requireSession(companion))
    .get('/', async (c) => {
      const grant = c.get('grant');
      const user = await companion.sources.of(grant.source).whoAmI({ grant, signal: c.req.raw.signal });
      c.header('Cache-Control', 'no-store');
      return c.json({ user, source: grant.source });
    })
    .delete('/', async (c) => {
      const grant = c.get('grant');
      const app = apps.get(grant.appKey);
      try {
        if (app) await companion.sources.of(grant.source).signOut(app, grant);
      } catch (error) {
        // Signing out here must not depend on the source answering: the grant goes either way.
        logger.warn({ app: grant.appKey, source: grant.source, kind: grant.kind, failure: describeOAuthError(error) }, 'could not end the grant at the source at sign-out');
      }
      await companion.grants.delete(grant.id);
      return c.body(null, 204);
    });
}
