import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { get } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import sharp from 'sharp';
import { buildApp, type CompanionApp } from '../../companion/src/app.ts';
import { GrantStore } from '../../companion/src/auth/grants.ts';
import { SessionStore } from '../../companion/src/auth/sessions.ts';
import { parseConfig } from '../../companion/src/config.ts';
import type { Db } from '../../companion/src/db/database.ts';
import { listen, type Listening } from '../../companion/src/listen.ts';
import { Outbound } from '../../companion/src/outbound/index.ts';
import { SecretBox } from '../../companion/src/security/secrets.ts';
import type { PickResponse } from '../../src/protocol/pick.ts';
import type { RunningSandbox } from '../../src/sandbox/sandbox.ts';
import { startCompanion, TEST_APP, TEST_ORIGIN, type CompanionHarness } from '../helpers/companion.ts';
import { openTestDatabase } from '../helpers/test-database.ts';
import { connectWithOAuth, countTokenRequests, startOidcCompanion } from '../helpers/companion-auth.ts';
import { startS3rver, type TestS3 } from '../helpers/s3rver.ts';
import { AUTH, basic, CORE, startTestSandbox } from '../helpers/sandbox.ts';

type ErrorAnswer = { error: { code: string; message: string; field?: string } };

/** Puts a file into admin's My Files through the sandbox's REST API; answers its node id. */
async function upload(sandbox: RunningSandbox, name: string, bytes: Buffer, user = 'admin'): Promise<string> {
  const form = new FormData();
  form.set('filedata', new Blob([new Uint8Array(bytes)]), name);
  form.set('autoRename', 'true');
  const response = await fetch(`${sandbox.url}${CORE}/nodes/-my-/children`, { method: 'POST', headers: { Authorization: basic(user) }, body: form });
  assert.equal(response.status, 201, await response.clone().text());
  return ((await response.json()) as { entry: { id: string } }).entry.id;
}

/** Every file below `dir`, temporary ones included. */
async function filesIn(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => `${entry.parentPath}/${entry.name}`).sort();
}

async function errorOf(response: Response, status: number, code: string): Promise<ErrorAnswer['error']> {
  const text = await response.text();
  assert.equal(response.status, status, text);
  const { error } = JSON.parse(text) as ErrorAnswer;
  assert.equal(error.code, code, text);
  return error;
}

