import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Hono } from 'hono';
import { pino } from 'pino';
import type { FsBlob } from '../../src/protocol/blob.ts';
import type { Companion } from '../../companion/src/context.ts';
import { errorHandler } from '../../companion/src/errors.ts';
import { HandleStore } from '../../companion/src/files/handles.ts';
import { ProviderRegistry } from '../../companion/src/providers/registry.ts';
import { storeRoutes } from '../../companion/src/routes/store.ts';
import { appAccess, type AppEnv } from '../../companion/src/security/app-access.ts';
import { isPublicAddress, Outbound } from '../../companion/src/outbound/index.ts';
import { startCompanion, TEST_APP, TEST_ORIGIN, type CompanionHarness } from '../helpers/companion.ts';
import { startTestSandbox } from '../helpers/sandbox.ts';
import type { RunningSandbox } from '../../src/sandbox/sandbox.ts';

type Answer = { blob: FsBlob } & { error: { code: string; message: string; field?: string } };

/** A web server on 127.0.0.1 playing the remote side. */
async function startOrigin(): Promise<{ server: Server; port: number; hits: string[] }> {
  const hits: string[] = [];
  let port = 0;
  const server = createServer((request, response) => {
    hits.push(`${request.headers.host} ${request.url}`);
    switch (request.url) {
      case '/files/report.pdf':
        response.writeHead(200, { 'Content-Type': 'application/pdf; charset=binary', 'Content-Length': '11' }).end('%PDF-1.7 hi');
        return;
      case '/download?id=7':
        response.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Disposition': `attachment; filename="x.txt"; filename*=UTF-8''${encodeURIComponent('Größe.txt')}` }).end('named');
        return;
      case '/to-loopback':
        response.writeHead(302, { Location: `http://127.0.0.1:${port}/files/report.pdf` }).end();
        return;
      case '/to-metadata':
        response.writeHead(301, { Location: 'http://169.254.169.254/latest/meta-data/' }).end();
        return;
      case '/to-file-scheme':
        response.writeHead(302, { Location: 'file:///etc/passwd' }).end();
        return;
      case '/relative':
        response.writeHead(307, { Location: '/files/report.pdf' }).end();
        return;
      case '/missing':
        response.writeHead(404).end();
        return;
      case '/slow':
        response.writeHead(200, { 'Content-Type': 'application/octet-stream' });
        response.write('a');
        setTimeout(() => response.end('b'), 3000).unref();
        return;
      default: {
        const loop = /^\/loop\/(\d+)$/.exec(request.url ?? '');
        if (loop) {
          response.writeHead(302, { Location: `/loop/${Number(loop[1]) + 1}` }).end();
          return;
        }
        response.writeHead(500).end();
      }
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  return { server, port, hits };
}

const storeUrl = async (harness: { call: (path: string, init: RequestInit) => Response | Promise<Response> }, url: string, options?: object) =>
  harness.call('/api/store-url', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ url, ...(options ? { options } : {}) }) });

describe('address classification', () => {
  test('loopback, private, CGNAT, ULA, link-local, metadata, multicast, unspecified and reserved are not public', () => {
    for (const address of ['127.0.0.1', '127.255.0.9', '10.0.0.1', '172.16.0.1', '172.31.255.255', '192.168.1.1', '100.64.0.1', '100.100.100.200', '169.254.169.254', '169.254.1.1', '0.0.0.0', '224.0.0.251', '239.1.1.1', '240.0.0.1', '255.255.255.255', '198.18.0.1', '192.0.2.1', '::', '::1', 'fd00:ec2::254', 'fc00::1', 'fe80::1', 'fe80::1%eth0', 'ff02::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:169.254.169.254', '64:ff9b::a9fe:a9fe', '2002:7f00:1::1', '2001:db8::1', '::127.0.0.1', 'not-an-ip']) {
      assert.equal(isPublicAddress(address), false, address);
    }
  });

  test('public addresses are public', () => {
    for (const address of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '93.184.216.34', '2606:4700:4700::1111', '2a00:1450:4001::200e', '::ffff:8.8.8.8', '64:ff9b::808:808']) {
      assert.equal(isPublicAddress(address), true, address);
    }
  });
});

