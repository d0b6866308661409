import type { KyselyPlugin } from 'kysely';
import type { RunningSandbox } from '../../src/sandbox/sandbox.ts';
import type { CompanionConfigInput } from '../../companion/src/config.ts';
import type { Db } from '../../companion/src/db/database.ts';
import { startCompanion, type CompanionHarness } from './companion.ts';

/** Changes nothing; `withPlugin` of it gives a Kysely object of its own on the same connections. */
const SAME_QUERIES: KyselyPlugin = { transformQuery: (args) => args.node, transformResult: async (args) => args.result };

/**
 * The database of `db` as another companion instance sees it: another Kysely object (so nothing the
 * companion keeps per database object, in memory, is shared), on the same tables through the same
 * connections (SQLite's one connection, PostgreSQL's pool, where parallel transactions run as they
 * would from two instances).
 */
export function sameDatabaseAs(db: Db): Db {
  return db.withPlugin(SAME_QUERIES);
}

/**
 * Two companions on one database and one sandbox, as two instances behind a load balancer would be:
 * each built by its own `buildApp`, with its own configuration-given storage folder. `b` closes first.
 */
export async function startTwoCompanions(overrides: Partial<CompanionConfigInput>, sandbox: RunningSandbox): Promise<{ a: CompanionHarness; b: CompanionHarness; close: () => Promise<void> }> {
  const a = await startCompanion(overrides, sandbox);
  const b = await startCompanion(overrides, sandbox, { db: sameDatabaseAs(a.db) });
  return {
    a,
    b,
    close: async () => {
      await b.close();
      await a.close();
    },
  };
}
