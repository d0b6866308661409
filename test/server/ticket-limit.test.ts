import assert from 'node:assert/strict';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, mock, test } from 'node:test';
import type { RunningSandbox } from '../../src/sandbox/sandbox.ts';
import type { CompanionConfigInput } from '../../companion/src/config.ts';
import { listen } from '../../companion/src/listen.ts';
import { AttemptLimit } from '../../companion/src/security/attempt-limit.ts';
import { startCompanion, TEST_APP, TEST_ORIGIN, type CompanionHarness } from '../helpers/companion.ts';
import { COMPANION_URL, companionRequest, popupResult, start } from '../helpers/companion-auth.ts';
import { parseForm } from '../helpers/oidc-browser.ts';
import { AUTH, startTestSandbox } from '../helpers/sandbox.ts';
import { openTestDatabase } from '../helpers/test-database.ts';

const WINDOW_MS = 15 * 60_000;

/** The ticket form a popup reaches from /start, with its CSRF cookie. */
async function openForm(harness: CompanionHarness, nonce: string) {
  const started = await start(harness, { nonce });
  assert.equal(started.status, 302);
  const formUrl = new URL(started.headers.get('location')!);
  const page = await companionRequest(harness, formUrl);
  const cookie = page.headers.getSetCookie().map((value) => value.split(';')[0]!).join('; ');
  return { cookie, form: parseForm(await page.text(), formUrl) };
}

async function signIn(harness: CompanionHarness, { cookie, form }: Awaited<ReturnType<typeof openForm>>, username: string, password: string): Promise<Response> {
  return companionRequest(harness, form.action, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie },
    body: new URLSearchParams({ ...form.hidden, username, password }).toString(),
  });
}

describe('Ticket sign-in form: wrong passwords are limited', () => {
  let sandbox: RunningSandbox;
  let harness: CompanionHarness;
  before(async () => {
    sandbox = await startTestSandbox();
    harness = await startCompanion({ publicUrl: COMPANION_URL, alfresco: { repositoryUrl: sandbox.url, signIn: { type: 'ticket' } } }, sandbox);
  });
  after(async () => {
    mock.timers.reset();
    await harness.close();
    await sandbox.close();
  });

  test('the 6th wrong password is 429 with Retry-After; a right one still waits until the window has passed', async () => {
    // The companion's clock (Date) moves only when the test says so.
    mock.timers.enable({ apis: ['Date'], now: Date.now() });
    const opened = await openForm(harness, 'nonce-limit-0001');
    for (let attempt = 1; attempt <= 5; attempt++) {
      const wrong = await signIn(harness, opened, 'mjackson', `wrong-${attempt}`);
      assert.equal(wrong.status, 200, `attempt ${attempt}`);
      assert.match(await wrong.text(), /The user name or password is not correct\./);
    }

    const sixth = await signIn(harness, opened, 'mjackson', 'wrong-6');
    const page = await sixth.text();
    assert.equal(sixth.status, 429);
    assert.equal(sixth.headers.get('retry-after'), String(WINDOW_MS / 1000));
    assert.match(page, /role="alert">Too many wrong passwords\. Wait 15 minutes, then try again\./);
    assert.match(page, /<form method="post"/, 'the form stays, so the person can try again later');

    mock.timers.tick(5 * 60_000);
    const right = await signIn(harness, opened, 'mjackson', 'mjackson');
    assert.equal(right.status, 429);
    assert.equal(right.headers.get('retry-after'), String(10 * 60));
    assert.match(await right.text(), /Wait 10 minutes/);
    assert.equal(await harness.db.selectFrom('grants').select('id').executeTakeFirst(), undefined, 'no connection while limited');

    // Another person signing in from the same address is not held up by these failures.
    const other = await popupResult(await signIn(harness, await openForm(harness, 'nonce-limit-0002'), 'abeecher', 'abeecher'));
    assert.equal(other.data.message?.type, 'fs-picker:connected', other.html);

    mock.timers.tick(10 * 60_000);
    const later = await popupResult(await signIn(harness, await openForm(harness, 'nonce-limit-0003'), 'mjackson', 'mjackson'));
    assert.equal(later.status, 200);
    assert.equal(later.data.message?.type, 'fs-picker:connected', later.html);
    mock.timers.reset();
  });
});

