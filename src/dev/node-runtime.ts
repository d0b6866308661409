/**
 * Another Node for the companion's test suites (`npm run test:node24`): Node from the npm registry's
 * `node` package, and better-sqlite3 compiled for it. A native module is built for one Node's ABI, and the
 * repository's node_modules holds the build for the Node that installed it, so the other build lives
 * beside it in node_modules/.cache and a module hook (node-runtime-hooks.mjs) points `better-sqlite3` there
 * in the other Node's processes only. Both are cached: a second run takes seconds.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NPM_CLI = process.env.npm_execpath ?? join(dirname(process.execPath), '../lib/node_modules/npm/bin/npm-cli.js');
const NODE_GYP = join(dirname(NPM_CLI), '../node_modules/node-gyp/bin/node-gyp.js');

export interface NodeRuntime {
  version: string;
  /** The node executable. */
  node: string;
  /** Environment for its processes (and their children): the hook that loads its better-sqlite3. */
  env: Record<string, string>;
}

/** Installs Node `version` (e.g. '24.21.0') and better-sqlite3 built for it, unless they are there already. */
export function prepareNodeRuntime(version: string, log: (line: string) => void = console.log): NodeRuntime {
  const home = join(ROOT, 'node_modules/.cache/fs-picker-node', version);
  const platformPackage = join(home, 'node_modules/node/node_modules', `node-${process.platform}-${process.arch}`);
  const node = join(platformPackage, 'bin/node');
  if (!existsSync(node)) {
    log(`Installing Node ${version} from the npm registry (package node@${version})…`);
    execFileSync(process.execPath, [NPM_CLI, 'install', '--prefix', home, '--no-save', '--no-audit', '--no-fund', '--loglevel=error', `node@${version}`], { stdio: 'inherit' });
  }
  const sqlite = join(home, 'better-sqlite3');
  if (!existsSync(join(sqlite, 'build/Release/better_sqlite3.node'))) {
    log(`Compiling better-sqlite3 for Node ${version} (about a minute)…`);
    rmSync(sqlite, { recursive: true, force: true });
    cpSync(join(ROOT, 'node_modules/better-sqlite3'), sqlite, { recursive: true });
    rmSync(join(sqlite, 'build'), { recursive: true, force: true });
    // Node's headers ship in the platform package, so node-gyp needs no download. Under `npm run`, npm's own
    // nodedir (the machine's Node) reaches node-gyp as npm_config_nodedir and would win over the flag.
    execFileSync(node, [NODE_GYP, 'rebuild', '--release', `--nodedir=${platformPackage}`], {
      cwd: sqlite,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, npm_config_nodedir: platformPackage },
    });
  }
  const hooks = join(ROOT, 'src/dev/node-runtime-hooks.mjs');
  const nodeOptions = [process.env.NODE_OPTIONS, `--import=${hooks}`].filter(Boolean).join(' ');
  return { version, node, env: { NODE_OPTIONS: nodeOptions, FS_TEST_BETTER_SQLITE3: join(sqlite, 'lib/index.js') } };
}
