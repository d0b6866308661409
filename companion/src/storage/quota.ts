import { sql } from 'kysely';
import { Transform, type TransformCallback } from 'node:stream';
import { FsError } from 'fs-picker/protocol';
import type { Companion } from '../context.ts';
import { formatBytes } from './location.ts';

/*
 * The per-app storage quota (`limits.appStorageBytes`): the bytes an app's stored handles hold (every
 * location, until removed), plus what is being streamed for it right now. Checked before a store starts
 * (with the announced size) and while it streams, so parallel uploads cannot each take the rest; a
 * refused store is stopped by its location, which leaves nothing behind (put's contract).
 */

/** Bytes being streamed into storage now, per database and app key (not yet in a handle's size). */
const streaming = new WeakMap<object, Map<string, number>>();

/** The bytes the app's stored handles hold. */
export async function storedBytes(companion: Pick<Companion, 'db'>, appKey: string): Promise<number> {
  const row = await companion.db
    .selectFrom('handles')
    .select(sql<number | null>`sum(size)`.as('bytes'))
    .where('app_key', '=', appKey)
    .where('kind', '=', 'stored')
    .executeTakeFirst();
  return Number(row?.bytes ?? 0);
}

export function quotaError(quota: number, used: number): FsError {
  return new FsError(
    'FS_ERR_QUOTA',
    `This app may keep ${formatBytes(quota)} stored on the companion and has ${formatBytes(Math.min(used, quota))} in use; remove stored files, or ask the operator to raise limits.appStorageBytes.`,
  );
}

/**
 * A meter for one store of `appKey`: refuses at once when the stored bytes and `declaredSize` are over
 * the quota, and otherwise gives a pass-through stream that fails with FS_ERR_QUOTA as soon as the app's
 * stored and streaming bytes go over it. `release()` (in a finally) stops counting this store's bytes
 * as streaming; by then they are in a handle, or gone.
 */
export async function openQuotaMeter(companion: Pick<Companion, 'db' | 'config'>, appKey: string, declaredSize?: number): Promise<{ meter: Transform; release: () => void }> {
  const quota = companion.config.limits.appStorageBytes;
  let byApp = streaming.get(companion.db);
  if (!byApp) streaming.set(companion.db, (byApp = new Map<string, number>()));
  const apps = byApp;
  const stored = await storedBytes(companion, appKey);
  const current = () => stored + (apps.get(appKey) ?? 0);
  if (current() + (declaredSize ?? 0) > quota || current() >= quota) throw quotaError(quota, current());
  let counted = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      counted += chunk.length;
      apps.set(appKey, (apps.get(appKey) ?? 0) + chunk.length);
      if (current() > quota) callback(quotaError(quota, current()));
      else callback(null, chunk);
    },
  });
  const release = () => {
    const left = (apps.get(appKey) ?? 0) - counted;
    counted = 0;
    if (left > 0) apps.set(appKey, left);
    else apps.delete(appKey);
  };
  return { meter, release };
}

/**
 * Refuses (FS_ERR_QUOTA) when `size` more bytes would take the app over its quota: for a producer that
 * writes a file itself (a conversion result), checked before (size 0) and again with the size written.
 */
export async function assertRoomFor(companion: Pick<Companion, 'db' | 'config'>, appKey: string, size: number): Promise<void> {
  const quota = companion.config.limits.appStorageBytes;
  const used = (await storedBytes(companion, appKey)) + (streaming.get(companion.db)?.get(appKey) ?? 0);
  if (used + size > quota || (size === 0 && used >= quota)) throw quotaError(quota, used + size);
}
