import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/schema.ts';

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
  #timer: NodeJS.Timeout | undefined;
  #stopping = new AbortController();
  /** The prune in progress: one at a time. */
  #pruning: Promise<number> = Promise.resolve(0);

  constructor({ db, logger, now, retentionDays }: EventRetentionOptions) {
    this.#db = db;
    this.#logger = logger;
    this.#now = now;
    this.#retentionMs = retentionDays * DAY_MS;
  }

  /** Prunes now, then every hour; the timer never keeps the process alive. */
  start(): void {
    if (this.#timer) return;
    this.#stopping = new AbortController();
    const signal = this.#stopping.signal;
    const run = (): void => {
      this.prune(signal).catch((error: unknown) => this.#logger.error({ err: error }, 'webhooks: could not prune old events'));
    };
    this.#timer = setInterval(run, PRUNE_EVERY_MS);
    this.#timer.unref();
    run();
  }

  /** Stops the timer; a prune in progress ends after its current batch. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#stopping.abort();
    await this.#pruning.catch(() => undefined);
  }

  /**
   * Deletes every finished event older than the retention (by the injected clock), a batch per
   * transaction, and resolves with how many went. `signal` stops it between batches.
   */
  prune(signal?: AbortSignal): Promise<number> {
    const run = this.#pruning.catch(() => 0).then(() => this.#pruneAll(signal));
    this.#pruning = run;
    return run;
  }

  async #pruneAll(signal: AbortSignal | undefined): Promise<number> {
    const cutoff = this.#now() - this.#retentionMs;
    let deleted = 0;
    while (!signal?.aborted) {
      const count = await pruneBatch(this.#db, cutoff);
      deleted += count;
      if (count < PRUNE_BATCH_SIZE) break;
      // Better-sqlite3 works synchronously: let deliveries and requests in between batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (deleted > 0) this.#logger.info({ deleted, retentionDays: this.#retentionMs / DAY_MS }, 'webhooks: pruned finished events past the retention');
    return deleted;
  }
}
