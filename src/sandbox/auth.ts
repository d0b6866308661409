import type { MiddlewareHandler } from 'hono';
import { alfrescoError } from './errors.ts';
import { USERS } from './seed.ts';

export type SandboxUser = (typeof USERS)[keyof typeof USERS];
export type AuthEnv = { Variables: { user: SandboxUser } };

/** HTTP Basic with a seeded user's name and password. Tickets and Bearer tokens come with the identity service. */
export function requireUser(): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const user = basicUser(c.req.header('Authorization'));
    if (!user) return alfrescoError(c, 401, 'framework.exception.ApiDefault', 'Authentication failed for Web Script org/alfresco/api/ResourceWebScript.get');
    c.set('user', user);
    await next();
  };
}

function basicUser(header: string | undefined): SandboxUser | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const [userId, password] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
  const user = Object.values(USERS).find((candidate) => candidate.id === userId);
  return colon > 0 && user?.password === password ? user : undefined;
}
