import { existsSync } from 'node:fs';
import { CHROME_PATHS } from './system-packages.mjs';

export const CHROME_MISSING =
  'No Chrome or Chromium found: install one (Debian/Ubuntu: sudo apt-get install chromium) or set CHROME_PATH to its executable.';

/** Finds the browser the tests drive: CHROME_PATH first, then the usual install paths. */
export function findChrome(env: Record<string, string | undefined> = process.env): string {
  const candidates = env.CHROME_PATH ? [env.CHROME_PATH] : CHROME_PATHS;
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new Error(env.CHROME_PATH ? `CHROME_PATH is set to ${env.CHROME_PATH}, which does not exist.` : CHROME_MISSING);
  return found;
}

/** Flags that keep headless Chromium quiet and working as root on a machine without a network. */
export const CHROME_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];
