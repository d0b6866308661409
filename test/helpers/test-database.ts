import pg from 'pg';
import { openDatabase, type Db } from '../../companion/src/db/database.ts';

/** Set by `npm run test:postgres` (src/dev/test-on-postgres.ts): the throwaway cluster the suite runs on. */
const CLUSTER = process.env.FS_TEST_POSTGRES;
/** The migrated database every test database is copied from; src/dev/test-on-postgres.ts makes it. */
export const TEMPLATE_DATABASE = 'fs_template';

/** Whether this run of the suite is on PostgreSQL. */
export const onPostgres = CLUSTER !== undefined;

let admin: pg.Pool | undefined;
let made = 0;

/**
 * A fresh, migrated database for one test companion: SQLite in memory, or (in `npm run test:postgres`)
 * a database of its own on the test cluster, copied from the migrated template and dropped when the
 * companion's `db.destroy()` is called. Tests open databases through this, never `openDatabase(':memory:')`,
 * so every companion test runs on both.
 */
export async function openTestDatabase(): Promise<Db> {
  if (!CLUSTER) return openDatabase(':memory:');
  const name = await createTestDatabase();
  const db = await openDatabase(`${CLUSTER}/${name}`);
  const destroy = db.destroy.bind(db);
  db.destroy = async () => {
    await destroy();
    await admin!.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  };
  return db;
}

/** An empty database on the test cluster (for a test that opens it itself, as a child process does); its URL. */
export async function createTestDatabaseUrl(): Promise<string> {
  if (!CLUSTER) throw new Error('createTestDatabaseUrl: this run is not on PostgreSQL (npm run test:postgres)');
  return `${CLUSTER}/${await createTestDatabase()}`;
}

async function createTestDatabase(): Promise<string> {
  // allowExitOnIdle: an idle connection does not keep the test process alive.
  admin ??= new pg.Pool({ connectionString: `${CLUSTER}/postgres`, max: 1, allowExitOnIdle: true });
  const name = `fs_test_${process.pid}_${++made}`;
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}`);
  return name;
}
