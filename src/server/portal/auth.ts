import { createHash, timingSafeEqual } from 'node:crypto';
import type { PortalConfig } from '../config.ts';
import { AttemptLimit } from '../security/attempt-limit.ts';
import { hashToken, newToken } from '../security/secrets.ts';

/** A signed-in owner's portal session; only the hash of its cookie value is kept. */
interface PortalSession {
  csrf: string;
  expiresAt: number;
}

export interface PortalAuthOptions {
  /** Unix milliseconds; tests move it. */
  now?: () => number;
  /** Sessions end after this long without use; 8 hours by default. */
  idleMs?: number;
  /** Wrong passwords allowed per client within `windowMs` before sign-in is refused for the rest of it. */
  maxFailures?: number;
  windowMs?: number;
}

/** The outcome of a sign-in. */
export type SignInResult = { ok: true; token: string; csrf: string } | { ok: false; reason: 'wrong' | 'limited'; retryAfterS?: number };

/**
 * The portal's sign-in: compares the admin password (or token) in constant time, limits wrong guesses per
 * client, and keeps sessions in memory (a restart signs owners out; one process owns the companion's database).
 */
export class PortalAuth {
  readonly #password: Buffer | undefined;
  readonly #token: Buffer | undefined;
  readonly #now: () => number;
  readonly #idleMs: number;
  readonly #limit: AttemptLimit;
  readonly #sessions = new Map<string, PortalSession>();

  constructor(config: PortalConfig | undefined, { now = Date.now, idleMs = 8 * 60 * 60_000, maxFailures = 5, windowMs = 15 * 60_000 }: PortalAuthOptions = {}) {
    this.#password = config?.adminPassword === undefined ? undefined : digest(config.adminPassword);
    this.#token = config?.adminToken === undefined ? undefined : digest(config.adminToken);
    this.#now = now;
    this.#idleMs = idleMs;
    this.#limit = new AttemptLimit({ now, maxFailures, windowMs });
  }

  /** False when the configuration names neither a password nor a token. */
  get enabled(): boolean {
    return this.#password !== undefined || this.#token !== undefined;
  }

  /** Signs in with the admin password (or the admin token typed as one); `client` keys the rate limit. */
  signIn(secret: string, client: string): SignInResult {
    const now = this.#now();
    const allowed = this.#limit.check(client);
    if (!allowed.ok) return { ok: false, reason: 'limited', retryAfterS: allowed.retryAfterS };
    if (!this.#matches(secret)) {
      this.#limit.fail(client);
      return { ok: false, reason: 'wrong' };
    }
    this.#limit.succeed(client);
    const token = newToken();
    const csrf = newToken();
    this.#sessions.set(hashToken(token), { csrf, expiresAt: now + this.#idleMs });
    return { ok: true, token, csrf };
  }

  /** The session of a cookie value (its idle time restarted), or undefined. */
  session(token: string | undefined): { csrf: string } | undefined {
    if (!token) return undefined;
    const key = hashToken(token);
    const session = this.#sessions.get(key);
    const now = this.#now();
    if (!session) return undefined;
    if (session.expiresAt <= now) {
      this.#sessions.delete(key);
      return undefined;
    }
    session.expiresAt = now + this.#idleMs;
    return { csrf: session.csrf };
  }

  signOut(token: string | undefined): void {
    if (token) this.#sessions.delete(hashToken(token));
  }

  /** True for the configured admin token (scripts send it as `Authorization: Bearer`). */
  isAdminToken(value: string): boolean {
    return this.#token !== undefined && timingSafeEqual(digest(value), this.#token);
  }

  #matches(secret: string): boolean {
    const given = digest(secret);
    // Both compared every time, so timing says nothing about which one is set.
    const password = this.#password !== undefined && timingSafeEqual(given, this.#password);
    const token = this.#token !== undefined && timingSafeEqual(given, this.#token);
    return password || token;
  }
}

/** Same-length digests make the comparison constant-time whatever the lengths typed. */
function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
