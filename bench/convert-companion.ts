/**
 * The companion side of bench/convert.ts, in its own process (bundled, under plain node): a listening
 * companion whose default storage is the folder at argv[2], with one app whose key is argv[3]. Reports `{url}` once
 * listening, then answers `cpu` with the CPU time it used since the last `cpu`, and how much of that
 * time its main thread (the event loop) was busy.
 */
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { buildApp } from '../companion/src/app.ts';
import { parseConfig } from '../companion/src/config.ts';
import { openDatabase } from '../companion/src/db/database.ts';
import { listen } from '../companion/src/listen.ts';

const [storage, apiKey] = process.argv.slice(2) as [string, string];
const db = await openDatabase(':memory:');
const config = parseConfig({
  encryptionKey: Buffer.alloc(32, 5).toString('base64'),
  alfresco: { repositoryUrl: 'http://127.0.0.1:9' },
  storage: { local: { root: storage } },
  apps: [{ apiKey, name: 'bench', allowedOrigins: ['http://bench.example'] }],
});
const server = await listen(await buildApp(config, { db, logger: pino({ level: 'silent' }) }));

let cpu = process.cpuUsage();
let loop = performance.eventLoopUtilization();
process.on('message', (message) => {
  if (message === 'cpu') {
    const used = process.cpuUsage(cpu);
    const busy = performance.eventLoopUtilization(loop);
    cpu = process.cpuUsage();
    loop = performance.eventLoopUtilization();
    process.send!({ cpuSeconds: (used.user + used.system) / 1e6, mainThreadSeconds: busy.active / 1000 });
  }
  if (message === 'stop') void server.close().then(() => process.exit(0));
});
process.send!({ url: server.url });
