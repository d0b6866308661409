import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { request as httpRequest, type ClientRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { verifyWebhook } from '../../companion/src/index.ts';
import { GrantStore } from '../../companion/src/auth/grants.ts';
import { SessionStore } from '../../companion/src/auth/sessions.ts';
import { openDatabase } from '../../companion/src/db/database.ts';
import { openSqlite } from '../../companion/src/db/sqlite.ts';
import { SecretBox } from '../../companion/src/security/secrets.ts';
import { isTemporaryName } from '../../companion/src/storage/leftovers.ts';
import { LocalLocation } from '../../companion/src/storage/local.ts';
import type { RunningSandbox } from '../../src/sandbox/sandbox.ts';
import type { FsBlob } from '../../src/protocol/blob.ts';
import { startCompanionProcess, writeCompanionConfig, type CompanionProcess } from '../helpers/companion-process.ts';
import { AUTH, basic, coreApi, startTestSandbox, type NodeJson, type NodeList } from '../helpers/sandbox.ts';
import { startReceiver, type Receiver } from './webhooks-receiver.ts';

/*
 * The companion as an operator runs it (its own process, a SQLite file, a storage folder), killed with
 * SIGKILL in the middle of an upload, a conversion and an export, then started again on the same
 * database and folder. What it left must be what a crash-safe store leaves: no partial file under a
 * real name, no handle without its file, and every event it committed delivered, signed.
 */

const API_KEY = 'crash-app-key';
const ORIGIN = 'https://crash.example.com';
const SECRET = 'crash-webhook-secret-0123456789';
const ENCRYPTION_KEY = Buffer.alloc(32, 5).toString('base64');
const HOOK = '/hooks';
const MiB = 1024 * 1024;

let dir: string;
let storageRoot: string;
let databaseFile: string;
let configPath: string;
let sandbox: RunningSandbox;
let sandboxContent: string;
let receiver: Receiver;
let companion: CompanionProcess;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fs-crash-restart-'));
  storageRoot = join(dir, 'storage');
  databaseFile = join(dir, 'companion.db');
  // A sandbox that keeps content as files, so a half-received upload would be there to see.
  sandbox = await startTestSandbox({ dataDir: join(dir, 'sandbox') });
  sandboxContent = join(dir, 'sandbox', 'content');
  receiver = await startReceiver();
  configPath = await writeCompanionConfig(dir, {
    host: '127.0.0.1',
    port: 0,
    database: databaseFile,
    encryptionKey: ENCRYPTION_KEY,
    alfresco: { repositoryUrl: sandbox.url },
    storage: { local: { root: storageRoot } },
    // The sandbox and the receiver are on 127.0.0.1.
    outbound: { allowPrivateTargets: true },
    apps: [{ apiKey: API_KEY, name: 'Crash test', allowedOrigins: [ORIGIN], webhooks: [{ url: `${receiver.url}${HOOK}`, events: 'all', secret: SECRET }] }],
  });
  companion = await startCompanionProcess(configPath);
});

