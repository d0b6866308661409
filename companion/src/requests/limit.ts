import type { Context, MiddlewareHandler } from 'hono';

/** The JSON body limit when the configuration names none (`limits.jsonBodyBytes`). */
export const DEFAULT_JSON_BODY_BYTES = 1024 * 1024;

declare module 'hono' {
  interface ContextVariableMap {
    /** The largest JSON body `readJson` accepts, in bytes; set once for the whole app by `bodyLimits` (absent in a route built alone). */
    jsonBodyBytes: number | undefined;
  }
}

/**
 * Puts the configured JSON body limit on every request's Context. The limit travels on the Context, not
 * as an argument, so `readJson(c, schema)` needs nothing else and every route (the portal and /auth too)
 * gets the same limit from one line in app.ts; a route built alone (a test) falls back to the default.
 */
export function bodyLimits({ jsonBodyBytes }: { jsonBodyBytes: number }): MiddlewareHandler {
  return async (c, next) => {
    c.set('jsonBodyBytes', jsonBodyBytes);
    await next();
  };
}

export function jsonBodyLimitOf(c: Context): number {
  return c.get('jsonBodyBytes') ?? DEFAULT_JSON_BODY_BYTES;
}
