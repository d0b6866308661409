import type { Db } from '../db/database.ts';
import { forgive, read, secondsUntil, settle, take, type CounterWindow, type Outcome } from './shared-counters.ts';

/** How a sign-in form limits wrong guesses; the portal and the ticket sign-in form each have some. */
export interface AttemptLimitOptions {
  /** The counters' kind in the database: one per limit. */
  kind: string;
  /** Unix milliseconds; tests move it. */
  now?: () => number;
  /** Wrong guesses allowed per key within `windowMs` before every try is refused for the rest of it. */
  maxFailures?: number;
  windowMs?: number;
}

/** Whether a key may try now; when not, how many seconds until it may. */
export type AttemptCheck = { ok: true } | { ok: false; retryAfterS: number };

/** A try let through by `reserve`, counted until its outcome is known; settle it exactly once. */
export interface Reservation {
  /** The guess was wrong: it counts as a failure. */
  fail(): Promise<void>;
  /** The guess was right: the key's failures are forgotten. */
  succeed(): Promise<void>;
  /** The outcome says nothing about the guess (the source could not be reached): it counts for nothing. */
  release(): Promise<void>;
}

/** When only tries still in flight fill a key's allowance, come back this soon: they may yet succeed. */
const IN_FLIGHT_RETRY_S = 5;

/**
 * A fixed-window limit on failed attempts, counted in the database so that every instance on it counts
 * into the same window (shared-counters.ts): after `maxFailures` failures within `windowMs` of the first
 * try, a key is refused — right password or not — until that window has passed. Keys are the caller's
 * choice (client address, user name, or both); only their hash is stored.
 *
 * A check that awaits something before it knows the outcome must `reserve()`: the try counts from the
 * moment it is let through (one atomic increment), so parallel tries cannot all pass a check that none of
 * them has failed yet; a right or undecided outcome takes it back. A reservation whose instance died
 * before settling it counts until its window ends, no longer.
 */
export class AttemptLimit {
  readonly #db: Db;
  readonly #now: () => number;
  readonly #window: CounterWindow;

  constructor(db: Db, { kind, now = () => Date.now(), maxFailures = 5, windowMs = 15 * 60_000 }: AttemptLimitOptions) {
    this.#db = db;
    this.#now = now;
    this.#window = { kind, max: maxFailures, windowMs };
  }

  /** Asks before checking the secret: a limited key is refused without looking at it. */
  async check(key: string): Promise<AttemptCheck> {
    const now = this.#now();
    const window = await read(this.#db, this.#window.kind, key, now);
    if (!window || window.count < this.#window.max) return { ok: true };
    return this.#refusal(window.expiresAt, window.count - window.pending < this.#window.max, now);
  }

  /**
   * Checks and counts the try in one statement: a key with `maxFailures` failures or tries in flight is
   * refused. Settle what it returns with `fail`, `succeed` or `release`.
   */
  async reserve(key: string): Promise<{ ok: true; reservation: Reservation } | { ok: false; retryAfterS: number }> {
    const now = this.#now();
    const taken = await take(this.#db, this.#window, key, now, { reserve: true });
    if (!taken.ok) return this.#refusal(taken.until, taken.inFlightOnly, now);
    let settled = false;
    const settleAs = (outcome: Outcome) => async () => {
      if (settled) return;
      settled = true;
      await settle(this.#db, this.#window.kind, key, taken.since, outcome);
    };
    return { ok: true, reservation: { fail: settleAs('keep'), succeed: settleAs('forgive'), release: settleAs('drop') } };
  }

  /** Counts a wrong guess. */
  async fail(key: string): Promise<void> {
    await take(this.#db, this.#window, key, this.#now(), { unlimited: true });
  }

  /** Forgets a key's failures after a right guess. */
  async succeed(key: string): Promise<void> {
    await forgive(this.#db, this.#window.kind, key, this.#now());
  }

  #refusal(until: number, inFlightOnly: boolean, now: number): { ok: false; retryAfterS: number } {
    const retryAfterS = secondsUntil(until, now);
    return { ok: false, retryAfterS: inFlightOnly ? Math.min(IN_FLIGHT_RETRY_S, retryAfterS) : retryAfterS };
  }
}