after(async () => {
  await companion?.kill();
  await receiver?.close();
  await sandbox?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Waits until the restarted companion says it has swept what earlier runs left in its storage folder. */
const swept = () => companion.waitForLog((line) => line.msg === 'storage: swept temporary files left by earlier runs', 'the storage sweep');

async function until<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Every file below `folder`, as paths relative to it. */
async function filesIn(folder: string): Promise<string[]> {
  if (!existsSync(folder)) return [];
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => relative(folder, join(entry.parentPath, entry.name))).sort();
}

/** A file under one of the companion's temporary names (what a write fills before it is renamed into place). */
const isTemporary = (path: string) => isTemporaryName(basename(path));

/** Reads the companion's database file (read-only, beside the running companion). */
function query<T>(sql: string, parameters: unknown[] = []): T[] {
  const db = openSqlite(databaseFile, { readOnly: true });
  try {
    return db.prepare(sql).all(parameters) as T[];
  } finally {
    db.close();
  }
}

interface StoredRow {
  filename: string;
  container: string;
  key: string;
}

const storedHandles = () => query<StoredRow>("SELECT filename, container, key FROM handles WHERE kind = 'stored' AND location = 'local'");

/** What a crash must never leave: a handle whose stored file is gone, or a file in storage under a real name with no handle. */
async function assertStorageConsistent(): Promise<void> {
  const handles = storedHandles();
  for (const row of handles) {
    const path = new LocalLocation(storageRoot, row.container).filePath(row.key);
    assert.ok(existsSync(path), `the handle of ${row.filename} points to ${row.key}, which is missing`);
  }
  const files = await filesIn(storageRoot);
  assert.deepEqual(files.filter(isTemporary), [], 'no temporary file is left after the sweep');
  const rootName = new LocalLocation(storageRoot).container;
  const handled = new Set(handles.map((row) => (row.container === rootName ? row.key : `${row.container}/${row.key}`)));
  assert.deepEqual(files.filter((file) => !handled.has(file)), [], 'every file in storage belongs to a handle');
}

/** Starts a POST with a `total`-byte Content-Length and sends only `sent` bytes of it; the request stays open. */
function halfSentUpload(url: string, total: number, sent: number, headers: Record<string, string> = {}): { request: ClientRequest; answered: Promise<number | 'no answer'> } {
  const request = httpRequest(url, { method: 'POST', headers: { Origin: ORIGIN, 'Content-Type': 'application/octet-stream', 'Content-Length': String(total), ...headers } });
  const answered = new Promise<number | 'no answer'>((resolve) => {
    request.on('response', (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', () => resolve('no answer'));
  });
  const chunk = Buffer.alloc(MiB, 0x5a);
  for (let offset = 0; offset < sent; offset += MiB) request.write(chunk.subarray(0, Math.min(MiB, sent - offset)));
  return { request, answered };
}

async function store(body: BodyInit, filename: string, mimetype: string): Promise<FsBlob> {
  const response = await fetch(`${companion.url}/api/store?${new URLSearchParams({ key: API_KEY, filename, mimetype })}`, { method: 'POST', headers: { Origin: ORIGIN }, body });
  const answer = (await response.json()) as { blob: FsBlob };
  assert.equal(response.status, 200, JSON.stringify(answer));
  return answer.blob;
}

const eventsOf = (action: string) => query<{ id: number }>('SELECT id FROM webhook_events WHERE action = ?', [action]).length;

test('SIGKILL in the middle of a streamed /api/store: after restart nothing of it is in storage, the database or the webhook log', { timeout: 120_000 }, async () => {
  const before = { handles: storedHandles().length, uploads: eventsOf('fp.upload') };
  const upload = halfSentUpload(`${companion.url}/api/store?${new URLSearchParams({ key: API_KEY, filename: 'half.bin', mimetype: 'application/octet-stream' })}`, 64 * MiB, 16 * MiB);
  // Some of the body is on disk (under the temporary name) when the companion dies.
  const partial = await until(async () => {
    for (const file of (await filesIn(storageRoot)).filter(isTemporary)) if ((await stat(join(storageRoot, file))).size >= MiB) return file;
    return undefined;
  }, 'the upload to reach the disk');
  await companion.kill();
  assert.equal(await upload.answered, 'no answer');
  assert.ok(existsSync(join(storageRoot, partial)), 'the kill left the temporary file behind (what the restart must clean)');

  companion = await startCompanionProcess(configPath);
  await swept();
  assert.ok(!existsSync(join(storageRoot, partial)), `the restart removed ${partial}`);
  await assertStorageConsistent();
  assert.equal(storedHandles().length, before.handles, 'no handle was made for the upload');
  assert.equal(eventsOf('fp.upload'), before.uploads, 'no fp.upload event was written for it');
  // The restarted companion stores as before.
  const blob = await store('after the crash', 'after.txt', 'text/plain');
  assert.equal(await (await fetch(blob.url.replace(/^https?:\/\/[^/]+/, companion.url))).text(), 'after the crash');
  await assertStorageConsistent();
});

test('SIGKILL during an image conversion: after restart the source is intact and no result, handle or fp.converse event exists', { timeout: 120_000 }, async () => {
  const image = await sharp({ create: { width: 2000, height: 2000, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 40 } } }).png().toBuffer();
  const source = await store(new Uint8Array(image), 'noise.png', 'image/png');
  const before = { handles: storedHandles().length, conversions: eventsOf('fp.converse'), files: await filesIn(storageRoot) };

  // Enlarged to 36 MP and written as PNG: seconds of work, so the kill lands while the result is being written.
  const converting = fetch(`${companion.url}/api/convert?key=${API_KEY}`, {
    method: 'POST',
    headers: { Origin: ORIGIN, 'Content-Type': 'application/json' },
    body: JSON.stringify({ handle: source.handle, options: { width: 6000, height: 6000, format: 'png' } }),
  }).then((response) => response.status, () => 'no answer' as const);
  // The result's temporary file exists from the moment the converter starts writing it.
  await until(async () => (await filesIn(storageRoot)).some(isTemporary), 'the conversion to start writing its result');
  await companion.kill();
  assert.equal(await converting, 'no answer', 'the conversion had not finished when the companion was killed');

  companion = await startCompanionProcess(configPath);
  await swept();
  assert.deepEqual(await filesIn(storageRoot), before.files, 'storage holds what it held before the conversion');
  await assertStorageConsistent();
  assert.equal(storedHandles().length, before.handles, 'no handle was made for the result');
  assert.equal(eventsOf('fp.converse'), before.conversions, 'no fp.converse event was written');
  const served = await fetch(source.url.replace(/^https?:\/\/[^/]+/, companion.url));
  assert.equal(served.status, 200);
  assert.ok(Buffer.from(await served.arrayBuffer()).equals(image), 'the source image is served whole');
});

/** A session of mjackson for the test app, written with the companion's own stores into its database file. */
async function sessionFor(user: string): Promise<string> {
  const response = await fetch(`${sandbox.url}${AUTH}/tickets`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ userId: user, password: user }) });
  const { entry } = (await response.json()) as { entry: { id: string } };
  const db = await openDatabase(databaseFile);
  try {
    const grant = await new GrantStore(db, new SecretBox(ENCRYPTION_KEY)).create({ appKey: API_KEY, source: 'ALFRESCO', userId: user, userName: user, kind: 'ticket', accessToken: entry.id, refreshToken: undefined, expiresAt: undefined });
    return await new SessionStore(db).create(grant.id, API_KEY);
  } finally {
    await db.destroy();
  }
}

