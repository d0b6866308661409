import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './stack.ts';

/** What installs the server when it is missing (Debian's packages; `.ci/run` installs them itself). */
export const APACHE_INSTALL = 'sudo apt-get install -y apache2 apache2-utils';

const APACHE = '/usr/sbin/apache2';
const MODULES = '/usr/lib/apache2/modules';
/** The unprivileged user Debian's package runs Apache as; its children run as it when we are root. */
const RUN_AS = 'www-data';

/** Whether this machine has Debian's Apache httpd (the apache2 package). */
export const apacheInstalled = (): boolean => existsSync(APACHE);

export interface WebdavUser {
  name: string;
  password: string;
}

export interface ApacheWebdavOptions {
  /** Who may sign in (Basic auth against a password file written here). */
  users: readonly WebdavUser[];
  /** Fills the (empty) data folder before the server starts. */
  seed?: (root: string) => void | Promise<void>;
  /**
   * Folders (relative to the data folder, e.g. "Archive") that only the named users may change; everyone
   * else who signs in may read them (GET, HEAD, OPTIONS, PROPFIND) and is refused anything else with 403.
   */
  readOnly?: ReadonlyArray<{ folder: string; writers: readonly string[] }>;
}

export interface ApacheWebdav {
  /** The WebDAV root, e.g. http://127.0.0.1:PORT/ (ends with a slash: it is a collection). */
  url: string;
  /** The data folder the server shares. */
  root: string;
  /** Changes (or adds) a user's password; Apache reads the password file at every request. */
  setPassword(name: string, password: string): void;
  stop(): Promise<void>;
}

/**
 * A throwaway Apache httpd serving WebDAV (mod_dav + mod_dav_fs) with Basic auth, from Debian's apache2
 * package: its own configuration in a temporary folder (no /etc/apache2 involved), 127.0.0.1 at a free
 * port, the pid file, logs, lock database and data folder all in that folder, removed on stop. As root
 * (CI) its children run as www-data, which then owns the data folder: files a test adds there later as
 * root are readable by the server but not writable (overwriting an existing file keeps its owner).
 */
