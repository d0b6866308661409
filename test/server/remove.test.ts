import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, rmdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { HANDLE_TOKEN_HEADER } from '../../src/protocol/handle-token.ts';
import type { StoreResponse } from '../../src/protocol/store.ts';
import { SessionStore } from '../../companion/src/auth/sessions.ts';
import { buildApp } from '../../companion/src/app.ts';
import { HandleStore } from '../../companion/src/files/handles.ts';
import { startCompanion, TEST_APP, TEST_ORIGIN, type CompanionHarness } from '../helpers/companion.ts';
import { basic, CORE, type NodeJson } from '../helpers/sandbox.ts';
import { startS3rver, type TestS3 } from '../helpers/s3rver.ts';

type Answer = StoreResponse & { error: { code: string; message: string } };

describe('DELETE /api/file/:handle (remove)', () => {
  let companion: CompanionHarness;
  let s3: TestS3;
  let root: string;
  let handles: HandleStore;
  before(async () => {
    s3 = await startS3rver();
    await s3.createBucket('fs-remove-test');
    root = await mkdtemp(join(tmpdir(), 'fs-remove-'));
    companion = await startCompanion({ storage: { local: { root }, s3: s3.config('fs-remove-test') }, apps: [TEST_APP, { apiKey: 'other-app-key', name: 'Other', allowedOrigins: [TEST_ORIGIN] }] });
    handles = new HandleStore(companion.db);
  });
  after(async () => {
    await companion.close();
    await s3.close();
    await rm(root, { recursive: true, force: true });
  });

  /** The handle tokens the store answers gave, sent back as the page's client does (X-FS-Handle-Token). */
  const tokens = new Map<string, string>();
  const store = async (query: string) => {
    const { blob, handleTokens } = (await (await companion.call(`/api/store?filename=f.txt${query}`, { method: 'POST', body: 'remove me' })).json()) as Answer;
    for (const [handle, token] of Object.entries(handleTokens ?? {})) tokens.set(handle, token);
    return blob;
  };
  const remove = (handle: string, key = TEST_APP.apiKey) =>
    companion.call(`/api/file/${handle}?key=${key}`, { method: 'DELETE', headers: tokens.has(handle) ? { [HANDLE_TOKEN_HEADER]: tokens.get(handle)! } : {} });

  test('a stored file: 204, the handle and the file on disk are gone', async () => {
    const blob = await store('&path=rm/');
    assert.deepEqual(await readdir(join(root, 'rm')), [blob.key!.slice(3)]);

    const response = await remove(blob.handle);

    assert.equal(response.status, 204);
    assert.equal(await response.text(), '');
    assert.equal(await handles.get(blob.handle), undefined);
    assert.deepEqual(await readdir(join(root, 'rm')), []);
  });

  test('a file stored in S3: the object is deleted', async () => {
    const blob = await store('&location=S3');
    const response = await remove(blob.handle);
    const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: 'fs-remove-test' }));

    assert.equal(response.status, 204);
    assert.equal(listed.Contents?.length ?? 0, 0);
  });

  test('a picked Alfresco link: the handle goes, the file in Alfresco stays untouched', async () => {
    const headers = { Authorization: basic('admin') };
    const node = ((await (await fetch(`${companion.sandbox.url}${CORE}/nodes/-my-?relativePath=welcome.txt`, { headers })).json()) as { entry: NodeJson }).entry;
    const grantId = (await new SessionStore(companion.db).grantIdOf(await companion.connect('admin'), TEST_APP.apiKey))!;
    const link = await handles.create({ appKey: TEST_APP.apiKey, kind: 'link', source: 'ALFRESCO', grantId, itemId: node.id, location: undefined, container: undefined, key: undefined, filename: node.name, mimetype: 'text/plain', size: node.content!.sizeInBytes });
    tokens.set(link.handle, link.token);

    const response = await remove(link.handle);
    const after = await fetch(`${companion.sandbox.url}${CORE}/nodes/${node.id}`, { headers });

    assert.equal(response.status, 204);
    assert.equal(await handles.get(link.handle), undefined);
    assert.equal(after.status, 200);
    assert.equal(((await after.json()) as { entry: NodeJson }).entry.modifiedAt, node.modifiedAt);
  });

  test('an unknown handle, one already removed and one of another app are 404', async () => {
    const blob = await store('');
    assert.equal((await remove(blob.handle)).status, 204);

    const again = await remove(blob.handle);
    const unknown = await remove('no-such-handle');
    const mine = await store('');
    const otherApp = await remove(mine.handle, 'other-app-key');

    assert.deepEqual([again.status, unknown.status, otherApp.status], [404, 404, 404]);
    assert.equal(((await unknown.json()) as Answer).error.code, 'FS_ERR_NOT_FOUND');
    assert.ok(await handles.get(mine.handle), 'another app cannot remove it');
  });

  test('a stored copy that is already gone from storage still lets the handle be removed', async () => {
    const blob = await store('');
    await rm(join(root, blob.key!));

    assert.equal((await remove(blob.handle)).status, 204);
    assert.equal(await handles.get(blob.handle), undefined);
  });

  /** Starts another companion on the same database and storage: its start-up sweep empties `folder` and the pending removals. */
  async function sweptOnStart(folder: string): Promise<void> {
    const restarted = await buildApp(companion.config, { db: companion.db, logger: pino({ level: 'silent' }) });
    const pause = () => new Promise((resolve) => setTimeout(resolve, 20));
    try {
      while ((await readdir(join(root, folder))).length > 0) await pause();
      while ((await handles.pendingRemovals(100)).length > 0) await pause();
    } finally {
      await restarted.close();
    }
  }

  test('a stored copy storage cannot delete now: the link stops working at once, and the copy goes on a later try', async () => {
    const blob = await store('&path=stuck/');
    const path = join(root, blob.key!);
    // A folder where the file was: unlink fails (EISDIR), even for root.
    await rm(path);
    await mkdir(path);

    assert.equal((await remove(blob.handle)).status, 204);
    assert.equal((await companion.call(`/api/file/${blob.handle}`)).status, 404, 'the link no longer works');
    assert.ok((await handles.pendingRemovals(100)).some((removal) => removal.key === blob.key), 'its copy is still to delete');

    await rmdir(path);
    await writeFile(path, 'remove me');
    await sweptOnStart('stuck');
  });

  test('a removal cut off after the link went (a crash) is finished when the companion starts again', async () => {
    const blob = await store('&path=crash/');
    // What the route does first, alone: as if the process died right after.
    assert.equal(await handles.remove(blob.handle), true);
    assert.equal((await companion.call(`/api/file/${blob.handle}`)).status, 404);
    assert.deepEqual(await readdir(join(root, 'crash')), [blob.key!.slice('crash/'.length)]);

    await sweptOnStart('crash');
  });
});
