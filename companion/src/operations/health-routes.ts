import { Hono } from 'hono';
import type { Companion } from '../context.ts';
import type { Lifecycle } from './lifecycle.ts';
import { Readiness } from './readiness.ts';

/**
 * What a load balancer or an orchestrator asks, without an app key; never cached:
 * - `GET /healthz`: the process answers (200 `{ ok, instance }`), nothing else is touched;
 * - `GET /readyz`: it can serve (readiness.ts): 200 `{ ok: true, instance, checks }`, else 503 naming
 *   the failed checks, and 503 `{ shuttingDown: true }` once it is stopping (main.ts), so no new
 *   request is sent here while those in flight finish.
 */
export function healthRoutes(companion: Companion, lifecycle: Lifecycle): Hono {
  const instance = companion.config.instanceId;
  const readiness = new Readiness(companion);
  // Headers per route: a middleware here would, once mounted at '/', run for every route of the app.
  const NO_STORE = { 'Cache-Control': 'no-store' };
  return new Hono()
    .get('/healthz', (c) => c.json({ ok: true, instance }, 200, NO_STORE))
    .get('/readyz', async (c) => {
      if (lifecycle.shuttingDown) return c.json({ ok: false, instance, shuttingDown: true }, 503, NO_STORE);
      const { ok, checks } = await readiness.check();
      return c.json({ ok, instance, checks }, ok ? 200 : 503, NO_STORE);
    });
}
