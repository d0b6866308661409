import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { FsBlob } from '../../src/protocol/blob.ts';
import { verifyWebhook } from '../../companion/src/index.ts';
import { startReceiver, type Receiver } from './webhooks-receiver.ts';
import { openSqlite } from '../../companion/src/db/sqlite.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const API_KEY = 'restart-app-key';
const SECRET = 'restart-secret-0123456789';
const TOTAL = 1000;

let dir: string;
let receiver: Receiver;
let child: ChildProcess | undefined;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fs-webhooks-restart-'));
  receiver = await startReceiver();
  await writeFile(
    join(dir, 'config.json'),
    JSON.stringify({
      host: '127.0.0.1',
      port: 0,
      database: join(dir, 'companion.db'),
      encryptionKey: Buffer.alloc(32, 3).toString('base64'),
      alfresco: { repositoryUrl: 'http://127.0.0.1:9' },
      storage: { local: { root: join(dir, 'storage') } },
      outbound: { allowPrivateTargets: true },
      apps: [{ apiKey: API_KEY, name: 'Restart test', allowedOrigins: [], webhooks: [{ url: `${receiver.url}/burst`, events: 'all', secret: SECRET }] }],
    }),
  );
});
after(async () => {
  child?.kill('SIGKILL');
  await receiver.close();
  await rm(dir, { recursive: true, force: true });
});

/** The companion as its own process (companion/src/main.ts), with the file database; resolves with its URL. */
function startCompanionProcess(): Promise<{ url: string; process: ChildProcess }> {
  const process_ = spawn(process.execPath, ['--import', 'tsx', 'companion/src/main.ts'], { cwd: ROOT, env: { ...process.env, FS_CONFIG: join(dir, 'config.json'), FS_LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'inherit'] });
  child = process_;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the companion did not start within 30 s')), 30_000);
    process_.once('exit', (code) => reject(new Error(`the companion exited with ${code}`)));
    createInterface({ input: process_.stdout }).on('line', (line) => {
      if (!line.includes('companion listening')) return;
      clearTimeout(timer);
      resolve({ url: (JSON.parse(line) as { url: string }).url, process: process_ });
    });
  });
}

const store = async (url: string, index: number): Promise<FsBlob> => {
  const response = await fetch(`${url}/api/store?key=${API_KEY}&filename=burst-${index}.txt&mimetype=text/plain`, { method: 'POST', body: `event ${index}` });
  if (response.status !== 200) throw new Error(`store answered ${response.status}`);
  return ((await response.json()) as { blob: FsBlob }).blob;
};

/** Runs `count` store calls, `concurrency` at a time; the ones that fail (the process died) are left out. */
async function burst(url: string, indexes: number[], concurrency = 24): Promise<FsBlob[]> {
  const blobs: FsBlob[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < indexes.length) {
        const index = indexes[next++]!;
        try {
          blobs.push(await store(url, index));
        } catch {
          // The companion was killed during this call.
        }
      }
    }),
  );
  return blobs;
}

const query = <T>(sql: string): T[] => {
  const db = openSqlite(join(dir, 'companion.db'), { readOnly: true });
  try {
    return db.prepare(sql).all([]) as T[];
  } finally {
    db.close();
  }
};

async function until(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test(`a companion killed with SIGKILL mid-burst of ${TOTAL} events delivers all of them after restart, none twice in the log of successes`, { timeout: 180_000 }, async () => {
  // Answers take 50 ms before the kill, so deliveries are in flight when the process dies.
  receiver.set('/burst', { status: 200, delayMs: 50 });
  const first = await startCompanionProcess();
  const running = burst(first.url, Array.from({ length: TOTAL }, (_, index) => index));
  await receiver.waitFor('/burst', 300, 60_000);
  first.process.kill('SIGKILL');
  await new Promise((resolve) => first.process.once('exit', resolve));
  const answered = await running;

  const written = query<{ id: number }>('SELECT id FROM webhook_events').length;
  const deliveredBefore = query<{ id: number }>("SELECT id FROM webhook_deliveries WHERE status = 'delivered'").length;
  assert.ok(answered.length < TOTAL && written < TOTAL, `killed mid-burst: ${answered.length} answered, ${written} events written`);
  assert.ok(written >= answered.length, 'every answered store has its event');
  assert.ok(deliveredBefore < written, `killed before everything was delivered (${deliveredBefore} of ${written})`);
  receiver.set('/burst', { status: 200 });

  const second = await startCompanionProcess();
  const distinct = () => new Set(receiver.at('/burst').map((entry) => entry.json.id)).size;
  await until(() => distinct() === written, `the ${written} events written before the kill`);
  // The rest of the burst, so that 1,000 events were written in all.
  const rest = await burst(second.url, Array.from({ length: TOTAL - written }, (_, index) => TOTAL + index));
  assert.equal(rest.length, TOTAL - written);
  await until(() => distinct() === TOTAL, `all ${TOTAL} events`);
  await until(() => query<{ n: number }>("SELECT count(*) AS n FROM webhook_deliveries WHERE status = 'delivered'")[0]!.n === TOTAL, 'every delivery recorded as delivered');

  const events = query<{ id: number }>('SELECT id FROM webhook_events ORDER BY id').map((row) => row.id);
  const successes = query<{ delivery_id: number }>('SELECT delivery_id FROM webhook_attempts WHERE ok = 1');
  const received = receiver.at('/burst');
  assert.equal(events.length, TOTAL);
  assert.deepEqual([...new Set(received.map((entry) => entry.json.id))].sort((a, b) => a - b), events, 'each event reached the receiver');
  assert.equal(successes.length, TOTAL, 'one successful attempt per delivery');
  assert.equal(new Set(successes.map((row) => row.delivery_id)).size, TOTAL, 'none twice in the log of successes');
  const urls = new Set(received.map((entry) => entry.json.text.url));
  for (const blob of [...answered, ...rest]) assert.ok(urls.has(blob.url), `the event of ${blob.filename} was delivered`);
  for (const entry of received) assert.equal(verifyWebhook(entry.body, entry.headers, SECRET), true);
  const resent = received.length - TOTAL;
  console.log(`# ${answered.length} stores answered and ${written} events written before SIGKILL, ${deliveredBefore} delivered; ${resent} sent again after the restart (in flight when killed)`);

  second.process.kill('SIGTERM');
  await new Promise((resolve) => second.process.once('exit', resolve));
  child = undefined;
});
