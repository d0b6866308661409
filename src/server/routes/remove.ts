import { Hono } from 'hono';
import type { Companion } from '../context.ts';

/** DELETE /api/file/:handle: drops the handle and any stored copy. */
export function removeRoutes(_companion: Companion): Hono {
  return new Hono();
}
