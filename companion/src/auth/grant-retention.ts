import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/schema.ts';
import { PeriodicJob } from '../jobs/periodic-job.ts';

const DAY_MS = 24 * 60 * 60_000;

/** Grants deleted per statement at most, so a sweep never holds the database for long. */
const SWEEP_BATCH_SIZE = 500;

/** How often the sweep runs while the companion does. */
const SWEEP_EVERY_MS = 60 * 60_000;

/**
 * Deletes up to `limit` grants that no session has kept alive since `cutoff`: made before it, and with
 * no session expiring at or after it. Their sessions go with them (cascade), and their handles lose the
 * grant (`grant_id` set null), so each picked link answers "no longer works" (files/link.ts). Sessions
 * that expired before the cutoff are deleted too: they no longer count for anything. Returns how many
 * grants went.
 */
export async function sweepGrants(db: Kysely<Database>, cutoff: number, limit = SWEEP_BATCH_SIZE): Promise<number> {
  await db.deleteFrom('sessions').where('expires_at', '<', cutoff).execute();
  const stale = db
    .selectFrom('grants as g')
    .select('g.id')
    .where('g.created_at', '<', cutoff)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('sessions as s').select('s.token_hash').whereRef('s.grant_id', '=', 'g.id').where('s.expires_at', '>=', cutoff))))
    .limit(limit);
  const result = await db.deleteFrom('grants').where('id', 'in', stale).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export interface GrantRetentionOptions {
  db: Kysely<Database>;
  logger: Logger;
  /** Days a grant is kept after its owner's last session expired (config `grants.retentionDays`). */
  retentionDays: number;
  now?: () => number;
}

/**
 * Keeps grants from outliving their owners forever: a grant, and with it every link picked through it,
 * lives `retentionDays` after the last of its sessions expired (sessions last 30 days from sign-in; signing
 * out deletes the grant at once). Runs when the companion starts, then every hour.
 */
export class GrantRetention {
  readonly #db: Kysely<Database>;
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #retentionMs: number;
  readonly #job: PeriodicJob;

  constructor({ db, logger, retentionDays, now = Date.now }: GrantRetentionOptions) {
    this.#db = db;
    this.#logger = logger;
    this.#now = now;
    this.#retentionMs = retentionDays * DAY_MS;
    this.#job = new PeriodicJob({ run: (signal) => this.#sweepAll(signal), everyMs: SWEEP_EVERY_MS, logger, failure: 'grants: could not delete grants past their retention', lock: { db, name: 'grant retention' } });
  }

  start(): void {
    this.#job.start();
  }

  stop(): Promise<void> {
    return this.#job.stop();
  }

  /** Deletes every grant past the retention (by the injected clock), batch by batch; resolves with how many. */
  sweep(): Promise<number> {
    return this.#job.runNow();
  }

  async #sweepAll(signal: AbortSignal): Promise<number> {
    const cutoff = this.#now() - this.#retentionMs;
    let deleted = 0;
    // At least one batch, so a run that began is not a no-op; a stop ends it between batches.
    for (;;) {
      const count = await sweepGrants(this.#db, cutoff);
      deleted += count;
      if (signal.aborted || count < SWEEP_BATCH_SIZE) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (deleted > 0) this.#logger.info({ deleted, retentionDays: this.#retentionMs / DAY_MS }, 'grants: deleted grants whose sessions all ended past the retention');
    return deleted;
  }
}
