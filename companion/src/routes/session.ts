import { Hono } from 'hono';
import { deleteTicket, userOf } from '../auth/alfresco-account.ts';
import { AppRegistry } from '../apps/registry.ts';
import { alfrescoOAuth, describeOAuthError } from '../auth/oauth.ts';
import type { Companion } from '../context.ts';
import { CORE_PATH } from '../providers/alfresco/client.ts';
import { requireSession, type SessionEnv } from '../security/session.ts';

/**
 * `GET /api/session`: who is connected, asked of Alfresco (`people/-me-`) with the session's grant, so an
 * expired token is refreshed on the way and a grant Alfresco no longer honours is FS_ERR_RECONNECT.
 * `DELETE /api/session`: signs out: revokes what Alfresco lets us revoke, then deletes the grant (and with
 * it every session on it) → 204.
 */
export function sessionRoutes(companion: Companion): Hono<SessionEnv> {
  const { config, logger } = companion;
  const apps = AppRegistry.of(companion.db);
  return new Hono<SessionEnv>()
    .use(requireSession(companion))
    .get('/', async (c) => {
      const person = await companion.alfresco.json<Parameters<typeof userOf>[0]>(c.get('grant'), `${CORE_PATH}/people/-me-`);
      c.header('Cache-Control', 'no-store');
      return c.json({ user: userOf(person), source: 'ALFRESCO' });
    })
    .delete('/', async (c) => {
      const grant = c.get('grant');
      try {
        if (grant.kind === 'ticket') {
          await deleteTicket(companion.alfresco.repositoryUrlOf(grant), grant.accessToken);
        } else {
          const app = apps.get(grant.appKey);
          const oauth = alfrescoOAuth(config, companion.publicUrl);
          if (app && oauth.signInOf(app).type !== 'ticket') await oauth.revoke(app, grant);
        }
      } catch (error) {
        // Signing out here must not depend on Alfresco answering: the grant goes either way.
        logger.warn({ app: grant.appKey, kind: grant.kind, failure: describeOAuthError(error) }, 'could not revoke the Alfresco grant at sign-out');
      }
      await companion.grants.delete(grant.id);
      return c.body(null, 204);
    });
}