export async function startApacheWebdav({ users, seed, readOnly = [] }: ApacheWebdavOptions): Promise<ApacheWebdav> {
  if (!apacheInstalled()) throw new Error(`The WebDAV tests need Apache httpd (${APACHE}), and this machine has none. Install it with:\n  ${APACHE_INSTALL}`);
  const port = await freePort('127.0.0.1');
  const dir = mkdtempSync(join(tmpdir(), 'fs-apache-'));
  const root = join(dir, 'data');
  const locks = join(dir, 'locks');
  mkdirSync(root);
  mkdirSync(locks);
  const passwords = new Map(users.map(({ name, password }) => [name, password]));
  let server: ChildProcess | undefined;
  try {
    await seed?.(root);
    writePasswords(dir, passwords);
    const runAs = process.getuid?.() === 0 ? unprivilegedUser(dir, [root, locks]) : undefined;
    writeFileSync(join(dir, 'httpd.conf'), configuration({ dir, root, locks, port, runAs, readOnly }));
    server = spawn(APACHE, ['-f', join(dir, 'httpd.conf'), '-D', 'FOREGROUND'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let output = '';
    server.stderr!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
    await untilListening(port, server, () => `${output}${errorLog(dir)}`);
  } catch (error) {
    if (server) await stopServer(server);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const running = server;
  return {
    url: `http://127.0.0.1:${port}/`,
    root,
    setPassword(name, password) {
      passwords.set(name, password);
      writePasswords(dir, passwords);
    },
    async stop() {
      await stopServer(running);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

interface Layout {
  dir: string;
  root: string;
  locks: string;
  port: number;
  runAs: string | undefined;
  readOnly: NonNullable<ApacheWebdavOptions['readOnly']>;
}

/** The whole httpd.conf: only the modules WebDAV with Basic auth needs, and one shared folder. */
function configuration({ dir, root, locks, port, runAs, readOnly }: Layout): string {
  const modules = ['mpm_event', 'authn_core', 'authz_core', 'auth_basic', 'authn_file', 'authz_user', 'mime', 'dav', 'dav_fs'];
  const readOnlyFolders = readOnly.map(({ folder, writers }) => `
<Directory "${join(root, folder)}">
  # Signed in, and either a writer or only reading. 403 rather than a new 401 challenge for the others.
  AuthzSendForbiddenOnFailure On
  <RequireAll>
    Require valid-user
    <RequireAny>
      Require user ${writers.join(' ')}
      Require method GET HEAD OPTIONS PROPFIND
    </RequireAny>
  </RequireAll>
</Directory>`);
  return [
    `ServerRoot "${dir}"`,
    `DefaultRuntimeDir "${dir}"`,
    `PidFile "${join(dir, 'httpd.pid')}"`,
    `ErrorLog "${join(dir, 'error.log')}"`,
    'LogLevel warn',
    'ServerName 127.0.0.1',
    `Listen 127.0.0.1:${port}`,
    ...modules.map((name) => `LoadModule ${name}_module ${MODULES}/mod_${name}.so`),
    ...(runAs ? [`User ${runAs}`, `Group ${runAs}`] : []),
    // Two processes of a few threads: a test server, on a machine that runs a CI at the same time.
    'StartServers 1',
    'ServerLimit 2',
    'ThreadsPerChild 16',
    'MaxRequestWorkers 32',
    'MinSpareThreads 4',
    'MaxSpareThreads 32',
    'TypesConfig /etc/mime.types',
    `DavLockDB "${join(locks, 'DavLock')}"`,
    `DocumentRoot "${root}"`,
    `<Directory "${root}">`,
    '  Dav On',
    '  Options None',
    '  AllowOverride None',
    '  AuthType Basic',
    '  AuthName "fs-picker WebDAV"',
    '  AuthBasicProvider file',
    `  AuthUserFile "${join(dir, 'passwords')}"`,
    '  Require valid-user',
    '</Directory>',
    ...readOnlyFolders,
    '',
  ].join('\n');
}

/** The AuthUserFile, in the {SHA} form Apache reads (base64 of the password's SHA-1): computed here, no htpasswd needed. */
function writePasswords(dir: string, passwords: ReadonlyMap<string, string>): void {
  const lines = [...passwords].map(([name, password]) => `${name}:{SHA}${createHash('sha1').update(password, 'utf8').digest('base64')}\n`);
  writeFileSync(join(dir, 'passwords'), lines.join(''));
}

/** As root: the folders the children write to become www-data's, and the temporary folder may be crossed. */
function unprivilegedUser(dir: string, writable: readonly string[]): string {
  let uid: number;
  let gid: number;
  try {
    uid = Number(execFileSync('id', ['-u', RUN_AS], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    gid = Number(execFileSync('id', ['-g', RUN_AS], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  } catch {
    throw new Error(`Apache's children must not run as root, and this machine has no "${RUN_AS}" user to run them as. Install Apache with:\n  ${APACHE_INSTALL}`);
  }
  chmodSync(dir, 0o755);
  for (const folder of writable) chownTree(folder, uid, gid);
  return RUN_AS;
}

function chownTree(path: string, uid: number, gid: number): void {
  chownSync(path, uid, gid);
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) chownTree(child, uid, gid);
    else chownSync(child, uid, gid);
  }
}

function errorLog(dir: string): string {
  try {
    return readFileSync(join(dir, 'error.log'), 'utf8').slice(-4000);
  } catch {
    return '';
  }
}

async function untilListening(port: number, server: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`Apache did not start (exit ${server.exitCode}):\n${log()}`);
    if (await accepts(port)) return;
    if (Date.now() > deadline) throw new Error(`Apache did not listen on port ${port} within 30 s:\n${log()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** SIGTERM: Apache stops its children at once (a graceful stop would wait for open connections). */
function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    server.once('exit', () => resolve());
    server.kill('SIGTERM');
  });
}
