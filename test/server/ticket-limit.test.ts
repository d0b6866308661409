import assert from 'node:assert/strict';
import { after, before, describe, mock, test } from 'node:test';
import type { RunningSandbox } from '../../src/sandbox/sandbox.ts';
import { AttemptLimit } from '../../companion/src/security/attempt-limit.ts';
import { startCompanion, type CompanionHarness } from '../helpers/companion.ts';
import { COMPANION_URL, companionRequest, popupResult, start } from '../helpers/companion-auth.ts';
import { parseForm } from '../helpers/oidc-browser.ts';
import { startTestSandbox } from '../helpers/sandbox.ts';

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
  test('counts failures per key in a fixed window; a success forgets them', () => {
    let now = 1_000_000;
    const limit = new AttemptLimit({ now: () => now, maxFailures: 2, windowMs: 60_000 });
    limit.fail('a');
    limit.fail('a');
    assert.deepEqual(limit.check('a'), { ok: false, retryAfterS: 60 });
    assert.deepEqual(limit.check('b'), { ok: true });
    now += 59_500;
    assert.deepEqual(limit.check('a'), { ok: false, retryAfterS: 1 });
    now += 500;
    assert.deepEqual(limit.check('a'), { ok: true });
    limit.fail('b');
    limit.succeed('b');
    limit.fail('b');
    assert.deepEqual(limit.check('b'), { ok: true });
  });
});
