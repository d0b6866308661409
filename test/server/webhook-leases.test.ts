import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parseConfig, type CompanionConfig } from '../../companion/src/config.ts';
import type { Db } from '../../companion/src/db/database.ts';
import { RETRY_SCHEDULE_MS, Webhooks } from '../../companion/src/webhooks/webhooks.ts';
import type { WebhookSender } from '../../companion/src/webhooks/send.ts';
import { openTestDatabase } from '../helpers/test-database.ts';
import { startReceiver, type Receiver } from './webhooks-receiver.ts';

const KEY = Buffer.alloc(32, 7).toString('base64');
const SECRET = 'lease-secret-0123456789';
/** An app per test; its webhook URL is the receiver's path of the same name. */
const key = (name: string): string => `${name}-app`;

/** Several companions delivering from one outbox (the database every instance shares). */
describe('webhook deliveries shared by several instances', () => {
  let receiver: Receiver;
  let db: Db;
  let config: CompanionConfig;
  before(async () => {
    receiver = await startReceiver();
    db = await openTestDatabase();
    const app = (name: string) => ({ apiKey: key(name), name, allowedOrigins: [], webhooks: [{ url: `${receiver.url}/${name}`, events: 'all' as const, secret: SECRET }] });
    config = parseConfig({ encryptionKey: KEY, alfresco: { repositoryUrl: 'http://127.0.0.1:9' }, apps: ['shared', 'dying', 'stopping', 'retrying'].map(app), outbound: { allowPrivateTargets: true } });
  });
  after(async () => {
    await db.destroy();
    await receiver.close();
  });

  const emit = async (hooks: Webhooks, name: string, count: number): Promise<number[]> => {
    const ids: number[] = [];
    for (let index = 0; index < count; index++) ids.push(await hooks.emit(db, key(name), { action: 'fp.delete', text: { url: `https://companion.example/api/file/${index}` } }));
    return ids;
  };
  const deliveriesOf = async (name: string) =>
    db.selectFrom('webhook_deliveries').select(['status', 'attempts', 'lease_owner', 'lease_until']).where('app_key', '=', key(name)).orderBy('id').execute();

  test('1,000 events with two workers: each delivered exactly once, and both workers deliver', async () => {
    const sent = { a: 0, b: 0 };
    const counting = (name: 'a' | 'b'): WebhookSender => async (url, init) => {
      sent[name]++;
      return fetch(url, { method: 'POST', headers: init.headers, body: init.body, signal: init.signal });
    };
    const a = new Webhooks({ db, config, leaseOwner: 'instance-a', send: counting('a') });
    const b = new Webhooks({ db, config, leaseOwner: 'instance-b', send: counting('b') });
    const ids = await emit(a, 'shared', 1000);
    a.start();
    b.start();
    await receiver.waitFor('/shared', 1000, 60_000);
    await Promise.all([a.drain(), b.drain()]);
    await Promise.all([a.stop(), b.stop()]);

    const perEvent = new Map<number, number>();
    for (const entry of receiver.at('/shared')) perEvent.set(entry.json.id, (perEvent.get(entry.json.id) ?? 0) + 1);
    assert.equal(perEvent.size, 1000);
    assert.deepEqual(new Set(perEvent.values()), new Set([1]), 'no event arrived twice');
    assert.deepEqual(new Set(ids), new Set(perEvent.keys()));
    assert.equal(sent.a + sent.b, 1000);
    assert.ok(sent.a > 0 && sent.b > 0, `both instances delivered (a ${sent.a}, b ${sent.b})`);
    const rows = await deliveriesOf('shared');
    assert.ok(rows.every((row) => row.status === 'delivered' && row.attempts === 1 && row.lease_owner === null));
  });

  test('an instance that dies holding deliveries loses them when its lease lapses, and another delivers them once', async () => {
    // A takes the deliveries and never answers, as a process that died mid-attempt (its leases are not renewed).
    const dead = new AbortController();
    const frozen: WebhookSender = (_url, { signal }) => new Promise((_resolve, reject) => {
      const fail = (): void => reject(new Error('gone'));
      if (signal.aborted || dead.signal.aborted) fail();
      signal.addEventListener('abort', fail);
      dead.signal.addEventListener('abort', fail);
    });
    const a = new Webhooks({ db, config, leaseOwner: 'instance-dying', send: frozen, leaseMs: 1500, timeoutMs: 60_000 });
    await emit(a, 'dying', 20);
    void a.drain();
    await until(async () => (await deliveriesOf('dying')).every((row) => row.lease_owner === 'instance-dying'));
    const leases = await deliveriesOf('dying');

    const b = new Webhooks({ db, config, leaseOwner: 'instance-survivor' });
    b.start();
    await receiver.waitFor('/dying', 20, 30_000);
    // Not before the lease lapsed: until then A might still have been delivering.
    const firstArrival = Math.min(...receiver.at('/dying').map((entry) => entry.at));
    assert.ok(firstArrival >= Math.max(...leases.map((row) => row.lease_until!)), 'the survivor waited for the leases to lapse');
    await b.drain();
    await b.stop();
    // A's attempts, finishing after the takeover, are not recorded over B's.
    dead.abort();
    await a.stop();
    const rows = await deliveriesOf('dying');
    assert.deepEqual(rows.map((row) => [row.status, row.attempts]), Array(20).fill(['delivered', 1]));
    assert.equal(new Set(receiver.at('/dying').map((entry) => entry.json.id)).size, 20);
  });

  test('a stopping instance lets go of its deliveries: another takes them at once, not after the lease', async () => {
    const stalled: WebhookSender = (_url, { signal }) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('stopped'))));
    const a = new Webhooks({ db, config, leaseOwner: 'instance-stopping', send: stalled, leaseMs: 10 * 60_000, timeoutMs: 10 * 60_000 });
    await emit(a, 'stopping', 5);
    a.start();
    await until(async () => (await deliveriesOf('stopping')).every((row) => row.lease_owner === 'instance-stopping'));
    await a.stop();
    assert.ok((await deliveriesOf('stopping')).every((row) => row.lease_owner === null && row.attempts === 0));

    const b = new Webhooks({ db, config, leaseOwner: 'instance-taking-over' });
    b.start();
    await receiver.waitFor('/stopping', 5, 10_000);
    await b.drain();
    await b.stop();
    assert.ok((await deliveriesOf('stopping')).every((row) => row.status === 'delivered' && row.attempts === 1));
  });

  test('the retry schedule (+5 min, +1 h, +12 h after the first attempt) holds whichever instance makes each attempt', async () => {
    receiver.set('/retrying', { status: 503 });
    const t0 = Date.UTC(2026, 5, 1, 9);
    let now = t0;
    const a = new Webhooks({ db, config, leaseOwner: 'instance-early', now: () => now });
    const b = new Webhooks({ db, config, leaseOwner: 'instance-late', now: () => now });
    const [id] = await emit(a, 'retrying', 1);
    // Attempts alternate between the instances: A first, then B, A, B.
    for (const [index, at] of RETRY_SCHEDULE_MS.entries()) {
      now = t0 + at - 1;
      await (index % 2 === 0 ? b : a).drain();
      assert.equal(receiver.at('/retrying').length, index, `attempt ${index + 1} not made before its time`);
      now = t0 + at;
      await (index % 2 === 0 ? a : b).drain();
      assert.equal(receiver.at('/retrying').length, index + 1, `attempt ${index + 1} made at +${at / 60_000} min`);
    }
    const delivery = await db.selectFrom('webhook_deliveries').selectAll().where('event_id', '=', id!).executeTakeFirstOrThrow();
    assert.deepEqual([delivery.status, delivery.attempts], ['failed', 4]);
    const attempts = await db.selectFrom('webhook_attempts').select('started_at').where('delivery_id', '=', delivery.id).orderBy('attempt').execute();
    assert.deepEqual(attempts.map((row) => row.started_at - t0), [...RETRY_SCHEDULE_MS]);
    await Promise.all([a.stop(), b.stop()]);
  });
});

async function until(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
