/**
 * The distributable link against a source that misbehaves, and a companion's outbound closing with it
 * (issue 18, "One way out"). A TCP proxy on 127.0.0.1 stands between the companion and the sandbox and,
 * for content requests only, alters the answer byte for byte.
 */
import assert from 'node:assert/strict';
import { get } from 'node:http';
import { createConnection, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import type { PickResponse } from '../../src/protocol/pick.ts';
import type { RunningSandbox } from '../../src/sandbox/sandbox.ts';
import { buildApp, type CompanionApp } from '../../companion/src/app.ts';
import { GrantStore } from '../../companion/src/auth/grants.ts';
import { SessionStore } from '../../companion/src/auth/sessions.ts';
import { parseConfig } from '../../companion/src/config.ts';
import type { Db } from '../../companion/src/db/database.ts';
import { listen, type Listening } from '../../companion/src/listen.ts';
import { Outbound } from '../../companion/src/outbound/index.ts';
import { SecretBox } from '../../companion/src/security/secrets.ts';
import { TEST_APP, TEST_ORIGIN } from '../helpers/companion.ts';
import { openTestDatabase } from '../helpers/test-database.ts';
import { AUTH, nodeAt, startTestSandbox } from '../helpers/sandbox.ts';

const KEY = Buffer.alloc(32, 5).toString('base64');
const BIG = 'Large Files/large-256MiB.bin';
const SMALL = 'Café menu.txt';

type Mode = 'pass' | 'stall' | 'transfer-encoding-and-content-length';

interface Proxy {
  url: string;
  mode: Mode;
  /** Connections from the companion, and whether each is still open. */
  connections: Array<{ socket: Socket; closed: boolean }>;
  close(): Promise<void>;
}

/**
 * Passes bytes both ways; in `stall` mode an answer to a content request stops after its head and
 * 64 KiB (both connections left open), in the other mode its head gets a Transfer-Encoding beside its
 * Content-Length (or a Content-Length beside its Transfer-Encoding).
 */
async function startProxy(target: string): Promise<Proxy> {
  const { hostname, port } = new URL(target);
  const proxy: Proxy = { url: '', mode: 'pass', connections: [], close: async () => undefined };
  const server: Server = createServer((client) => {
    const entry = { socket: client, closed: false };
    proxy.connections.push(entry);
    const upstream = createConnection({ host: hostname, port: Number(port) });
    let content = false;
    let head: Buffer | undefined;
    let passed = 0;
    client.on('data', (data: Buffer) => {
      const line = /^[A-Z]+ (\S+) HTTP\/1\.1\r\n/.exec(data.toString('latin1', 0, 2048));
      if (line) {
        content = proxy.mode !== 'pass' && line[1]!.includes('/content');
        head = content ? Buffer.alloc(0) : undefined;
        passed = 0;
      }
      upstream.write(data);
    });
    upstream.on('data', (data: Buffer) => {
      if (!content) return void client.write(data);
      if (proxy.mode === 'stall') {
        const allowed = Math.max(0, 64 * 1024 + 1024 - passed);
        if (allowed > 0) client.write(data.subarray(0, allowed));
        passed += data.length;
        if (passed >= 64 * 1024 + 1024) upstream.pause();
        return;
      }
      if (head === undefined) return void client.write(data);
      head = Buffer.concat([head, data]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      const text = head.toString('latin1', 0, end);
      const added = /\r\ncontent-length:/i.test(text) ? 'Transfer-Encoding: chunked' : 'Content-Length: 5';
      const statusEnd = head.indexOf('\r\n');
      client.write(Buffer.concat([head.subarray(0, statusEnd + 2), Buffer.from(`${added}\r\n`), head.subarray(statusEnd + 2)]));
      head = undefined;
    });
    const closeBoth = () => {
      entry.closed = true;
      client.destroy();
      upstream.destroy();
    };
    client.on('close', closeBoth).on('error', () => undefined);
    upstream.on('close', closeBoth).on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = async () => {
    for (const { socket } of proxy.connections) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  };
  return proxy;
}

interface Running {
  app: CompanionApp;
  server: Listening;
  db: Db;
  /** The link of each file picked, on the listening companion. */
  links: Record<string, string>;
}

/** A listening companion whose Alfresco is `repositoryUrl`, with SMALL and BIG picked by admin. */
async function startCompanion(sandbox: RunningSandbox, repositoryUrl: string, outbound?: Outbound): Promise<Running> {
  const db = await openTestDatabase();
  const config = parseConfig({ encryptionKey: KEY, alfresco: { repositoryUrl }, apps: [TEST_APP] });
  const app = await buildApp(config, { db, logger: pino({ level: 'silent' }), ...(outbound ? { outbound } : {}) });
  const server = await listen(app);
  const ticket = (await (await fetch(`${sandbox.url}${AUTH}/tickets`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ userId: 'admin', password: 'admin' }) })).json()) as { entry: { id: string } };
  const grant = await new GrantStore(db, new SecretBox(KEY)).create({ appKey: TEST_APP.apiKey, source: 'ALFRESCO', userId: 'admin', userName: 'admin', kind: 'ticket', accessToken: ticket.entry.id, refreshToken: undefined, expiresAt: undefined });
  const session = await new SessionStore(db).create(grant.id, TEST_APP.apiKey);
  const files = [SMALL, BIG];
  const ids = await Promise.all(files.map(async (path) => (await nodeAt(sandbox, path)).id));
  const picked = await fetch(`${server.url}/api/pick?key=${TEST_APP.apiKey}`, {
    method: 'POST',
    headers: { Origin: TEST_ORIGIN, Authorization: `Bearer ${session}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ itemIds: ids }),
  });
  assert.equal(picked.status, 200, await picked.clone().text());
  const { blobs } = (await picked.json()) as PickResponse;
  return { app, server, db, links: Object.fromEntries(files.map((path, index) => [path, `${server.url}/api/file/${blobs[index]!.handle}`])) };
}

/** Reads a link with Node's client: status, the length promised, the bytes that came, and how it ended. */
function download(url: string): Promise<{ status: number; length: number; received: number; body: Buffer; ended: 'complete' | 'cut' }> {
  return new Promise((resolve, reject) => {
    get(url, (response) => {
      const chunks: Buffer[] = [];
      let received = 0;
      const finish = (ended: 'complete' | 'cut') => resolve({ status: response.statusCode ?? 0, length: Number(response.headers['content-length']), received, body: Buffer.concat(chunks), ended });
      response.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (chunks.length < 64) chunks.push(chunk);
      });
      // A connection that ends before the body is whole: 'close' without `complete` (Node's client also says 'aborted').
      response.on('close', () => finish(response.complete ? 'complete' : 'cut'));
      response.on('error', () => undefined);
    }).on('error', reject);
  });
}

let sandbox: RunningSandbox;
before(async () => {
  sandbox = await startTestSandbox();
});
after(() => sandbox.close());

describe('GET /api/file/:handle from a source that misbehaves', () => {
  let proxy: Proxy;
  let companion: Running;
  let outbound: Outbound;
  before(async () => {
    proxy = await startProxy(sandbox.url);
    outbound = new Outbound({ timeouts: { idleMs: 300 } });
    companion = await startCompanion(sandbox, proxy.url, outbound);
  });
  after(async () => {
    await companion.server.close();
    await outbound.close();
    await companion.db.destroy();
    await proxy.close();
  });

  test('the control: through the proxy unaltered, the download is whole', async () => {
    proxy.mode = 'pass';
    const answer = await download(companion.links[SMALL]!);
    assert.equal(answer.status, 200);
    assert.equal(answer.ended, 'complete');
    assert.equal(answer.received, answer.length);
  });

  test('an answer with both Transfer-Encoding and Content-Length is refused: a 502, and none of its bytes relayed', async () => {
    proxy.mode = 'transfer-encoding-and-content-length';
    const answer = await download(companion.links[SMALL]!);
    assert.equal(answer.status, 502);
    const { error } = JSON.parse(answer.body.toString()) as { error: { code: string; message: string } };
    assert.equal(error.code, 'FS_ERR_UPSTREAM');
    assert.match(error.message, /^The source at http:\/\/127\.0\.0\.1:\d+ answered with something other than HTTP\.$/);
    assert.ok(!answer.body.includes(Buffer.from('menu', 'latin1')), 'nothing of the file reached the reader');
  });

  test('a body that stalls is cut after the idle timeout: the reader sees the connection end before Content-Length bytes', async () => {
    proxy.mode = 'stall';
    const started = performance.now();
    const answer = await download(companion.links[BIG]!);
    assert.equal(answer.status, 200);
    assert.equal(answer.length, 256 * 2 ** 20);
    assert.equal(answer.ended, 'cut');
    assert.ok(answer.received > 0 && answer.received < answer.length, `received ${answer.received} of ${answer.length}`);
    assert.ok(performance.now() - started < 5000, 'cut after the idle timeout (300 ms), not the source’s');
  });
});

describe('closing a companion', () => {
  test('closes its pooled connections to the source (API calls and downloads alike)', async () => {
    const proxy = await startProxy(sandbox.url);
    // No outbound given: buildApp makes its own, which the app's close() ends.
    const companion = await startCompanion(sandbox, proxy.url);
    try {
      const answer = await download(companion.links[SMALL]!);
      assert.equal(answer.received, answer.length);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const open = proxy.connections.filter((connection) => !connection.closed);
      assert.ok(open.length >= 2, `the pick's and the download's connections wait in the pools (${open.length} open)`);
      await companion.server.close();
      await companion.app.close();
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.deepEqual(
        proxy.connections.filter((connection) => !connection.closed).map(({ socket }) => socket.remotePort),
        [],
        'every connection from the companion closed with it',
      );
    } finally {
      await companion.db.destroy();
      await proxy.close();
    }
  });
});
