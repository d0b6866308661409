/**
 * The two published packages, installed the way a user installs them: `npm pack` both, then
 * - the browser tarball alone into a fresh project: no native module, no server package, at most 15 MB
 *   on disk, and a Vite build of a page that imports `fs-picker/define`;
 * - the companion tarball (with the browser tarball it depends on) into another: started with its one
 *   command against a sandbox, it answers /healthz and lists a folder for a signed-in person.
 * The npm registry (or npm's cache) supplies the other packages; the companion's better-sqlite3 is
 * compiled for this Node, as on a user's machine.
 */
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { RunningSandbox } from '../../src/sandbox/sandbox.ts';
import { parseForm } from '../helpers/oidc-browser.ts';
import { popupData } from '../helpers/companion-auth.ts';
import { NPM_CLI } from '../../src/dev/node-runtime.ts';
import { freePort } from '../../src/dev/stack.ts';
import { startTestSandbox } from '../helpers/sandbox.ts';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const VITE = join(ROOT, 'node_modules/vite/bin/vite.js');
const MAX_BROWSER_INSTALL_BYTES = 15 * 1024 * 1024;

/** Packages only the companion may bring; none of them belongs in a browser app's tree. */
const SERVER_PACKAGES = ['better-sqlite3', 'sharp', 'hono', '@hono/node-server', 'kysely', 'pino', 'openid-client', 'busboy', 'fs-picker-companion'];
const SERVER_SCOPES = ['@aws-sdk', '@img', '@smithy'];

const npm = (args: string[], cwd: string) =>
  run(process.execPath, [NPM_CLI, ...args, '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], { cwd, maxBuffer: 64 * 1024 * 1024 });

/** Every package folder under a node_modules (scoped ones by their full name), with nested node_modules. */
async function installedPackages(nodeModules: string): Promise<Array<{ name: string; dir: string }>> {
  const found: Array<{ name: string; dir: string }> = [];
  const visit = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.name.startsWith('@')) {
        for (const scoped of await readdir(path, { withFileTypes: true })) {
          found.push({ name: `${entry.name}/${scoped.name}`, dir: join(path, scoped.name) });
          await visit(join(path, scoped.name, 'node_modules'));
        }
      } else {
        found.push({ name: entry.name, dir: path });
        await visit(join(path, 'node_modules'));
      }
    }
  };
  await visit(nodeModules);
  return found;
}

/** Bytes on disk of every file under `dir`, and the native modules among them. */
async function footprint(dir: string): Promise<{ bytes: number; native: string[] }> {
  let bytes = 0;
  const native: string[] = [];
  for (const rel of await readdir(dir, { recursive: true })) {
    const stats = await lstat(join(dir, rel));
    if (!stats.isFile()) continue;
    bytes += stats.size;
    if (rel.endsWith('.node') || rel.endsWith('binding.gyp')) native.push(rel);
  }
  return { bytes, native };
}

/** Starts the installed companion's command; resolves with its URL once it prints where it listens. */
async function startInstalled(project: string, args: string[]): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(join(project, 'node_modules/.bin/fs-picker-companion'), args, { cwd: project, env: { ...process.env, FS_LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const listening = output
        .split('\n')
        .slice(0, -1) // the last piece may be a line still being written
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { msg?: string; url?: string })
        .find((line) => line.msg === 'companion listening');
      if (listening?.url) resolve(listening.url);
    });
    child.once('exit', (code) => reject(new Error(`the companion exited (${code}):\n${output}`)));
  });
  return { child, url, output: () => output };
}

