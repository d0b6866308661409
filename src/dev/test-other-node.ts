/**
 * `npm run test:node24`: the companion's Node suites (test/protocol, test/server) on Node 24 LTS,
 * the Node most people run it on; `npm run test:node` runs every Node suite on the machine's Node.
 * FS_TEST_NODE picks another version (e.g. 26.1.0).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { nodeRuntime } from './node-runtime.ts';

const VERSION = process.env.FS_TEST_NODE ?? '24.21.0';
const SUITES = ['test/protocol', 'test/server'];

const root = fileURLToPath(new URL('../..', import.meta.url));
const node = nodeRuntime(VERSION);
const files = SUITES.flatMap((dir) => readdirSync(`${root}${dir}`).filter((name) => name.endsWith('.test.ts')).sort().map((name) => `${dir}/${name}`));
console.log(`The companion's suites on Node ${VERSION} (${files.length} files):`);
const result = spawnSync(
  node,
  ['--import', 'tsx', '--test', '--test-timeout=120000', '--test-reporter=tap', '--test-reporter-destination=stdout', '--test-reporter=./test/helpers/summary-reporter.mjs', '--test-reporter-destination=stdout', ...files],
  { cwd: root, stdio: 'inherit' },
);
process.exit(result.status ?? 1);
