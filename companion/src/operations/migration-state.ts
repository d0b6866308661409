import { sql, type Kysely } from 'kysely';
import { Migrator } from 'kysely/migration';
import type { Db } from '../db/database.ts';
import { isPostgres } from '../db/dialect.ts';
import { migrations } from '../db/migrations.ts';

/**
 * The names of this companion's migrations that the database has not run (empty: up to date). Read as
 * openDatabase's migrator reads them: on PostgreSQL its tables are in the connection's current schema.
 */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const migrationTableSchema = isPostgres(db as unknown as Kysely<unknown>) ? (await sql<{ schema: string }>`SELECT current_schema() AS schema`.execute(db)).rows[0]?.schema : undefined;
  const known = await new Migrator({ db, provider: migrations, migrationTableSchema }).getMigrations();
  return known.filter((migration) => migration.executedAt === undefined).map((migration) => migration.name);
}
