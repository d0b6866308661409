import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { AttemptResult } from './attempt.ts';
import type { AttemptOutcome } from './retry-schedule.ts';

/** One finished attempt, to be written. */
export interface AttemptRecord extends AttemptOutcome {
  deliveryId: number;
  /** The delivery's attempt count when the worker took it; the write applies only if it is unchanged. */
  previousAttempts: number;
  result: AttemptResult;
}

/** How long finished attempts gather before they are written together. */
const WRITE_DELAY_MS = 5;

/** Attempts written per transaction at most. */
const BATCH_SIZE = 500;

/**
 * Writes finished attempts: the delivery's new state and a line in its attempt log. Attempts are
 * recorded in batches, one transaction (two statements) for all that finished meanwhile.
 */
export class AttemptRecorder {
  readonly #db: Kysely<Database>;
  readonly #now: () => number;
  #writes: Array<{ record: AttemptRecord; done: (error?: Error) => void }> = [];
  #writing = false;

  readonly #owner: string;

  /** `owner`: the instance whose leases the attempts were made under. */
  constructor({ db, now, owner }: { db: Kysely<Database>; now: () => number; owner: string }) {
    this.#db = db;
    this.#now = now;
    this.#owner = owner;
  }

  /** Resolves once the attempt is written (or found already recorded); rejects if its batch failed. */
  write(record: AttemptRecord): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#writes.push({ record, done: (error) => (error === undefined ? resolve() : reject(error)) });
      if (this.#writing) return;
      // A few milliseconds of answers per transaction, not one each: SQLite works synchronously, and on
      // PostgreSQL each transaction is round trips; either way the event loop stays free for the deliveries.
      this.#writing = true;
      setTimeout(() => void this.#flush(), WRITE_DELAY_MS);
    });
  }

  async #flush(): Promise<void> {
    this.#writing = true;
    while (this.#writes.length > 0) {
      const batch = this.#writes.splice(0, BATCH_SIZE);
      try {
        await this.#db.transaction().execute((trx) => this.#record(trx, batch.map((write) => write.record)));
        for (const write of batch) write.done();
      } catch (error) {
        for (const write of batch) write.done(error instanceof Error ? error : new Error('could not record webhook attempts', { cause: error }));
      }
    }
    this.#writing = false;
  }

  /**
   * Updates the deliveries (only those still pending with the attempt count the worker read and still
   * leased to this instance, so an attempt is never recorded twice, nor after another instance took the
   * delivery over), lets go of their leases, and logs an attempt for each one updated.
   */
  async #record(trx: Transaction<Database>, records: AttemptRecord[]): Promise<void> {
    const now = this.#now();
    // Typed, so PostgreSQL compares and assigns them as the columns' types (VALUES parameters are text otherwise).
    const int = (value: number | null) => sql`CAST(${value} AS bigint)`;
    const text = (value: string | null) => sql`CAST(${value} AS text)`;
    const values = sql.join(
      records.map(
        (r) =>
          sql`(${int(r.deliveryId)}, ${int(r.previousAttempts)}, ${text(r.status)}, ${int(r.attempt)}, ${int(r.firstAt)}, ${int(r.nextAt)}, ${int(r.result.status)}, ${text(r.result.error)}, ${int(r.result.ok ? r.result.startedAt + r.result.durationMs : null)})`,
      ),
    );
    // VALUES columns are column1, column2, … in SQLite and PostgreSQL alike.
    const updated = await sql<{ id: number }>`
      UPDATE webhook_deliveries SET status = v.column3, attempts = v.column4, first_attempt_at = v.column5, next_attempt_at = v.column6,
        last_status = v.column7, last_error = v.column8, delivered_at = v.column9, updated_at = ${now}, lease_owner = NULL, lease_until = NULL
      FROM (VALUES ${values}) AS v
      WHERE webhook_deliveries.id = v.column1 AND webhook_deliveries.status = 'pending' AND webhook_deliveries.attempts = v.column2
        AND webhook_deliveries.lease_owner = ${this.#owner}
      RETURNING webhook_deliveries.id AS id`.execute(trx);
    const recorded = new Set(updated.rows.map((row) => Number(row.id)));
    const attempts = records
      .filter((r) => recorded.has(r.deliveryId))
      .map((r) => ({
        delivery_id: r.deliveryId,
        attempt: r.attempt,
        started_at: r.result.startedAt,
        duration_ms: r.result.durationMs,
        status_code: r.result.status,
        ok: r.result.ok ? 1 : 0,
        error: r.result.error,
        next_attempt_at: r.nextAt,
      }));
    if (attempts.length > 0) await trx.insertInto('webhook_attempts').values(attempts).execute();
  }
}
