import { Hono } from 'hono';
import * as v from 'valibot';
import { FsError, SERVICE_IDS } from 'fs-picker/protocol';
import type { Companion } from '../context.ts';
import { clientAddress } from '../requests/client-address.ts';
import { readJson } from '../requests/index.ts';
import type { AppEnv } from '../security/app-access.ts';
import { DialogLimits } from './dialog-limits.ts';

// The body may be empty (a pick dialog): nothing is checked as {}.
const DialogRequestSchema = v.pipe(v.optional(v.unknown(), {}), v.strictObject({
  /** 'pick' (the picker) or 'export' (save to Alfresco). */
  mode: v.optional(v.picklist(['pick', 'export']), 'pick'),
  services: v.optional(v.pipe(v.array(v.picklist(SERVICE_IDS)), v.maxLength(SERVICE_IDS.length))),
  accept: v.optional(v.pipe(v.array(v.pipe(v.string(), v.maxLength(200))), v.maxLength(100))),
}));

/**
 * POST /api/dialog?key=… `{ mode?: "pick" | "export", services?: [...], accept?: [...] }` → 204.
 * The element calls it when it opens, so the app's webhooks get `fp.dialog`. Behind the app key and
 * its allowed origins, like every /api call; the body may be empty (a pick dialog). The same dialog again
 * from the same address within 30 s is answered 204 with no second event; past 60 events per app and
 * address in 10 minutes, 429 FS_ERR_RATE_LIMITED with Retry-After (dialog-limits.ts). The element ignores both.
 */
export function dialogRoutes(companion: Companion): Hono<AppEnv> {
  const limits = new DialogLimits(companion.db);
  return new Hono<AppEnv>().post('/', async (c) => {
    const app = c.get('app');
    const { mode, services, accept } = await readJson(c, DialogRequestSchema, 'dialog');
    const origin = c.req.header('Origin');
    const decision = await limits.admit(app.apiKey, clientAddress(c, companion.config.trustedProxies), { mode, services, accept, origin });
    if (decision.kind === 'repeat') return c.body(null, 204);
    if (decision.kind === 'limited') {
      c.header('Retry-After', String(decision.retryAfterS));
      throw new FsError('FS_ERR_RATE_LIMITED', `Too many dialog openings reported from this address; try again in ${decision.retryAfterS} s.`);
    }
    // The event and its deliveries together.
    await companion.db.transaction().execute((trx) =>
      companion.webhooks.emit(trx, app.apiKey, {
        action: 'fp.dialog',
        text: { apikey: app.apiKey, dialogType: mode === 'export' ? 'export' : 'open', ...(origin ? { origin } : {}), ...(services ? { services } : {}), ...(accept ? { accept } : {}) },
      }),
    );
    return c.body(null, 204);
  });
}
