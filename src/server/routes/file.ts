import { Hono } from 'hono';
import type { Companion } from '../context.ts';

/** GET/HEAD /api/file/:handle and /metadata: the distributable link, public. */
export function fileRoutes(_companion: Companion): Hono {
  return new Hono();
}
