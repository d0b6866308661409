import type { MiddlewareHandler } from 'hono';

/**
 * The security headers every answer of the companion carries, unless its route set its own (the sign-in
 * pages' CSP with a nonce, a download's sandboxing CSP, the portal's page):
 * - `X-Content-Type-Options: nosniff`: a browser never guesses a type from the bytes (a JSON error or a
 *   stored file read as HTML);
 * - `Referrer-Policy: no-referrer`: a link's handle never leaves in a Referer;
 * - a CSP that allows nothing and no framing, and `X-Frame-Options: DENY` for older browsers: nothing the
 *   companion answers is meant to run or be framed in another page, unless its route says so;
 * - `Strict-Transport-Security` when the companion is served over https (its public URL).
 */
export function securityHeaders(publicUrl: string): MiddlewareHandler {
  const https = publicUrl.startsWith('https:');
  return async (c, next) => {
    await next();
    const set = (name: string, value: string) => {
      if (!c.res.headers.has(name)) c.res.headers.set(name, value);
    };
    set('X-Content-Type-Options', 'nosniff');
    set('Referrer-Policy', 'no-referrer');
    set('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
    set('X-Frame-Options', 'DENY');
    set('Cross-Origin-Resource-Policy', 'cross-origin');
    if (https) set('Strict-Transport-Security', 'max-age=31536000');
  };
}
