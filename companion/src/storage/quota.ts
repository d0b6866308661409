import { sql } from 'kysely';
import { Transform, type TransformCallback } from 'node:stream';
import { FsError } from 'fs-picker/protocol';
import type { Companion } from '../context.ts';
import type { Db } from '../db/database.ts';
import { newToken } from '../security/secrets.ts';
import { counterKey } from '../security/shared-counters.ts';
import { formatBytes } from './location.ts';

/*
 * The per-app storage quota (`limits.appStorageBytes`): the bytes an app's stored handles hold (every
 * location, until removed), plus what is being streamed for it right now, on any instance. A store
 * streaming in holds a reservation row (storage_reservations) of the bytes it has claimed; claims are
 * taken one app at a time (a row lock on the app's counter row), each reading the stored and reserved
 * sums, so parallel uploads — on one instance or several — cannot each take the rest. A refused store is
 * stopped by its location, which leaves nothing behind (put's contract).
 */

/** A reservation stops counting this long after it was last refreshed: a crashed instance's goes. */
export const RESERVATION_TTL_MS = 60_000;
/** A running store refreshes its reservation this often, even while its bytes are slow to come. */
const REFRESH_EVERY_MS = 15_000;
/** A store of unknown size claims this much beyond what it has streamed, so it asks the database once per MiB, not per chunk. */
const CLAIM_AHEAD = 1024 * 1024;

/** Stored and reserved bytes of an app, in one statement (a reservation `except` left out). */
async function usage(db: Db, appKey: string, now: number, except = ''): Promise<{ stored: number; streaming: number }> {
  const row = await db
    .selectNoFrom((eb) => [
      eb.selectFrom('handles').select(sql<number>`coalesce(sum(size), 0)`.as('bytes')).where('app_key', '=', appKey).where('kind', '=', 'stored').as('stored'),
      eb
        .selectFrom('storage_reservations')
        .select(sql<number>`coalesce(sum(bytes), 0)`.as('bytes'))
        .where('app_key', '=', appKey)
        .where('expires_at', '>', now)
        .where('id', '!=', except)
        .as('streaming'),
    ])
    .executeTakeFirstOrThrow();
  return { stored: Number(row.stored ?? 0), streaming: Number(row.streaming ?? 0) };
}

export function quotaError(quota: number, used: number): FsError {
  return new FsError(
    'FS_ERR_QUOTA',
    `This app may keep ${formatBytes(quota)} stored on the companion and has ${formatBytes(Math.min(used, quota))} in use; remove stored files, or ask the operator to raise limits.appStorageBytes.`,
  );
}

/**
 * Sets reservation `id` to between `atLeast` and `upTo` bytes, as much as the quota leaves; refused when
 * not even `atLeast` fits. One transaction per app at a time: the upsert on the app's counter row holds
 * the others until it commits (PostgreSQL), and SQLite runs one transaction at a time anyway.
 */
async function claim(db: Db, appKey: string, id: string, quota: number, atLeast: number, upTo: number): Promise<{ ok: true; claimed: number } | { ok: false; used: number }> {
  const now = Date.now();
  return db.transaction().execute(async (trx) => {
    await trx
      .insertInto('shared_counters')
      .values({ kind: 'storage-quota:lock', key: counterKey(appKey), count: 0, window_started_at: now, expires_at: now + RESERVATION_TTL_MS })
      .onConflict((conflict) => conflict.columns(['kind', 'key']).doUpdateSet({ expires_at: now + RESERVATION_TTL_MS }))
      .execute();
    const { stored, streaming } = await usage(trx, appKey, now, id);
    const room = quota - stored - streaming;
    if (atLeast > room || room <= 0) return { ok: false, used: stored + streaming + atLeast };
    const claimed = Math.min(room, upTo);
    await trx
      .insertInto('storage_reservations')
      .values({ id, app_key: appKey, bytes: claimed, expires_at: now + RESERVATION_TTL_MS })
      .onConflict((conflict) => conflict.column('id').doUpdateSet({ bytes: claimed, expires_at: now + RESERVATION_TTL_MS }))
      .execute();
    return { ok: true, claimed };
  });
}

/**
 * A meter for one store of `appKey`: refuses at once when the stored and reserved bytes and
 * `declaredSize` are over the quota, and otherwise gives a pass-through stream that fails with
 * FS_ERR_QUOTA as soon as this store's bytes no longer fit beside the app's stored and other reserved
 * bytes. `release()` (in a finally) deletes the reservation; by then its bytes are in a handle, or gone.
 * It never throws: a reservation it could not delete stops counting after RESERVATION_TTL_MS.
 */
export async function openQuotaMeter(companion: Pick<Companion, 'db' | 'config' | 'logger'>, appKey: string, declaredSize?: number): Promise<{ meter: Transform; release: () => Promise<void> }> {
  const { db } = companion;
  const quota = companion.config.limits.appStorageBytes;
  const id = newToken(12);
  const opened = await claim(db, appKey, id, quota, declaredSize ?? 0, declaredSize ?? CLAIM_AHEAD);
  if (!opened.ok) throw quotaError(quota, opened.used);
  let claimed = opened.claimed;
  let counted = 0;
  const refresh = setInterval(() => {
    db.updateTable('storage_reservations')
      .set({ expires_at: Date.now() + RESERVATION_TTL_MS })
      .where('id', '=', id)
      .execute()
      .catch((error: unknown) => companion.logger.warn({ err: error }, 'could not refresh a storage reservation'));
  }, REFRESH_EVERY_MS);
  refresh.unref();
  const meter = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      counted += chunk.length;
      if (counted <= claimed) return callback(null, chunk);
      claim(db, appKey, id, quota, counted, counted + CLAIM_AHEAD).then((more) => {
        if (!more.ok) return callback(quotaError(quota, more.used));
        claimed = more.claimed;
        callback(null, chunk);
      }, callback);
    },
  });
  const release = async () => {
    clearInterval(refresh);
    await db
      .deleteFrom('storage_reservations')
      .where('id', '=', id)
      .execute()
      .catch((error: unknown) => companion.logger.warn({ err: error }, 'could not delete a storage reservation'));
  };
  return { meter, release };
}

/**
 * Refuses (FS_ERR_QUOTA) when `size` more bytes would take the app over its quota: for a producer that
 * writes a file itself (a conversion result), checked before (size 0) and again with the size written.
 */
export async function assertRoomFor(companion: Pick<Companion, 'db' | 'config'>, appKey: string, size: number): Promise<void> {
  const quota = companion.config.limits.appStorageBytes;
  const { stored, streaming } = await usage(companion.db, appKey, Date.now());
  const used = stored + streaming;
  if (used + size > quota || (size === 0 && used >= quota)) throw quotaError(quota, used + size);
}
