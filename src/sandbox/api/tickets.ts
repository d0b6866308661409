import { Hono } from 'hono';
import { requireUser, type AuthEnv } from '../auth/authenticate.ts';
import { findUser } from '../users.ts';
import type { SandboxState } from '../state.ts';
import { alfrescoError } from '../errors.ts';

/** The authentication API: `POST tickets` (sign in), `GET tickets/-me-` (validate), `DELETE tickets/-me-`. */
export function ticketRoutes(state: SandboxState): Hono<AuthEnv> {
  const { tickets } = state;
  return new Hono<AuthEnv>()
    .post('/tickets', async (c) => {
      // js-api also sends Basic user:password here; the body is what counts.
      const body = (await c.req.json().catch(() => ({}))) as { userId?: unknown; password?: unknown };
      if (typeof body.userId !== 'string' || typeof body.password !== 'string' || !body.userId || !body.password) {
        return alfrescoError(c, 400, 'Bad Request', 'userId and/or password are/is not provided');
      }
      const user = findUser(body.userId);
      if (!user || user.password !== body.password) return alfrescoError(c, 403, 'Login failed', 'Login failed');
      return c.json({ entry: { id: tickets.issue(user.id), userId: user.id } }, 201);
    })
    .use('/tickets/-me-', requireUser(state))
    .get('/tickets/-me-', (c) => {
      const ticket = c.get('ticket');
      // Signed in with a password, not a ticket: Alfresco has nothing to validate.
      if (!ticket) return alfrescoError(c, 400, 'framework.exception.InvalidArgument', 'Ticket base authentication required.');
      return c.json({ entry: { id: ticket } });
    })
    .delete('/tickets/-me-', (c) => {
      const ticket = c.get('ticket');
      if (ticket) tickets.revoke(ticket);
      return c.body(null, 204);
    });
}
