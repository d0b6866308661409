import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, sql, SqliteDialect, type Dialect } from 'kysely';
import { Migrator } from 'kysely/migration';
import { isPostgresUrl } from './dialect.ts';
import { migrations } from './migrations.ts';
import { postgresDialect, type PostgresOptions } from './postgres.ts';
import type { Database } from './schema.ts';
import { openSqlite } from './sqlite.ts';
import { withStatementCache } from './statement-cache.ts';

export type Db = Kysely<Database>;

export type DatabaseOptions = PostgresOptions;

/**
 * Opens the database the `database` setting names and brings it to the latest migration: PostgreSQL for
 * a `postgres://` URL (what several companions share), else SQLite (':memory:' or a file, its folder
 * created). Several companions starting at once on one PostgreSQL database migrate one after another:
 * Kysely's migrator holds an advisory lock while it runs.
 */
export async function openDatabase(location: string, options: DatabaseOptions = {}): Promise<Db> {
  const postgres = isPostgresUrl(location);
  const db = new Kysely<Database>({ dialect: postgres ? postgresDialect(location, options).dialect : sqliteDialect(location) });
  try {
    await migrate(db, location, postgres, options.schema);
  } catch (error) {
    await db.destroy();
    throw new Error(`Could not open and migrate the database at ${describe(location)}: ${reasonOf(error)}`, { cause: error });
  }
  return db;
}

async function migrate(db: Db, location: string, postgres: boolean, schema: string | undefined): Promise<void> {
  if (schema) await sql`CREATE SCHEMA IF NOT EXISTS ${sql.id(schema)}`.execute(db);
  // The migrations' own tables in the schema the companion's tables are in, not any schema's that has one.
  const migrationTableSchema = postgres ? (schema ?? (await sql<{ schema: string }>`SELECT current_schema() AS schema`.execute(db)).rows[0]?.schema) : undefined;
  const { error, results } = await new Migrator({ db, provider: migrations, migrationTableSchema }).migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error || failed) throw new Error(failed ? `migration ${failed.migrationName} failed` : 'the migrations could not run', { cause: error });
}

/** The innermost reason: "connect ECONNREFUSED 127.0.0.1:5432", not only "migration failed". */
function reasonOf(error: unknown): string {
  const messages: string[] = [];
  for (let at = error; at instanceof Error && messages.length < 4; at = at instanceof AggregateError ? at.errors[0] : at.cause) if (at.message) messages.push(at.message);
  return messages.join(': ') || String(error);
}

function sqliteDialect(location: string): Dialect {
  if (location !== ':memory:') mkdirSync(dirname(location), { recursive: true });
  const sqlite = openSqlite(location);
  sqlite.exec('PRAGMA journal_mode = WAL');
  sqlite.exec('PRAGMA foreign_keys = ON');
  return new SqliteDialect({ database: withStatementCache(sqlite) });
}

/** The location without a password, for messages and logs. */
function describe(location: string): string {
  if (!isPostgresUrl(location)) return location;
  try {
    const url = new URL(location);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return 'the configured PostgreSQL URL';
  }
}
