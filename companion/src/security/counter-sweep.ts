import type { Logger } from 'pino';
import type { Db } from '../db/database.ts';
import { PeriodicJob } from '../jobs/periodic-job.ts';

/** How often rows past their time are deleted. */
const SWEEP_EVERY_MS = 60_000;

/**
 * Deletes the shared counters whose window has passed and the storage reservations that ran out (a
 * crashed instance's): what keeps those tables small under a spray of addresses. A row lives at most its
 * window (15 minutes for the longest limit) plus a minute, whatever the number of keys. Returns how many
 * rows went.
 */
export async function sweepExpired(db: Db, now: number): Promise<number> {
  const counters = await db.deleteFrom('shared_counters').where('expires_at', '<=', now).executeTakeFirst();
  const reservations = await db.deleteFrom('storage_reservations').where('expires_at', '<=', now).executeTakeFirst();
  return Number(counters.numDeletedRows) + Number(reservations.numDeletedRows);
}

/** The sweep, run at start and every minute. */
export function expiredCounterSweep(db: Db, logger: Logger, now: () => number = () => Date.now()): PeriodicJob {
  return new PeriodicJob({ run: () => sweepExpired(db, now()), everyMs: SWEEP_EVERY_MS, logger, failure: 'could not delete expired rate-limit counters', lock: { db, name: 'expired counters' } });
}