test('SIGKILL during an export into Alfresco: the repository holds no half-written node or version, and no handle or fp.export event exists', { timeout: 180_000 }, async () => {
  const session = await sessionFor('mjackson');
  const api = coreApi(sandbox, 'mjackson');
  const folder = await api<{ entry: NodeJson }>('/nodes/-my-/children', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: `crash-export-${Date.now()}`, nodeType: 'cm:folder' }) });
  assert.equal(folder.status, 201);
  const folderId = folder.body.entry.id;
  const existing = await api<{ entry: NodeJson }>(`/nodes/${folderId}/children`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'kept.txt', nodeType: 'cm:content', aspectNames: ['cm:versionable'] }) });
  assert.equal(existing.status, 201);
  const keptId = existing.body.entry.id;
  const written = await fetch(`${sandbox.url}/alfresco/api/-default-/public/alfresco/versions/1/nodes/${keptId}/content`, { method: 'PUT', headers: { Authorization: basic('mjackson'), 'Content-Type': 'text/plain' }, body: 'version one' });
  assert.equal(written.status, 200);
  const keptBefore = (await api<{ entry: NodeJson }>(`/nodes/${keptId}?include=properties`)).body.entry;
  const before = { exports: eventsOf('fp.export'), handles: query<{ n: number }>('SELECT count(*) AS n FROM handles')[0]!.n };

  for (const { filename, conflict } of [{ filename: 'half-export.bin', conflict: 'fail' }, { filename: 'kept.txt', conflict: 'replace' }]) {
    const contentBefore = await filesIn(sandboxContent);
    const upload = halfSentUpload(`${companion.url}/api/export?${new URLSearchParams({ key: API_KEY, folderId, filename, conflict })}`, 64 * MiB, 16 * MiB, { Authorization: `Bearer ${session}` });
    // The sandbox is writing the upload into its content store when the companion dies.
    await until(async () => {
      for (const file of await filesIn(sandboxContent)) if (!contentBefore.includes(file) && (await stat(join(sandboxContent, file))).size >= MiB) return true;
      return false;
    }, `the export of ${filename} (${conflict}) to reach the repository`);
    await companion.kill();
    assert.equal(await upload.answered, 'no answer');
    // The repository sees its upload break off, as Alfresco does: it keeps nothing of it.
    await until(async () => (await filesIn(sandboxContent)).length === contentBefore.length, `the repository to drop the broken upload of ${filename}`);
    assert.deepEqual(await filesIn(sandboxContent), contentBefore, 'no content of the broken upload is kept');
    companion = await startCompanionProcess(configPath);
  }

  const children = await api<NodeList>(`/nodes/${folderId}/children`);
  assert.deepEqual(children.body.list.entries.map(({ entry }) => entry.name), ['kept.txt'], 'no node was created for the broken export');
  const kept = (await api<{ entry: NodeJson }>(`/nodes/${keptId}?include=properties`)).body.entry;
  assert.equal(kept.properties?.['cm:versionLabel'], keptBefore.properties?.['cm:versionLabel'], 'no version was added by the broken replace');
  assert.equal(kept.modifiedAt, keptBefore.modifiedAt);
  const content = await fetch(`${sandbox.url}/alfresco/api/-default-/public/alfresco/versions/1/nodes/${keptId}/content`, { headers: { Authorization: basic('mjackson') } });
  assert.equal(await content.text(), 'version one', 'the replaced file keeps its content');
  assert.equal(eventsOf('fp.export'), before.exports, 'no fp.export event was written');
  assert.equal(query<{ n: number }>('SELECT count(*) AS n FROM handles')[0]!.n, before.handles, 'no handle was made');
});