describe('the published packages, installed from their tarballs', { timeout: 600_000 }, () => {
  let work: string;
  let browserTarball: string;
  let companionTarball: string;

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'fs-picker-pack-'));
    const tarballs = join(work, 'tarballs');
    await mkdir(tarballs);
    // `npm pack` runs each package's prepack: the builds.
    await npm(['pack', '--pack-destination', tarballs], ROOT);
    await npm(['pack', '--pack-destination', tarballs], join(ROOT, 'companion'));
    const names = await readdir(tarballs);
    browserTarball = join(tarballs, names.find((name) => /^fs-picker-\d/.test(name))!);
    companionTarball = join(tarballs, names.find((name) => name.startsWith('fs-picker-companion-'))!);
  });
  after(() => rm(work, { recursive: true, force: true }));

  describe('the browser package', () => {
    let project: string;
    before(async () => {
      project = join(work, 'browser-app');
      await mkdir(project);
      await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'browser-app', private: true, type: 'module' }));
      await npm(['install', browserTarball], project);
    });

    test('brings no native module and none of the server’s packages', async () => {
      const packages = await installedPackages(join(project, 'node_modules'));
      const server = packages.filter(({ name }) => SERVER_PACKAGES.includes(name) || SERVER_SCOPES.some((scope) => name.startsWith(`${scope}/`)));
      assert.deepEqual(server.map(({ name }) => name), [], 'server packages in a browser install');
      const { native } = await footprint(join(project, 'node_modules'));
      assert.deepEqual(native, [], 'native modules in a browser install');
      assert.ok(packages.some(({ name }) => name === 'lit'), 'lit was not installed: the scan saw nothing');
    });

    test(`takes at most ${MAX_BROWSER_INSTALL_BYTES / 1024 / 1024} MB on disk`, async () => {
      const { bytes } = await footprint(join(project, 'node_modules'));
      assert.ok(bytes > 100_000, `only ${bytes} bytes installed: the measure saw nothing`);
      assert.ok(bytes <= MAX_BROWSER_INSTALL_BYTES, `the browser install takes ${(bytes / 1024 / 1024).toFixed(1)} MB`);
    });

    test('a Vite build of a page that imports fs-picker/define succeeds and holds the element', async () => {
      await writeFile(join(project, 'main.js'), "import 'fs-picker/define';\ndocument.body.append(document.createElement('fs-picker'));\n");
      await writeFile(join(project, 'index.html'), '<!doctype html><html><body><script type="module" src="/main.js"></script></body></html>\n');
      await run(process.execPath, [VITE, 'build', '--logLevel', 'error'], { cwd: project });
      const assets = await readdir(join(project, 'dist/assets'));
      const scripts = await Promise.all(assets.filter((name) => name.endsWith('.js')).map((name) => readFile(join(project, 'dist/assets', name), 'utf8')));
      assert.ok(scripts.some((script) => script.includes('fs-picker')), 'the built page does not hold the element');
    });
  });

  describe('the companion package', () => {
    let project: string;
    let sandbox: RunningSandbox;
    let companion: Awaited<ReturnType<typeof startInstalled>> | undefined;
    before(async () => {
      project = join(work, 'companion-server');
      await mkdir(project);
      await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'companion-server', private: true, allowScripts: { 'better-sqlite3': true } }));
      await npm(['install', companionTarball, browserTarball], project);
      sandbox = await startTestSandbox();
    });
    after(async () => {
      companion?.child.kill('SIGTERM');
      if (companion && companion.child.exitCode === null) await once(companion.child, 'exit');
      await sandbox?.close();
    });

    test('a bad configuration is refused with a line per bad key', async () => {
      await writeFile(join(project, 'bad.json'), JSON.stringify({ port: 'eighty', alfresco: { repositoryUrl: 'nowhere' }, apps: [] }));
      const result = await run(join(project, 'node_modules/.bin/fs-picker-companion'), ['--config', 'bad.json'], { cwd: project }).catch((error: { code: number; stderr: string }) => error);
      assert.equal((result as { code: number }).code, 2);
      assert.match((result as { stderr: string }).stderr, /^ {2}- port: expected number/m);
      assert.match((result as { stderr: string }).stderr, /^ {2}- alfresco\.repositoryUrl: /m);
    });

    test('starts with one command, answers /healthz and lists a folder for a signed-in person', async () => {
      const apiKey = 'installed-app-key';
      const origin = 'https://app.example.com';
      // The sign-in redirects to the companion's public URL, so its port is chosen first.
      const port = await freePort('127.0.0.1');
      await writeFile(
        join(project, 'companion.json'),
        JSON.stringify({
          port,
          publicUrl: `http://127.0.0.1:${port}`,
          encryptionKey: randomBytes(32).toString('base64'),
          database: join(project, 'companion.sqlite'),
          storage: { local: { root: join(project, 'files') } },
          alfresco: { repositoryUrl: sandbox.url, signIn: { type: 'ticket' } },
          apps: [{ apiKey, name: 'Installed', allowedOrigins: [origin] }],
          instanceId: 'installed-1',
        }),
      );
      companion = await startInstalled(project, ['--config', 'companion.json']);
      const { url } = companion;

      const health = await fetch(`${url}/healthz`);
      assert.equal(health.status, 200);
      assert.deepEqual(await health.json(), { ok: true, instance: 'installed-1' });

      // Sign in through the companion's own form, as the popup does.
      const started = await fetch(`${url}/auth/alfresco/start?${new URLSearchParams({ key: apiKey, origin, nonce: 'nonce-installed-1' })}`, { redirect: 'manual' });
      const formUrl = new URL(started.headers.get('location')!, url);
      const page = await fetch(formUrl);
      const cookie = page.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ');
      const form = parseForm(await page.text(), formUrl);
      const signedIn = await fetch(form.action, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie },
        body: new URLSearchParams({ ...form.hidden, username: 'mjackson', password: 'mjackson' }).toString(),
      });
      const session = popupData(await signedIn.text()).message?.session;
      assert.ok(session, 'the sign-in posted no session');

      const listing = await fetch(`${url}/api/alfresco/folders/-my-?key=${apiKey}`, { headers: { Authorization: `Bearer ${session}`, Origin: origin } });
      assert.equal(listing.status, 200, await listing.clone().text());
      const body = (await listing.json()) as { items: Array<{ name: string }> };
      assert.ok(body.items.length > 0, 'the home folder listed nothing');
      assert.equal(companion.output().match(/"level":50/), null, `the companion logged an error:\n${companion.output()}`);
    });
  });
});
