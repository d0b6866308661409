import { Hono } from 'hono';
import type { Companion } from '../context.ts';

/** the sign-in popup: /auth/alfresco/start, /callback, the ticket form. */
export function authRoutes(_companion: Companion): Hono {
  return new Hono();
}
