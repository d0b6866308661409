import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { buildApp, type CompanionApp } from '../../companion/src/app.ts';
import { parseConfig, type CompanionConfig, type CompanionConfigInput } from '../../companion/src/config.ts';
import type { Db } from '../../companion/src/db/database.ts';
import { openTestDatabase } from '../helpers/test-database.ts';
import { isMetadataHost, isNeverReachable, Outbound, type ResolvedAddress } from '../../companion/src/outbound/index.ts';
import { Webhooks } from '../../companion/src/webhooks/webhooks.ts';

/*
 * SSRF (issue 19): what no URL reaches even where private ones are allowed (link-local, cloud metadata,
 * the companion's own ports), in every form; and the URLs the portal saves, checked when saved and when
 * a webhook is delivered, unless the operator allows private targets. Real servers on 127.0.0.1; DNS is
 * faked through the outbound's resolver.
 */

const KEY = Buffer.alloc(32, 5).toString('base64');
const APP = { apiKey: 'ssrf-app-key-1', name: 'SSRF app', allowedOrigins: ['https://app.example.com'] };
const ORIGIN = 'https://app.example.com';
const PASSWORD = 'ssrf portal password';
const SECRET = 'ssrf-webhook-secret-0123456789';

type ErrorBody = { error: { code: string; message: string; field?: string } };

