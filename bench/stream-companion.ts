/**
 * The companion side of bench/stream.ts, run in its own process (bundled, under plain node): a
 * listening companion wired to the sandbox at argv[2], with a session for admin made from a ticket.
 * Reports `{url, session}` once listening, then answers `peak` with its peak and idle RSS and the CPU
 * time it used since `reset`.
 */
import { pino } from 'pino';
import { buildApp } from '../companion/src/app.ts';
import { GrantStore } from '../companion/src/auth/grants.ts';
import { SessionStore } from '../companion/src/auth/sessions.ts';
import { parseConfig } from '../companion/src/config.ts';
import { openDatabase } from '../companion/src/db/database.ts';
import { listen } from '../companion/src/listen.ts';
import { SecretBox } from '../companion/src/security/secrets.ts';
import { exposeCollector } from '../companion/src/spent-chunks.ts';

const API_KEY = 'bench-app-key';
const KEY = Buffer.alloc(32, 9).toString('base64');
const AUTH = '/alfresco/api/-default-/public/authentication/versions/1';

// As main.ts does: this process is the companion's own (spent-chunks.ts).
exposeCollector();

let peak = process.memoryUsage().rss;
// memoryUsage.rss() reads only the RSS (memoryUsage() walks the heap, costing ~4% CPU at this rate).
setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10).unref();

const sandboxUrl = process.argv[2]!;
const db = await openDatabase(':memory:');
const config = parseConfig({ encryptionKey: KEY, alfresco: { repositoryUrl: sandboxUrl }, apps: [{ apiKey: API_KEY, name: 'bench', allowedOrigins: ['http://bench.example'] }] });
const server = await listen(await buildApp(config, { db, logger: pino({ level: 'silent' }) }));
const ticket = (await (await fetch(`${sandboxUrl}${AUTH}/tickets`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ userId: 'admin', password: 'admin' }) })).json()) as { entry: { id: string } };
const grant = await new GrantStore(db, new SecretBox(KEY)).create({ appKey: API_KEY, source: 'ALFRESCO', userId: 'admin', userName: 'admin', kind: 'ticket', accessToken: ticket.entry.id, refreshToken: undefined, expiresAt: undefined });
const session = await new SessionStore(db).create(grant.id, API_KEY);
const idle = process.memoryUsage().rss;

let cpu = process.cpuUsage();
process.on('message', (message) => {
  if (message === 'peak') {
    const used = process.cpuUsage(cpu);
    process.send!({ peak, idle, cpuSeconds: (used.user + used.system) / 1e6 });
  }
  if (message === 'reset') {
    peak = process.memoryUsage().rss;
    cpu = process.cpuUsage();
  }
  if (message === 'stop') void server.close().then(() => process.exit(0));
});
// A benchmark that dies without saying stop leaves no companion behind.
process.on('disconnect', () => process.exit(0));
process.send!({ url: server.url, session });
