import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import { pino } from 'pino';
import type { RunningSandbox } from '../../src/sandbox/sandbox.ts';
import type { PickResponse } from '../../src/protocol/pick.ts';
import type { StoreResponse } from '../../src/protocol/store.ts';
import { buildApp } from '../../companion/src/app.ts';
import { GrantStore } from '../../companion/src/auth/grants.ts';
import { SessionStore } from '../../companion/src/auth/sessions.ts';
import { parseConfig } from '../../companion/src/config.ts';
import { openDatabase } from '../../companion/src/db/database.ts';
import { migrations } from '../../companion/src/db/migrations.ts';
import { openSqlite } from '../../companion/src/db/sqlite.ts';
import { HandleStore } from '../../companion/src/files/handles.ts';
import { SecretBox } from '../../companion/src/security/secrets.ts';
import { TEST_APP, TEST_ORIGIN } from '../helpers/companion.ts';
import { AUTH, nodeAt, startTestSandbox } from '../helpers/sandbox.ts';

/*
 * A copy of the database file must yield no handle (a working link) and no token: rows are keyed by the
 * handle's SHA-256, and webhook events, which carry links, are sealed.
 */

const KEY = randomBytes(32).toString('base64');
let sandbox: RunningSandbox;
let dir: string;

before(async () => {
  sandbox = await startTestSandbox();
  dir = await mkdtemp(join(tmpdir(), 'fs-handle-hashes-'));
});
after(async () => {
  await sandbox.close();
  await rm(dir, { recursive: true, force: true });
});

/** The bytes of the database file and its WAL, as a latin1 string to search. */
async function fileBytes(path: string): Promise<string> {
  const parts = [await readFile(path)];
  if (existsSync(`${path}-wal`)) parts.push(await readFile(`${path}-wal`));
  return Buffer.concat(parts).toString('latin1');
}

describe('handles at rest', () => {
  test('after storing and picking, the database file holds no handle, handle token or session token, not even in webhook events', async () => {
    const path = join(dir, 'companion.sqlite');
    const config = parseConfig({ database: path, encryptionKey: KEY, alfresco: { repositoryUrl: sandbox.url }, storage: { local: { root: join(dir, 'storage') } }, apps: [TEST_APP] });
    let db = await openDatabase(path);
    let app = await buildApp(config, { db, logger: pino({ level: 'silent' }) });
    const call = (route: string, init: RequestInit = {}) => app.request(`${route}${route.includes('?') ? '&' : '?'}key=${TEST_APP.apiKey}`, { ...init, headers: { Origin: TEST_ORIGIN, ...(init.headers as Record<string, string>) } });

    const stored = (await (await call('/api/store?filename=secret.txt', { method: 'POST', body: 'at rest' })).json()) as StoreResponse;
    const ticket = ((await (await fetch(`${sandbox.url}${AUTH}/tickets`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ userId: 'admin', password: 'admin' }) })).json()) as { entry: { id: string } }).entry.id;
    const grant = await new GrantStore(db, new SecretBox(KEY)).create({ appKey: TEST_APP.apiKey, source: 'ALFRESCO', userId: 'admin', userName: 'admin', kind: 'ticket', accessToken: ticket, refreshToken: undefined, expiresAt: undefined });
    const session = await new SessionStore(db).create(grant.id, TEST_APP.apiKey);
    const node = await nodeAt(sandbox, 'Café menu.txt');
    const picked = (await (await call('/api/pick', { method: 'POST', headers: { Authorization: `Bearer ${session}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ itemIds: [node.id] }) })).json()) as PickResponse;

    const handles = [stored.blob.handle, picked.blobs[0]!.handle];
    const secrets = [...handles, ...Object.values({ ...stored.handleTokens, ...picked.handleTokens }), session, ticket];
    assert.equal(secrets.length, 6);
    // The webhook events of the store and the pick carry their links too: sealed, they are not in the file.
    assert.ok((await db.selectFrom('webhook_events').select('id').execute()).length >= 2, 'the events were written');
    await app.close();
    await db.destroy();

    const bytes = await fileBytes(path);
    for (const secret of secrets) assert.ok(!bytes.includes(secret), `the database file contains ${secret.slice(0, 6)}…`);

    // And the links still work after a restart: they are found by their hash.
    db = await openDatabase(path);
    app = await buildApp(config, { db, logger: pino({ level: 'silent' }) });
    const again = await app.request(`/api/file/${stored.blob.handle}`);
    assert.equal(again.status, 200);
    assert.equal(await again.text(), 'at rest');
    await app.close();
    await db.destroy();
  });

  test('migration 0008 moves existing handles under their hash: they still serve, and the old ids are gone from the file', async () => {
    const path = join(dir, 'legacy.sqlite');
    const legacy = new Kysely<unknown>({ dialect: new SqliteDialect({ database: openSqlite(path) }) });
    const { error } = await new Migrator({ db: legacy, provider: migrations }).migrateTo('0007-sources');
    assert.equal(error, undefined);
    const old = 'LegacyPlainHandle0001';
    await sql`INSERT INTO handles (handle, app_key, kind, source, filename, mimetype, size, created_at, key, location, container) VALUES (${old}, ${TEST_APP.apiKey}, 'stored', 'COMPUTER', 'old.txt', 'text/plain', 3, ${Date.now()}, 'k/old.txt', 'local', '')`.execute(legacy);
    await legacy.destroy();
    assert.ok((await fileBytes(path)).includes(old), 'the legacy row holds the handle in the clear');

    const db = await openDatabase(path);
    const handle = await new HandleStore(db).get(old);
    assert.equal(handle?.filename, 'old.txt');
    assert.equal(handle?.tokenHash, undefined, 'a handle from before tokens has none');
    await db.destroy();

    assert.ok(!(await fileBytes(path)).includes(old), 'the migrated file no longer holds the handle');
  });
});