/** Reads a link with Node's own client, to see how the connection ended (a web stream in process cannot show it). */
function download(url: string): Promise<{ status: number; length: number; body: Buffer; ended: 'complete' | 'cut' }> {
  return new Promise((resolve, reject) => {
    get(url, (response) => {
      const chunks: Buffer[] = [];
      const length = Number(response.headers['content-length'] ?? -1);
      const settle = (ended: 'complete' | 'cut') => resolve({ status: response.statusCode ?? 0, length, body: Buffer.concat(chunks), ended });
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.once('end', () => settle(response.complete ? 'complete' : 'cut'));
      response.once('error', () => settle('cut'));
      response.once('aborted', () => settle('cut'));
    }).once('error', reject);
  });
}

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('a source that drops a download midway (sandbox dropDownloads)', () => {
  let s3: TestS3;
  let localRoot: string;
  let h: CompanionHarness;
  let session: string;
  let server: Listening;
  const bytes = randomBytes(2 * 1024 * 1024);
  let fileHandle: string;
  let imageHandle: string;
  let imageBytes: Buffer;

  const counts = async () => ({
    handles: (await h.db.selectFrom('handles').select('handle_hash').execute()).length,
    events: (await h.db.selectFrom('webhook_events').select('id').execute()).length,
    local: await filesIn(localRoot),
    s3: ((await s3.client.send(new ListObjectsV2Command({ Bucket: 'fs-faults' }))).Contents ?? []).map((object) => object.Key).sort(),
  });
  const pick = async (itemId: string): Promise<string> => {
    const response = await h.call('/api/pick', { method: 'POST', session, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ itemIds: [itemId] }) });
    assert.equal(response.status, 200);
    return ((await response.json()) as PickResponse).blobs[0]!.handle;
  };
  const post = (path: string, body: unknown) => h.call(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

  before(async () => {
    s3 = await startS3rver();
    await s3.createBucket('fs-faults');
    localRoot = await mkdtemp(join(tmpdir(), 'fs-faults-local-'));
    h = await startCompanion({ storage: { local: { root: localRoot }, s3: s3.config('fs-faults') } });
    session = await h.connect('admin');
    server = await listen(h.app);
    fileHandle = await pick(await upload(h.sandbox, 'faults.bin', bytes));
    // A photo-like image, big enough that half of it is not a whole image.
    imageBytes = await sharp(randomBytes(600 * 400 * 3), { raw: { width: 600, height: 400, channels: 3 } }).png().toBuffer();
    imageHandle = await pick(await upload(h.sandbox, 'faults.png', imageBytes));
  });
  after(async () => {
    await server.close();
    await h.close();
    await s3.close();
    await rm(localRoot, { recursive: true, force: true });
  });

  for (const location of ['local', 'S3'] as const) {
    test(`pickAndStore's copy into ${location}: 502 naming Alfresco; no object, handle or event is left`, async () => {
      const before = await counts();
      h.sandbox.state.faults.set({ dropDownloads: 1 });
      const error = await errorOf(await post('/api/store-handle', { handle: fileHandle, options: { location } }), 502, 'FS_ERR_UPSTREAM');
      assert.match(error.message, /Alfresco/);
      assert.deepEqual(await counts(), before);
      // The next copy of the same link works, whole.
      const again = await post('/api/store-handle', { handle: fileHandle, options: { location } });
      assert.equal(again.status, 200, await again.clone().text());
      const { blob } = (await again.json()) as { blob: { handle: string; size: number } };
      assert.equal(blob.size, bytes.length);
      assert.equal(sha(Buffer.from(await (await h.app.request(`/api/file/${blob.handle}`)).arrayBuffer())), sha(bytes));
    });
  }

  test('a conversion of a picked image: 502 naming Alfresco; no object, handle or event is left', async () => {
    const before = await counts();
    h.sandbox.state.faults.set({ dropDownloads: 1 });
    const error = await errorOf(await post('/api/convert', { handle: imageHandle, options: { width: 100 } }), 502, 'FS_ERR_UPSTREAM');
    assert.match(error.message, /Alfresco/);
    assert.deepEqual(await counts(), before);
    const again = await post('/api/convert', { handle: imageHandle, options: { width: 100 } });
    assert.equal(again.status, 200, await again.clone().text());
  });

  test('a link read while the source drops: the reader sees the connection cut, not a short 200; the next read is whole', async () => {
    h.sandbox.state.faults.set({ dropDownloads: 1 });
    const cut = await download(`${server.url}/api/file/${fileHandle}`);
    assert.equal(cut.status, 200);
    assert.equal(cut.length, bytes.length);
    assert.equal(cut.ended, 'cut');
    assert.ok(cut.body.length < bytes.length, `${cut.body.length} bytes came`);
    const whole = await download(`${server.url}/api/file/${fileHandle}`);
    assert.equal(whole.ended, 'complete');
    assert.equal(sha(whole.body), sha(bytes));
  });
});

describe('a source answering 500 (sandbox failNext)', () => {
  let h: CompanionHarness;
  let session: string;
  let fileId: string;
  before(async () => {
    h = await startCompanion();
    session = await h.connect('admin');
    fileId = await upload(h.sandbox, 'five-hundred.txt', Buffer.from('five hundred'));
  });
  after(() => h.close());

  test('a listing, a search and a pick (stat): 502 FS_ERR_UPSTREAM naming Alfresco and its status; the retry works', async () => {
    for (const [path, init] of [
      ['/api/alfresco/folders/-my-', {}],
      ['/api/alfresco/search?q=five', {}],
      ['/api/pick', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ itemIds: [fileId] }) }],
    ] as const) {
      h.sandbox.state.faults.set({ failNext: { count: 1, status: 500 } });
      const error = await errorOf(await h.call(path, { ...init, session }), 502, 'FS_ERR_UPSTREAM');
      assert.equal(error.message, 'Alfresco answered 500; try again later.', path);
      assert.equal((await h.call(path, { ...init, session })).status, 200, path);
    }
    assert.equal((await h.db.selectFrom('handles').select('handle_hash').execute()).length, 1, 'only the retried pick made a handle');
  });

  test('a link\'s metadata while the source fails: 502, not a 500', async () => {
    const picked = await h.call('/api/pick', { method: 'POST', session, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ itemIds: [fileId] }) });
    const { handle } = ((await picked.json()) as PickResponse).blobs[0]!;
    h.sandbox.state.faults.set({ failNext: { count: 1, status: 503 } });
    const error = await errorOf(await h.app.request(`/api/file/${handle}/metadata`), 502, 'FS_ERR_UPSTREAM');
    assert.match(error.message, /Alfresco answered 503/);
  });
});

