import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { FsBlob } from '../../src/protocol/blob.ts';
import { HANDLE_TOKEN_HEADER } from '../../src/protocol/handle-token.ts';
import type { PickResponse } from '../../src/protocol/pick.ts';
import { parseConfig, type CompanionConfig } from '../../companion/src/config.ts';
import type { Db } from '../../companion/src/db/database.ts';
import { HandleStore } from '../../companion/src/files/handles.ts';
import { verifyWebhook, signWebhook, Webhooks, RETRY_SCHEDULE_MS, type WebhookEvent } from '../../companion/src/index.ts';
import { converseEvent, exportEvent, providerOf } from '../../companion/src/webhooks/events.ts';
import { startCompanion, TEST_APP, TEST_ORIGIN, type CompanionHarness } from '../helpers/companion.ts';
import { openTestDatabase } from '../helpers/test-database.ts';
import { nodeAt } from '../helpers/sandbox.ts';
import { startReceiver, type Receiver } from './webhooks-receiver.ts';

const SECRET_ALL = 'all-events-secret-0123456789';
const SECRET_UPLOADS = 'uploads-only-secret-0123456789';
const KEY = Buffer.alloc(32, 9).toString('base64');

describe('verifyWebhook', () => {
  // The vector of ../shared/notes/pickers-landscape.md ("Test vectors"), from filestack-js's own tests.
  const body = '{"id": 6844, "action": "fp.upload", "timestamp": 1559199901, "text": {"url": "http://cdn.filestackapi.dev/xK88QArxRiyVvFzo4p33", "client": "Computer", "data": {"filename": "01 (1).png", "type": "image/png", "size": 881855}}}';
  const secret = 'Y5cWb1rdRDSTSqEjF5pv';
  const expected = '14495b54b246e1352bb69cd91c5c1bfe2221f2d0330414b3df8f5fb2903db730';
  const headers = { 'FS-Timestamp': '1559199901', 'FS-Signature': expected };
  const then = 1559199901_000;

  test('the test vector: signWebhook computes it and verifyWebhook accepts it', () => {
    assert.equal(signWebhook(secret, 1559199901, body), expected);
    assert.equal(verifyWebhook(body, headers, secret, { now: then }), true);
    assert.equal(verifyWebhook(Buffer.from(body), headers, secret, { toleranceSeconds: Infinity }), true);
  });

  test('headers as Node gives them (lower case) and as a Fetch Headers object', () => {
    assert.equal(verifyWebhook(body, { 'fs-timestamp': '1559199901', 'fs-signature': expected }, secret, { now: then }), true);
    assert.equal(verifyWebhook(body, new Headers(headers), secret, { now: then }), true);
  });

  test('refuses a changed body, another secret, a changed timestamp, a bad or missing signature', () => {
    assert.equal(verifyWebhook(body.replace('881855', '881856'), headers, secret, { now: then }), false);
    assert.equal(verifyWebhook(body, headers, 'another secret', { now: then }), false);
    assert.equal(verifyWebhook(body, { ...headers, 'FS-Timestamp': '1559199902' }, secret, { now: then }), false);
    assert.equal(verifyWebhook(body, { ...headers, 'FS-Signature': expected.slice(0, 63) }, secret, { now: then }), false);
    assert.equal(verifyWebhook(body, { ...headers, 'FS-Signature': 'zz'.repeat(32) }, secret, { now: then }), false);
    assert.equal(verifyWebhook(body, { 'FS-Timestamp': '1559199901' }, secret, { now: then }), false);
  });

  test('refuses a timestamp outside the tolerance (300 s by default), either way', () => {
    assert.equal(verifyWebhook(body, headers, secret, { now: then + 300_000 }), true);
    assert.equal(verifyWebhook(body, headers, secret, { now: then + 301_000 }), false);
    assert.equal(verifyWebhook(body, headers, secret, { now: then - 301_000 }), false);
    assert.equal(verifyWebhook(body, headers, secret, { now: then + 3_600_000, toleranceSeconds: 3600 }), true);
    assert.equal(verifyWebhook(body, headers, secret), false, 'a 2019 timestamp is far from now');
  });
});

