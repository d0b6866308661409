// Installs the npm dependencies when they are missing (no node_modules from an install), saying so; `npm start`
// and `npm test` run it first, so a fresh clone needs no separate `npm install`.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const installed = `${root}node_modules/.package-lock.json`;

export function ensureNpmDependencies() {
  if (existsSync(installed)) return;
  console.log('Installing the npm dependencies (npm ci, a few minutes the first time)…');
  const npm = process.env.npm_execpath;
  try {
    execFileSync(npm ? process.execPath : 'npm', [...(npm ? [npm] : []), 'ci', '--no-audit', '--no-fund'], {
      cwd: root,
      stdio: 'inherit',
      // `npm run -s` hands its silence down; an install that fails must say why.
      env: { ...process.env, npm_config_loglevel: 'warn', PUPPETEER_SKIP_DOWNLOAD: '1', PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' },
    });
  } catch (error) {
    console.error(`npm ci failed (exit ${error.status ?? error.signal}); its messages are above. Fix that, then run the command again.`);
    process.exit(1);
  }
}
