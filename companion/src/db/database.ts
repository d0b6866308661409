import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, SqliteDialect } from 'kysely';
import { Migrator } from 'kysely/migration';
import { migrations } from './migrations.ts';
import type { Database } from './schema.ts';
import { openSqlite } from './sqlite.ts';
import { withStatementCache } from './statement-cache.ts';

export type Db = Kysely<Database>;

/** Opens the SQLite database (':memory:' or a file, its folder created) and brings it to the latest migration. */
export async function openDatabase(location: string): Promise<Db> {
  if (location !== ':memory:') mkdirSync(dirname(location), { recursive: true });
  const sqlite = openSqlite(location);
  sqlite.exec('PRAGMA journal_mode = WAL');
  sqlite.exec('PRAGMA foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  const { error, results } = await new Migrator({ db, provider: migrations }).migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error || failed) {
    await db.destroy();
    throw new Error(`Could not migrate the database at ${location}${failed ? ` (${failed.migrationName})` : ''}`, { cause: error });
  }
  return db;
}
