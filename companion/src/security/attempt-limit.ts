/** How a sign-in form limits wrong guesses; the portal and the ticket sign-in form each have some. */
export interface AttemptLimitOptions {
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
  fail(): void;
  /** The guess was right: the key's failures are forgotten. */
  succeed(): void;
  /** The outcome says nothing about the guess (the source could not be reached): it counts for nothing. */
  release(): void;
}

/** Keys kept before expired ones are swept (a bound on memory under a spray of addresses). */
const SWEEP_AT = 10_000;
/** When only tries still in flight fill a key's allowance, come back this soon: they may yet succeed. */
const IN_FLIGHT_RETRY_S = 5;

interface Entry {
  failures: number;
  /** Tries reserved and not yet settled. */
  pending: number;
  since: number;
}

/**
 * A fixed-window limit on failed attempts, kept in memory (one process owns the companion): after
 * `maxFailures` failures within `windowMs` of the first try, a key is refused — right password or not —
 * until that window has passed. Keys are the caller's choice (client address, user name, or both).
 *
 * A check that awaits something before it knows the outcome must `reserve()`: the try counts from the
 * moment it is let through, so parallel tries cannot all pass a check that none of them has failed yet.
 */
export class AttemptLimit {
  readonly #now: () => number;
  readonly #maxFailures: number;
  readonly #windowMs: number;
  readonly #entries = new Map<string, Entry>();

  constructor({ now = () => Date.now(), maxFailures = 5, windowMs = 15 * 60_000 }: AttemptLimitOptions = {}) {
    this.#now = now;
    this.#maxFailures = maxFailures;
    this.#windowMs = windowMs;
  }

  /** Asks before checking the secret: a limited key is refused without looking at it. */
  check(key: string): AttemptCheck {
    const entry = this.#current(key, this.#now());
    if (!entry) return { ok: true };
    if (entry.failures >= this.#maxFailures) return { ok: false, retryAfterS: this.#retryAfter(entry) };
    if (entry.failures + entry.pending >= this.#maxFailures) return { ok: false, retryAfterS: Math.min(IN_FLIGHT_RETRY_S, this.#retryAfter(entry)) };
    return { ok: true };
  }

  /**
   * Checks and counts the try in one step (no await between them): a key with `maxFailures` failures or
   * tries in flight is refused. Settle what it returns with `fail`, `succeed` or `release`.
   */
  reserve(key: string): { ok: true; reservation: Reservation } | { ok: false; retryAfterS: number } {
    const allowed = this.check(key);
    if (!allowed.ok) return allowed;
    const entry = this.#entry(key);
    entry.pending++;
    let settled = false;
    const settle = (outcome: (entry: Entry | undefined) => void) => () => {
      if (settled) return;
      settled = true;
      const current = this.#entries.get(key);
      if (current) current.pending = Math.max(0, current.pending - 1);
      outcome(current);
      if (current && current.failures === 0 && current.pending === 0) this.#entries.delete(key);
    };
    return {
      ok: true,
      reservation: {
        fail: settle((current) => (current ? current.failures++ : this.fail(key))),
        succeed: settle((current) => current && (current.failures = 0)),
        release: settle(() => undefined),
      },
    };
  }

  /** Counts a wrong guess. */
  fail(key: string): void {
    this.#entry(key).failures++;
  }

  /** Forgets a key's failures after a right guess. */
  succeed(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    entry.failures = 0;
    if (entry.pending === 0) this.#entries.delete(key);
  }

  #retryAfter(entry: Entry): number {
    return Math.max(1, Math.ceil((entry.since + this.#windowMs - this.#now()) / 1000));
  }

  /** The key's entry in the current window, made when it has none. */
  #entry(key: string): Entry {
    const now = this.#now();
    const current = this.#current(key, now);
    if (current) return current;
    if (this.#entries.size >= SWEEP_AT) this.#sweep(now);
    const entry: Entry = { failures: 0, pending: 0, since: now };
    this.#entries.set(key, entry);
    return entry;
  }

  /** The key's entry, unless its window has passed (tries still in flight keep it, in a new window). */
  #current(key: string, now: number): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry && now - entry.since >= this.#windowMs) {
      if (entry.pending === 0) {
        this.#entries.delete(key);
        return undefined;
      }
      entry.failures = 0;
      entry.since = now;
    }
    return entry;
  }

  #sweep(now: number): void {
    for (const [key, entry] of this.#entries) if (entry.pending === 0 && now - entry.since >= this.#windowMs) this.#entries.delete(key);
  }
}
