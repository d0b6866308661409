import { HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { after, before, describe, test } from 'node:test';
import type { FsBlob } from '../../src/protocol/blob.ts';
import { SessionStore } from '../../companion/src/auth/sessions.ts';
import type { Companion } from '../../companion/src/context.ts';
import { HandleStore } from '../../companion/src/files/handles.ts';
import { openStored } from '../../companion/src/storage/index.ts';
import { startCompanion, TEST_APP, type CompanionHarness } from '../helpers/companion.ts';
import { basic, CORE, type NodeJson } from '../helpers/sandbox.ts';
import { startS3rver, type TestS3 } from '../helpers/s3rver.ts';

type Answer = { blob: FsBlob } & { error: { code: string; message: string; field?: string } };

async function listFiles(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1));
}

/** A request body that arrives in chunks, as from a browser, with no Content-Length. */
function chunked(chunks: number, size = 64 * 1024): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent++ < chunks) controller.enqueue(new Uint8Array(size).fill(sent % 251));
      else controller.close();
    },
  });
}

describe('POST /api/store to the local folder', () => {
  let companion: CompanionHarness;
  let handles: HandleStore;
  before(async () => {
    companion = await startCompanion();
    // The harness makes the storage root; callers may name one subfolder of it (storage.local.containers).
    companion.config.storage.local.containers = ['box-2'];
    handles = new HandleStore(companion.db);
  });
  after(() => companion.close());

  const countHandles = async () => (await companion.db.selectFrom('handles').selectAll().execute()).length;
  const asCompanion = () => ({ config: companion.config }) as Companion;

  test('streams the body to disk and answers the Blob; the bytes come back through openStored, whole and by range', async () => {
    const bytes = randomBytes(300_000);

    const response = await companion.call('/api/store?filename=photo.jpg&mimetype=image/jpeg&path=uploads/2026/', { method: 'POST', body: bytes });
    const { blob } = (await response.json()) as Answer;

    assert.equal(response.status, 200);
    assert.match(blob.key!, /^uploads\/2026\/[A-Za-z0-9_-]{12}_photo\.jpg$/);
    assert.deepEqual({ ...blob, key: undefined, handle: undefined, url: undefined }, {
      filename: 'photo.jpg', mimetype: 'image/jpeg', size: 300_000, key: undefined, container: companion.storageRoot.split('/').pop(), path: 'uploads/2026/',
      client: 'Computer', id: 0, isWriteable: true, handle: undefined, source: 'COMPUTER', url: undefined,
    });
    assert.equal(blob.url, `http://127.0.0.1:3020/api/file/${blob.handle}`);
    assert.deepEqual(await readFile(join(companion.storageRoot, blob.key!)), bytes);

    const handle = await handles.get(blob.handle);
    assert.deepEqual({ kind: handle?.kind, location: handle?.location, key: handle?.key, size: handle?.size, appKey: handle?.appKey }, { kind: 'stored', location: 'local', key: blob.key, size: 300_000, appKey: TEST_APP.apiKey });
    const whole = await openStored(asCompanion(), handle!);
    const part = await openStored(asCompanion(), handle!, { start: 1000, end: 1999 });
    assert.deepEqual(Buffer.concat(await whole.stream.toArray()), bytes);
    assert.equal(whole.contentType, 'image/jpeg');
    assert.deepEqual(Buffer.concat(await part.stream.toArray()), bytes.subarray(1000, 2000));
    assert.deepEqual([part.size, part.range], [300_000, { start: 1000, end: 1999 }]);
  });

  test('the stored file is served at its url by GET /api/file/:handle, with Range, ETag and a download disposition', async () => {
    const { blob } = (await (await companion.call('/api/store?filename=a.txt&mimetype=text/plain', { method: 'POST', body: 'served bytes' })).json()) as Answer;
    const path = new URL(blob.url).pathname;
    const whole = await companion.app.request(path);
    const part = await companion.app.request(path, { headers: { Range: 'bytes=7-11' } });
    const beyond = await companion.app.request(path, { headers: { Range: 'bytes=50-' } });
    const again = await companion.app.request(path, { headers: { 'If-None-Match': whole.headers.get('ETag')! } });

    assert.equal(whole.status, 200);
    assert.equal(await whole.text(), 'served bytes');
    assert.match(whole.headers.get('Content-Disposition')!, /^attachment;/);
    assert.equal(part.status, 206);
    assert.equal(await part.text(), 'bytes');
    assert.equal(part.headers.get('Content-Range'), 'bytes 7-11/12');
    assert.equal(beyond.status, 416);
    assert.equal(again.status, 304);
  });

  test('a streamed body past maxSize is refused mid-stream with 413; no file and no handle are left', async () => {
    const handlesBefore = await countHandles();
    const filesBefore = await listFiles(companion.storageRoot);
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        if (pulled <= 64) controller.enqueue(new Uint8Array(64 * 1024));
        else controller.close();
      },
    });

    const response = await companion.call('/api/store?filename=big.bin&maxSize=1048576&path=limits/', { method: 'POST', body, duplex: 'half' } as RequestInit);
    const answer = (await response.json()) as Answer;

    assert.equal(response.status, 413);
    assert.equal(answer.error.code, 'FS_ERR_TOO_LARGE');
    assert.equal(answer.error.message, 'The file is larger than the 1 MiB allowed.');
    assert.ok(pulled < 64, `read ${pulled} of 64 chunks: stopped while streaming`);
    assert.equal(await countHandles(), handlesBefore);
    assert.deepEqual(await listFiles(companion.storageRoot), filesBefore);
  });

  test('a Content-Length past maxSize is refused before anything is written', async () => {
    const response = await companion.call('/api/store?filename=big.bin&maxSize=10', { method: 'POST', body: Buffer.alloc(11) });

    assert.equal(response.status, 413);
  });

  test('container names a subfolder; base64decode decodes the body as it streams', async () => {
    const payload = randomBytes(1001);
    const response = await companion.call('/api/store?filename=b.bin&container=box-2&base64decode=true', { method: 'POST', body: payload.toString('base64').replace(/(.{76})/g, '$1\n') });
    const { blob } = (await response.json()) as Answer;

    assert.equal(response.status, 200);
    assert.equal(blob.container, 'box-2');
    assert.equal(blob.size, 1001);
    assert.deepEqual(await readFile(join(companion.storageRoot, 'box-2', blob.key!)), payload);
  });

  test('bad options are 400 naming the option: unknown, "..", S3 when it is not configured', async () => {
    const unknown = (await (await companion.call('/api/store?filname=a', { method: 'POST', body: 'x' })).json()) as Answer;
    const climbing = (await (await companion.call('/api/store?path=../up/', { method: 'POST', body: 'x' })).json()) as Answer;
    const s3 = await companion.call('/api/store?location=s3', { method: 'POST', body: 'x' });
    const s3Answer = (await s3.json()) as Answer;

    assert.deepEqual(unknown.error, { code: 'FS_ERR_INVALID_OPTION', message: 'store: unknown option "filname" (did you mean "filename"?)', field: 'filname' });
    assert.equal(climbing.error.field, 'path');
    assert.equal(s3.status, 400);
    assert.deepEqual(s3Answer.error, { code: 'FS_ERR_INVALID_OPTION', message: 'location "S3" is not configured on this companion (storage.s3); store with location "local" or ask the operator to configure S3', field: 'location' });
  });

  test('the app key is required', async () => {
    const response = await companion.app.request('/api/store?filename=a.txt', { method: 'POST', body: 'x' });

    assert.equal(response.status, 403);
  });
});