describe('webhook configuration', () => {
  const base = { alfresco: { repositoryUrl: 'http://127.0.0.1:9' } };
  const problems = (webhooks: unknown): string[] => {
    try {
      parseConfig({ ...base, apps: [{ apiKey: 'app-key-123', name: 'A', allowedOrigins: [], webhooks }] });
      return [];
    } catch (error) {
      return (error as { problems: string[] }).problems;
    }
  };

  test('any number of URLs, each for "all" or chosen events, each with its secret', () => {
    const config = parseConfig({ ...base, apps: [{ apiKey: 'app-key-123', name: 'A', allowedOrigins: [], webhooks: [{ url: 'https://hooks.example.com/a', events: 'all', secret: SECRET_ALL }, { url: 'http://127.0.0.1:8080/b', events: ['fp.upload', 'fp.delete'], secret: SECRET_UPLOADS }] }] });
    assert.deepEqual(config.apps[0]!.webhooks!.map((hook) => hook.events), ['all', ['fp.upload', 'fp.delete']]);
  });

  test('one clear message per bad key', () => {
    assert.deepEqual(problems([{ url: 'ftp://x', events: ['fp.upload', 'fp.nope'], secret: 'short', extra: true }]), [
      'apps.0.webhooks.0.url: must be an http(s) URL',
      'apps.0.webhooks.0.events: must be "all" or a list of events out of fp.dialog, fp.upload, fp.export, fp.converse, fp.delete; it has the unknown event "fp.nope"',
      'apps.0.webhooks.0.secret: must be at least 16 characters (openssl rand -hex 24)',
      'apps.0.webhooks.0.extra: is not a known setting',
    ]);
    assert.deepEqual(problems([{ url: 'https://x.example', events: [], secret: SECRET_ALL }]), ['apps.0.webhooks.0.events: must be "all" or a list of events out of fp.dialog, fp.upload, fp.export, fp.converse, fp.delete; it is empty']);
    assert.match(problems([{ url: 'https://x.example', events: 'some', secret: SECRET_ALL }])[0]!, /^apps\.0\.webhooks\.0\.events: /);
    assert.deepEqual(problems([{ events: 'all' }]), ['apps.0.webhooks.0.url: expected "url", got undefined', 'apps.0.webhooks.0.secret: expected "secret", got undefined']);
  });
});

