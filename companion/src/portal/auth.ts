import { createHash, timingSafeEqual } from 'node:crypto';
import type { PortalConfig } from '../config.ts';
import type { Db } from '../db/database.ts';
import { addressKey } from '../requests/client-address.ts';
import { AttemptLimit } from '../security/attempt-limit.ts';
import { hashToken, newToken } from '../security/secrets.ts';

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

/** A session's idle time is written back at most this often (each portal call reads the session). */
const TOUCH_EVERY_MS = 60_000;

/**
 * The portal's sign-in: compares the admin password (or token) in constant time, limits wrong guesses per
 * client, and keeps sessions in the companion's database (only the cookie value's hash), so a restart, or
 * another companion on the same database, keeps owners signed in.
 */
export class PortalAuth {
  readonly #password: Buffer | undefined;
  readonly #token: Buffer | undefined;
  readonly #now: () => number;
  readonly #idleMs: number;
  readonly #limit: AttemptLimit;
  readonly #db: Db;

  constructor(db: Db, config: PortalConfig | undefined, { now = Date.now, idleMs = 8 * 60 * 60_000, maxFailures = 5, windowMs = 15 * 60_000 }: PortalAuthOptions = {}) {
    this.#db = db;
    this.#password = config?.adminPassword === undefined ? undefined : digest(config.adminPassword);
    this.#token = config?.adminToken === undefined ? undefined : digest(config.adminToken);
    this.#now = now;
    this.#idleMs = idleMs;
    this.#limit = new AttemptLimit(db, { kind: 'portal-password:address', now, maxFailures, windowMs });
  }

  /** False when the configuration names neither a password nor a token. */
  get enabled(): boolean {
    return this.#password !== undefined || this.#token !== undefined;
  }

  /**
   * Signs in with the admin password (or the admin token typed as one); `client` (the client's address,
   * requests/client-address.ts) keys the rate limit. The try is counted before the comparison, in one
   * statement with the check (attempt-limit.ts), so parallel guesses, on any instance, cannot pass a check together.
   */
  async signIn(secret: string, client: string): Promise<SignInResult> {
    const now = this.#now();
    client = addressKey(client);
    const allowed = await this.#limit.reserve(client);
    if (!allowed.ok) return { ok: false, reason: 'limited', retryAfterS: allowed.retryAfterS };
    if (!this.#matches(secret)) {
      await allowed.reservation.fail();
      return { ok: false, reason: 'wrong' };
    }
    await allowed.reservation.succeed();
    const token = newToken();
    const csrf = newToken();
    // Sessions that ran out go here: sign-ins are rare, and an abandoned session is never read again.
    await this.#db.deleteFrom('portal_sessions').where('expires_at', '<=', now).execute();
    await this.#db.insertInto('portal_sessions').values({ token_hash: hashToken(token), csrf, created_at: now, expires_at: now + this.#idleMs }).execute();
    return { ok: true, token, csrf };
  }

  /** The session of a cookie value (its idle time restarted), or undefined. */
  async session(token: string | undefined): Promise<{ csrf: string } | undefined> {
    if (!token) return undefined;
    const key = hashToken(token);
    const now = this.#now();
    const session = await this.#db.selectFrom('portal_sessions').select(['csrf', 'expires_at']).where('token_hash', '=', key).executeTakeFirst();
    if (!session) return undefined;
    if (session.expires_at <= now) {
      await this.#db.deleteFrom('portal_sessions').where('token_hash', '=', key).execute();
      return undefined;
    }
    if (now + this.#idleMs - session.expires_at >= TOUCH_EVERY_MS) {
      await this.#db.updateTable('portal_sessions').set({ expires_at: now + this.#idleMs }).where('token_hash', '=', key).execute();
    }
    return { csrf: session.csrf };
  }

  async signOut(token: string | undefined): Promise<void> {
    if (token) await this.#db.deleteFrom('portal_sessions').where('token_hash', '=', hashToken(token)).execute();
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
