import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig, parseConfig, type CompanionConfig } from '../../companion/src/config.ts';
import type { Db } from '../../companion/src/db/database.ts';
import { openTestDatabase } from '../helpers/test-database.ts';
import { Webhooks } from '../../companion/src/index.ts';
import { PRUNE_BATCH_SIZE, pruneBatch } from '../../companion/src/webhooks/retention.ts';
import { startReceiver, type Receiver } from './webhooks-receiver.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const KEY = Buffer.alloc(32, 5).toString('base64');
const SECRET = 'retention-secret-0123456789';
const DAY = 24 * 60 * 60_000;
// The receivers are on 127.0.0.1: a private target the operator allows.
const BASE = { encryptionKey: KEY, alfresco: { repositoryUrl: 'http://127.0.0.1:9' }, outbound: { allowPrivateTargets: true } };

describe('webhook retention: configuration', () => {
  const problemsOf = (input: unknown): string[] => {
    try {
      parseConfig(input);
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    }
    return [];
  };
  const withRetention = (retentionDays: unknown) => ({ ...BASE, apps: [{ apiKey: 'app-key-123', name: 'A', allowedOrigins: [] }], webhooks: { retentionDays } });

  test('30 days by default; any whole number of days from 1, in the file or FS_WEBHOOK_RETENTION_DAYS', () => {
    assert.equal(parseConfig({ ...BASE, apps: [{ apiKey: 'app-key-123', name: 'A', allowedOrigins: [] }] }).webhooks.retentionDays, 30);
    assert.equal(parseConfig(withRetention(1)).webhooks.retentionDays, 1);
    assert.equal(loadConfig({ FS_WEBHOOK_RETENTION_DAYS: '90' }).webhooks.retentionDays, 90);
  });

  test('a bad retentionDays is one message naming the key', () => {
    assert.deepEqual(problemsOf(withRetention(0)), ['webhooks.retentionDays: must be at least 1 (day)']);
    assert.deepEqual(problemsOf(withRetention(2.5)), ['webhooks.retentionDays: must be a whole number of days']);
    assert.deepEqual(problemsOf(withRetention('30')), ['webhooks.retentionDays: expected number, got "30"']);
    assert.throws(() => loadConfig({ FS_WEBHOOK_RETENTION_DAYS: 'a month' }), (error: unknown) => error instanceof ConfigError && error.problems.join() === 'webhooks.retentionDays: expected number, got "a month"');
  });

  test('the companion refuses to start with a bad retentionDays, naming the key', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fs-webhooks-retention-'));
    try {
      await writeFile(join(dir, 'config.json'), JSON.stringify(withRetention(0)));
      const child = spawn(process.execPath, ['--import', 'tsx', 'companion/src/main.ts'], { cwd: ROOT, env: { ...process.env, FS_CONFIG: join(dir, 'config.json') }, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      assert.equal(code, 2);
      assert.match(stderr, /webhooks\.retentionDays: must be at least 1 \(day\)/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('webhook retention: pruning', () => {
  let receiver: Receiver;
  let db: Db;
  let config: CompanionConfig;
  before(async () => {
    receiver = await startReceiver();
    db = await openTestDatabase();
    const app = (key: string, path: string) => ({ apiKey: key, name: key, allowedOrigins: [], webhooks: [{ url: `${receiver.url}${path}`, events: 'all' as const, secret: SECRET }] });
    config = parseConfig({
      ...BASE,
      apps: [app('delivered-app', '/ok'), app('failing-app', '/fail'), app('retried-app', '/due'), { apiKey: 'quiet-app', name: 'quiet-app', allowedOrigins: [] }],
      webhooks: { retentionDays: 7 },
    });
  });
  after(async () => {
    await db.destroy();
    await receiver.close();
  });

  const deliveriesOf = (eventId: number) => db.selectFrom('webhook_deliveries').selectAll().where('event_id', '=', eventId).execute();
  const attemptsOf = (eventId: number) =>
    db.selectFrom('webhook_attempts as a').innerJoin('webhook_deliveries as d', 'd.id', 'a.delivery_id').select('a.id').where('d.event_id', '=', eventId).execute();
  const eventExists = async (eventId: number) => (await db.selectFrom('webhook_events').select('id').where('id', '=', eventId).executeTakeFirst()) !== undefined;
  const emit = (hooks: Webhooks, appKey: string, file: string) => hooks.emit(db, appKey, { action: 'fp.delete', text: { url: `https://companion.example/api/file/${file}` } });

  test('finished events past the retention go with their deliveries and attempts; recent and undelivered ones stay', async () => {
    receiver.set('/fail', { status: 500 });
    receiver.set('/due', { status: 503 });
    const t0 = Date.UTC(2026, 2, 1, 12);
    let now = t0;
    const hooks = new Webhooks({ db, config, now: () => now });

    const delivered = await emit(hooks, 'delivered-app', 'delivered');
    const failed = await emit(hooks, 'failing-app', 'failed');
    const quiet = await emit(hooks, 'quiet-app', 'no-urls');
    const due = await emit(hooks, 'retried-app', 'due');
    // Every retry of the failing URL (the last at +12 h). The /due URL fails as often.
    for (const at of [0, 5 * 60_000, 60 * 60_000, 12 * 60 * 60_000]) {
      now = t0 + at;
      await hooks.drain();
    }
    assert.deepEqual((await deliveriesOf(delivered)).map((d) => d.status), ['delivered']);
    assert.deepEqual((await deliveriesOf(failed)).map((d) => [d.status, d.attempts]), [['failed', 4]]);
    assert.equal((await attemptsOf(failed)).length, 4);
    // Its delivery gets one more attempt (the portal's "Retry"), due after the retention has passed: an old
    // event with a delivery still to make, as after a worker that was down for weeks.
    await db.updateTable('webhook_deliveries').set({ status: 'pending', max_attempts: 5, next_attempt_at: t0 + 29 * DAY }).where('event_id', '=', due).execute();

    // A day before the retention ends, nothing goes.
    now = t0 + 6 * DAY;
    assert.equal(await hooks.prune(), 0);
    now = t0 + 25 * DAY;
    const recent = await emit(hooks, 'delivered-app', 'recent');
    await hooks.drain();
    assert.deepEqual((await deliveriesOf(recent)).map((d) => d.status), ['delivered']);

    now = t0 + 30 * DAY;
    assert.equal(await hooks.prune(), 3);

    for (const gone of [delivered, failed, quiet]) {
      assert.equal(await eventExists(gone), false, `event ${gone} is pruned`);
      assert.deepEqual(await deliveriesOf(gone), []);
      assert.deepEqual(await attemptsOf(gone), []);
    }
    assert.equal(await eventExists(recent), true, 'a recent event stays');
    assert.equal(await eventExists(due), true, 'an old event with a delivery still due stays');
    assert.equal((await attemptsOf(due)).length, 4, 'with its attempts');
    // The portal's log no longer shows what was pruned.
    assert.deepEqual(await hooks.deliveryLog('failing-app'), []);
    assert.deepEqual((await hooks.deliveryLog('delivered-app')).map((entry) => entry.eventId), [recent]);

    // It is still delivered; once it is, it goes at the next prune.
    receiver.set('/due', { status: 204 });
    await hooks.drain();
    assert.deepEqual((await deliveriesOf(due)).map((d) => [d.status, d.attempts]), [['delivered', 5]]);
    assert.equal(receiver.at('/due').at(-1)!.json.id, due);
    assert.equal(await hooks.prune(), 1);
    assert.equal(await eventExists(due), false);
    assert.equal(await eventExists(recent), true);
  });

  test(`more than one batch: ${PRUNE_BATCH_SIZE} events a transaction, until none is left`, async () => {
    const t0 = Date.UTC(2026, 5, 1, 12);
    const total = PRUNE_BATCH_SIZE * 2 + 500;
    // A database of its own, so the count is this test's alone.
    const db = await openTestDatabase();
    try {
      await insertFinishedEvents(db, 'bulk-app', t0, total);
      const remaining = async () => Number((await db.selectFrom('webhook_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

      // One batch takes at most its limit.
      assert.equal(await pruneBatch(db, t0 + 1, 10), 10);
      assert.equal(await remaining(), total - 10);

      const hooks = new Webhooks({ db, config, now: () => t0 + 8 * DAY });
      assert.equal(await hooks.prune(), total - 10);
      assert.equal(await remaining(), 0);
      assert.deepEqual(await db.selectFrom('webhook_deliveries').select('id').execute(), []);
      assert.deepEqual(await db.selectFrom('webhook_attempts').select('id').execute(), []);
    } finally {
      await db.destroy();
    }
  });

  test('the worker prunes when it starts, and stop() ends it', async () => {
    const t0 = Date.UTC(2026, 8, 1, 12);
    await insertFinishedEvents(db, 'started-app', t0, 5);
    const hooks = new Webhooks({ db, config, now: () => t0 + 8 * DAY });
    hooks.start();
    try {
      const deadline = Date.now() + 5000;
      while ((await db.selectFrom('webhook_events').select('id').where('app_key', '=', 'started-app').execute()).length > 0) {
        assert.ok(Date.now() < deadline, 'pruned within 5 s of the start');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      await hooks.stop();
    }
  });
});

/** Writes `count` events at `at`, each with a delivered delivery and its attempt, as the worker leaves them. */
async function insertFinishedEvents(db: Db, appKey: string, at: number, count: number): Promise<void> {
  for (let start = 0; start < count; start += 500) {
    const size = Math.min(500, count - start);
    await db.transaction().execute(async (trx) => {
      const events = await trx
        .insertInto('webhook_events')
        .values(Array.from({ length: size }, () => ({ app_key: appKey, action: 'fp.delete', timestamp: Math.floor(at / 1000), text: '{}', created_at: at })))
        .returning('id')
        .execute();
      const deliveries = await trx
        .insertInto('webhook_deliveries')
        .values(
          events.map(({ id }) => ({
            event_id: id, app_key: appKey, url: 'https://hooks.example.com/x', secret_sealed: 'v1.x', status: 'delivered', attempts: 1, max_attempts: 4,
            first_attempt_at: at, next_attempt_at: null, last_status: 200, last_error: null, delivered_at: at, created_at: at, updated_at: at,
          })),
        )
        .returning('id')
        .execute();
      await trx
        .insertInto('webhook_attempts')
        .values(deliveries.map(({ id }) => ({ delivery_id: id, attempt: 1, started_at: at, duration_ms: 3, status_code: 200, ok: 1, error: null, next_attempt_at: null })))
        .execute();
    });
  }
}
