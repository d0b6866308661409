/**
 * Another Node for the companion's test suites (`npm run test:node24`): Node from the npm registry's
 * `node` package, installed once into node_modules/.cache. The companion needs no native module there:
 * on Node 24 it stores its data with Node's own node:sqlite (companion/src/db/sqlite.ts).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** npm's own script: the one running us, else the one installed beside this Node. */
export const NPM_CLI = process.env.npm_execpath ?? join(dirname(process.execPath), '../lib/node_modules/npm/bin/npm-cli.js');

/** The node executable of Node `version` (e.g. '24.21.0'), installed unless it is there already. */
export function nodeRuntime(version: string, log: (line: string) => void = console.log): string {
  const home = join(ROOT, 'node_modules/.cache/fs-picker-node', version);
  const node = join(home, 'node_modules/node/node_modules', `node-${process.platform}-${process.arch}`, 'bin/node');
  if (!existsSync(node)) {
    log(`Installing Node ${version} from the npm registry (package node@${version})…`);
    execFileSync(process.execPath, [NPM_CLI, 'install', '--prefix', home, '--no-save', '--no-audit', '--no-fund', '--loglevel=error', `node@${version}`], { stdio: 'inherit' });
  }
  return node;
}
