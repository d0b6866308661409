import { createRequire } from 'node:module';
import type { SqliteStatement } from 'kysely';

/** What the companion needs of a SQLite connection: run SQL, prepare a statement for Kysely, close. */
export interface SqliteConnection {
  exec(sql: string): void;
  prepare(sql: string): SqliteStatement;
  close(): void;
}

/** The part of node:sqlite used here (@types/node 20 does not describe it). */
interface NodeSqlite {
  DatabaseSync: new (location: string, options?: { readOnly?: boolean }) => {
    exec(sql: string): void;
    prepare(sql: string): NodeStatement;
    close(): void;
  };
}
interface NodeStatement {
  columns(): unknown[];
  all(...parameters: unknown[]): Array<Record<string, unknown>>;
  run(...parameters: unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  iterate(...parameters: unknown[]): IterableIterator<Record<string, unknown>>;
}

/**
 * Node's own `node:sqlite` where it is complete (statements that list their columns: Node 22.16+, 24),
 * better-sqlite3 before. Not better-sqlite3 everywhere: version 12 wraps its objects in Node's legacy
 * ObjectWrap, and on Node 24.19+ a statement that the last garbage collection finalises after Node's
 * environment is gone aborts the process (SIGABRT, `(env) != nullptr` in RemoveEnvironmentCleanupHook);
 * its version 13 does not, but does not run on Node 20.
 */
export function openSqlite(location: string, { readOnly = false } = {}): SqliteConnection {
  builtinSqlite ??= completeBuiltin();
  return builtinSqlite ? nodeSqlite(builtinSqlite, location, readOnly) : betterSqlite(location, readOnly);
}

let builtinSqlite: NodeSqlite | null | undefined;

function completeBuiltin(): NodeSqlite | null {
  const builtin = process.getBuiltinModule?.('node:sqlite') as NodeSqlite | undefined;
  if (!builtin) return null;
  const probe = new builtin.DatabaseSync(':memory:');
  try {
    return typeof probe.prepare('SELECT 1').columns === 'function' ? builtin : null;
  } finally {
    probe.close();
  }
}

function nodeSqlite(builtin: NodeSqlite, location: string, readOnly: boolean): SqliteConnection {
  const database = new builtin.DatabaseSync(location, { readOnly });
  return {
    exec: (sql) => database.exec(sql),
    close: () => database.close(),
    prepare(sql) {
      const statement = database.prepare(sql);
      return {
        reader: statement.columns().length > 0,
        // Rows come with a null prototype; plain objects compare and print as better-sqlite3's do.
        all: (parameters) => statement.all(...parameters).map((row) => ({ ...row })),
        run: (parameters) => statement.run(...parameters),
        iterate: (parameters) => statement.iterate(...parameters),
      };
    },
  };
}

function betterSqlite(location: string, readOnly: boolean): SqliteConnection {
  let SQLite: typeof import('better-sqlite3');
  try {
    SQLite = createRequire(import.meta.url)('better-sqlite3') as typeof import('better-sqlite3');
  } catch (error) {
    throw new Error(`On Node ${process.versions.node} the companion stores its data with better-sqlite3, which did not load (${(error as Error).message}). Reinstall it (npm rebuild better-sqlite3), or run the companion on Node 24.`, { cause: error });
  }
  const database = new SQLite(location, { readonly: readOnly, fileMustExist: readOnly });
  return {
    exec: (sql) => void database.exec(sql),
    close: () => void database.close(),
    prepare: (sql) => database.prepare(sql),
  };
}
