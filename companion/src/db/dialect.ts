import { PostgresAdapter, type Kysely } from 'kysely';

/** Whether `db` is on PostgreSQL (else SQLite): for the few statements the two write differently. */
export function isPostgres<DB>(db: Kysely<DB>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** Whether `location` (the `database` setting) names a PostgreSQL server rather than a SQLite file. */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}
