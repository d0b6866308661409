import type { Db } from '../db/database.ts';

/** How long a sign-in may take, from opening the popup to the callback (or the ticket form's answer). */
export const ATTEMPT_LIFETIME_MS = 10 * 60_000;
/** Spent and expired attempts are kept this long, so a late callback is told "expired", not "unknown". */
const KEEP_MS = 24 * 60 * 60_000;
/**
 * Sign-ins an app may have open at once (started within ATTEMPT_LIFETIME_MS, not finished). The key is
 * public, so anyone may start sign-ins: this bounds the rows they make (with the per-address limit on
 * /start and the sweep of rows past KEEP_MS) to this many per app every 10 minutes, whatever the number
 * of addresses; past it a start is refused until the oldest expire, which only hurts while a flood lasts.
 */
export const MAX_OPEN_ATTEMPTS_PER_APP = 500;

/** A sign-in in progress, as the popup's later steps find it again by its `state`. */
export interface SignInAttempt {
  state: string;
  appKey: string;
  /** The provider being signed in to. */
  source: string;
  /** The opener's origin, checked against the app's allowed origins; the only target of postMessage. */
  origin: string;
  /** The element's random value for this attempt, echoed in every message to the opener. */
  openerNonce: string;
  /** PKCE verifier (empty for ticket sign-in, which has no code). */
  codeVerifier: string;
  /** The OpenID Connect nonce sent to the identity service, checked in the ID token. */
  oidcNonce: string | undefined;
  createdAt: number;
  usedAt: number | undefined;
}

export type AttemptStatus = { kind: 'unknown' } | { kind: 'expired'; attempt: SignInAttempt } | { kind: 'used'; attempt: SignInAttempt } | { kind: 'open'; attempt: SignInAttempt };

/**
 * Sign-in attempts in the database. An attempt is claimed once (`claim`), atomically, so a callback
 * replayed or raced with itself finds it spent.
 */
export class AttemptStore {
  constructor(
    private readonly db: Db,
    private readonly lifetimeMs = ATTEMPT_LIFETIME_MS,
  ) {}

  async create(attempt: Omit<SignInAttempt, 'createdAt' | 'usedAt'>): Promise<SignInAttempt> {
    const now = Date.now();
    await this.db.deleteFrom('sign_in_attempts').where('created_at', '<', now - KEEP_MS).execute();
    await this.db
      .insertInto('sign_in_attempts')
      .values({
        state: attempt.state,
        app_key: attempt.appKey,
        source: attempt.source,
        origin: attempt.origin,
        code_verifier: attempt.codeVerifier,
        nonce: attempt.oidcNonce ?? null,
        opener_nonce: attempt.openerNonce,
        created_at: now,
        used_at: null,
      })
      .execute();
    return { ...attempt, createdAt: now, usedAt: undefined };
  }

  /** How many sign-ins of `appKey` are open: started within the lifetime, not used. */
  async openCount(appKey: string): Promise<number> {
    const row = await this.db
      .selectFrom('sign_in_attempts')
      .select((eb) => eb.fn.countAll<number>().as('open'))
      .where('app_key', '=', appKey)
      .where('created_at', '>=', Date.now() - this.lifetimeMs)
      .where('used_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.open);
  }

  /** Where the attempt named by `state` stands; one for another source is unknown here. */
  async status(state: string | undefined, source: string): Promise<AttemptStatus> {
    if (!state || !/^[\w-]{16,128}$/.test(state)) return { kind: 'unknown' };
    const row = await this.db.selectFrom('sign_in_attempts').selectAll().where('state', '=', state).executeTakeFirst();
    if (!row || row.source !== source) return { kind: 'unknown' };
    const attempt: SignInAttempt = {
      state: row.state,
      appKey: row.app_key,
      source: row.source,
      origin: row.origin,
      openerNonce: row.opener_nonce ?? '',
      codeVerifier: row.code_verifier,
      oidcNonce: row.nonce ?? undefined,
      createdAt: Number(row.created_at),
      usedAt: row.used_at === null ? undefined : Number(row.used_at),
    };
    if (attempt.usedAt !== undefined) return { kind: 'used', attempt };
    if (attempt.createdAt + this.lifetimeMs < Date.now()) return { kind: 'expired', attempt };
    return { kind: 'open', attempt };
  }

  /** Marks the attempt used; false when another request used it first. */
  async claim(state: string): Promise<boolean> {
    const result = await this.db.updateTable('sign_in_attempts').set({ used_at: Date.now() }).where('state', '=', state).where('used_at', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}
