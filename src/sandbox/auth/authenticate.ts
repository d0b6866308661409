import type { MiddlewareHandler } from 'hono';
import { alfrescoError } from '../errors.ts';
import { findUser, type SandboxUser } from '../users.ts';
import type { Tickets } from './tickets.ts';

/** Checks a Bearer token from the identity service; undefined when it is not (or no longer) valid. */
export type TokenVerifier = (token: string) => Promise<{ userId: string } | undefined>;

export type AuthEnv = { Variables: { user: SandboxUser; ticket: string | undefined } };

export interface Credentials {
  tickets: Tickets;
  verifyToken: TokenVerifier;
}

/**
 * Who is calling, the ways a real repository accepts: `alf_ticket` in the URL (checked first), then the
 * Authorization header with Basic user:password, Basic with a ticket (`ROLE_TICKET:t`, `:t` or just `t`),
 * or a Bearer token from the identity service.
 */
export function requireUser({ tickets, verifyToken }: Credentials): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const queryTicket = c.req.query('alf_ticket') ?? c.req.query('ticket');
    const found = queryTicket
      ? ticketUser(tickets, queryTicket)
      : await headerUser(c.req.header('Authorization'), tickets, verifyToken);
    if (!found) {
      return alfrescoError(c, 401, 'framework.exception.ApiDefault', 'Authentication failed for Web Script org/alfresco/api/ResourceWebScript.get');
    }
    c.set('user', found.user);
    c.set('ticket', found.ticket);
    await next();
  };
}

type Found = { user: SandboxUser; ticket: string | undefined } | undefined;

function ticketUser(tickets: Tickets, ticket: string): Found {
  const user = findUser(tickets.validate(ticket) ?? '');
  return user && { user, ticket };
}

async function headerUser(header: string | undefined, tickets: Tickets, verifyToken: TokenVerifier): Promise<Found> {
  const [scheme = '', value = ''] = (header ?? '').trim().split(/\s+/, 2);
  if (scheme.toLowerCase() === 'bearer') {
    const verified = await verifyToken(value);
    const user = verified && findUser(verified.userId);
    return user && { user, ticket: undefined };
  }
  if (scheme.toLowerCase() !== 'basic') return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const name = colon < 0 ? '' : decoded.slice(0, colon);
  // As Alfresco's Authorization class: no colon, an empty user or ROLE_TICKET means the rest is a ticket.
  if (colon < 0 || name === '' || name.toUpperCase() === 'ROLE_TICKET') return ticketUser(tickets, decoded.slice(colon + 1));
  const user = findUser(name);
  return user && user.password === decoded.slice(colon + 1) ? { user, ticket: undefined } : undefined;
}
