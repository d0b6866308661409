import { setTimeout as sleep } from 'node:timers/promises';
import { FsError } from 'fs-picker/protocol';
import { settle, take } from '../security/shared-counters.ts';
import type { Grant, GrantStore } from './grants.ts';

export interface FreshTokens {
  accessToken: string;
  refreshToken: string | undefined;
  expiresAt: number | undefined;
}

/** Exchanges a grant's refresh token with the source; throws when the source refuses. */
export type RefreshUpstream = (grant: Grant) => Promise<FreshTokens>;

// Refresh a little before the token expires, so a request does not leave with a token that dies on the way.
const EARLY_MS = 30_000;
/** One instance at a time refreshes a grant; a lease whose instance died goes after this long. */
const REFRESH_LEASE = { kind: 'grant-refresh', max: 1, windowMs: 30_000 };
/** How often an instance waiting on another's refresh looks for its tokens. */
const LEASE_POLL_MS = 100;

/**
 * Keeps grants' access tokens fresh. Refreshing is single-flight per grant: however many requests meet an
 * expired token at once, the source sees one refresh and they all wait for it (sources that rotate refresh
 * tokens would revoke the grant on a second use). Across instances on one database, a lease (a shared
 * counter of one) lets one refresh while the others wait for the tokens it stores. A grant that cannot be
 * refreshed is FS_ERR_RECONNECT.
 */
export class TokenRefresher {
  readonly #inFlight = new Map<string, Promise<Grant>>();

  constructor(
    /** Where grants are kept (its database also holds the apps the grants belong to). */
    readonly grants: GrantStore,
    private readonly refreshUpstream: RefreshUpstream,
  ) {}

  /** The grant with a token that is good now; refreshed first when it has expired or is about to. */
  async fresh(grant: Grant): Promise<Grant> {
    if (grant.expiresAt === undefined || grant.expiresAt - EARLY_MS > Date.now()) return grant;
    return this.refresh(grant);
  }

  /** Refreshes now (after a 401), joining a refresh already under way for the same grant. */
  refresh(grant: Grant): Promise<Grant> {
    let pending = this.#inFlight.get(grant.id);
    if (!pending) {
      pending = this.#refresh(grant).finally(() => this.#inFlight.delete(grant.id));
      this.#inFlight.set(grant.id, pending);
    }
    return pending;
  }

  async #refresh(grant: Grant): Promise<Grant> {
    if (grant.kind !== 'oauth' || grant.refreshToken === undefined) throw reconnect();
    for (;;) {
      // Another request, here or on another instance, may have refreshed it since this one read the grant.
      const current = await this.grants.get(grant.id);
      if (!current) throw reconnect();
      if (current.accessToken !== grant.accessToken) return current;
      const lease = await take(this.grants.db, REFRESH_LEASE, grant.id, Date.now(), { reserve: true });
      if (!lease.ok) {
        // Another instance is refreshing it: its tokens come, or its lease goes.
        await sleep(LEASE_POLL_MS);
        continue;
      }
      try {
        return await this.#refreshLeased(grant);
      } finally {
        await settle(this.grants.db, REFRESH_LEASE.kind, grant.id, lease.since, 'drop');
      }
    }
  }

  /** Refreshes under the lease, unless the instance that held it before has just done so. */
  async #refreshLeased(grant: Grant): Promise<Grant> {
    const current = await this.grants.get(grant.id);
    if (!current) throw reconnect();
    if (current.accessToken !== grant.accessToken) return current;
    let tokens: FreshTokens;
    try {
      tokens = await this.refreshUpstream(current);
    } catch (error) {
      if (error instanceof FsError && error.code === 'FS_ERR_UPSTREAM') throw error;
      throw reconnect(error);
    }
    await this.grants.updateTokens(current.id, tokens);
    return { ...current, ...tokens };
  }
}

function reconnect(cause?: unknown): FsError {
  return new FsError('FS_ERR_RECONNECT', 'The connection to Alfresco has expired. Connect again to continue.', cause === undefined ? {} : { cause });
}
