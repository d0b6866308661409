import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/schema.ts';
import { PeriodicJob } from '../jobs/periodic-job.ts';

const DAY_MS = 24 * 60 * 60_000;

/** Events deleted per transaction at most, so a prune never holds the database for long. */
export const PRUNE_BATCH_SIZE = 1000;

/** How often the retention looks for events to delete while the worker runs. */
const PRUNE_EVERY_MS = 60 * 60_000;

/**
 * Deletes, in one transaction, up to `limit` events written before `cutoff` whose deliveries are all
 * finished (delivered or failed; an event without deliveries too), with their deliveries and attempts.
 * Returns how many events went. An event with a delivery still pending is never taken, however old.
 */
export async function pruneBatch(db: Kysely<Database>, cutoff: number, limit = PRUNE_BATCH_SIZE): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('webhook_events as e')
      .select('e.id')
      .where('e.created_at', '<', cutoff)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('webhook_deliveries as d').select('d.id').whereRef('d.event_id', '=', 'e.id').where('d.status', '=', 'pending'))))
      .orderBy('e.created_at')
      .orderBy('e.id')
      .limit(limit)
      .execute();
    if (rows.length === 0) return 0;
    const ids = rows.map((row) => row.id);
    // Children first, so this holds with or without the foreign keys' cascades.
    await trx
      .deleteFrom('webhook_attempts')
      .where('delivery_id', 'in', (eb) => eb.selectFrom('webhook_deliveries').select('id').where('event_id', 'in', ids))
      .execute();
    await trx.deleteFrom('webhook_deliveries').where('event_id', 'in', ids).execute();
    await trx.deleteFrom('webhook_events').where('id', 'in', ids).execute();
    return ids.length;
  });
}

export interface EventRetentionOptions {
  db: Kysely<Database>;
  logger: Logger;
  now: () => number;
  /** Finished events older than this many days are deleted. */
  retentionDays: number;
}

/**
 * Keeps the webhook tables from growing forever: finished events older than `retentionDays` are
 * deleted, batch by batch, when the worker starts and then every hour. The portal's delivery log
 * simply no longer shows them.
 */
export class EventRetention {
  readonly #db: Kysely<Database>;
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #retentionMs: number;
  readonly #job: PeriodicJob;

  constructor({ db, logger, now, retentionDays }: EventRetentionOptions) {
    this.#db = db;
    this.#logger = logger;
    this.#now = now;
    this.#retentionMs = retentionDays * DAY_MS;
    this.#job = new PeriodicJob({ run: (signal) => this.#pruneAll(signal), everyMs: PRUNE_EVERY_MS, logger, failure: 'webhooks: could not prune old events', lock: { db, name: 'webhook event retention' } });
  }

  start(): void {
    this.#job.start();
  }

  /** Stops the timer; a prune in progress ends after its current batch. */
  stop(): Promise<void> {
    return this.#job.stop();
  }

  /** Deletes every finished event older than the retention (by the injected clock), a batch per transaction; resolves with how many went. */
  prune(): Promise<number> {
    return this.#job.runNow();
  }

  async #pruneAll(signal: AbortSignal): Promise<number> {
    const cutoff = this.#now() - this.#retentionMs;
    let deleted = 0;
    // At least one batch, so a run that began is not a no-op; a stop ends it between batches.
    for (;;) {
      const count = await pruneBatch(this.#db, cutoff);
      deleted += count;
      if (signal.aborted || count < PRUNE_BATCH_SIZE) break;
      // Better-sqlite3 works synchronously: let deliveries and requests in between batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (deleted > 0) this.#logger.info({ deleted, retentionDays: this.#retentionMs / DAY_MS }, 'webhooks: pruned finished events past the retention');
    return deleted;
  }
}
