import type { AttemptCheck } from './attempt-limit.ts';

export interface RateLimitOptions {
  /** Requests allowed per key within `windowMs`. */
  max: number;
  windowMs: number;
  /** Unix milliseconds; tests move it. */
  now?: () => number;
  /** Keys kept at most; past it the oldest go (a bound on memory under a spray of addresses). */
  maxKeys?: number;
}

/**
 * A fixed-window request counter per key, in memory: the first `max` hits of a window pass, the rest are
 * refused until it has passed. For work anyone with the public app key can ask for (a sign-in started, a
 * dialog reported), keyed by app and client address.
 */
export class RateLimit {
  readonly #max: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #maxKeys: number;
  readonly #windows = new Map<string, { count: number; since: number }>();

  constructor({ max, windowMs, now = () => Date.now(), maxKeys = 50_000 }: RateLimitOptions) {
    this.#max = max;
    this.#windowMs = windowMs;
    this.#now = now;
    this.#maxKeys = maxKeys;
  }

  /** Counts a request of `key`; refused (with the seconds to wait) past the window's allowance. */
  hit(key: string): AttemptCheck {
    const now = this.#now();
    let window = this.#windows.get(key);
    if (window && now - window.since >= this.#windowMs) {
      this.#windows.delete(key);
      window = undefined;
    }
    if (!window) {
      if (this.#windows.size >= this.#maxKeys) this.#makeRoom(now);
      window = { count: 0, since: now };
      this.#windows.set(key, window);
    }
    if (window.count >= this.#max) return { ok: false, retryAfterS: Math.max(1, Math.ceil((window.since + this.#windowMs - now) / 1000)) };
    window.count++;
    return { ok: true };
  }

  #makeRoom(now: number): void {
    for (const [key, window] of this.#windows) if (now - window.since >= this.#windowMs) this.#windows.delete(key);
    // Still full: the oldest windows go first (a Map keeps insertion order).
    for (const key of this.#windows.keys()) {
      if (this.#windows.size < this.#maxKeys) break;
      this.#windows.delete(key);
    }
  }
}