describe('POST /api/store-url', () => {
  let origin: Awaited<ReturnType<typeof startOrigin>>;
  let sandbox: RunningSandbox;
  let strict: CompanionHarness;
  let intranet: CompanionHarness;
  before(async () => {
    origin = await startOrigin();
    sandbox = await startTestSandbox();
    strict = await startCompanion({}, sandbox);
    intranet = await startCompanion({ apps: [{ ...TEST_APP, allowPrivateUrls: true }] }, sandbox);
  });
  after(async () => {
    await strict.close();
    await intranet.close();
    await sandbox.close();
    await new Promise((resolve) => origin.server.close(resolve));
  });

  test('a URL on 127.0.0.1 is refused (403 FS_ERR_URL_REFUSED) without being fetched', async () => {
    const hitsBefore = origin.hits.length;
    const response = await storeUrl(strict, `http://127.0.0.1:${origin.port}/files/report.pdf`);
    const answer = (await response.json()) as Answer;

    assert.equal(response.status, 403);
    assert.equal(answer.error.code, 'FS_ERR_URL_REFUSED');
    assert.match(answer.error.message, /does not fetch from private, loopback, link-local or reserved addresses/);
    assert.equal(origin.hits.length, hitsBefore);
  });

  test('localhost (resolved by DNS), [::1], the metadata address and an IPv4-mapped loopback are refused too', async () => {
    for (const url of [`http://localhost:${origin.port}/files/report.pdf`, `http://[::1]:${origin.port}/`, 'http://169.254.169.254/latest/meta-data/', `http://[::ffff:127.0.0.1]:${origin.port}/`, `http://2130706433:${origin.port}/`]) {
      const response = await storeUrl(strict, url);
      assert.equal(response.status, 403, url);
    }
  });

  test('only http and https: other schemes are a 400', async () => {
    for (const url of ['file:///etc/passwd', 'ftp://example.com/x', 'gopher://127.0.0.1:70/']) {
      const response = await storeUrl(strict, url);
      assert.equal(response.status, 400, url);
      assert.equal(((await response.json()) as Answer).error.field, 'url');
    }
  });

  test('with allowPrivateUrls the app may store from 127.0.0.1: name, type and bytes come from the answer', async () => {
    const response = await storeUrl(intranet, `http://127.0.0.1:${origin.port}/files/report.pdf`, { path: 'web/' });
    const { blob } = (await response.json()) as Answer;

    assert.equal(response.status, 200);
    assert.deepEqual([blob.filename, blob.mimetype, blob.size, blob.client, blob.source, blob.path], ['report.pdf', 'application/pdf', 11, 'URL', 'URL', 'web/']);
    assert.equal(await readFile(join(intranet.storageRoot, blob.key!), 'utf8'), '%PDF-1.7 hi');
    assert.equal((await new HandleStore(intranet.db).get(blob.handle))?.source, 'URL');
  });

  test('Content-Disposition names the file; options override name and type; a relative redirect is followed', async () => {
    const named = ((await (await storeUrl(intranet, `http://127.0.0.1:${origin.port}/download?id=7`)).json()) as Answer).blob;
    const overridden = ((await (await storeUrl(intranet, `http://127.0.0.1:${origin.port}/relative`, { filename: 'mine.bin', mimetype: 'application/x-mine' })).json()) as Answer).blob;

    assert.equal(named.filename, 'Größe.txt');
    assert.deepEqual([overridden.filename, overridden.mimetype, overridden.size], ['mine.bin', 'application/x-mine', 11]);
  });

  test('allowPrivateUrls still limits redirects (5) and schemes; a 404 is FS_ERR_NOT_FOUND', async () => {
    const loop = await storeUrl(intranet, `http://127.0.0.1:${origin.port}/loop/0`);
    const fileScheme = await storeUrl(intranet, `http://127.0.0.1:${origin.port}/to-file-scheme`);
    const missing = await storeUrl(intranet, `http://127.0.0.1:${origin.port}/missing`);

    assert.equal(loop.status, 502);
    assert.match(((await loop.json()) as Answer).error.message, /redirects more than 5 times/);
    assert.equal(fileScheme.status, 403);
    assert.equal(missing.status, 404);
    assert.ok(origin.hits.includes(`127.0.0.1:${origin.port} /loop/5`));
    assert.ok(!origin.hits.includes(`127.0.0.1:${origin.port} /loop/6`));
  });

  test('storeUrl is subject to the policy’s url rule', async () => {
    const { encodePolicy, signPolicy } = await import('../../companion/src/security/policy.ts');
    const policy = encodePolicy({ expiry: Math.floor(Date.now() / 1000) + 600, call: ['store'], url: 'https://cdn\\.example\\.com/.*' });
    const response = await intranet.call(`/api/store-url?policy=${encodeURIComponent(policy)}&signature=${signPolicy(policy, TEST_APP.appSecret)}`, {
      method: 'POST',
      body: JSON.stringify({ url: `http://127.0.0.1:${origin.port}/files/report.pdf` }),
    });

    assert.equal(response.status, 403);
    assert.match(((await response.json()) as Answer).error.message, /"url" rule/);
  });
});