describe('tokens that expire between pages and between downloads', () => {
  test('a ticket (password sign-in): the next page and the session are 401 FS_ERR_RECONNECT; a picked link says its owner left', async () => {
    const h = await startCompanion();
    try {
      const session = await h.connect('admin');
      const handle = ((await (await h.call('/api/pick', { method: 'POST', session, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ itemIds: [await upload(h.sandbox, 't.txt', Buffer.from('ticket'))] }) })).json()) as PickResponse).blobs[0]!.handle;
      const many = ((await (await fetch(`${h.sandbox.url}${CORE}/nodes/-my-?relativePath=Many%20Files`, { headers: { Authorization: basic('admin') } })).json()) as { entry: { id: string } }).entry.id;
      const first = await h.call(`/api/alfresco/folders/${many}?pageSize=50`, { session });
      assert.equal(first.status, 200);
      const { nextCursor } = (await first.json()) as { nextCursor: string };
      assert.equal((await h.app.request(`/api/file/${handle}`)).status, 200);

      h.sandbox.state.faults.expireTokens();

      const next = await errorOf(await h.call(`/api/alfresco/folders/${many}?pageSize=50&cursor=${encodeURIComponent(nextCursor)}`, { session }), 401, 'FS_ERR_RECONNECT');
      assert.match(next.message, /Alfresco/);
      await errorOf(await h.call('/api/session', { session }), 401, 'FS_ERR_RECONNECT');
      const link = await errorOf(await h.app.request(`/api/file/${handle}`), 404, 'FS_ERR_NOT_FOUND');
      assert.match(link.message, /no longer connected to Alfresco/);
    } finally {
      await h.close();
    }
  });

  test('OAuth: an access token that expires between pages and between downloads is refreshed; both answer 200', async () => {
    const h = await startOidcCompanion();
    try {
      const { session } = await connectWithOAuth(h, 'admin');
      const content = randomBytes(64 * 1024);
      const handle = ((await (await h.call('/api/pick', { method: 'POST', session, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ itemIds: [await upload(h.sandbox, 'oauth.bin', content)] }) })).json()) as PickResponse).blobs[0]!.handle;
      const first = await h.call('/api/alfresco/folders/-my-?pageSize=1', { session });
      const { nextCursor } = (await first.json()) as { nextCursor: string };
      assert.equal(sha(Buffer.from(await (await h.app.request(`/api/file/${handle}`)).arrayBuffer())), sha(content));

      const tokens = countTokenRequests(h.sandbox);
      try {
        h.sandbox.state.faults.expireAccessTokens();
        const next = await h.call(`/api/alfresco/folders/-my-?pageSize=1&cursor=${encodeURIComponent(nextCursor)}`, { session });
        assert.equal(next.status, 200, await next.clone().text());
        assert.deepEqual(tokens.counts, { refresh_token: 1 });

        h.sandbox.state.faults.expireAccessTokens();
        const again = await h.app.request(`/api/file/${handle}`);
        assert.equal(again.status, 200);
        assert.equal(sha(Buffer.from(await again.arrayBuffer())), sha(content));
        assert.deepEqual(tokens.counts, { refresh_token: 2 });
      } finally {
        tokens.stop();
      }
    } finally {
      await h.close();
    }
  });
});

describe('a revoked grant', () => {
  test('the Alfresco ticket deleted at Alfresco: listing and session are 401 FS_ERR_RECONNECT', async () => {
    const h = await startCompanion();
    try {
      const session = await h.connect('admin');
      const [grant] = await h.db.selectFrom('grants').selectAll().execute();
      const ticket = h.box.open(grant!.access_sealed);
      const revoked = await fetch(`${h.sandbox.url}${AUTH}/tickets/-me-`, { method: 'DELETE', headers: { Authorization: `Basic ${Buffer.from(`ROLE_TICKET:${ticket}`).toString('base64')}` } });
      assert.equal(revoked.status, 204);
      await errorOf(await h.call('/api/alfresco/folders/-my-', { session }), 401, 'FS_ERR_RECONNECT');
      await errorOf(await h.call('/api/session', { session }), 401, 'FS_ERR_RECONNECT');
    } finally {
      await h.close();
    }
  });

  test('OAuth grant revoked at the identity service: listing and session are 401 FS_ERR_RECONNECT after one refused refresh', async () => {
    const h = await startOidcCompanion();
    try {
      const { session } = await connectWithOAuth(h, 'admin');
      h.sandbox.state.faults.expireTokens();
      const listing = await errorOf(await h.call('/api/alfresco/folders/-my-', { session }), 401, 'FS_ERR_RECONNECT');
      assert.match(listing.message, /Alfresco/);
      await errorOf(await h.call('/api/session', { session }), 401, 'FS_ERR_RECONNECT');
    } finally {
      await h.close();
    }
  });

  test('the grant deleted on the companion: listing and session are 401 FS_ERR_NOT_CONNECTED (the picker shows Connect)', async () => {
    const h = await startCompanion();
    try {
      const session = await h.connect('admin');
      await h.db.deleteFrom('grants').execute();
      await errorOf(await h.call('/api/alfresco/folders/-my-', { session }), 401, 'FS_ERR_NOT_CONNECTED');
      await errorOf(await h.call('/api/session', { session }), 401, 'FS_ERR_NOT_CONNECTED');
    } finally {
      await h.close();
    }
  });
});

