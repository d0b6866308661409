import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chownSync, closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** What installs the server when it is missing (Debian's package; `.ci/run` installs it itself). */
export const POSTGRES_INSTALL = 'sudo apt-get install -y postgresql';

export interface PostgresCluster {
  /** postgres://postgres@127.0.0.1:PORT — the superuser, trusted on loopback only. */
  url: string;
  /** The URL of database `name` on this cluster. */
  urlOf(name: string): string;
  stop(): Promise<void>;
}

/**
 * A throwaway PostgreSQL cluster: initdb into a temporary folder, the server on 127.0.0.1 at a free
 * port, its socket in that folder, durability off (a test database need not survive a power cut), removed
 * on stop. As root (CI) it runs as the `postgres` user, since the server refuses to run as root.
 */
export async function startPostgresCluster(): Promise<PostgresCluster> {
  const bin = postgresBinaries();
  const dir = mkdtempSync(join(tmpdir(), 'fs-postgres-'));
  const data = join(dir, 'data');
  const owner = process.getuid?.() === 0 ? postgresUser(dir) : {};
  execFileSync(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync'], { ...owner, stdio: ['ignore', 'ignore', 'pipe'] });
  const port = await freePort();
  const settings = ['listen_addresses=127.0.0.1', 'fsync=off', 'synchronous_commit=off', 'full_page_writes=off', 'max_connections=300'];
  // The server logs to a file, not a pipe: the suite's runner (test-on-postgres.ts) waits in spawnSync and
  // would read no pipe, and a full one stopped every backend that logged (DROP DATABASE … WITH (FORCE) does).
  const logFile = join(dir, 'postgres.log');
  const logFd = openSync(logFile, 'a');
  const server = spawn(join(bin, 'postgres'), ['-D', data, '-p', String(port), '-k', dir, ...settings.flatMap((setting) => ['-c', setting])], { ...owner, stdio: ['ignore', 'ignore', logFd] });
  closeSync(logFd);
  const log = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-4000) : '');
  const url = `postgres://postgres@127.0.0.1:${port}`;
  try {
    await untilAccepting(`${url}/postgres`, server, log);
  } catch (error) {
    await stopServer(server);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url,
    urlOf: (name) => `${url}/${name}`,
    async stop() {
      await stopServer(server);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The folder of initdb and postgres: on PATH, else Debian's newest /usr/lib/postgresql/N/bin. */
function postgresBinaries(): string {
  try {
    return execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    // pg_config is in libpq-dev, which the server does not need.
  }
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((name) => existsSync(join(root, name, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a)) : [];
  if (versions.length === 0) throw new Error(`The PostgreSQL tests need a PostgreSQL server (initdb and postgres), and this machine has none. Install it with:\n  ${POSTGRES_INSTALL}`);
  return join(root, versions[0]!, 'bin');
}

/** As root: the cluster's folder is the `postgres` user's (Debian's package makes it), and so are its processes. */
function postgresUser(dir: string): { uid: number; gid: number } {
  const id = (flag: string): number => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  let owner: { uid: number; gid: number };
  try {
    owner = { uid: id('-u'), gid: id('-g') };
  } catch {
    throw new Error(`PostgreSQL refuses to run as root, and this machine has no "postgres" user to run it as. Install the server with:\n  ${POSTGRES_INSTALL}`);
  }
  chownSync(dir, owner.uid, owner.gid);
  return owner;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function untilAccepting(url: string, server: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`PostgreSQL did not start (exit ${server.exitCode}):\n${log()}`);
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw new Error(`PostgreSQL did not accept connections within 30 s:\n${log()}`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Fast shutdown (SIGINT): open connections are ended, nothing is flushed for a cluster about to go. */
function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    server.once('exit', () => resolve());
    server.kill('SIGINT');
  });
}
