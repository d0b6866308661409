import pg from 'pg';
import { PostgresDialect } from 'kysely';

export interface PostgresOptions {
  /** Connections the pool opens at most; 10 by default (pg's). */
  maxConnections?: number;
  /** Tables live in this schema (created if missing) instead of the connection's default: one per test companion. */
  schema?: string;
}

/**
 * Counts and times come back as JavaScript numbers, as they do from SQLite: pg returns BIGINT (and the
 * NUMERIC of a SUM) as strings, since they may exceed 2^53. Ours are Unix milliseconds, byte sizes and
 * row counts, all far below it.
 */
const NUMERIC_TYPES = new Set([pg.types.builtins.INT8, pg.types.builtins.NUMERIC]);
const toNumber = (value: string): number => Number(value);
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary'): unknown => (NUMERIC_TYPES.has(oid) ? toNumber : pg.types.getTypeParser(oid, format))) as typeof pg.types.getTypeParser,
};

/** A Kysely dialect on a pool of connections to the PostgreSQL server at `url`. */
export function postgresDialect(url: string, { maxConnections = 10, schema }: PostgresOptions = {}): { dialect: PostgresDialect; pool: pg.Pool } {
  const pool = new pg.Pool({
    connectionString: url,
    max: maxConnections,
    types,
    // Idle pooled connections do not keep the process alive: what does (the HTTP server) decides when it
    // ends, and a companion embedded in a script that forgot to destroy the database still exits.
    allowExitOnIdle: true,
    // search_path set at connect time, so every query of every pooled connection sees the same tables.
    ...(schema ? { options: `-c search_path=${quoteIdentifier(schema)}` } : {}),
  });
  // An idle connection the server drops (a restart, a failover) must not crash the process; the pool
  // replaces it on the next query, and that query's own error is what callers see.
  pool.on('error', () => undefined);
  return { dialect: new PostgresDialect({ pool }), pool };
}

function quoteIdentifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`database schema "${name}": use lower-case letters, digits and _ (at most 63)`);
  return name;
}
