/** How a sign-in form limits wrong guesses; the portal and the ticket sign-in form each have one. */
export interface AttemptLimitOptions {
  /** Unix milliseconds; tests move it. */
  now?: () => number;
  /** Wrong guesses allowed per key within `windowMs` before every try is refused for the rest of it. */
  maxFailures?: number;
  windowMs?: number;
}

/** Whether a key may try now; when not, how many seconds until it may. */
export type AttemptCheck = { ok: true } | { ok: false; retryAfterS: number };

/** Keys kept before expired ones are swept (a bound on memory under a spray of addresses). */
const SWEEP_AT = 10_000;

/**
 * A fixed-window limit on failed attempts, kept in memory (one process owns the companion): after
 * `maxFailures` failures within `windowMs` of the first one, a key is refused — right password or not —
 * until that window has passed. Keys are the caller's choice (client address, plus the user name).
 */
export class AttemptLimit {
  readonly #now: () => number;
  readonly #maxFailures: number;
  readonly #windowMs: number;
  readonly #failures = new Map<string, { count: number; since: number }>();

  constructor({ now = () => Date.now(), maxFailures = 5, windowMs = 15 * 60_000 }: AttemptLimitOptions = {}) {
    this.#now = now;
    this.#maxFailures = maxFailures;
    this.#windowMs = windowMs;
  }

  /** Asks before checking the secret: a limited key is refused without looking at it. */
  check(key: string): AttemptCheck {
    const current = this.#current(key, this.#now());
    if (current && current.count >= this.#maxFailures) return { ok: false, retryAfterS: Math.max(1, Math.ceil((current.since + this.#windowMs - this.#now()) / 1000)) };
    return { ok: true };
  }

  /** Counts a wrong guess. */
  fail(key: string): void {
    const now = this.#now();
    const current = this.#current(key, now);
    if (current) current.count++;
    else {
      if (this.#failures.size >= SWEEP_AT) this.#sweep(now);
      this.#failures.set(key, { count: 1, since: now });
    }
  }

  /** Forgets a key's failures after a right guess. */
  succeed(key: string): void {
    this.#failures.delete(key);
  }

  #current(key: string, now: number): { count: number; since: number } | undefined {
    const entry = this.#failures.get(key);
    if (entry && now - entry.since >= this.#windowMs) {
      this.#failures.delete(key);
      return undefined;
    }
    return entry;
  }

  #sweep(now: number): void {
    for (const [key, entry] of this.#failures) if (now - entry.since >= this.#windowMs) this.#failures.delete(key);
  }
}
