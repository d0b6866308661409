import type { MiddlewareHandler } from 'hono';
import { FsError } from 'fs-picker/protocol';
import type { Grant } from '../auth/grants.ts';
import type { Companion } from '../context.ts';
import type { AppEnv } from './app-access.ts';

export type SessionEnv = AppEnv & { Variables: { grant: Grant; sessionToken: string } };

/**
 * The person behind the request: `Authorization: Bearer <session>` from the sign-in popup, for the app
 * named by the key. No session, or one of another app, is FS_ERR_NOT_CONNECTED (the picker shows Connect).
 */
export function requireSession({ sessions, grants }: Companion): MiddlewareHandler<SessionEnv> {
  return async (c, next) => {
    const token = /^Bearer\s+(\S+)$/i.exec(c.req.header('Authorization') ?? '')?.[1];
    const grantId = token && (await sessions.grantIdOf(token, c.get('app').apiKey));
    const grant = grantId ? await grants.get(grantId) : undefined;
    if (!token || !grant) throw new FsError('FS_ERR_NOT_CONNECTED', 'Connect to Alfresco to continue.');
    c.set('grant', grant);
    c.set('sessionToken', token);
    await next();
  };
}