describe('a source slower than the companion waits (sandbox latencyMs)', () => {
  const KEY = Buffer.alloc(32, 5).toString('base64');
  let sandbox: RunningSandbox;
  let app: CompanionApp;
  let db: Db;
  let outbound: Outbound;
  let session: string;
  let handle: string;
  let storageRoot: string;

  before(async () => {
    sandbox = await startTestSandbox();
    storageRoot = await mkdtemp(join(tmpdir(), 'fs-faults-slow-'));
    db = await openTestDatabase();
    // The companion's limits, short: an API call gets 400 ms, a download 400 ms to start and to keep coming.
    outbound = new Outbound({ timeouts: { callMs: 400, answerMs: 400, idleMs: 400 } });
    app = await buildApp(parseConfig({ encryptionKey: KEY, alfresco: { repositoryUrl: sandbox.url }, storage: { local: { root: storageRoot } }, apps: [TEST_APP], outbound: { allowPrivateTargets: true } }), { db, logger: pino({ level: 'silent' }), outbound });
    const ticket = (await (await fetch(`${sandbox.url}${AUTH}/tickets`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ userId: 'admin', password: 'admin' }) })).json()) as { entry: { id: string } };
    const grant = await new GrantStore(db, new SecretBox(KEY)).create({ appKey: TEST_APP.apiKey, source: 'ALFRESCO', userId: 'admin', userName: 'admin', kind: 'ticket', accessToken: ticket.entry.id, refreshToken: undefined, expiresAt: undefined });
    session = await new SessionStore(db).create(grant.id, TEST_APP.apiKey);
    const picked = await call('/api/pick', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ itemIds: [await upload(sandbox, 'slow.txt', Buffer.from('slow'))] }) });
    handle = ((await picked.json()) as PickResponse).blobs[0]!.handle;
  });
  after(async () => {
    sandbox.state.faults.reset();
    await app.close();
    await outbound.close();
    await db.destroy();
    await sandbox.close();
    await rm(storageRoot, { recursive: true, force: true });
  });

  function call(path: string, init: RequestInit = {}): Promise<Response> {
    const url = new URL(path, 'http://companion.test');
    url.searchParams.set('key', TEST_APP.apiKey);
    return Promise.resolve(app.request(url.pathname + url.search, { ...init, headers: { Origin: TEST_ORIGIN, Authorization: `Bearer ${session}`, ...(init.headers as Record<string, string>) } }));
  }

  test('a listing, a link and a pickAndStore copy: 502 saying the source did not answer in time, long before it would have', async () => {
    sandbox.state.faults.set({ latencyMs: 5_000 });
    try {
      for (const [what, answer] of [
        ['listing', () => call('/api/alfresco/folders/-my-')],
        ['link', () => Promise.resolve(app.request(`/api/file/${handle}`))],
        ['store-handle', () => call('/api/store-handle', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ handle }) })],
      ] as const) {
        const started = performance.now();
        const error = await errorOf(await answer(), 502, 'FS_ERR_UPSTREAM');
        assert.ok(performance.now() - started < 4_500, `${what} took ${performance.now() - started} ms`);
        assert.match(error.message, /^The source at http:\/\/127\.0\.0\.1:\d+ (did not answer within|sent nothing for) 0\.4 s\.$/, `${what}: ${error.message}`);
      }
      assert.deepEqual(await filesIn(storageRoot), []);
      assert.equal((await db.selectFrom('handles').select('handle_hash').execute()).length, 1);
    } finally {
      sandbox.state.faults.reset();
    }
  });
});
