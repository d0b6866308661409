/**
 * The companion side of bench/convert.ts, in its own process (bundled, under plain node): a listening
 * companion whose default storage is the folder at argv[2], with one app whose key is argv[3]. Reports `{url}` once
 * listening, then answers `cpu` with the CPU time it used since the last `cpu`.
 */
import { pino } from 'pino';
import { buildApp } from '../src/server/app.ts';
import { parseConfig } from '../src/server/config.ts';
import { openDatabase } from '../src/server/db/database.ts';
import { listen } from '../src/server/listen.ts';

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
process.on('message', (message) => {
  if (message === 'cpu') {
    const used = process.cpuUsage(cpu);
    cpu = process.cpuUsage();
    process.send!({ cpuSeconds: (used.user + used.system) / 1e6 });
  }
  if (message === 'stop') void server.close().then(() => process.exit(0));
});
process.send!({ url: server.url });
