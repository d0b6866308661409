import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parseConfig, type CompanionConfigInput } from '../../companion/src/config.ts';
import { openDatabase, type Db } from '../../companion/src/db/database.ts';
import { Webhooks } from '../../companion/src/webhooks/webhooks.ts';
import type { RunningSandbox } from '../../src/sandbox/sandbox.ts';
import { startCompanionProcess, writeCompanionConfig, type CompanionProcess } from '../helpers/companion-process.ts';
import { startTestSandbox } from '../helpers/sandbox.ts';
import { startS3rver, type TestS3 } from '../helpers/s3rver.ts';
import { createTestDatabaseUrl } from '../helpers/test-database.ts';
import { startReceiver, type Receiver } from '../server/webhooks-receiver.ts';

/*
 * Two companions as an operator runs them behind a load balancer: each its own process, one PostgreSQL
 * database and one S3 bucket shared (instances: "several"). One is killed with SIGKILL while both
 * deliver webhooks; the other finishes every delivery.
 */

const API_KEY = 'several-app-key';
const SECRET = 'several-webhook-secret-0123456789';
const EVENTS = 1000;

let dir: string;
let sandbox: RunningSandbox;
let s3: TestS3;
let receiver: Receiver;
let database: string;
let db: Db;
let input: CompanionConfigInput;
const instances: CompanionProcess[] = [];

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fs-several-'));
  sandbox = await startTestSandbox();
  s3 = await startS3rver();
  await s3.createBucket('several-files');
  receiver = await startReceiver();
  database = await createTestDatabaseUrl();
  input = {
    host: '127.0.0.1',
    port: 0,
    instances: 'several',
    database,
    encryptionKey: Buffer.alloc(32, 9).toString('base64'),
    alfresco: { repositoryUrl: sandbox.url },
    storage: { s3: s3.config('several-files') },
    outbound: { allowPrivateTargets: true },
    // A short lease, so the survivor takes the dead instance's deliveries over within the test.
    webhooks: { leaseSeconds: 3 },
    apps: [{ apiKey: API_KEY, name: 'Several', allowedOrigins: ['https://several.example.com'], webhooks: [{ url: `${receiver.url}/hook`, events: 'all', secret: SECRET }] }],
  };
  db = await openDatabase(database);
  for (const name of ['a', 'b']) {
    await mkdir(join(dir, name));
    instances.push(await startCompanionProcess(await writeCompanionConfig(join(dir, name), { ...input, instanceId: `instance-${name}` })));
  }
});

after(async () => {
  await Promise.all(instances.map((instance) => instance.kill()));
  await db?.destroy();
  await receiver?.close();
  await s3?.close();
  await sandbox?.close();
  await rm(dir, { recursive: true, force: true });
});

test('1,000 events delivered by two instances; one killed with SIGKILL mid-run, the other finishes every delivery', async () => {
  const [a, b] = instances as [CompanionProcess, CompanionProcess];
  // Slow enough answers that the run is still going when A is killed.
  receiver.set('/hook', { status: 204, delayMs: 80 });
  // One commit for all: both instances find them at their next look, however long writing them took.
  const outbox = new Webhooks({ db, config: parseConfig(input) });
  const ids = new Set<number>();
  await db.transaction().execute(async (trx) => {
    for (let index = 0; index < EVENTS; index++) ids.add(await outbox.emit(trx, API_KEY, { action: 'fp.delete', text: { url: `https://several.example.com/api/file/${index}` } }));
  });

  // Both take deliveries (the poll finds the events within a second); A dies while it holds some.
  const holders = async () => new Set((await db.selectFrom('webhook_deliveries').select('lease_owner').where('lease_owner', 'is not', null).execute()).map((row) => row.lease_owner!.split('.')[0]));
  await until(async () => (await holders()).size === 2, 'both instances holding deliveries', 60_000);
  await a.kill();
  const heldByA = new Set((await db.selectFrom('webhook_deliveries').select(['event_id', 'lease_owner']).where('lease_owner', 'like', 'instance-a.%').execute()).map((row) => row.event_id));
  const arrivedBeforeKill = receiver.at('/hook').length;
  assert.ok(arrivedBeforeKill < EVENTS, 'the run was still going when A died');

  await until(async () => {
    const pending = await db.selectFrom('webhook_deliveries').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '!=', 'delivered').executeTakeFirstOrThrow();
    return Number(pending.n) === 0;
  }, 'every delivery delivered', 120_000);

  const perEvent = new Map<number, number>();
  for (const entry of receiver.at('/hook')) perEvent.set(entry.json.id, (perEvent.get(entry.json.id) ?? 0) + 1);
  assert.deepEqual(new Set(perEvent.keys()), ids, 'every event arrived');
  // Sent twice only what A held when it died (in flight, or answered but not yet recorded): B makes those attempts again.
  const twice = [...perEvent].filter(([, count]) => count > 1).map(([id]) => id);
  assert.deepEqual(twice.filter((id) => !heldByA.has(id)), [], 'no event A did not hold arrived twice');
  assert.ok([...perEvent.values()].every((count) => count <= 2));
  const deliveries = await db.selectFrom('webhook_deliveries').select(['attempts', 'lease_owner']).execute();
  assert.ok(deliveries.every((row) => row.attempts === 1 && row.lease_owner === null), 'each delivery recorded once, no lease left');
  // The survivor is still up, and says who it is in every line.
  assert.equal(b.process.exitCode, null);
  assert.ok(b.logs.every((line) => line.instance === 'instance-b'));
});

async function until(check: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
