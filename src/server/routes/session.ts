import { Hono } from 'hono';
import type { Companion } from '../context.ts';

/** who am I (GET) and sign out (DELETE) at /api/session. */
export function sessionRoutes(_companion: Companion): Hono {
  return new Hono();
}
