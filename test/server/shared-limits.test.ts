import assert from 'node:assert/strict';
import { after, afterEach, before, describe, mock, test } from 'node:test';
import type { RunningSandbox } from '../../src/sandbox/sandbox.ts';
import { AppRegistry } from '../../companion/src/apps/registry.ts';
import { PasswordLimits } from '../../companion/src/auth/password-limits.ts';
import { AttemptLimit } from '../../companion/src/security/attempt-limit.ts';
import { sweepExpired } from '../../companion/src/security/counter-sweep.ts';
import { RateLimit } from '../../companion/src/security/rate-limit.ts';
import { RESERVATION_TTL_MS } from '../../companion/src/storage/quota.ts';
import { DIALOGS_PER_ADDRESS } from '../../companion/src/webhooks/dialog-limits.ts';
import { startCompanion, TEST_APP, TEST_ORIGIN, type CompanionHarness } from '../helpers/companion.ts';
import { COMPANION_URL, connectWithOAuth, countTokenRequests, OAUTH_APP, startOidcCompanion } from '../helpers/companion-auth.ts';
import { sameDatabaseAs, startTwoCompanions } from '../helpers/instances.ts';
import { parseForm } from '../helpers/oidc-browser.ts';
import { startTestSandbox } from '../helpers/sandbox.ts';
import { openTestDatabase } from '../helpers/test-database.ts';

/*
 * Several companions behind a load balancer share one database, and every limit counts across all of
 * them: two companions (two buildApp, one database) here, each request sent to one or the other.
 */

/** What @hono/node-server hands the app for a request from `address` (the socket's remote address). */
const from = (address: string) => ({ incoming: { socket: { remoteAddress: address } } });
const GUESSER = '192.0.2.80';
const KiB = 1024;

/** The ticket form as the popup reaches it from /start on `h`, with its CSRF cookie. */
async function openForm(h: CompanionHarness, nonce: string) {
  const started = await h.app.request(`/auth/alfresco/start?${new URLSearchParams({ key: TEST_APP.apiKey, origin: TEST_ORIGIN, nonce })}`, {}, from(GUESSER));
  assert.equal(started.status, 302);
  const formUrl = new URL(started.headers.get('location')!);
  const page = await h.app.request(formUrl.pathname + formUrl.search, {}, from(GUESSER));
  const cookie = page.headers.getSetCookie().map((value) => value.split(';')[0]!).join('; ');
  return { cookie, form: parseForm(await page.text(), formUrl) };
}

/** Posts the form (opened on any instance) to `h`. */
function signIn(h: CompanionHarness, { cookie, form }: Awaited<ReturnType<typeof openForm>>, password: string): Promise<Response> {
  const action = new URL(form.action);
  return Promise.resolve(
    h.app.request(
      action.pathname + action.search,
      { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie }, body: new URLSearchParams({ ...form.hidden, username: 'mjackson', password }).toString() },
      from(GUESSER),
    ),
  );
}

function dialog(h: CompanionHarness, address: string, body: unknown): Promise<Response> {
  return Promise.resolve(h.app.request(`/api/dialog?key=${TEST_APP.apiKey}`, { method: 'POST', headers: { Origin: TEST_ORIGIN, 'Content-Type': 'application/json' }, body: JSON.stringify(body) }, from(address)));
}

const dialogEvents = async (h: CompanionHarness) => Number((await h.db.selectFrom('webhook_events').select((eb) => eb.fn.countAll().as('n')).where('action', '=', 'fp.dialog').executeTakeFirstOrThrow()).n);

async function errorCode(response: Response): Promise<string> {
  return ((await response.json()) as { error: { code: string } }).error.code;
}