test('an event committed just before SIGKILL, its delivery in flight to a receiver that does not answer, is delivered after restart, signed, once per attempt', { timeout: 120_000 }, async () => {
  const sentBefore = receiver.at(HOOK).length;
  receiver.set(HOOK, 'hang');
  const blob = await store('committed before the kill', 'committed.txt', 'text/plain');
  const [delivery] = query<{ id: number; event_id: number }>(
    "SELECT d.id, d.event_id FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id WHERE e.action = 'fp.upload' ORDER BY d.id DESC LIMIT 1",
  );
  assert.ok(delivery, 'the store wrote its fp.upload delivery');
  // The attempt has reached the receiver, which holds it open: the delivery is in flight when the process dies.
  const inFlight = await receiver.waitFor(HOOK, sentBefore + 1, 30_000);
  assert.equal(inFlight.at(-1)!.json.id, delivery.event_id);
  await companion.kill();
  assert.deepEqual(query('SELECT status, attempts FROM webhook_deliveries WHERE id = ?', [delivery.id]), [{ status: 'pending', attempts: 0 }], 'the attempt in flight was not recorded');

  receiver.set(HOOK, { status: 200 });
  companion = await startCompanionProcess(configPath);
  await until(() => query<{ status: string }>('SELECT status FROM webhook_deliveries WHERE id = ?', [delivery.id])[0]?.status === 'delivered', 'the delivery to be recorded as delivered');

  const attempts = query<{ ok: number }>('SELECT ok FROM webhook_attempts WHERE delivery_id = ?', [delivery.id]);
  assert.deepEqual(attempts, [{ ok: 1 }], 'one attempt recorded, successful');
  const received = receiver.at(HOOK).filter((entry) => entry.json.id === delivery.event_id);
  // The one the kill cut off, and one per attempt after the restart.
  assert.equal(received.length, 1 + attempts.length, `the event was sent once before the kill and once per attempt after it (got ${received.length})`);
  for (const entry of received) {
    assert.equal(entry.json.action, 'fp.upload');
    assert.equal(entry.json.text.url, blob.url);
    assert.equal(verifyWebhook(entry.body, entry.headers, SECRET), true, 'signed with the URL secret');
  }
  await assertStorageConsistent();
});

test('a delivery whose first attempt failed before SIGKILL keeps its retry time after restart: not sent early, not dropped', { timeout: 120_000 }, async () => {
  receiver.set(HOOK, { status: 500 });
  await store('failed once before the kill', 'failed-once.txt', 'text/plain');
  const [delivery] = query<{ id: number; event_id: number }>("SELECT d.id, d.event_id FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id ORDER BY d.id DESC LIMIT 1");
  const attempted = () => query<{ status: string; attempts: number; first_attempt_at: number | null; next_attempt_at: number | null }>('SELECT status, attempts, first_attempt_at, next_attempt_at FROM webhook_deliveries WHERE id = ?', [delivery!.id])[0];
  const failed = await until(() => (attempted()?.attempts === 1 ? attempted() : undefined), 'the failed first attempt to be recorded');
  assert.equal(failed.status, 'pending');
  assert.equal(failed.next_attempt_at, failed.first_attempt_at! + 5 * 60_000, 'the second attempt is due 5 minutes after the first');
  await companion.kill();

  receiver.set(HOOK, { status: 200 });
  companion = await startCompanionProcess(configPath);
  // A later event goes out at once: the restarted worker runs, and has looked at what is due.
  const later = await store('after the restart', 'after-restart.txt', 'text/plain');
  await until(() => receiver.at(HOOK).some((entry) => entry.json.text.url === later.url), 'the later event to be delivered');
  assert.deepEqual(attempted(), failed, 'the failed delivery is still pending, due when the schedule says');
  assert.equal(receiver.at(HOOK).filter((entry) => entry.json.id === delivery!.event_id).length, 1, 'sent once (the failed attempt), not again at the restart');
  assert.deepEqual(query('SELECT attempt, ok, status_code FROM webhook_attempts WHERE delivery_id = ?', [delivery!.id]), [{ attempt: 1, ok: 0, status_code: 500 }]);
});