describe('POST /api/store-url through a host that looks public (injected resolver)', () => {
  let origin: Awaited<ReturnType<typeof startOrigin>>;
  let harness: CompanionHarness;
  let app: Hono<AppEnv>;
  let outbound: Outbound;
  before(async () => {
    origin = await startOrigin();
    harness = await startCompanion();
    const logger = pino({ level: 'silent' });
    outbound = new Outbound();
    const companion = { config: harness.config, publicUrl: 'http://companion.test', db: harness.db, handles: new HandleStore(harness.db), sources: new ProviderRegistry([]), logger, outbound } as unknown as Companion;
    // Every name resolves to the loopback origin, and only public.test counts as public there; every
    // other host (127.0.0.1 after a redirect among them) goes through the real check.
    const routes = storeRoutes(companion, {
      fetch: {
        resolve: async () => [{ address: '127.0.0.1', family: 4 }],
        isAllowed: (address, hostname) => hostname === 'public.test' || isPublicAddress(address),
        timeoutMs: 500,
      },
    });
    app = new Hono<AppEnv>().use(appAccess(harness.config.apps)).route('/api', routes).onError(errorHandler(logger));
  });
  after(async () => {
    await harness.close();
    await outbound.close();
    await new Promise((resolve) => origin.server.close(resolve));
  });

  const call = (path: string, init: RequestInit = {}) => app.request(`${path}?key=${TEST_APP.apiKey}`, { ...init, headers: { Origin: TEST_ORIGIN } });

  test('the public-looking host itself can be stored from (the control)', async () => {
    const response = await storeUrl({ call }, `http://public.test:${origin.port}/files/report.pdf`);

    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as Answer).blob.size, 11);
    assert.ok(origin.hits.includes(`public.test:${origin.port} /files/report.pdf`), 'connected to the resolved address with the host name kept');
  });

  test('its redirect to 127.0.0.1 is refused, and the loopback URL is never requested', async () => {
    const hitsBefore = origin.hits.length;
    const filesBefore = await readdir(harness.storageRoot, { recursive: true });

    const response = await storeUrl({ call }, `http://public.test:${origin.port}/to-loopback`);
    const answer = (await response.json()) as Answer;

    assert.equal(response.status, 403);
    assert.equal(answer.error.code, 'FS_ERR_URL_REFUSED');
    assert.match(answer.error.message, /redirected to http:\/\/127\.0\.0\.1:\d+/);
    assert.deepEqual(origin.hits.slice(hitsBefore), [`public.test:${origin.port} /to-loopback`]);
    assert.deepEqual(await readdir(harness.storageRoot, { recursive: true }), filesBefore);
  });

  test('its redirect to the cloud metadata address is refused', async () => {
    const response = await storeUrl({ call }, `http://public.test:${origin.port}/to-metadata`);

    assert.equal(response.status, 403);
  });

  test('a source slower than the time limit is cut off: 502, nothing stored', async () => {
    const before = (await harness.db.selectFrom('handles').selectAll().execute()).length;
    const started = Date.now();
    const response = await storeUrl({ call }, `http://public.test:${origin.port}/slow`);

    assert.equal(response.status, 502);
    assert.match(((await response.json()) as Answer).error.message, /did not finish sending within 0.5 s/);
    assert.ok(Date.now() - started < 2500);
    assert.equal((await harness.db.selectFrom('handles').selectAll().execute()).length, before);
  });
});