describe('POST /api/store to S3 (s3rver)', () => {
  let s3: TestS3;
  let companion: CompanionHarness;
  let localRoot: string;
  before(async () => {
    s3 = await startS3rver();
    await s3.createBucket('fs-store-bucket');
    await s3.createBucket('fs-store-other');
    localRoot = await mkdtemp(join(tmpdir(), 'fs-store-s3-local-'));
    companion = await startCompanion({ storage: { local: { root: localRoot }, s3: { ...s3.config('fs-store-bucket'), containers: ['fs-store-other'] } } });
  });
  after(async () => {
    await companion.close();
    await s3.close();
    await rm(localRoot, { recursive: true, force: true });
  });

  test('location S3 stores into the configured bucket under path, with the type', async () => {
    const response = await companion.call('/api/store?filename=notes.txt&mimetype=text/plain&location=S3&path=docs', { method: 'POST', body: 'to the bucket' });
    const { blob } = (await response.json()) as Answer;
    const head = await s3.client.send(new HeadObjectCommand({ Bucket: 'fs-store-bucket', Key: blob.key! }));

    assert.equal(response.status, 200);
    assert.equal(blob.container, 'fs-store-bucket');
    assert.match(blob.key!, /^docs\/[A-Za-z0-9_-]{12}_notes\.txt$/);
    assert.equal(head.ContentType, 'text/plain');
    assert.equal(head.ContentLength, 13);
    const handle = await new HandleStore(companion.db).get(blob.handle);
    assert.equal(await text((await openStored({ config: companion.config } as Companion, handle!)).stream), 'to the bucket');
  });

  test('container picks another bucket; a streamed 24 MiB upload arrives whole', async () => {
    const response = await companion.call('/api/store?filename=big.bin&location=S3&container=fs-store-other', { method: 'POST', body: chunked(384), duplex: 'half' } as RequestInit);
    const { blob } = (await response.json()) as Answer;
    const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: 'fs-store-other' }));

    assert.equal(response.status, 200);
    assert.equal(blob.size, 24 * 1024 * 1024);
    assert.deepEqual(listed.Contents?.map((object) => [object.Key, object.Size]), [[blob.key, 24 * 1024 * 1024]]);
  });

  test('past maxSize nothing is left in the bucket and no handle is made', async () => {
    const before = (await companion.db.selectFrom('handles').selectAll().execute()).length;
    const response = await companion.call('/api/store?filename=x.bin&location=S3&path=limit/&maxSize=100000', { method: 'POST', body: chunked(10), duplex: 'half' } as RequestInit);
    const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: 'fs-store-bucket', Prefix: 'limit/' }));

    assert.equal(response.status, 413);
    assert.equal(listed.Contents?.length ?? 0, 0);
    assert.equal((await companion.db.selectFrom('handles').selectAll().execute()).length, before);
  });
});

