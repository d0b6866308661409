/**
 * `npm run test:postgres`: the companion's suite (test/server) again, on PostgreSQL, and the suite of
 * several instances (test/instances), which needs it. A throwaway cluster
 * on a loopback port (postgres-cluster.ts) with one migrated template database; each test companion gets
 * a copy of it (test/helpers/test-database.ts), so every test starts on a fresh, migrated database.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openDatabase } from '../../companion/src/db/database.ts';
import { TEMPLATE_DATABASE } from '../../test/helpers/test-database.ts';
import { startPostgresCluster } from './postgres-cluster.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
// test/instances: what only several instances on PostgreSQL show (companions as processes sharing the database).
const files = ['test/server', 'test/instances'].flatMap((dir) => readdirSync(`${root}${dir}`).filter((name) => name.endsWith('.test.ts')).sort().map((name) => `${dir}/${name}`));
const cluster = await startPostgresCluster();
let status: number;
try {
  status = await runSuite(cluster.url);
} finally {
  await cluster.stop();
}
process.exit(status);

/** Makes the migrated template, then runs the suite's files with the cluster's URL; resolves with its exit status. */
async function runSuite(url: string): Promise<number> {
  const admin = new pg.Client({ connectionString: `${url}/postgres` });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  await admin.end();
  await (await openDatabase(`${url}/${TEMPLATE_DATABASE}`)).destroy();
  console.log(`The companion's suite on PostgreSQL (${files.length} files, cluster at ${url}):`);
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-timeout=120000', '--test-reporter=tap', '--test-reporter-destination=stdout', '--test-reporter=./test/helpers/summary-reporter.mjs', '--test-reporter-destination=stdout', ...(process.argv.length > 2 ? process.argv.slice(2) : files)],
    { cwd: root, stdio: 'inherit', env: { ...process.env, FS_TEST_POSTGRES: url } },
  );
  return result.status ?? 1;
}