describe('Limits counted across two companions on one database', () => {
  let sandbox: RunningSandbox;
  before(async () => {
    sandbox = await startTestSandbox();
  });
  after(async () => {
    await sandbox.close();
  });
  afterEach(() => mock.timers.reset());

  test('wrong passwords at the ticket form, split between A and B, are limited at the same total as on one: the 6th is 429 with Retry-After', async () => {
    const { a, b, close } = await startTwoCompanions({ publicUrl: COMPANION_URL, alfresco: { repositoryUrl: sandbox.url, signIn: { type: 'ticket' } } }, sandbox);
    try {
      const opened = await openForm(a, 'nonce-shared-0001');
      for (let attempt = 1; attempt <= 5; attempt++) {
        const wrong = await signIn(attempt % 2 === 0 ? b : a, opened, `wrong-${attempt}`);
        assert.equal(wrong.status, 200, `attempt ${attempt}`);
        assert.match(await wrong.text(), /The user name or password is not correct\./);
      }
      for (const instance of [b, a]) {
        const limited = await signIn(instance, opened, 'wrong-6');
        assert.equal(limited.status, 429);
        assert.ok(Number(limited.headers.get('retry-after')) > 14 * 60, limited.headers.get('retry-after')!);
        assert.match(await limited.text(), /Too many wrong passwords\. Wait/);
      }
    } finally {
      await close();
    }
  });

  test(`dialogs from one address, half on A and half on B, make ${DIALOGS_PER_ADDRESS} events; the next, on either, is 429 FS_ERR_RATE_LIMITED`, async () => {
    const { a, b, close } = await startTwoCompanions({}, sandbox);
    try {
      for (let index = 0; index < DIALOGS_PER_ADDRESS; index++) assert.equal((await dialog(index % 2 ? b : a, '192.0.2.90', { accept: [`image/x-${index}`] })).status, 204, `dialog ${index + 1}`);
      for (const instance of [a, b]) {
        const limited = await dialog(instance, '192.0.2.90', { mode: 'export' });
        assert.equal(limited.status, 429);
        assert.ok(Number(limited.headers.get('retry-after')) > 0);
        assert.equal(await errorCode(limited), 'FS_ERR_RATE_LIMITED');
      }
      assert.equal(await dialogEvents(a), DIALOGS_PER_ADDRESS);
      // The same dialog on A then B is one opening, one event.
      assert.equal((await dialog(a, '192.0.2.91', { mode: 'pick' })).status, 204);
      assert.equal((await dialog(b, '192.0.2.91', { mode: 'pick' })).status, 204);
      assert.equal(await dialogEvents(a), DIALOGS_PER_ADDRESS + 1);
    } finally {
      await close();
    }
  });

  test(`100 dialogs sent at once, half to each instance, let exactly ${DIALOGS_PER_ADDRESS} through`, async () => {
    const { a, b, close } = await startTwoCompanions({}, sandbox);
    try {
      const answers = await Promise.all(Array.from({ length: 100 }, (_, index) => dialog(index % 2 ? b : a, '192.0.2.92', { accept: [`image/y-${index}`] })));
      const statuses = answers.map((answer) => answer.status);
      assert.equal(statuses.filter((status) => status === 204).length, DIALOGS_PER_ADDRESS, statuses.join(' '));
      assert.equal(statuses.filter((status) => status === 429).length, 100 - DIALOGS_PER_ADDRESS);
      assert.equal(await dialogEvents(a), DIALOGS_PER_ADDRESS);
    } finally {
      await close();
    }
  });

  test('bytes streaming into A count against the quota on B: a concurrent upload on B is 507 FS_ERR_QUOTA; once A is done, B stores what is left', async () => {
    const QUOTA = 256 * KiB;
    const { a, b, close } = await startTwoCompanions({ limits: { appStorageBytes: QUOTA } }, sandbox);
    try {
      // A's upload: 192 KiB of unknown length, held open until the test ends it.
      let body!: ReadableStreamDefaultController<Uint8Array>;
      const stream = new ReadableStream<Uint8Array>({ start: (controller) => void (body = controller) });
      const uploading = a.call('/api/store?filename=slow.bin', { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
      for (let chunk = 0; chunk < 3; chunk++) body.enqueue(new Uint8Array(64 * KiB).fill(1));
      while (!(await a.db.selectFrom('storage_reservations').select('id').executeTakeFirst())) await new Promise((resolve) => setImmediate(resolve));

      const refused = await b.call('/api/store?filename=other.bin', { method: 'POST', body: new Uint8Array(64 * KiB) });
      assert.equal(refused.status, 507);
      assert.equal(await errorCode(refused), 'FS_ERR_QUOTA');

      body.close();
      const stored = await uploading;
      assert.equal(stored.status, 200, await stored.clone().text());
      assert.equal(((await stored.json()) as { blob: { size: number } }).blob.size, 192 * KiB);
      assert.equal((await b.call('/api/store?filename=rest.bin', { method: 'POST', body: new Uint8Array(64 * KiB) })).status, 200, 'the rest of the quota, once A is done');
      const over = await b.call('/api/store?filename=one-more.bin', { method: 'POST', body: 'x' });
      assert.equal(over.status, 507);
      assert.equal(await errorCode(over), 'FS_ERR_QUOTA');
    } finally {
      await close();
    }
  });

  test(`the reservation of an instance that died mid-upload stops counting after ${RESERVATION_TTL_MS / 1000} s`, async () => {
    mock.timers.enable({ apis: ['Date'], now: Date.now() });
    const { a, b, close } = await startTwoCompanions({ limits: { appStorageBytes: 256 * KiB } }, sandbox);
    try {
      // What A leaves behind when it is killed while a 200 KiB upload streams in: its reservation, never refreshed again.
      await a.db.insertInto('storage_reservations').values({ id: 'killed-upload', app_key: TEST_APP.apiKey, bytes: 200 * KiB, expires_at: Date.now() + RESERVATION_TTL_MS }).execute();
      const refused = await b.call('/api/store?filename=b.bin', { method: 'POST', body: new Uint8Array(100 * KiB) });
      assert.equal(refused.status, 507);
      assert.equal(await errorCode(refused), 'FS_ERR_QUOTA');
      mock.timers.tick(RESERVATION_TTL_MS);
      assert.equal((await b.call('/api/store?filename=b.bin', { method: 'POST', body: new Uint8Array(100 * KiB) })).status, 200);
    } finally {
      await close();
    }
  });

  test('an origin the portal allows on A is allowed on B within a second', async () => {
    mock.timers.enable({ apis: ['Date'], now: Date.now() });
    const { a, b, close } = await startTwoCompanions({}, sandbox);
    try {
      const NEW_ORIGIN = 'https://new.example.com';
      const services = () => b.call('/api/services', { headers: { Origin: NEW_ORIGIN } });
      assert.equal((await services()).status, 403);
      const registry = AppRegistry.of(a.db);
      const app = registry.get(TEST_APP.apiKey)!;
      // The edit comes after the app was seeded (the clock stands still otherwise).
      mock.timers.tick(1);
      await registry.update(app.id, { allowedOrigins: [TEST_ORIGIN, NEW_ORIGIN] });
      mock.timers.tick(1000);
      assert.equal((await services()).status, 200);
    } finally {
      await close();
    }
  });
});

describe('Token refresh across two companions', () => {
  test('requests on A and B that meet the same expired token share one refresh, and all succeed', async () => {
    const a = await startOidcCompanion();
    const b = await startCompanion(
      { publicUrl: COMPANION_URL, alfresco: { repositoryUrl: a.sandbox.url, signIn: { type: 'oidc', issuer: a.sandbox.issuer }, oauthApp: OAUTH_APP } },
      a.sandbox,
      { db: sameDatabaseAs(a.db) },
    );
    const { session } = await connectWithOAuth(a, 'mjackson');
    await a.db.updateTable('grants').set({ expires_at: Date.now() - 1_000 }).execute();
    const counter = countTokenRequests(a.sandbox);
    try {
      const answers = await Promise.all(Array.from({ length: 20 }, (_, index) => (index % 2 ? b : a).call('/api/session', { session })));
      assert.deepEqual(counter.counts, { refresh_token: 1 }, 'the sandbox rotates refresh tokens: a second refresh would revoke the grant');
      assert.deepEqual(new Set(answers.map((answer) => answer.status)), new Set([200]));
    } finally {
      counter.stop();
      await b.close();
      await a.close();
    }
  });
});

describe('Shared counters', () => {
  test('200 hits at once, from two instances, pass exactly max; the rest are told when the window ends', async () => {
    const db = await openTestDatabase();
    try {
      const limits = [db, sameDatabaseAs(db)].map((instance) => new RateLimit(instance, { kind: 'test:parallel', max: 50, windowMs: 60_000 }));
      const results = await Promise.all(Array.from({ length: 200 }, (_, index) => limits[index % 2]!.hit('203.0.113.7')));
      assert.equal(results.filter((result) => result.ok).length, 50);
      for (const result of results) if (!result.ok) assert.ok(result.retryAfterS >= 1 && result.retryAfterS <= 60, String(result.retryAfterS));
    } finally {
      await db.destroy();
    }
  });

  test('40 password tries at once let 5 through; an undecided one gives its place back, wrong ones lock the key for the window', async () => {
    const now = 5_000_000;
    const db = await openTestDatabase();
    try {
      const limits = [db, sameDatabaseAs(db)].map((instance) => new AttemptLimit(instance, { kind: 'test:tries', now: () => now, maxFailures: 5, windowMs: 60_000 }));
      const tries = await Promise.all(Array.from({ length: 40 }, (_, index) => limits[index % 2]!.reserve('mjackson')));
      const through = tries.flatMap((result) => (result.ok ? [result.reservation] : []));
      assert.equal(through.length, 5);
      for (const result of tries) if (!result.ok) assert.equal(result.retryAfterS, 5, 'only tries in flight fill the window: come back soon');

      await through[0]!.release();
      const again = await limits[1]!.reserve('mjackson');
      assert.ok(again.ok, 'the undecided try gave its place back');
      assert.equal((await limits[0]!.reserve('mjackson')).ok, false);
      await Promise.all([...through.slice(1), again.reservation].map((reservation) => reservation.fail()));
      assert.deepEqual(await limits[0]!.check('mjackson'), { ok: false, retryAfterS: 60 });
    } finally {
      await db.destroy();
    }
  });

  test('no address or user name is stored, and the sweep deletes rows whose window has passed', async () => {
    const now = 7_000_000;
    const db = await openTestDatabase();
    try {
      const reserved = await new PasswordLimits(db, { now: () => now }).reserve('198.51.100.23', 'MJackson');
      assert.ok(reserved.ok);
      await reserved.attempt.wrong();
      const rows = await db.selectFrom('shared_counters').selectAll().execute();
      assert.equal(rows.length, 3);
      for (const row of rows) assert.match(row.key, /^[0-9a-f]{64}$/);
      assert.doesNotMatch(JSON.stringify(rows), /198\.51|mjackson/i);

      assert.equal(await sweepExpired(db, now + 5 * 60_000 - 1), 0, 'nothing before a window ends');
      assert.equal(await sweepExpired(db, now + 5 * 60_000), 1, 'the per-user window (5 minutes)');
      assert.equal(await sweepExpired(db, now + 15 * 60_000), 2);
      assert.equal((await db.selectFrom('shared_counters').selectAll().execute()).length, 0);
    } finally {
      await db.destroy();
    }
  });
});
