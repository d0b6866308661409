import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../db/dialect.ts';

/**
 * Runs `work` if no other instance on the database is running the job `name`, and resolves with its
 * result, or with `skipped` when another instance holds the job. On PostgreSQL the hold is a session
 * advisory lock on one pooled connection, released when the work ends, or by the server when the
 * instance dies; on SQLite (one machine) there is nothing to share, and `work` always runs.
 */
export async function withJobLock<DB, T, S>(db: Kysely<DB>, name: string, work: () => Promise<T>, skipped: S): Promise<T | S> {
  if (!isPostgres(db)) return work();
  return db.connection().execute(async (connection) => {
    const key = sql`hashtext(${`fs-picker job: ${name}`})`;
    const { rows } = await sql<{ held: boolean }>`SELECT pg_try_advisory_lock(${key}) AS held`.execute(connection);
    if (!rows[0]?.held) return skipped;
    try {
      return await work();
    } finally {
      await sql`SELECT pg_advisory_unlock(${key})`.execute(connection);
    }
  });
}
