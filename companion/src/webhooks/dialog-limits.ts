import type { Db } from '../db/database.ts';
import { addressKey } from '../requests/client-address.ts';
import { RateLimit } from '../security/rate-limit.ts';
import { settle, take } from '../security/shared-counters.ts';

/** `fp.dialog` events one client address may make an app send in 10 minutes. */
export const DIALOGS_PER_ADDRESS = 60;
/** The same dialog reported again from the same address within this long is the same opening. */
export const REPEAT_MS = 30_000;
/** A dialog seen in the last REPEAT_MS: a window of one per dialog, app and address. */
const REPEATS = { kind: 'dialog:repeat', max: 1, windowMs: REPEAT_MS };

export type DialogDecision = { kind: 'emit' } | { kind: 'repeat' } | { kind: 'limited'; retryAfterS: number };

/**
 * What stands between `POST /api/dialog` and an app's webhook receivers: anyone with the public key may
 * call it, so each app and client address gets DIALOGS_PER_ADDRESS events per 10 minutes, and the same
 * dialog (mode, services, accept, origin) posted again within REPEAT_MS makes no second event. Both are
 * counted in the database, so they hold across every instance on it.
 */
export class DialogLimits {
  readonly #db: Db;
  readonly #now: () => number;
  readonly #rate: RateLimit;

  constructor(db: Db, { now = () => Date.now() }: { now?: () => number } = {}) {
    this.#db = db;
    this.#now = now;
    this.#rate = new RateLimit(db, { kind: 'dialog:address', max: DIALOGS_PER_ADDRESS, windowMs: 10 * 60_000, now });
  }

  /** Whether this dialog becomes an event; `dialog` is what it reports (compared as JSON). */
  async admit(appKey: string, address: string, dialog: unknown): Promise<DialogDecision> {
    const now = this.#now();
    const client = `${appKey}\n${addressKey(address)}`;
    const fingerprint = `${client}\n${JSON.stringify(dialog)}`;
    // Seen first, then counted: a repeat costs the address nothing.
    const seen = await take(this.#db, REPEATS, fingerprint, now, { reserve: true });
    if (!seen.ok) return { kind: 'repeat' };
    const allowed = await this.#rate.hit(client);
    // A refused dialog made no event, so the next one like it is not a repeat.
    await settle(this.#db, REPEATS.kind, fingerprint, seen.since, allowed.ok ? 'keep' : 'drop');
    if (!allowed.ok) return { kind: 'limited', retryAfterS: allowed.retryAfterS };
    return { kind: 'emit' };
  }
}
