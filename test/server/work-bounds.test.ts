import assert from 'node:assert/strict';
import { after, afterEach, before, describe, mock, test } from 'node:test';
import { ATTEMPT_LIFETIME_MS, MAX_OPEN_ATTEMPTS_PER_APP } from '../../companion/src/auth/attempts.ts';
import { DIALOGS_PER_ADDRESS, REPEAT_MS } from '../../companion/src/webhooks/dialog-limits.ts';
import { startCompanion, TEST_APP, TEST_ORIGIN, type CompanionHarness } from '../helpers/companion.ts';
import { COMPANION_URL, popupResult } from '../helpers/companion-auth.ts';

/*
 * Work that anyone with the public app key can ask for is bounded: the sign-in rows that /auth/<source>/start
 * makes, and the fp.dialog events that POST /api/dialog sends to the app's webhook receivers.
 */

/** What @hono/node-server hands the app for a request from `address` (the socket's remote address). */
const from = (address: string) => ({ incoming: { socket: { remoteAddress: address } } });

const STARTS_PER_ADDRESS = 200;

async function start(h: CompanionHarness, address: string, nonce = 'nonce-bounds-0001'): Promise<Response> {
  return await h.app.request(`/auth/alfresco/start?${new URLSearchParams({ key: TEST_APP.apiKey, origin: TEST_ORIGIN, nonce })}`, {}, from(address));
}

