import type { MiddlewareHandler } from 'hono';
import { FsError, API_KEY_PARAM } from 'fs-picker/protocol';
import type { AppLookup } from '../apps/registry.ts';
import type { AppConfig } from '../config.ts';

export type AppEnv = { Variables: { app: AppConfig } };

/**
 * Finds the app named by the `key` query parameter and lets a browser in only from that app's
 * allowed origins. CORS headers are sent to those origins alone: any other page cannot read any answer.
 * Requests without an Origin (servers, curl) are not browsers and need only the key.
 */
export function appAccess(apps: readonly AppConfig[] | AppLookup): MiddlewareHandler<AppEnv> {
  // The app registry (read at each request, so the portal's changes apply at once) or a fixed list.
  const byKey: AppLookup = 'get' in apps ? apps : new Map(apps.map((app) => [app.apiKey, app]));
  return async (c, next) => {
    const key = c.req.query(API_KEY_PARAM);
    const app = byKey.get(key);
    const origin = c.req.header('Origin');
    if (!app) throw new FsError('FS_ERR_UNKNOWN_API_KEY', key ? 'No app has this API key.' : `The "${API_KEY_PARAM}" query parameter (the app's API key) is missing.`, { field: API_KEY_PARAM });
    if (origin !== undefined && !app.allowedOrigins.includes(origin)) {
      throw new FsError('FS_ERR_ORIGIN_NOT_ALLOWED', `The origin ${origin} is not allowed for this app; add it to the app's allowed origins.`);
    }
    if (origin !== undefined) {
      c.header('Access-Control-Allow-Origin', origin);
      c.header('Vary', 'Origin');
    }
    if (c.req.method === 'OPTIONS') {
      c.header('Access-Control-Allow-Methods', 'GET, HEAD, POST, PUT, DELETE');
      c.header('Access-Control-Allow-Headers', c.req.header('Access-Control-Request-Headers') ?? 'Authorization, Content-Type');
      c.header('Access-Control-Max-Age', '600');
      return c.body(null, 204);
    }
    c.set('app', app);
    await next();
  };
}