describe('events from the places where the changes happen', () => {
  let receiver: Receiver;
  let h: CompanionHarness;
  let worker: Webhooks;
  let session: string;
  before(async () => {
    receiver = await startReceiver();
    h = await startCompanion({
      apps: [
        {
          ...TEST_APP,
          allowPrivateUrls: true,
          webhooks: [
            { url: `${receiver.url}/all`, events: 'all', secret: SECRET_ALL },
            { url: `${receiver.url}/uploads`, events: ['fp.upload'], secret: SECRET_UPLOADS },
          ],
        },
      ],
    });
    // The app built by the harness writes the events; this worker on the same database delivers them.
    worker = new Webhooks({ db: h.db, config: h.config });
    session = await h.connect('admin');
  });
  after(async () => {
    await h.close();
    await receiver.close();
  });

  /** Runs `action`, delivers what it wrote, and returns the events it wrote (as the /all URL got them). */
  async function eventsOf(action: () => Promise<unknown>): Promise<WebhookEvent[]> {
    const before = receiver.at('/all').length;
    const lastId = (await h.db.selectFrom('webhook_events').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst())?.id ?? 0;
    await action();
    await worker.drain();
    const written = await h.db.selectFrom('webhook_events').selectAll().where('id', '>', Number(lastId)).orderBy('id').execute();
    const got = receiver.at('/all').slice(before);
    assert.deepEqual(got.map((entry) => entry.json.id).sort((a, b) => a - b), written.map((row) => row.id), 'each written event is delivered once to the "all" URL');
    for (const entry of got) {
      assert.equal(entry.headers['content-type'], 'application/json');
      assert.equal(verifyWebhook(entry.body, entry.headers, SECRET_ALL), true, 'signed with the URL’s secret');
      assert.equal(verifyWebhook(entry.body, entry.headers, SECRET_UPLOADS), false);
    }
    return got.sort((a, b) => a.json.id - b.json.id).map((entry) => entry.json as unknown as WebhookEvent);
  }

  const isTimestamp = (value: number) => Number.isInteger(value) && Math.abs(value - Date.now() / 1000) < 60;

  test('a local upload (store): one fp.upload with client "Computer", key, container and status "Stored"', async () => {
    let blob: FsBlob | undefined;
    const events = await eventsOf(async () => {
      blob = ((await (await h.call('/api/store?filename=hello.txt&mimetype=text/plain', { method: 'POST', body: 'hello webhooks' })).json()) as { blob: FsBlob }).blob;
    });
    assert.equal(events.length, 1);
    const [event] = events as [WebhookEvent];
    assert.deepEqual(Object.keys(event), ['id', 'action', 'timestamp', 'text']);
    assert.ok(isTimestamp(event.timestamp));
    assert.deepEqual(event, {
      id: event.id, action: 'fp.upload', timestamp: event.timestamp,
      text: { url: blob!.url, filename: 'hello.txt', mimetype: 'text/plain', size: 14, client: 'Computer', key: blob!.key, container: blob!.container, status: 'Stored' },
    });
    const uploads = receiver.at('/uploads').filter((entry) => entry.json.id === event.id);
    assert.equal(uploads.length, 1, 'the fp.upload-only URL gets it too');
    assert.equal(verifyWebhook(uploads[0]!.body, uploads[0]!.headers, SECRET_UPLOADS), true);
  });

  test('storeUrl: one fp.upload with client "URL"', async () => {
    const events = await eventsOf(() => h.call('/api/store-url', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ url: `${receiver.url}/files/fetched.txt`, options: {} }) }));
    assert.equal(events.length, 1);
    assert.equal(events[0]!.action, 'fp.upload');
    assert.deepEqual({ ...events[0]!.text, url: undefined, key: undefined, container: undefined }, { url: undefined, key: undefined, container: undefined, filename: 'fetched.txt', mimetype: 'text/plain', size: 13, client: 'URL', status: 'Stored' });
  });

  test('a pick: one fp.upload per picked file, a symlink (no key, container or status); pickAndStore adds a stored one with client "Alfresco"', async () => {
    const ids = [(await nodeAt(h.sandbox, 'welcome.txt')).id, (await nodeAt(h.sandbox, 'Pictures/icon 64x64.png')).id];
    let picked: PickResponse | undefined;
    const events = await eventsOf(async () => {
      picked = (await (await h.call('/api/pick', { method: 'POST', session, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ itemIds: ids }) })).json()) as PickResponse;
    });
    assert.equal(events.length, 2);
    assert.deepEqual(
      events.map((event) => event.text),
      picked!.blobs.map((blob) => ({ url: blob.url, filename: blob.filename, mimetype: blob.mimetype, size: blob.size, client: 'Alfresco' })),
    );

    let stored: FsBlob | undefined;
    const copies = await eventsOf(async () => {
      stored = ((await (await h.call('/api/store-handle', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ handle: picked!.blobs[0]!.handle, options: { path: 'copies/' } }) })).json()) as { blob: FsBlob }).blob;
    });
    assert.equal(copies.length, 1);
    assert.deepEqual(copies[0]!.text, { url: stored!.url, filename: 'welcome.txt', mimetype: 'text/plain', size: stored!.size, client: 'Alfresco', key: stored!.key, container: stored!.container, status: 'Stored' });
  });

  test('remove: one fp.delete with the url; removing again makes no event', async () => {
    const { blob, handleTokens } = (await (await h.call('/api/store?filename=gone.txt', { method: 'POST', body: 'bye' })).json()) as { blob: FsBlob; handleTokens: Record<string, string> };
    await worker.drain();
    // The page that stored it removes it, with the handle's token (src/protocol/handle-token.ts).
    const proof = { [HANDLE_TOKEN_HEADER]: handleTokens[blob.handle]! };
    const events = await eventsOf(() => h.call(`/api/file/${blob.handle}`, { method: 'DELETE', headers: proof }));
    assert.deepEqual(events.map((event) => [event.action, event.text]), [['fp.delete', { url: blob.url }]]);
    assert.equal(receiver.at('/uploads').filter((entry) => entry.json.action === 'fp.delete').length, 0, 'not sent to a URL that takes only fp.upload');
    assert.deepEqual(await eventsOf(async () => assert.equal((await h.call(`/api/file/${blob.handle}`, { method: 'DELETE', headers: proof })).status, 404)), []);
  });

  test('the dialog opening (POST /api/dialog): one fp.dialog', async () => {
    const events = await eventsOf(async () => {
      const response = await h.call('/api/dialog', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ mode: 'pick', services: ['ALFRESCO', 'COMPUTER'], accept: ['image/*'] }) });
      assert.equal(response.status, 204);
    });
    assert.deepEqual(events.map((event) => [event.action, event.text]), [['fp.dialog', { apikey: TEST_APP.apiKey, dialogType: 'open', origin: TEST_ORIGIN, services: ['ALFRESCO', 'COMPUTER'], accept: ['image/*'] }]]);
    const exportDialog = await eventsOf(() => h.call('/api/dialog', { method: 'POST', body: '{"mode":"export"}' }));
    assert.equal((exportDialog[0]!.text as { dialogType: string }).dialogType, 'export');
    const empty = await eventsOf(() => h.call('/api/dialog', { method: 'POST' }));
    assert.equal(empty.length, 1);
  });

  test('a bad dialog call is a 400 naming the field, and writes no event', async () => {
    const events = await eventsOf(async () => {
      const bad = await h.call('/api/dialog', { method: 'POST', body: '{"mode":"browse"}' });
      const unknown = await h.call('/api/dialog', { method: 'POST', body: '{"colour":"red"}' });
      const noKey = await h.call('/api/dialog?key=nope', { method: 'POST' });
      assert.deepEqual([bad.status, unknown.status, noKey.status], [400, 400, 403]);
      assert.equal(((await bad.json()) as { error: { field: string } }).error.field, 'mode');
      assert.match(((await unknown.json()) as { error: { message: string } }).error.message, /"colour" is not a known field/);
    });
    assert.deepEqual(events, []);
  });

  test('export and conversion helpers: the event is written with the new handle', async () => {
    const handles = new HandleStore(h.db, worker);
    const link = { appKey: TEST_APP.apiKey, kind: 'link' as const, source: 'ALFRESCO', grantId: undefined, itemId: 'n1', location: undefined, container: undefined, key: undefined, filename: 'saved.jpg', mimetype: 'image/jpeg', size: 10 };
    const exported = await eventsOf(() => handles.create(link, { event: (handle) => exportEvent({ source: 'https://example.com/in.jpg', client: 'WebDAV', filename: handle.filename, created: new Date('2026-01-02T03:04:05Z'), url: `${worker.publicUrl}/api/file/${handle.handle}` }) }));
    assert.equal(exported.length, 1);
    assert.equal(exported[0]!.action, 'fp.export');
    assert.deepEqual({ ...exported[0]!.text, url: undefined }, { source: 'https://example.com/in.jpg', client: 'WebDAV', filename: 'saved.jpg', created: '2026-01-02T03:04:05.000Z', url: undefined });

    const source = await handles.create(link, { event: false });
    const result = { ...link, kind: 'stored' as const, source: 'ALFRESCO', location: 'local', container: 'storage', key: 'k/x_small.png', filename: 'small.png', mimetype: 'image/png', size: 5 };
    const converted = await eventsOf(() => handles.create(result, { event: (handle) => converseEvent(worker.publicUrl, source, { ...result, handle: handle.handle, path: 'k/' }, 'Alfresco') }));
    assert.equal(converted.length, 1);
    const text = converted[0]!.text as { url: string; link: Record<string, unknown> };
    assert.equal(converted[0]!.action, 'fp.converse');
    assert.equal(text.url, `${worker.publicUrl}/api/file/${source.handle}`);
    assert.deepEqual({ ...text.link, url: undefined, handle: undefined }, { url: undefined, handle: undefined, filename: 'small.png', mimetype: 'image/png', size: 5, key: 'k/x_small.png', container: 'storage', path: 'k/', provider: 'Alfresco' });
    assert.deepEqual(
      [providerOf({ kind: 'stored', location: 'local', source: 'COMPUTER' }, 'Computer'), providerOf({ kind: 'stored', location: 'S3', source: 'URL' }, 'URL'), providerOf({ kind: 'link', location: undefined, source: 'CMIS' }, 'CMIS')],
      ['internal', 'amazon', 'CMIS'],
    );
  });

  test('a change that fails writes no event: a store past maxSize leaves no file, no handle, no event', async () => {
    const files = await readdir(h.storageRoot, { recursive: true });
    const events = await eventsOf(async () => assert.equal((await h.call('/api/store?filename=big.bin&maxSize=4', { method: 'POST', body: 'too many bytes' })).status, 413));
    assert.deepEqual(events, []);
    assert.deepEqual(await readdir(h.storageRoot, { recursive: true }), files);
  });

  test('the URL secrets are sealed in the database, never stored in clear', async () => {
    const rows = await h.db.selectFrom('webhook_deliveries').select(['url', 'secret_sealed']).execute();
    assert.ok(rows.length > 0);
    for (const row of rows) {
      assert.match(row.secret_sealed, /^v1\./);
      assert.ok(!row.secret_sealed.includes(SECRET_ALL) && !row.secret_sealed.includes(SECRET_UPLOADS));
      assert.equal(h.box.open(row.secret_sealed), row.url.endsWith('/all') ? SECRET_ALL : SECRET_UPLOADS);
    }
  });
});