describe('POST /api/store-handle (the copy step of pickAndStore)', () => {
  let companion: CompanionHarness;
  let welcome: NodeJson;
  let welcomeBytes: Buffer;
  let grantId: string;
  before(async () => {
    companion = await startCompanion();
    // One subfolder callers may name (storage.local.containers).
    companion.config.storage.local.containers = ['alf'];
    const headers = { Authorization: basic('admin') };
    welcome = ((await (await fetch(`${companion.sandbox.url}${CORE}/nodes/-my-?relativePath=welcome.txt`, { headers })).json()) as { entry: NodeJson }).entry;
    welcomeBytes = Buffer.from(await (await fetch(`${companion.sandbox.url}${CORE}/nodes/${welcome.id}/content`, { headers })).arrayBuffer());
    const session = await companion.connect('admin');
    grantId = (await new SessionStore(companion.db).grantIdOf(session, TEST_APP.apiKey))!;
  });
  after(() => companion.close());

  const linkHandle = () =>
    new HandleStore(companion.db).create({
      appKey: TEST_APP.apiKey, kind: 'link', source: 'ALFRESCO', grantId, itemId: welcome.id,
      location: undefined, container: undefined, key: undefined, filename: welcome.name, mimetype: welcome.content!.mimeType, size: welcome.content!.sizeInBytes,
    });

  test('copies a picked Alfresco file into storage with the picking person’s grant: a new stored Blob, client "Alfresco"', async () => {
    const link = await linkHandle();

    const response = await companion.call('/api/store-handle', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ handle: link.handle, options: { path: 'picked/', storeContainer: 'alf' } }) });
    const { blob } = (await response.json()) as Answer;

    assert.equal(response.status, 200);
    assert.notEqual(blob.handle, link.handle);
    assert.deepEqual([blob.client, blob.source, blob.filename, blob.mimetype, blob.size, blob.container, blob.path], ['Alfresco', 'ALFRESCO', 'welcome.txt', 'text/plain', welcomeBytes.length, 'alf', 'picked/']);
    assert.deepEqual(await readFile(join(companion.storageRoot, 'alf', blob.key!)), welcomeBytes);
    assert.equal((await new HandleStore(companion.db).get(link.handle))?.kind, 'link', 'the picked link stays');
  });

  test('copies a stored file too', async () => {
    const { blob: first } = (await (await companion.call('/api/store?filename=c.txt', { method: 'POST', body: 'copy me' })).json()) as Answer;

    const { blob } = (await (await companion.call('/api/store-handle', { method: 'POST', body: JSON.stringify({ handle: first.handle }) })).json()) as Answer;

    assert.notEqual(blob.key, first.key);
    assert.equal(await readFile(join(companion.storageRoot, blob.key!), 'utf8'), 'copy me');
  });

  test('an unknown handle is 404; a link whose grant is gone asks to pick again; a bad body is 400', async () => {
    const unknown = await companion.call('/api/store-handle', { method: 'POST', body: JSON.stringify({ handle: 'no-such-handle' }) });
    const signedOut = (await new SessionStore(companion.db).grantIdOf(await companion.connect('admin'), TEST_APP.apiKey))!;
    const orphan = await new HandleStore(companion.db).create({ appKey: TEST_APP.apiKey, kind: 'link', source: 'ALFRESCO', grantId: signedOut, itemId: welcome.id, location: undefined, container: undefined, key: undefined, filename: 'x', mimetype: 'text/plain', size: 1 });
    await companion.db.deleteFrom('grants').where('id', '=', signedOut).execute();
    const orphaned = await companion.call('/api/store-handle', { method: 'POST', body: JSON.stringify({ handle: orphan.handle }) });
    const bad = await companion.call('/api/store-handle', { method: 'POST', body: JSON.stringify({ handle: orphan.handle, option: {} }) });

    assert.equal(unknown.status, 404);
    assert.equal(orphaned.status, 401);
    assert.equal(((await orphaned.json()) as Answer).error.code, 'FS_ERR_NOT_CONNECTED');
    assert.equal(bad.status, 400);
    assert.deepEqual(((await bad.json()) as Answer).error, { code: 'FS_ERR_INVALID_OPTION', message: 'pickAndStore: "option" is not a known field.', field: 'option' });
  });
});
