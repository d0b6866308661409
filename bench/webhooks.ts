/**
 * `tsx bench/webhooks.ts [-- --events=10000 --rate=500 --seconds=5 --concurrency=16]`: webhook delivery
 * from the companion's outbox (a SQLite file database, as in production) to a receiver on loopback.
 *
 * 1. Throughput: `--events` events are written (each in its own transaction, as routes do), then the
 *    worker starts and delivers them all; prints deliveries per second until every attempt is recorded
 *    in the database (goal ≥ 1,000/s).
 * 2. Latency: with the worker running, events are written at `--rate` per second for `--seconds`; prints
 *    event-to-delivery latency (from the commit of the event to its arrival at the receiver), p50/p99.
 *
 * 3. Several instances: the same throughput run on PostgreSQL (a throwaway cluster on loopback) with
 *    two companion processes delivering from one outbox, printed beside SQLite's one-instance figure
 *    (goal: two instances on PostgreSQL ≥ 1,500/s); each event must arrive exactly once.
 *
 * The receiver runs in a child process so that its work does not count against the worker's. As a
 * control, the same number of bare node:http POSTs (no database, no signing) at the same concurrency
 * shows what this machine allows at all; on a loaded machine compare the two rather than the goal.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SECRET = 'bench-secret-0123456789';

if (process.argv.includes('--receiver')) {
  // The child: answers 200 to every POST and tells the parent when each event arrived.
  const arrivals: Array<[number, number]> = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const at = performance.timeOrigin + performance.now();
      arrivals.push([(JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: number }).id, at]);
      response.writeHead(200).end();
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
  setInterval(() => {
    if (arrivals.length > 0) process.send!({ arrivals: arrivals.splice(0) });
  }, 50);
  process.on('disconnect', () => process.exit(0));
} else if (process.argv.includes('--instance')) {
  // A child: one companion instance's webhook worker on the database the parent names.
  const { parseConfig } = await import('../companion/src/config.ts');
  const { openDatabase } = await import('../companion/src/db/database.ts');
  const { Webhooks } = await import('../companion/src/webhooks/webhooks.ts');
  const { database, port, concurrency, instanceId } = JSON.parse(process.argv.at(-1)!) as { database: string; port: number; concurrency: number; instanceId: string };
  const db = await openDatabase(database);
  const hooks = new Webhooks({ db, config: benchConfig(parseConfig, database, port), concurrencyPerUrl: concurrency, leaseOwner: instanceId });
  process.on('message', (message: string) => {
    if (message === 'start') hooks.start();
  });
  process.on('disconnect', () => void hooks.stop().then(() => db.destroy()).then(() => process.exit(0)));
  process.send!('ready');
} else {
  await main();
}

/** The bench's one app, its webhook to the receiver on `port`. */
function benchConfig(parse: typeof import('../companion/src/config.ts').parseConfig, database: string, port: number) {
  return parse({
    database,
    encryptionKey: Buffer.alloc(32, 1).toString('base64'),
    alfresco: { repositoryUrl: 'http://127.0.0.1:9' },
    // The receiver runs on 127.0.0.1.
    outbound: { allowPrivateTargets: true },
    apps: [{ apiKey: 'bench-app-key', name: 'Bench', allowedOrigins: [], webhooks: [{ url: `http://127.0.0.1:${port}/hook`, events: 'all', secret: SECRET }] }],
  });
}

