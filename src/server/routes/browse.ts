import { Hono } from 'hono';
import type { Companion } from '../context.ts';

/** locations, folder listings, search and thumbnails at /api/alfresco. */
export function browseRoutes(_companion: Companion): Hono {
  return new Hono();
}