const attemptRows = async (h: CompanionHarness) => Number((await h.db.selectFrom('sign_in_attempts').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

describe('GET /auth/<source>/start: the rows it makes are bounded', () => {
  let h: CompanionHarness;
  before(async () => {
    h = await startCompanion({ publicUrl: COMPANION_URL, alfresco: { repositoryUrl: 'http://127.0.0.1:9', signIn: { type: 'ticket' } } });
  });
  after(async () => {
    await h.close();
  });
  afterEach(() => mock.timers.reset());

  test(`one address starts ${STARTS_PER_ADDRESS} sign-ins in 10 minutes; the next is 429 with Retry-After, told to the opener, and makes no row`, async () => {
    mock.timers.enable({ apis: ['Date'], now: Date.now() });
    for (let index = 0; index < STARTS_PER_ADDRESS; index++) assert.equal((await start(h, '192.0.2.50')).status, 302, `start ${index + 1}`);
    const rows = await attemptRows(h);

    const refused = await popupResult(await start(h, '192.0.2.50'));

    assert.equal(refused.status, 429);
    assert.ok(Number(refused.headers.get('retry-after')) > 500, refused.headers.get('retry-after')!);
    assert.match(refused.html, /Too many sign-ins were started from your network just now\. Wait 10 minutes/);
    assert.deepEqual([refused.data.message?.code, refused.data.origin], ['FS_ERR_RATE_LIMITED', TEST_ORIGIN]);
    assert.equal(await attemptRows(h), rows, 'no row for a refused start');
    // An IPv6 client is counted by its /64: another address in it is the same client.
    for (let index = 0; index < STARTS_PER_ADDRESS; index++) assert.equal((await start(h, `2001:db8:1:2::${index + 1}`)).status, 302);
    assert.equal((await start(h, '2001:db8:1:2:ffff::1')).status, 429);
    assert.equal((await start(h, '192.0.2.51')).status, 302, 'another address is not held up');
    mock.timers.tick(10 * 60_000);
    assert.equal((await start(h, '192.0.2.50')).status, 302, 'after 10 minutes it may start again');
  });

  test(`an app has at most ${MAX_OPEN_ATTEMPTS_PER_APP} sign-ins open, from however many addresses; they free up as they expire`, async () => {
    mock.timers.enable({ apis: ['Date'], now: Date.now() + 60 * 60_000 });
    let address = 0;
    const nextAddress = () => `198.51.${Math.floor(address / 200)}.${address++ % 200}`;
    let started = 0;
    for (;;) {
      const response = await start(h, nextAddress());
      if (response.status !== 302) {
        const refused = await popupResult(response);
        assert.equal(refused.status, 429);
        assert.match(refused.html, /Too many sign-ins were started for this site just now/);
        assert.equal(refused.data.message?.code, 'FS_ERR_RATE_LIMITED');
        break;
      }
      started++;
      assert.ok(started <= MAX_OPEN_ATTEMPTS_PER_APP, 'the cap held');
    }
    const open = await h.db.selectFrom('sign_in_attempts').select((eb) => eb.fn.countAll().as('n')).where('created_at', '>=', Date.now() - ATTEMPT_LIFETIME_MS).executeTakeFirstOrThrow();
    assert.equal(Number(open.n), MAX_OPEN_ATTEMPTS_PER_APP);

    mock.timers.tick(ATTEMPT_LIFETIME_MS + 1000);
    assert.equal((await start(h, nextAddress())).status, 302, 'expired attempts no longer count');
  });

  test('rows are swept a day after they were made', async () => {
    mock.timers.enable({ apis: ['Date'], now: Date.now() + 3 * 60 * 60_000 });
    assert.ok((await attemptRows(h)) > MAX_OPEN_ATTEMPTS_PER_APP);
    mock.timers.tick(24 * 60 * 60_000 + 1000);
    assert.equal((await start(h, '203.0.113.1')).status, 302);
    assert.equal(await attemptRows(h), 1, 'only the new attempt is left');
  });
});

describe('POST /api/dialog: the events it sends are bounded', () => {
  let h: CompanionHarness;
  before(async () => {
    h = await startCompanion();
  });
  after(async () => {
    await h.close();
  });
  afterEach(() => mock.timers.reset());

  const dialog = (address: string, body: unknown = {}) =>
    h.app.request(`/api/dialog?key=${TEST_APP.apiKey}`, { method: 'POST', headers: { Origin: TEST_ORIGIN, 'Content-Type': 'application/json' }, body: JSON.stringify(body) }, from(address));
  const dialogEvents = async () => Number((await h.db.selectFrom('webhook_events').select((eb) => eb.fn.countAll().as('n')).where('action', '=', 'fp.dialog').executeTakeFirstOrThrow()).n);

  test(`the same dialog posted again within ${REPEAT_MS / 1000} s is one event; after that, a new one`, async () => {
    mock.timers.enable({ apis: ['Date'], now: Date.now() });
    const before = await dialogEvents();
    for (let index = 0; index < 10; index++) assert.equal((await dialog('192.0.2.60', { mode: 'pick', accept: ['image/*'] })).status, 204);
    assert.equal((await dialogEvents()) - before, 1);

    assert.equal((await dialog('192.0.2.60', { mode: 'export' })).status, 204);
    assert.equal((await dialog('192.0.2.61', { mode: 'pick', accept: ['image/*'] })).status, 204);
    assert.equal((await dialogEvents()) - before, 3, 'another dialog, or another address, is another event');

    mock.timers.tick(REPEAT_MS);
    assert.equal((await dialog('192.0.2.60', { mode: 'pick', accept: ['image/*'] })).status, 204);
    assert.equal((await dialogEvents()) - before, 4);
  });

  test(`a script posting dialogs gets ${DIALOGS_PER_ADDRESS} events per app and address in 10 minutes, then 429 with Retry-After`, async () => {
    mock.timers.enable({ apis: ['Date'], now: Date.now() + 60 * 60_000 });
    const before = await dialogEvents();
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let index = 0; index < 100; index++) {
      const response = await dialog('192.0.2.70', { accept: [`image/x-${index}`] });
      statuses.push(response.status);
      if (response.status === 429) limited ??= response;
    }

    assert.deepEqual(statuses, [...Array<number>(DIALOGS_PER_ADDRESS).fill(204), ...Array<number>(100 - DIALOGS_PER_ADDRESS).fill(429)]);
    assert.equal((await dialogEvents()) - before, DIALOGS_PER_ADDRESS, 'events written for the webhook receivers');
    assert.ok(Number(limited!.headers.get('retry-after')) > 500, limited!.headers.get('retry-after')!);
    const { error } = (await limited!.json()) as { error: { code: string; message: string } };
    assert.equal(error.code, 'FS_ERR_RATE_LIMITED');
    assert.match(error.message, /Too many dialog openings/);
    assert.equal((await dialog('192.0.2.71', { mode: 'export' })).status, 204, 'another address is not held up');
    mock.timers.tick(10 * 60_000);
    assert.equal((await dialog('192.0.2.70', { accept: ['image/png'] })).status, 204, 'after 10 minutes events flow again');
  });
});
