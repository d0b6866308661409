// What the tests need from the system, and the Debian packages that bring it. Plain JavaScript with no
// imports beyond Node's, so `npm test` and `npm start` can run it on a fresh clone before `npm install`.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Where Chrome or Chromium usually is; CHROME_PATH overrides. */
export const CHROME_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

const onPath = (command, env) => (env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, command)));

/** Debian puts the server's programs in /usr/lib/postgresql/N/bin, not on PATH. */
const postgresServer = (env) =>
  onPath('initdb', env) || (existsSync('/usr/lib/postgresql') && readdirSync('/usr/lib/postgresql').some((version) => existsSync(join('/usr/lib/postgresql', version, 'bin', 'initdb'))));

/**
 * Each thing the tests use: how to tell it is there, and the Debian packages that install it
 * (`recommends`: installed with Debian's recommended packages).
 */
export const REQUIREMENTS = [
  {
    name: 'Chromium (browser and end-to-end tests)',
    present: (env) => (env.CHROME_PATH ? existsSync(env.CHROME_PATH) : CHROME_PATHS.some((path) => existsSync(path))),
    packages: ['chromium', 'fonts-liberation'],
    recommends: true,
  },
  {
    name: 'LibreOffice, headless (office documents to PDF)',
    present: (env) => onPath('soffice', env),
    packages: ['libreoffice-writer-nogui', 'libreoffice-calc-nogui', 'libreoffice-impress-nogui'],
    recommends: false,
  },
  {
    name: 'PostgreSQL server (the companion suite runs on it too, in a throwaway cluster)',
    present: postgresServer,
    packages: ['postgresql'],
    recommends: false,
  },
  {
    name: 'Apache httpd with mod_dav (the WebDAV source is tested against it)',
    present: () => existsSync('/usr/sbin/apache2'),
    packages: ['apache2', 'apache2-utils'],
    recommends: false,
  },
  {
    name: 'poppler (PDF pages to images)',
    present: (env) => onPath('pdftoppm', env) && onPath('pdfinfo', env),
    packages: ['poppler-utils'],
    recommends: false,
  },
];

/** The requirements that are not met. */
export function missingRequirements(env = process.env) {
  return REQUIREMENTS.filter((requirement) => !requirement.present(env));
}

/** The one command that installs everything in `missing`. */
export function installCommand(missing) {
  return `sudo apt-get install -y ${missing.flatMap((requirement) => requirement.packages).join(' ')}`;
}

/** Whether this process may install Debian packages itself: CI, as root, with apt-get. */
export function mayInstall(env = process.env) {
  return Boolean(env.CI) && env.CI !== 'false' && process.getuid?.() === 0 && onPath('apt-get', env);
}

/** Installs `missing` with apt-get (for CI, as root). */
export function install(missing) {
  const run = (args) => execFileSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  run(['update', '-qq']);
  for (const requirement of missing) {
    console.log(`Installing ${requirement.packages.join(' ')} (${requirement.name})…`);
    run(['install', '-y', '-qq', ...(requirement.recommends ? [] : ['--no-install-recommends']), ...requirement.packages]);
  }
}
