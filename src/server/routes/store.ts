import { Hono } from 'hono';
import type { Companion } from '../context.ts';

/** POST /api/store and /api/store-url: copies into a storage location. */
export function storeRoutes(_companion: Companion): Hono {
  return new Hono();
}
