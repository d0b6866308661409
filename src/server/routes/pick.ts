import { Hono } from 'hono';
import type { Companion } from '../context.ts';

/** POST /api/pick: handles and Blob records for chosen nodes, folders expanded. */
export function pickRoutes(_companion: Companion): Hono {
  return new Hono();
}
