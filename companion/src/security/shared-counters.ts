import { sql, type Expression, type SqlBool } from 'kysely';
import type { Db } from '../db/database.ts';
import { hashToken } from './secrets.ts';

/*
 * Fixed-window counters in the database, so every companion instance on it counts into the same window:
 * a hit is ONE upsert that starts a new window when the old one has passed and refuses (updates nothing)
 * when the window is full. Parallel hits, on one instance or several, are serialised on the row by the
 * database, so no more than `max` pass. Rows live until their window ends; the sweep (counter-sweep.ts)
 * deletes them after, which is what bounds the table under a spray of addresses.
 */

/** One limit: its rows' `kind`, and how many hits each key may make per window. */
export interface CounterWindow {
  kind: string;
  max: number;
  windowMs: number;
}

/** A hit let through (with the window it counted in), or refused until `until`. */
export type Taken = { ok: true; since: number } | { ok: false; until: number; inFlightOnly: boolean };

/**
 * How a reserved try ends: `keep` (it counts, a wrong guess), `drop` (it counts for nothing) or `forgive`
 * (a right guess: the window's settled tries are forgotten, those still in flight stay).
 */
export type Outcome = 'keep' | 'drop' | 'forgive';

/** Keys are the caller's (addresses, user names): only their salted SHA-256 is stored. */
export function counterKey(key: string): string {
  return hashToken(`fs-picker shared counter\n${key}`);
}

const current = (column: 'count' | 'pending' | 'window_started_at' | 'expires_at') => sql.ref(`shared_counters.${column}`);
const proposed = (column: 'count' | 'pending' | 'window_started_at' | 'expires_at') => sql.ref(`excluded.${column}`);

/**
 * Counts a hit of `key` when its window has room (always, with `unlimited`), in one statement. `reserve`
 * also marks it pending until `settle` says how it ended.
 */
export async function take(db: Db, { kind, max, windowMs }: CounterWindow, key: string, now: number, { reserve = false, unlimited = false } = {}): Promise<Taken> {
  const hashed = counterKey(key);
  const passed = sql<SqlBool>`${current('expires_at')} <= ${proposed('window_started_at')}`;
  const row = await db
    .insertInto('shared_counters')
    .values({ kind, key: hashed, count: 1, pending: reserve ? 1 : 0, window_started_at: now, expires_at: now + windowMs })
    .onConflict((conflict) => {
      const update = conflict.columns(['kind', 'key']).doUpdateSet({
        count: sql<number>`CASE WHEN ${passed} THEN 1 ELSE ${current('count')} + 1 END`,
        pending: sql<number>`CASE WHEN ${passed} THEN ${proposed('pending')} ELSE ${current('pending')} + ${proposed('pending')} END`,
        window_started_at: sql<number>`CASE WHEN ${passed} THEN ${proposed('window_started_at')} ELSE ${current('window_started_at')} END`,
        expires_at: sql<number>`CASE WHEN ${passed} THEN ${proposed('expires_at')} ELSE ${current('expires_at')} END`,
      });
      // A full window is left as it is: no row comes back, and the hit is refused.
      return unlimited ? update : update.where(sql<SqlBool>`(${passed} OR ${current('count')} < ${max})` as Expression<SqlBool>);
    })
    .returning('window_started_at')
    .executeTakeFirst();
  if (row) return { ok: true, since: Number(row.window_started_at) };
  const full = await read(db, kind, key, now);
  // Gone or passed since (the sweep, another instance's new window): a moment's wait, then it has room.
  if (!full) return { ok: false, until: now + 1000, inFlightOnly: false };
  return { ok: false, until: full.expiresAt, inFlightOnly: full.count - full.pending < max };
}

/** Settles a try `take` reserved in the window that began at `since`; a try from a window gone since changes nothing. */
export async function settle(db: Db, kind: string, key: string, since: number, outcome: Outcome): Promise<void> {
  const pending = sql<number>`${current('pending')} - 1`;
  const count = { keep: current('count'), drop: sql<number>`${current('count')} - 1`, forgive: pending }[outcome];
  await db
    .updateTable('shared_counters')
    .set({ count: count as never, pending })
    .where('kind', '=', kind)
    .where('key', '=', counterKey(key))
    .where('window_started_at', '=', since)
    .where('pending', '>', 0)
    .execute();
}

/** Forgets the settled tries of `key`'s current window (a right guess that was not reserved). */
export async function forgive(db: Db, kind: string, key: string, now: number): Promise<void> {
  await db
    .updateTable('shared_counters')
    .set({ count: sql<number>`${current('pending')}` })
    .where('kind', '=', kind)
    .where('key', '=', counterKey(key))
    .where('expires_at', '>', now)
    .execute();
}

/** The key's current window, unless it has passed. */
export async function read(db: Db, kind: string, key: string, now: number): Promise<{ count: number; pending: number; expiresAt: number } | undefined> {
  const row = await db
    .selectFrom('shared_counters')
    .select(['count', 'pending', 'expires_at'])
    .where('kind', '=', kind)
    .where('key', '=', counterKey(key))
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row && { count: Number(row.count), pending: Number(row.pending), expiresAt: Number(row.expires_at) };
}

/** Seconds until `until`, at least 1 (what Retry-After says). */
export function secondsUntil(until: number, now: number): number {
  return Math.max(1, Math.ceil((until - now) / 1000));
}
