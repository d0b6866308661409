import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { pino } from 'pino';
import type { RunningSandbox } from '../../src/sandbox/sandbox.ts';
import { buildApp } from '../../companion/src/app.ts';
import { GrantStore } from '../../companion/src/auth/grants.ts';
import { SessionStore } from '../../companion/src/auth/sessions.ts';
import { parseConfig, type CompanionConfig, type CompanionConfigInput } from '../../companion/src/config.ts';
import type { Db } from '../../companion/src/db/database.ts';
import { SecretBox } from '../../companion/src/security/secrets.ts';
import { AUTH, startTestSandbox } from './sandbox.ts';
import { openTestDatabase } from './test-database.ts';

export const TEST_APP = { apiKey: 'test-app-key-1', name: 'Test app', allowedOrigins: ['https://app.example.com'], appSecret: 'test-app-secret' };
export const TEST_ORIGIN = 'https://app.example.com';
const KEY = Buffer.alloc(32, 7).toString('base64');

export interface CompanionHarness {
  sandbox: RunningSandbox;
  app: Hono;
  config: CompanionConfig;
  db: Db;
  /** Opens what the companion sealed in the database. */
  box: SecretBox;
  storageRoot: string;
  /** A session token for `user` (password = user id), made from a sandbox ticket without the sign-in UI. */
  connect(user?: string): Promise<string>;
  /** Calls the companion in process as the test app's page would: key, Origin and (when given) the session. */
  call(path: string, init?: RequestInit & { session?: string }): Promise<Response>;
  close(): Promise<void>;
}

/**
 * A sandbox on loopback and a companion wired to it, in process, with an in-memory database and a
 * temporary storage folder. `overrides` change the companion's configuration. Private targets are
 * allowed (`outbound.allowPrivateTargets`): the sandbox and the webhook receivers are on 127.0.0.1.
 * `shared.db` puts it on a database another companion opened (helpers/instances.ts), which its close leaves open.
 */
export async function startCompanion(overrides: Partial<CompanionConfigInput> = {}, sandbox?: RunningSandbox, shared: { db?: Db } = {}): Promise<CompanionHarness> {
  const ownSandbox = sandbox ?? (await startTestSandbox());
  const storageRoot = await mkdtemp(join(tmpdir(), 'fs-companion-storage-'));
  const db = shared.db ?? (await openTestDatabase());
  const config = parseConfig({ encryptionKey: KEY, alfresco: { repositoryUrl: ownSandbox.url }, storage: { local: { root: storageRoot } }, apps: [TEST_APP], outbound: { allowPrivateTargets: true }, ...overrides });
  const app = await buildApp(config, { db, logger: pino({ level: 'silent' }) });
  // The companion's own key (a test may set another), so tests can read what it sealed.
  const box = new SecretBox(config.encryptionKey);
  const grants = new GrantStore(db, box);
  const sessions = new SessionStore(db);

  return {
    sandbox: ownSandbox,
    app,
    config,
    db,
    box,
    storageRoot,
    async connect(user = 'admin') {
      const response = await fetch(`${ownSandbox.url}${AUTH}/tickets`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ userId: user, password: user }) });
      const { entry } = (await response.json()) as { entry: { id: string } };
      const grant = await grants.create({ appKey: TEST_APP.apiKey, source: 'ALFRESCO', userId: user, userName: user, kind: 'ticket', accessToken: entry.id, refreshToken: undefined, expiresAt: undefined });
      return sessions.create(grant.id, TEST_APP.apiKey);
    },
    async call(path, { session, headers, ...init } = {}) {
      const url = new URL(path, 'http://companion.test');
      if (!url.searchParams.has('key')) url.searchParams.set('key', TEST_APP.apiKey);
      return app.request(url.pathname + url.search, {
        ...init,
        headers: { Origin: TEST_ORIGIN, ...(session ? { Authorization: `Bearer ${session}` } : {}), ...(headers as Record<string, string>) },
      });
    },
    async close() {
      // The companion's outbound connections close with it.
      await app.close();
      if (!shared.db) await db.destroy();
      await rm(storageRoot, { recursive: true, force: true });
      if (!sandbox) await ownSandbox.close();
    },
  };
}