/** A server on 127.0.0.1 playing an intranet site: a file, redirects into metadata space, and a webhook receiver. */
async function startIntranet(): Promise<{ url: string; port: number; hits: Array<{ method: string; host: string; path: string }>; close(): Promise<void> }> {
  const hits: Array<{ method: string; host: string; path: string }> = [];
  const server = createServer((request, response) => {
    hits.push({ method: request.method ?? '', host: request.headers.host ?? '', path: request.url ?? '' });
    const redirect = (location: string) => response.writeHead(302, { Location: location }).end();
    switch (request.url) {
      case '/file.txt':
        return void response.writeHead(200, { 'Content-Type': 'text/plain' }).end('intranet bytes');
      case '/to-metadata':
        return redirect('http://169.254.169.254/latest/meta-data/iam/security-credentials/');
      case '/to-mapped-metadata':
        return redirect('http://[::ffff:169.254.169.254]/latest/meta-data/');
      case '/to-decimal-metadata':
        return redirect('http://2852039166/latest/meta-data/');
      case '/to-metadata-name':
        return redirect('http://metadata.google.internal/computeMetadata/v1/');
      case '/to-name-of-metadata':
        return redirect('http://rebound.test/latest/meta-data/');
      default:
        request.resume();
        request.on('end', () => response.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok'));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    hits,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Fake DNS: names to addresses; any other name does not resolve. Counts the questions. */
function fakeDns(table: Record<string, string[] | (() => string[])>) {
  const asked: string[] = [];
  const resolve = async (hostname: string): Promise<ResolvedAddress[]> => {
    asked.push(hostname);
    const entry = table[hostname];
    if (entry === undefined) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return (typeof entry === 'function' ? entry() : entry).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return { resolve, asked };
}

interface Running {
  app: CompanionApp;
  db: Db;
  config: CompanionConfig;
  outbound: Outbound;
  logs: string[];
  storeUrl(url: string): Promise<Response>;
  handles(): Promise<number>;
  close(): Promise<void>;
}

/** A companion built in process with its own outbound (fake DNS), an in-memory database and a temporary storage folder. */
async function startCompanion({ app = {}, resolve, ...config }: Partial<CompanionConfigInput> & { app?: object; resolve?: ReturnType<typeof fakeDns>['resolve'] } = {}): Promise<Running> {
  const storageRoot = await mkdtemp(join(tmpdir(), 'fs-ssrf-'));
  const db = await openTestDatabase();
  const parsed = parseConfig({ encryptionKey: KEY, alfresco: { repositoryUrl: 'http://127.0.0.1:9' }, storage: { local: { root: storageRoot } }, apps: [{ ...APP, ...app }], ...config });
  const outbound = new Outbound(resolve ? { resolve } : {});
  const logs: string[] = [];
  const logger = pino({ level: 'warn' }, new Writable({ write: (chunk: Buffer, _encoding, done) => (logs.push(chunk.toString()), done()) }));
  const built = await buildApp(parsed, { db, logger, outbound });
  return {
    app: built,
    db,
    config: parsed,
    outbound,
    logs,
    storeUrl: async (url) => built.request(`/api/store-url?key=${APP.apiKey}`, { method: 'POST', headers: { Origin: ORIGIN, 'Content-Type': 'application/json' }, body: JSON.stringify({ url }) }),
    handles: async () => (await db.selectFrom('handles').selectAll().execute()).length,
    async close() {
      await built.close();
      await outbound.close();
      await db.destroy();
      await rm(storageRoot, { recursive: true, force: true });
    },
  };
}

async function refusal(response: Response): Promise<ErrorBody['error']> {
  const text = await response.text();
  assert.equal(response.status, 403, text);
  const { error } = JSON.parse(text) as ErrorBody;
  assert.equal(error.code, 'FS_ERR_URL_REFUSED');
  return error;
}

describe('addresses no URL reaches', () => {
  test('link-local, unspecified and cloud metadata addresses, also inside IPv6', () => {
    for (const address of [
      '169.254.169.254', // AWS, GCP, Azure, OpenStack… metadata
      '169.254.170.2', // AWS ECS credentials
      '169.254.0.1',
      '100.100.100.200', // Alibaba
      '192.0.0.192', // Oracle
      '168.63.129.16', // Azure WireServer
      '0.0.0.0',
      '::',
      'fe80::1',
      'fe80::1%eth0',
      'febf::1',
      'fd00:ec2::254', // AWS IMDS over IPv6
      '::ffff:169.254.169.254',
      '::ffff:a9fe:a9fe',
      '::a9fe:a9fe', // compatible
      '::ffff:0:a9fe:a9fe', // translated
      '64:ff9b::a9fe:a9fe', // NAT64
      '64:ff9b:1::a9fe:a9fe', // local-use NAT64
      '2002:a9fe:a9fe::1', // 6to4
      '2001:0:102:304::5601:5601', // Teredo, client 169.254.169.254 obfuscated
      '::ffff:100.100.100.200',
      'not an address',
    ]) {
      assert.equal(isNeverReachable(address), true, address);
    }
  });

  test('ordinary private and public addresses are not among them (the app or operator decides those)', () => {
    for (const address of ['127.0.0.1', '::1', '10.0.0.5', '192.168.1.10', '172.16.0.1', '100.64.0.1', 'fd12:3456::1', '::ffff:10.0.0.5', '8.8.8.8', '2606:4700:4700::1111', 'fe00::1', 'fec0::1']) {
      assert.equal(isNeverReachable(address), false, address);
    }
  });

  test('metadata names, whatever their case and with a trailing dot', () => {
    for (const name of ['metadata.google.internal', 'METADATA.GOOGLE.INTERNAL.', 'metadata.goog', 'metadata', 'instance-data', 'instance-data.ec2.internal', 'metadata.tencentyun.com', 'metadata.platformequinix.com']) {
      assert.equal(isMetadataHost(name), true, name);
    }
    for (const name of ['metadata.example.com', 'google.internal', 'example.com']) assert.equal(isMetadataHost(name), false, name);
  });
});

describe('storeUrl with allowPrivateUrls: an intranet is allowed, metadata and the companion itself never', () => {
  let intranet: Awaited<ReturnType<typeof startIntranet>>;
  let open: Running;
  let strict: Running;
  let rebinding = 0;
  const dns = fakeDns({
    'intranet.test': ['127.0.0.1'],
    'imds.test': ['169.254.169.254'],
    'mixed.test': ['127.0.0.1', '169.254.169.254'],
    'imds6.test': ['fd00:ec2::254'],
    'rebound.test': ['169.254.169.254'],
    // First answer loopback (allowed), every later one the metadata address.
    'rebind.test': () => (rebinding++ === 0 ? ['127.0.0.1'] : ['169.254.169.254']),
  });
  before(async () => {
    intranet = await startIntranet();
    open = await startCompanion({ app: { allowPrivateUrls: true }, resolve: dns.resolve });
    strict = await startCompanion({ resolve: dns.resolve });
  });
  after(async () => {
    await open.close();
    await strict.close();
    await intranet.close();
  });

  test('the control: a 127.0.0.1 server is stored from with allowPrivateUrls, and refused without', async () => {
    const allowed = await open.storeUrl(`${intranet.url}/file.txt`);
    assert.equal(allowed.status, 200, await allowed.clone().text());
    assert.equal(((await allowed.json()) as { blob: { size: number } }).blob.size, 'intranet bytes'.length);

    const hits = intranet.hits.length;
    const error = await refusal(await strict.storeUrl(`${intranet.url}/file.txt`));
    assert.match(error.message, /does not fetch from private, loopback, link-local or reserved addresses/);
    assert.equal(intranet.hits.length, hits, 'not fetched');
  });

  test('every form of a link-local or metadata address is refused (403, field url), nothing stored', async () => {
    const before = await open.handles();
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'http://2852039166/latest/meta-data/', // decimal
      'http://0xA9FEA9FE/', // hex
      'http://0251.0376.0251.0376/', // octal
      'http://0xa9.0xfe.0xa9.0xfe/',
      'http://169.254.43518/', // two-part shorthand
      'http://[::ffff:169.254.169.254]/',
      'http://[::ffff:a9fe:a9fe]/',
      'http://[::a9fe:a9fe]/',
      'http://[::ffff:0:a9fe:a9fe]/',
      'http://[64:ff9b::a9fe:a9fe]/',
      'http://[2002:a9fe:a9fe::1]/',
      'http://[2001:0:102:304::5601:5601]/',
      'http://[fe80::1]/',
      'http://[fd00:ec2::254]/latest/meta-data/',
      'http://100.100.100.200/latest/meta-data/',
      'http://192.0.0.192/latest/',
      'http://169.254.170.2/v2/credentials/',
      `http://0.0.0.0:${intranet.port}/file.txt`,
      `http://[::]:${intranet.port}/file.txt`,
      'http://metadata.google.internal/computeMetadata/v1/',
      'http://METADATA.GOOGLE.INTERNAL./computeMetadata/v1/',
      'http://metadata/computeMetadata/v1/',
      'http://instance-data/latest/meta-data/',
      'http://metadata.tencentyun.com/latest/meta-data/',
      'https://169.254.169.254/',
    ]) {
      const error = await refusal(await open.storeUrl(url));
      assert.equal(error.field, 'url', url);
      assert.match(error.message, /never fetches from (link-local, unspecified or cloud metadata addresses|cloud metadata services)/, url);
    }
    assert.equal(await open.handles(), before);
    assert.ok(!dns.asked.some((name) => name.includes('metadata') || name === 'instance-data'), 'metadata names are refused before DNS');
  });

  test('names that resolve to metadata addresses are refused, even when another of their addresses is allowed', async () => {
    for (const host of ['imds.test', 'imds6.test', 'mixed.test']) {
      const error = await refusal(await open.storeUrl(`http://${host}:${intranet.port}/file.txt`));
      assert.match(error.message, /never fetches from link-local, unspecified or cloud metadata addresses/, host);
    }
  });

  test('DNS that changes between check and connect: the connection goes to the address checked, DNS is asked once', async () => {
    const hits = intranet.hits.length;
    const asked = dns.asked.filter((name) => name === 'rebind.test').length;
    const response = await open.storeUrl(`http://rebind.test:${intranet.port}/file.txt`);
    assert.equal(response.status, 200, await response.clone().text());
    assert.deepEqual(intranet.hits.slice(hits), [{ method: 'GET', host: `rebind.test:${intranet.port}`, path: '/file.txt' }]);
    assert.equal(dns.asked.filter((name) => name === 'rebind.test').length, asked + 1);
    // The next look at the name gets the metadata address, and is refused.
    await refusal(await open.storeUrl(`http://rebind.test:${intranet.port}/file.txt`));
  });

  test('a redirect from the allowed intranet server into metadata space is refused, and not followed', async () => {
    for (const path of ['/to-metadata', '/to-mapped-metadata', '/to-decimal-metadata', '/to-metadata-name', '/to-name-of-metadata']) {
      const error = await refusal(await open.storeUrl(`${intranet.url}${path}`));
      assert.match(error.message, new RegExp(`${intranet.url}${path} redirected to http`), path);
    }
  });

  test('the companion’s own port is refused on loopback, on names for it and on the machine’s own addresses', async () => {
    // A companion configured to listen on the port the intranet server has: fetching it would succeed if allowed.
    const self = await startCompanion({ port: intranet.port, app: { allowPrivateUrls: true }, resolve: dns.resolve });
    try {
      const own = Object.values(networkInterfaces())
        .flat()
        .filter((entry) => entry !== undefined && !entry.internal && entry.family === 'IPv4')
        .map((entry) => entry!.address);
      const hits = intranet.hits.length;
      for (const url of [`http://127.0.0.1:${intranet.port}/file.txt`, `http://127.1.2.3:${intranet.port}/`, `http://[::1]:${intranet.port}/`, `http://[::ffff:127.0.0.1]:${intranet.port}/`, `http://intranet.test:${intranet.port}/file.txt`, ...own.map((address) => `http://${address}:${intranet.port}/`)]) {
        const error = await refusal(await self.storeUrl(url));
        assert.match(error.message, new RegExp(`does not fetch from itself .*port ${intranet.port} of this machine is the companion's own`), url);
      }
      assert.equal(intranet.hits.length, hits, 'the companion never called its own port');
      // Another port of the same machine stays an ordinary private address.
      const other = await startIntranet();
      try {
        assert.equal((await self.storeUrl(`${other.url}/file.txt`)).status, 200);
      } finally {
        await other.close();
      }
    } finally {
      await self.close();
    }
  });

  test('a port the companion learns once it listens (main.ts: addOwnPort) is refused too', async () => {
    const outbound = new Outbound();
    try {
      const control = await outbound.fetchPublic(`${intranet.url}/file.txt`, { allowPrivate: true });
      control.body.destroy();
      assert.equal(control.status, 200);
      outbound.addOwnPort(intranet.port);
      await assert.rejects(outbound.fetchPublic(`${intranet.url}/file.txt`, { allowPrivate: true }), { code: 'FS_ERR_URL_REFUSED', field: 'url' });
    } finally {
      await outbound.close();
    }
  });
});

/** A signed-in portal owner of `companion` (password, CSRF, the companion's own Origin). */
async function portalOwner(companion: Running) {
  const origin = new URL(`http://${companion.config.host}:${companion.config.port}`).origin;
  const signIn = await companion.app.request('/portal/api/session', { method: 'POST', headers: { Origin: origin, 'Content-Type': 'application/json' }, body: JSON.stringify({ password: PASSWORD }) });
  assert.equal(signIn.status, 200, await signIn.clone().text());
  const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
  const { csrf } = (await signIn.json()) as { csrf: string };
  const { apps } = (await (await companion.app.request('/portal/api/apps', { headers: { Cookie: cookie } })).json()) as { apps: Array<{ id: string }> };
  const appId = apps[0]!.id;
  const call = (method: string, path: string, json?: unknown) =>
    companion.app.request(`/portal/api/apps/${appId}${path}`, { method, headers: { Origin: origin, Cookie: cookie, 'X-FS-CSRF': csrf, 'Content-Type': 'application/json' }, ...(json === undefined ? {} : { body: JSON.stringify(json) }) });
  return { appId, call };
}

describe('URLs set in the portal', () => {
  let intranet: Awaited<ReturnType<typeof startIntranet>>;
  let strict: Running;
  let operatorAllows: Running;
  const dns = fakeDns({ 'intranet.test': ['10.1.2.3'], 'hooks.test': ['93.184.216.34'], 'imds.test': ['169.254.169.254'] });
  before(async () => {
    intranet = await startIntranet();
    strict = await startCompanion({ portal: { adminPassword: PASSWORD }, resolve: dns.resolve });
    operatorAllows = await startCompanion({ portal: { adminPassword: PASSWORD }, outbound: { allowPrivateTargets: true }, resolve: dns.resolve });
  });
  after(async () => {
    await strict.close();
    await operatorAllows.close();
    await intranet.close();
  });

  const privateSettings = () => [
    { json: { alfresco: { repositoryUrl: `${intranet.url}/alfresco` } }, field: 'alfresco.repositoryUrl' },
    { json: { alfresco: { issuer: 'https://intranet.test/auth/realms/alfresco' } }, field: 'alfresco.issuer' },
    { json: { storage: { endpoint: 'http://[::1]:9000', bucket: 'private-bucket', region: 'eu-west-1' } }, field: 'storage.endpoint' },
    { json: { storage: { endpoint: 'http://192.168.10.20:9000', bucket: 'private-bucket', region: 'eu-west-1' } }, field: 'storage.endpoint' },
  ];

  test('a repository, issuer or S3 endpoint on a private address is refused with a field error, and not saved', async () => {
    const owner = await portalOwner(strict);
    for (const { json, field } of privateSettings()) {
      const error = await refusal(await owner.call('PATCH', '', json));
      assert.equal(error.field, field, JSON.stringify(json));
      assert.match(error.message, /does not connect to private, loopback, link-local or reserved addresses .*outbound\.allowPrivateTargets/);
    }
    const { app } = (await (await owner.call('GET', '')).json()) as { app: { alfresco: { repositoryUrl: string | null; issuer: string | null }; storage: unknown } };
    assert.deepEqual([app.alfresco.repositoryUrl, app.alfresco.issuer, app.storage], [null, null, null]);
  });

  test('a webhook URL on a private address is refused when added or edited; a public one is saved', async () => {
    const owner = await portalOwner(strict);
    for (const url of [`${intranet.url}/hook`, 'http://localhost:8080/hook', 'http://intranet.test/hook', 'http://10.0.0.8:22/']) {
      const error = await refusal(await owner.call('POST', '/webhooks', { url, events: 'all' }));
      assert.equal(error.field, 'url', url);
    }
    const added = await owner.call('POST', '/webhooks', { url: 'https://hooks.test/fs', events: 'all' });
    assert.equal(added.status, 201, await added.clone().text());
    const { webhook } = (await added.json()) as { webhook: { id: string } };
    assert.equal((await refusal(await owner.call('PATCH', `/webhooks/${webhook.id}`, { url: `${intranet.url}/hook` }))).field, 'url');
    const { app } = (await (await owner.call('GET', '')).json()) as { app: { webhooks: Array<{ url: string }> } };
    assert.deepEqual(app.webhooks.map((hook) => hook.url), ['https://hooks.test/fs']);
  });

  test('with the operator’s allowPrivateTargets the same settings are saved; metadata stays refused', async () => {
    const owner = await portalOwner(operatorAllows);
    for (const { json } of privateSettings()) {
      const response = await owner.call('PATCH', '', json);
      assert.equal(response.status, 200, await response.clone().text());
    }
    assert.equal((await owner.call('POST', '/webhooks', { url: `${intranet.url}/hook`, events: 'all' })).status, 201);
    for (const url of ['http://169.254.169.254/latest/meta-data/', 'http://imds.test/', 'http://metadata.google.internal/', `http://[::ffff:169.254.169.254]/`]) {
      const error = await refusal(await owner.call('POST', '/webhooks', { url, events: 'all' }));
      assert.match(error.message, /never connects to/, url);
    }
    assert.equal((await refusal(await owner.call('PATCH', '', { alfresco: { issuer: 'http://169.254.169.254/' } }))).field, 'alfresco.issuer');
  });
});

describe('webhook deliveries to private addresses', () => {
  let intranet: Awaited<ReturnType<typeof startIntranet>>;
  let closedPort: number;
  let addresses: Record<string, string[]>;
  before(async () => {
    intranet = await startIntranet();
    const closed = await startIntranet();
    closedPort = closed.port;
    await closed.close();
  });
  after(async () => {
    await intranet.close();
  });

  type Attempt = { attempt: number; status: number | null; ok: boolean; error: string | null };

  /** Webhooks on a database of their own for an app with one URL, the operator allowing private targets or not; DNS from `addresses`. */
  async function deliver(appKey: string, url: string, allowPrivateTargets: boolean): Promise<{ log: Attempt[]; lastError: string | null; operatorLog: string }> {
    const config = parseConfig({ encryptionKey: KEY, alfresco: { repositoryUrl: 'http://127.0.0.1:9' }, outbound: { allowPrivateTargets }, apps: [{ apiKey: appKey, name: appKey, allowedOrigins: [], webhooks: [{ url, events: 'all', secret: SECRET }] }] });
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(chunk.toString()), done()) }));
    const outbound = new Outbound({ resolve: fakeDns(addresses).resolve });
    const db = await openTestDatabase();
    const hooks = new Webhooks({ db, config, outbound, logger });
    try {
      await hooks.emit(db, appKey, { action: 'fp.delete', text: { url: 'https://companion.example/api/file/x' } });
      await hooks.drain();
      const [delivery] = await hooks.deliveryLog(appKey);
      return { log: delivery!.attempts.map(({ attempt, status, ok, error }) => ({ attempt, status, ok, error })), lastError: delivery!.lastError, operatorLog: lines.join('') };
    } finally {
      await hooks.stop();
      await outbound.close();
      await db.destroy();
    }
  }

  test('a private receiver is not delivered to; the log says only "could not deliver", as for one that is unreachable', async () => {
    addresses = { 'hooks.test': ['127.0.0.1'] };
    const before = intranet.hits.length;
    const refused = await deliver('refused-app', `${intranet.url}/hook`, false);
    // The portal saved hooks.test when it looked public; now its DNS says loopback.
    const rebound = await deliver('rebound-app', `http://hooks.test:${intranet.port}/hook`, false);
    const metadata = await deliver('metadata-app', 'http://169.254.169.254/hook', true);
    assert.equal(intranet.hits.length, before, 'nothing reached the private receiver');

    const unresolved = await deliver('unresolved-app', 'http://nowhere.test/hook', false);
    const closedPortAllowed = await deliver('closed-app', `http://127.0.0.1:${closedPort}/hook`, true);
    for (const outcome of [refused, rebound, metadata, unresolved, closedPortAllowed]) {
      assert.deepEqual(outcome.log, [{ attempt: 1, status: null, ok: false, error: 'could not deliver' }]);
      assert.equal(outcome.lastError, 'could not deliver');
    }
    // The operator's log has the reason.
    assert.match(refused.operatorLog, /does not connect to private, loopback, link-local or reserved addresses/);
    assert.match(metadata.operatorLog, /never connects to link-local/);
  });

  test('allowed by the operator, a private receiver gets the delivery, on the address checked (Host kept)', async () => {
    addresses = { 'hooks.test': ['127.0.0.1'] };
    const before = intranet.hits.length;
    const allowed = await deliver('allowed-app', `http://hooks.test:${intranet.port}/hook`, true);
    assert.deepEqual(allowed.log, [{ attempt: 1, status: 200, ok: true, error: null }]);
    assert.deepEqual(intranet.hits.slice(before), [{ method: 'POST', host: `hooks.test:${intranet.port}`, path: '/hook' }]);
  });
});
