import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { pino } from 'pino';
import { buildApp, type CompanionApp } from '../../companion/src/app.ts';
import { parseConfig, type CompanionConfigInput } from '../../companion/src/config.ts';
import type { Db } from '../../companion/src/db/database.ts';
import { Lifecycle } from '../../companion/src/operations/lifecycle.ts';
import { startS3rver, type TestS3 } from '../helpers/s3rver.ts';
import { openTestDatabase } from '../helpers/test-database.ts';

/*
 * /healthz and /readyz as a load balancer asks them: no app key, never cached; /readyz 503 naming what
 * is wrong (the database, the storage) and 503 once the process is stopping.
 */

const KEY = Buffer.alloc(32, 3).toString('base64');
const BUCKET = 'readyz-bucket';

let dir: string;
let s3: TestS3;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fs-health-'));
  s3 = await startS3rver();
  await s3.createBucket(BUCKET);
});

after(async () => {
  await s3?.close().catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

interface Running {
  app: CompanionApp;
  db: Db;
  lifecycle: Lifecycle;
  close(): Promise<void>;
}

async function companion(overrides: Partial<CompanionConfigInput> = {}): Promise<Running> {
  const db = await openTestDatabase();
  const config = parseConfig({
    encryptionKey: KEY,
    instanceId: 'health-test-1',
    alfresco: { repositoryUrl: 'http://127.0.0.1:9' },
    storage: { local: { root: join(dir, 'storage') } },
    apps: [{ apiKey: 'health-app-key', name: 'Health', allowedOrigins: ['https://app.example.com'] }],
    ...overrides,
  });
  const lifecycle = new Lifecycle();
  const app = await buildApp(config, { db, lifecycle, logger: pino({ level: 'silent' }) });
  let destroyed = false;
  return {
    app,
    db,
    lifecycle,
    async close() {
      await app.close();
      if (!destroyed) await db.destroy();
      destroyed = true;
    },
  };
}

async function json(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>;
}

describe('/healthz and /readyz', () => {
  test('healthz: 200 with the instance id, no key needed, not cached', async () => {
    const c = await companion();
    try {
      const response = await c.app.request('/healthz');
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('Cache-Control'), 'no-store');
      assert.deepEqual(await json(response), { ok: true, instance: 'health-test-1' });
    } finally {
      await c.close();
    }
  });

  test('readyz: 200 with every check ok, on local storage and on S3; not cached', async () => {
    const local = await companion();
    const withS3 = await companion({ storage: { local: { root: join(dir, 'storage') }, s3: s3.config(BUCKET) } });
    try {
      for (const c of [local, withS3]) {
        const response = await c.app.request('/readyz');
        const body = await json(response);
        assert.equal(response.status, 200, JSON.stringify(body));
        assert.equal(response.headers.get('Cache-Control'), 'no-store');
        assert.deepEqual(body, { ok: true, instance: 'health-test-1', checks: { database: 'ok', migrations: 'ok', storage: 'ok' } });
      }
    } finally {
      await local.close();
      await withS3.close();
    }
  });

  test('readyz: a bucket that does not exist is 503 naming storage, without the bucket or the endpoint', async () => {
    const c = await companion({ storage: { local: { root: join(dir, 'storage') }, s3: s3.config('no-such-bucket-here') } });
    try {
      const response = await c.app.request('/readyz');
      const body = await json(response);
      assert.equal(response.status, 503);
      assert.deepEqual(body.checks, { database: 'ok', migrations: 'ok', storage: 'the S3 bucket answered HTTP 404' });
      assert.doesNotMatch(JSON.stringify(body), /no-such-bucket-here|127\.0\.0\.1|S3RVER/);
    } finally {
      await c.close();
    }
  });

  test('readyz: the database closed is 503 naming the database; healthz still 200 (it does not touch it)', async () => {
    const c = await companion();
    try {
      assert.equal((await c.app.request('/readyz')).status, 200);
      await c.db.destroy();
      const response = await c.app.request('/readyz');
      const body = await json(response);
      assert.equal(response.status, 503);
      assert.equal(body.ok, false);
      assert.deepEqual(body.checks, { database: 'the database cannot be reached', migrations: 'not checked: the database cannot be reached', storage: 'ok' });
      assert.equal((await c.app.request('/healthz')).status, 200);
    } finally {
      await c.close().catch(() => undefined);
    }
  });

  test('readyz: a migration the database has not run is 503 naming migrations', async () => {
    const c = await companion();
    try {
      // As if this code were newer than the database: its last migration not recorded as run.
      const rows = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name DESC`.execute(c.db);
      await sql`DELETE FROM kysely_migration WHERE name = ${rows.rows[0]!.name}`.execute(c.db);
      const response = await c.app.request('/readyz');
      assert.equal(response.status, 503);
      assert.deepEqual((await json(response)).checks, { database: 'ok', migrations: '1 migration(s) not applied', storage: 'ok' });
    } finally {
      await c.close();
    }
  });

  test('readyz: once the process is stopping it is 503 shuttingDown', async () => {
    const c = await companion();
    try {
      assert.equal((await c.app.request('/readyz')).status, 200);
      c.lifecycle.beginShutdown();
      const response = await c.app.request('/readyz');
      assert.equal(response.status, 503);
      assert.deepEqual(await json(response), { ok: false, instance: 'health-test-1', shuttingDown: true });
      assert.equal((await c.app.request('/healthz')).status, 200, 'alive all the same');
    } finally {
      await c.close();
    }
  });

  test('readyz: S3 stopped is 503 naming storage (the last test: it stops s3rver)', async () => {
    const c = await companion({ storage: { local: { root: join(dir, 'storage') }, s3: s3.config(BUCKET) } });
    try {
      assert.equal((await c.app.request('/readyz')).status, 200);
      await s3.close();
      const response = await c.app.request('/readyz');
      const body = await json(response);
      assert.equal(response.status, 503);
      assert.deepEqual(body.checks, { database: 'ok', migrations: 'ok', storage: 'the S3 bucket cannot be reached' });
    } finally {
      await c.close();
    }
  });
});