describe('delivery: retries, failures, timeouts, slow URLs', () => {
  let receiver: Receiver;
  let db: Db;
  let config: CompanionConfig;
  const SECRET = 'retry-secret-0123456789';
  before(async () => {
    receiver = await startReceiver();
    db = await openTestDatabase();
    const app = (key: string, path: string) => ({ apiKey: key, name: key, allowedOrigins: [], webhooks: [{ url: `${receiver.url}${path}`, events: 'all' as const, secret: SECRET }] });
    config = parseConfig({ encryptionKey: KEY, alfresco: { repositoryUrl: 'http://127.0.0.1:9' }, apps: [app('failing-app', '/fail'), app('later-app', '/later'), app('slow-app', '/slow'), app('fast-app', '/fast'), app('timeout-app', '/timeout')], outbound: { allowPrivateTargets: true } });
  });
  after(async () => {
    await db.destroy();
    await receiver.close();
  });

  const attemptsOf = (deliveryId: number) => db.selectFrom('webhook_attempts').selectAll().where('delivery_id', '=', deliveryId).orderBy('attempt').execute();
  const deliveryOf = async (eventId: number) => db.selectFrom('webhook_deliveries').selectAll().where('event_id', '=', eventId).executeTakeFirstOrThrow();

  test('a URL answering 500 gets attempts at +5 min, +1 h and +12 h after the first, then the delivery is failed', async () => {
    receiver.set('/fail', { status: 500 });
    const t0 = Date.UTC(2026, 0, 1, 12);
    let now = t0;
    const hooks = new Webhooks({ db, config, now: () => now });
    const id = await hooks.emit(db, 'failing-app', { action: 'fp.delete', text: { url: 'https://companion.example/api/file/abc' } });

    const times: number[] = [];
    for (const at of [0, 5 * 60_000 - 1, 5 * 60_000, 60 * 60_000 - 1, 60 * 60_000, 12 * 60 * 60_000 - 1, 12 * 60 * 60_000, 48 * 60 * 60_000]) {
      now = t0 + at;
      await hooks.drain();
      times.push(receiver.at('/fail').length);
    }

    assert.deepEqual(times, [1, 1, 2, 2, 3, 3, 4, 4]);
    const delivery = await deliveryOf(id);
    assert.deepEqual({ status: delivery.status, attempts: delivery.attempts, next: delivery.next_attempt_at, last: delivery.last_status }, { status: 'failed', attempts: 4, next: null, last: 500 });
    const log = await attemptsOf(delivery.id);
    assert.deepEqual(log.map((row) => row.started_at - t0), [...RETRY_SCHEDULE_MS]);
    assert.deepEqual(log.map((row) => row.next_attempt_at === null ? null : row.next_attempt_at - t0), [5 * 60_000, 60 * 60_000, 12 * 60 * 60_000, null]);
    assert.deepEqual(log.map((row) => [row.status_code, row.ok, row.error]), Array(4).fill([500, 0, 'answered 500 Internal Server Error']));
    // Every attempt is the same event, signed with the signing time of that attempt.
    const bodies = new Set(receiver.at('/fail').map((entry) => entry.body));
    assert.equal(bodies.size, 1);
    for (const [index, entry] of receiver.at('/fail').entries()) {
      assert.equal(entry.headers['fs-timestamp'], String(Math.floor((t0 + RETRY_SCHEDULE_MS[index]!) / 1000)));
      assert.equal(verifyWebhook(entry.body, entry.headers, SECRET, { now: t0 + RETRY_SCHEDULE_MS[index]! }), true);
    }

    // The portal's "Retry": one more attempt now; this time the URL answers.
    receiver.set('/fail', { status: 204 });
    assert.equal(await hooks.retry(delivery.id, 'another-app'), false, 'only the app’s own deliveries');
    assert.equal(await hooks.retry(delivery.id), true);
    assert.equal(await hooks.retry(delivery.id), false, 'no longer failed');
    await hooks.drain();
    const retried = await deliveryOf(id);
    assert.deepEqual({ status: retried.status, attempts: retried.attempts, last: retried.last_status }, { status: 'delivered', attempts: 5, last: 204 });
    assert.deepEqual((await attemptsOf(delivery.id)).map((row) => row.ok), [0, 0, 0, 0, 1]);
    // The log the portal shows.
    const [logged] = await hooks.deliveryLog('failing-app');
    assert.deepEqual({ id: logged!.id, status: logged!.status, action: logged!.action, attempts: logged!.attempts.map((a) => [a.at - t0, a.status, a.ok, a.nextAttemptAt === null ? null : a.nextAttemptAt - t0]) }, {
      id: delivery.id, status: 'delivered', action: 'fp.delete',
      attempts: [[0, 500, false, 5 * 60_000], [5 * 60_000, 500, false, 60 * 60_000], [60 * 60_000, 500, false, 12 * 60 * 60_000], [12 * 60 * 60_000, 500, false, null], [48 * 60 * 60_000, 204, true, null]],
    });
    assert.deepEqual(await hooks.deliveryLog('failing-app', { status: 'failed' }), []);
  });

  test('the schedule is in the database: another worker (a restart) takes it over', async () => {
    receiver.set('/later', { status: 503 });
    const t0 = Date.UTC(2026, 0, 2, 12);
    const first = new Webhooks({ db, config, now: () => t0 });
    const id = await first.emit(db, 'later-app', { action: 'fp.delete', text: { url: 'https://companion.example/api/file/def' } });
    await first.drain();
    receiver.set('/later', { status: 200 });

    const second = new Webhooks({ db, config, now: () => t0 + 5 * 60_000 });
    await second.drain();

    const delivery = await deliveryOf(id);
    assert.deepEqual([delivery.status, delivery.attempts, delivery.delivered_at! >= t0 + 5 * 60_000], ['delivered', 2, true]);
    assert.deepEqual(receiver.at('/later').map((entry) => entry.json.id), [id, id]);
  });

  test('no answer within the timeout is a failed attempt', async () => {
    receiver.set('/timeout', 'hang');
    const hooks = new Webhooks({ db, config, timeoutMs: 300 });
    const id = await hooks.emit(db, 'timeout-app', { action: 'fp.delete', text: { url: 'https://companion.example/api/file/ghi' } });
    const started = Date.now();
    await hooks.drain();
    const delivery = await deliveryOf(id);
    assert.ok(Date.now() - started < 3000);
    assert.deepEqual([delivery.status, delivery.attempts, delivery.last_status, delivery.last_error], ['pending', 1, null, 'no answer within 0.3 s']);
  });

  test('a slow URL does not delay another', async () => {
    receiver.set('/slow', { status: 200, delayMs: 8000 });
    const hooks = new Webhooks({ db, config });
    hooks.start();
    try {
      const started = Date.now();
      for (let index = 0; index < 40; index++) {
        await hooks.emit(db, 'slow-app', { action: 'fp.delete', text: { url: `https://companion.example/api/file/slow${index}` } });
        await hooks.emit(db, 'fast-app', { action: 'fp.delete', text: { url: `https://companion.example/api/file/fast${index}` } });
      }
      const fast = await receiver.waitFor('/fast', 40, 6000);
      const elapsed = Date.now() - started;
      assert.ok(elapsed < 6000, `all 40 reached the fast URL in ${elapsed} ms while the slow one takes 8 s an answer`);
      assert.equal(new Set(fast.map((entry) => entry.json.id)).size, 40);
      const slowDone = await db.selectFrom('webhook_deliveries').select('id').where('url', '=', `${receiver.url}/slow`).where('status', '=', 'delivered').execute();
      assert.equal(slowDone.length, 0, 'the slow URL has not answered yet');
    } finally {
      await hooks.stop();
    }
  });
});
