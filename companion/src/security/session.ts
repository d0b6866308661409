import type { Context, MiddlewareHandler } from 'hono';
import { FsError } from 'fs-picker/protocol';
import type { Grant } from '../auth/grants.ts';
import type { Companion } from '../context.ts';
import type { Provider } from '../providers/provider.ts';
import type { AppEnv } from './app-access.ts';

export type SessionEnv = AppEnv & { Variables: { grant: Grant; sessionToken: string } };

/**
 * The person behind the request: `Authorization: Bearer <session>` from the sign-in popup, for the app
 * named by the key. No session, one of another app, or (where a route is for one source) one of another
 * source is FS_ERR_NOT_CONNECTED: the picker shows Connect.
 */
export function requireSession({ sessions, grants, sources }: Companion, sourceOf?: (c: Context) => Provider): MiddlewareHandler<SessionEnv> {
  return async (c, next) => {
    const provider = sourceOf?.(c);
    const token = /^Bearer\s+(\S+)$/i.exec(c.req.header('Authorization') ?? '')?.[1];
    const grantId = token && (await sessions.grantIdOf(token, c.get('app').apiKey));
    const grant = grantId ? await grants.get(grantId) : undefined;
    if (!token || !grant || (provider && grant.source !== provider.id)) {
      const name = provider?.name ?? (grant ? sources.clientOf(grant.source) : undefined);
      throw new FsError('FS_ERR_NOT_CONNECTED', name ? `Connect to ${name} to continue.` : 'Connect to a source to continue.');
    }
    c.set('grant', grant);
    c.set('sessionToken', token);
    await next();
  };
}