describe('AttemptLimit', () => {
  test('counts failures per key in a fixed window; a success forgets them', async () => {
    let now = 1_000_000;
    const db = await openTestDatabase();
    try {
      const limit = new AttemptLimit(db, { kind: 'test', now: () => now, maxFailures: 2, windowMs: 60_000 });
      await limit.fail('a');
      await limit.fail('a');
      assert.deepEqual(await limit.check('a'), { ok: false, retryAfterS: 60 });
      assert.deepEqual(await limit.check('b'), { ok: true });
      now += 59_500;
      assert.deepEqual(await limit.check('a'), { ok: false, retryAfterS: 1 });
      now += 500;
      assert.deepEqual(await limit.check('a'), { ok: true });
      await limit.fail('b');
      await limit.succeed('b');
      await limit.fail('b');
      assert.deepEqual(await limit.check('b'), { ok: true });
    } finally {
      await db.destroy();
    }
  });
});

/**
 * A stand-in for the repository in front of the sandbox that counts the password checks reaching it
 * (`POST …/tickets`) and holds each one back a little, so parallel tries overlap as they would over a network.
 */
async function countingRepository(sandbox: RunningSandbox, delayMs = 150) {
  const target = new URL(sandbox.url);
  let ticketChecks = 0;
  const server = createServer((req, res) => {
    const isCheck = req.method === 'POST' && req.url?.endsWith(`${AUTH}/tickets`);
    if (isCheck) ticketChecks++;
    setTimeout(() => {
      const upstream = httpRequest({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    }, isCheck ? delayMs : 0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get ticketChecks() {
      return ticketChecks;
    },
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

/** The companion served on 127.0.0.1 (a real socket), with the sign-in form walked over HTTP. */
async function servedCompanion(sandbox: RunningSandbox, repositoryUrl: string, overrides: Partial<CompanionConfigInput> = {}) {
  const harness = await startCompanion({ publicUrl: COMPANION_URL, alfresco: { repositoryUrl, signIn: { type: 'ticket' } }, ...overrides }, sandbox);
  const server = await listen(harness.app);
  /** A companion URL (as its pages name it, under COMPANION_URL) on the real server. */
  const onServer = (url: URL | string) => new URL(new URL(url).pathname + new URL(url).search, server.url);
  const openForm = async (nonce: string, headers: Record<string, string> = {}) => {
    const started = await fetch(`${server.url}/auth/alfresco/start?${new URLSearchParams({ key: TEST_APP.apiKey, origin: TEST_ORIGIN, nonce })}`, { redirect: 'manual', headers });
    assert.equal(started.status, 302, await started.text());
    const formUrl = onServer(started.headers.get('location')!);
    const page = await fetch(formUrl, { headers });
    const cookie = page.headers.getSetCookie().map((value) => value.split(';')[0]!).join('; ');
    const form = parseForm(await page.text(), new URL(formUrl.pathname + formUrl.search, COMPANION_URL));
    return { cookie, form };
  };
  const signIn = (opened: Awaited<ReturnType<typeof openForm>>, username: string, password: string, headers: Record<string, string> = {}) =>
    fetch(onServer(opened.form.action), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: opened.cookie, ...headers },
      body: new URLSearchParams({ ...opened.form.hidden, username, password }).toString(),
    });
  return { harness, openForm, signIn, close: async () => (await server.close(), await harness.close()) };
}

describe('Ticket sign-in form under attack', () => {
  let sandbox: RunningSandbox;
  let repository: Awaited<ReturnType<typeof countingRepository>>;
  before(async () => {
    sandbox = await startTestSandbox();
    repository = await countingRepository(sandbox);
  });
  after(async () => {
    await repository.close();
    await sandbox.close();
  });

  test('20 wrong passwords sent at once: only 5 reach the repository, the rest are 429 with Retry-After', async () => {
    const companion = await servedCompanion(sandbox, repository.url);
    try {
      const opened = await companion.openForm('nonce-parallel-1');
      const before = repository.ticketChecks;

      const answers = await Promise.all(Array.from({ length: 20 }, (_, index) => companion.signIn(opened, 'mjackson', `wrong-${index}`)));

      const statuses = answers.map((answer) => answer.status);
      assert.equal(repository.ticketChecks - before, 5, 'password checks that reached the repository');
      assert.equal(statuses.filter((status) => status === 200).length, 5, statuses.join(' '));
      const limited = answers.filter((answer) => answer.status === 429);
      assert.equal(limited.length, 15);
      for (const answer of limited) {
        assert.match(answer.headers.get('retry-after') ?? '', /^\d+$/);
        assert.match(await answer.text(), /role="alert">Too many wrong passwords\. Wait/);
      }
      // Once the five have failed, the user name stays locked for the window, the right password included.
      const right = await companion.signIn(opened, 'mjackson', 'mjackson');
      assert.equal(right.status, 429);
      assert.ok(Number(right.headers.get('retry-after')) > WINDOW_MS / 1000 - 60, right.headers.get('retry-after')!);
      assert.equal(await companion.harness.db.selectFrom('grants').select('id').executeTakeFirst(), undefined, 'nobody got connected');
    } finally {
      await companion.close();
    }
  });

  test('spraying 50 user names from one address is stopped after 20 wrong passwords', async () => {
    const companion = await servedCompanion(sandbox, repository.url);
    try {
      const opened = await companion.openForm('nonce-spray-001');
      const before = repository.ticketChecks;
      const statuses: number[] = [];
      for (let index = 0; index < 50; index++) statuses.push((await companion.signIn(opened, `user-${index}`, 'Summer2026!')).status);

      assert.deepEqual(statuses.slice(0, 20), Array<number>(20).fill(200));
      assert.deepEqual(statuses.slice(20), Array<number>(30).fill(429));
      assert.equal(repository.ticketChecks - before, 20, 'password checks that reached the repository');
      // The same address cannot sign in to a real account either until the window has passed.
      assert.equal((await companion.signIn(opened, 'abeecher', 'abeecher')).status, 429);
    } finally {
      await companion.close();
    }
  });

  test('without trustedProxies, X-Forwarded-For is ignored: a spoofed header does not escape the limit', async () => {
    const companion = await servedCompanion(sandbox, repository.url);
    try {
      const opened = await companion.openForm('nonce-spoofed-1');
      for (let index = 0; index < 5; index++) {
        assert.equal((await companion.signIn(opened, 'mjackson', `wrong-${index}`, { 'X-Forwarded-For': `203.0.113.${index}` })).status, 200);
      }
      const spoofed = await companion.signIn(opened, 'mjackson', 'wrong-again', { 'X-Forwarded-For': '198.51.100.77' });
      assert.equal(spoofed.status, 429);
      assert.ok(Number(spoofed.headers.get('retry-after')) > 0);
    } finally {
      await companion.close();
    }
  });

  test('with trustedProxies, two clients behind the proxy are limited apart, each by its X-Forwarded-For', async () => {
    // The proxy is this machine (the test's connections come from 127.0.0.1); what it appends names the client.
    const companion = await servedCompanion(sandbox, repository.url, { trustedProxies: ['127.0.0.1', '10.0.0.0/8'] });
    try {
      const alice = { 'X-Forwarded-For': '192.0.2.10' };
      // Bob's own (untrusted) value on the left is his to write and is never read; 10.1.1.1 is a trusted hop.
      const bob = { 'X-Forwarded-For': '192.0.2.10, 198.51.100.20, 10.1.1.1' };
      const opened = await companion.openForm('nonce-proxied-1', alice);
      for (let index = 0; index < 5; index++) assert.equal((await companion.signIn(opened, 'mjackson', `wrong-${index}`, alice)).status, 200);
      assert.equal((await companion.signIn(opened, 'mjackson', 'wrong-6', alice)).status, 429, 'Alice is limited');

      const bobs = await companion.openForm('nonce-proxied-2', bob);
      const bobsTry = await popupResult(await companion.signIn(bobs, 'mjackson', 'mjackson', bob));
      assert.equal(bobsTry.data.message?.type, 'fs-picker:connected', 'Bob, behind the same proxy, is not held up by Alice');
    } finally {
      await companion.close();
    }
  });

  test('the per-user limit across addresses holds a user name for 5 minutes at most', async () => {
    mock.timers.enable({ apis: ['Date'], now: Date.now() });
    const companion = await servedCompanion(sandbox, repository.url, { trustedProxies: ['127.0.0.1'] });
    try {
      const opened = await companion.openForm('nonce-per-user-1');
      // Guessers on two addresses, five wrong passwords each: the user name's 10 in 5 minutes.
      for (const address of ['192.0.2.1', '192.0.2.2']) {
        for (let index = 0; index < 5; index++) assert.equal((await companion.signIn(opened, 'mjackson', `wrong-${index}`, { 'X-Forwarded-For': address })).status, 200);
      }
      const owner = { 'X-Forwarded-For': '198.51.100.9' };
      const held = await companion.signIn(opened, 'mjackson', 'mjackson', owner);
      assert.equal(held.status, 429);
      assert.ok(Number(held.headers.get('retry-after')) <= 300, held.headers.get('retry-after')!);

      mock.timers.tick(5 * 60_000);
      const later = await popupResult(await companion.signIn(await companion.openForm('nonce-per-user-2', owner), 'mjackson', 'mjackson', owner));
      assert.equal(later.data.message?.type, 'fs-picker:connected', 'the owner gets in once the 5 minutes have passed');
    } finally {
      mock.timers.reset();
      await companion.close();
    }
  });
});