async function main(): Promise<void> {
  const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback);
  const events = arg('events', 10_000);
  const rate = arg('rate', 500);
  const seconds = arg('seconds', 5);
  const concurrency = arg('concurrency', 16);

  const { parseConfig } = await import('../companion/src/config.ts');
  const { openDatabase } = await import('../companion/src/db/database.ts');
  const { Webhooks } = await import('../companion/src/webhooks/webhooks.ts');

  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--receiver'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const arrivals = new Map<number, number>();
  /** How many times each event id arrived (part 3 checks exactly once). */
  const received = new Map<number, number>();
  const port = await new Promise<number>((resolve) => {
    child.on('message', (message: { port?: number; arrivals?: Array<[number, number]> }) => {
      if (message.port) resolve(message.port);
      for (const [id, at] of message.arrivals ?? []) {
        if (!arrivals.has(id)) arrivals.set(id, at);
        received.set(id, (received.get(id) ?? 0) + 1);
      }
    });
  });

  const dir = await mkdtemp(join(tmpdir(), 'fs-bench-webhooks-'));
  const config = benchConfig(parseConfig, join(dir, 'companion.db'), port);
  const db = await openDatabase(config.database);
  const hooks = new Webhooks({ db, config, concurrencyPerUrl: concurrency });
  const emit = (index: number) => db.transaction().execute((trx) => hooks.emit(trx, 'bench-app-key', { action: 'fp.delete', text: { url: `http://127.0.0.1:3020/api/file/bench${index}` } }));
  const delivered = async () => Number((await db.selectFrom('webhook_deliveries').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'delivered').executeTakeFirstOrThrow()).n);
  const waitFor = async (count: number) => {
    while ((await delivered()) < count) await new Promise((resolve) => setTimeout(resolve, 50));
  };

  try {
    // 0. Control: bare POSTs, as many and as concurrent.
    const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
    const post = () =>
      new Promise<void>((resolve, reject) => {
        const body = '{"id":0}';
        request({ host: '127.0.0.1', port, path: '/control', method: 'POST', agent, headers: { 'Content-Type': 'application/json', 'Content-Length': body.length } }, (response) => {
          response.resume();
          response.on('end', resolve);
        })
          .once('error', reject)
          .end(body);
      });
    let sent = 0;
    const control = performance.now();
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (sent++ < events) await post();
    }));
    const controlSeconds = (performance.now() - control) / 1000;
    agent.destroy();
    console.log(`control: ${events} bare node:http POSTs in ${controlSeconds.toFixed(2)} s = ${Math.round(events / controlSeconds)}/s (${concurrency} in flight)`);

    // 1. Throughput.
    let written = performance.now();
    for (let index = 0; index < events; index++) await emit(index);
    written = performance.now() - written;
    const started = performance.now();
    hooks.start();
    await waitFor(events);
    const elapsed = (performance.now() - started) / 1000;
    const sqliteRate = Math.round(events / elapsed);
    console.log(`webhooks: wrote ${events} events in ${(written / 1000).toFixed(2)} s (${Math.round(events / (written / 1000))}/s, one transaction each)`);
    console.log(`webhooks: delivered ${events} in ${elapsed.toFixed(2)} s = ${sqliteRate} deliveries/s (goal ≥ 1000/s; ${concurrency} in flight per URL)`);

    // 2. Latency at a steady rate.
    const emitted = new Map<number, number>();
    const total = rate * seconds;
    const t0 = performance.now();
    for (let index = 0; index < total; index++) {
      const due = t0 + (index * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      const id = await emit(events + index);
      emitted.set(id, performance.timeOrigin + performance.now());
    }
    await waitFor(events + total);
    while ([...emitted.keys()].some((id) => !arrivals.has(id))) await new Promise((resolve) => setTimeout(resolve, 20));
    const latencies = [...emitted].map(([id, at]) => arrivals.get(id)! - at).sort((a, b) => a - b);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!.toFixed(1);
    console.log(`webhooks: event-to-delivery latency at ${rate} events/s for ${seconds} s: p50 ${pct(50)} ms, p99 ${pct(99)} ms, max ${latencies.at(-1)!.toFixed(1)} ms`);

    // 3. Several instances on PostgreSQL.
    await severalInstances(events, port, concurrency, received, sqliteRate);
  } finally {
    await hooks.stop();
    await db.destroy();
    child.disconnect();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Part 3: `events` written to PostgreSQL, then delivered by two instance processes at once. */
async function severalInstances(events: number, port: number, concurrency: number, received: Map<number, number>, sqliteRate: number): Promise<void> {
  const { startPostgresCluster } = await import('../src/dev/postgres-cluster.ts');
  const { parseConfig } = await import('../companion/src/config.ts');
  const { openDatabase } = await import('../companion/src/db/database.ts');
  const { Webhooks } = await import('../companion/src/webhooks/webhooks.ts');
  const pg = (await import('pg')).default;
  const cluster = await startPostgresCluster();
  const admin = new pg.Client({ connectionString: cluster.urlOf('postgres') });
  await admin.connect();
  await admin.query('CREATE DATABASE bench');
  await admin.end();
  const database = cluster.urlOf('bench');
  const db = await openDatabase(database);
  const instances: ChildProcess[] = [];
  try {
    const writer = new Webhooks({ db, config: benchConfig(parseConfig, database, port) });
    const ids: number[] = [];
    received.clear();
    for (let index = 0; index < events; index++) ids.push(await db.transaction().execute((trx) => writer.emit(trx, 'bench-app-key', { action: 'fp.delete', text: { url: `http://127.0.0.1:3020/api/file/pg${index}` } })));
    for (const instanceId of ['bench-a', 'bench-b']) {
      const instance = fork(fileURLToPath(import.meta.url), ['--instance', JSON.stringify({ database, port, concurrency, instanceId })], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      await new Promise((resolve) => instance.once('message', resolve));
      instances.push(instance);
    }
    const delivered = async () => Number((await db.selectFrom('webhook_deliveries').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'delivered').executeTakeFirstOrThrow()).n);
    const started = performance.now();
    for (const instance of instances) instance.send('start');
    while ((await delivered()) < events) await new Promise((resolve) => setTimeout(resolve, 50));
    const elapsed = (performance.now() - started) / 1000;
    // The receiver reports in batches: wait for the last, then every event must have arrived once.
    while (received.size < events) await new Promise((resolve) => setTimeout(resolve, 50));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const twice = ids.filter((id) => received.get(id) !== 1).length;
    const byInstance = await db.selectFrom('webhook_attempts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    console.log(`webhooks on PostgreSQL, two instances: delivered ${events} in ${elapsed.toFixed(2)} s = ${Math.round(events / elapsed)} deliveries/s (goal ≥ 1500/s), beside SQLite with one instance: ${sqliteRate}/s; events not arrived exactly once: ${twice}; attempts recorded: ${byInstance.n}`);
  } finally {
    for (const instance of instances) instance.disconnect();
    await Promise.all(instances.map((instance) => new Promise((resolve) => (instance.exitCode !== null ? resolve(null) : instance.once('exit', resolve)))));
    await db.destroy();
    await cluster.stop();
  }
}
