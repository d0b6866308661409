import { addressKey } from '../requests/client-address.ts';
import { RateLimit } from '../security/rate-limit.ts';

/** `fp.dialog` events one client address may make an app send in 10 minutes. */
export const DIALOGS_PER_ADDRESS = 60;
/** The same dialog reported again from the same address within this long is the same opening. */
export const REPEAT_MS = 30_000;
/** Recent dialogs remembered for collapsing; past it the oldest are forgotten. */
const MAX_RECENT = 20_000;

export type DialogDecision = { kind: 'emit' } | { kind: 'repeat' } | { kind: 'limited'; retryAfterS: number };

/**
 * What stands between `POST /api/dialog` and an app's webhook receivers: anyone with the public key may
 * call it, so each app and client address gets DIALOGS_PER_ADDRESS events per 10 minutes, and the same
 * dialog (mode, services, accept, origin) posted again within REPEAT_MS makes no second event.
 */
export class DialogLimits {
  readonly #now: () => number;
  readonly #rate: RateLimit;
  readonly #recent = new Map<string, number>();

  constructor({ now = () => Date.now() }: { now?: () => number } = {}) {
    this.#now = now;
    this.#rate = new RateLimit({ max: DIALOGS_PER_ADDRESS, windowMs: 10 * 60_000, now });
  }

  /** Whether this dialog becomes an event; `dialog` is what it reports (compared as JSON). */
  admit(appKey: string, address: string, dialog: unknown): DialogDecision {
    const now = this.#now();
    const client = `${appKey}\n${addressKey(address)}`;
    const fingerprint = `${client}\n${JSON.stringify(dialog)}`;
    const last = this.#recent.get(fingerprint);
    if (last !== undefined && now - last < REPEAT_MS) return { kind: 'repeat' };
    const allowed = this.#rate.hit(client);
    if (!allowed.ok) return { kind: 'limited', retryAfterS: allowed.retryAfterS };
    this.#remember(fingerprint, now);
    return { kind: 'emit' };
  }

  #remember(fingerprint: string, now: number): void {
    this.#recent.delete(fingerprint);
    this.#recent.set(fingerprint, now);
    if (this.#recent.size <= MAX_RECENT) return;
    // Oldest first (a Map keeps insertion order, and a remembered dialog moves to the end).
    for (const [key, at] of this.#recent) {
      if (this.#recent.size <= MAX_RECENT && now - at < REPEAT_MS) break;
      this.#recent.delete(key);
    }
  }
}
