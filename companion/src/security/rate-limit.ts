import type { Db } from '../db/database.ts';
import type { AttemptCheck } from './attempt-limit.ts';
import { secondsUntil, take } from './shared-counters.ts';

export interface RateLimitOptions {
  /** The counters' kind in the database: one per limit. */
  kind: string;
  /** Requests allowed per key within `windowMs`. */
  max: number;
  windowMs: number;
  /** Unix milliseconds; tests move it. */
  now?: () => number;
}

/**
 * A fixed-window request counter per key, in the database (shared-counters.ts), so every instance on it
 * counts into the same window: the first `max` hits of a window pass, the rest are refused until it has
 * passed. For work anyone with the public app key can ask for (a sign-in started, a dialog reported),
 * keyed by app and client address. Rows go when their window has passed (counter-sweep.ts): that bounds
 * the table under a spray of addresses.
 */
export class RateLimit {
  readonly #db: Db;
  readonly #window: { kind: string; max: number; windowMs: number };
  readonly #now: () => number;

  constructor(db: Db, { kind, max, windowMs, now = () => Date.now() }: RateLimitOptions) {
    this.#db = db;
    this.#window = { kind, max, windowMs };
    this.#now = now;
  }

  /** Counts a request of `key`; refused (with the seconds to wait) past the window's allowance. */
  async hit(key: string): Promise<AttemptCheck> {
    const now = this.#now();
    const taken = await take(this.#db, this.#window, key, now);
    return taken.ok ? { ok: true } : { ok: false, retryAfterS: secondsUntil(taken.until, now) };
  }
}
