import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import * as v from 'valibot';
import type { FsBlob } from '../../src/protocol/blob.ts';
import { ExportResponseSchema } from '../../src/protocol/export.ts';
import type { PickResponse } from '../../src/protocol/pick.ts';
import type { StoreResponse } from '../../src/protocol/store.ts';
import { openEventText } from '../../companion/src/webhooks/event-text.ts';
import { startCompanion, TEST_APP, type CompanionHarness } from '../helpers/companion.ts';
import { startFileOrigin, type FileOrigin } from '../helpers/file-origin.ts';
import { basic, CORE, coreApi, type NodeJson, type NodeList } from '../helpers/sandbox.ts';

type ErrorAnswer = { error: { code: string; message: string; field?: string } };

let h: CompanionHarness;
/** Serves /report.csv and /broken (its upload must not leave a short file behind). */
let origin: FileOrigin;
let mjackson: string;
let abeecher: string;
/** A fresh folder in mjackson's My Files per run, so names never clash with an earlier test. */
let folderId: string;
let contractsId: string;

const bytes = (text: string) => new TextEncoder().encode(text);

/** POST /api/export with the file as the raw body. */
const exportRaw = (query: Record<string, string>, body: BodyInit, { session = mjackson, type }: { session?: string; type?: string } = {}) =>
  h.call(`/api/export?${new URLSearchParams(query)}`, { method: 'POST', session, body, headers: type ? { 'Content-Type': type } : {} });

/** POST /api/export with a JSON request. */
const exportJson = (request: unknown, session = mjackson) =>
  h.call('/api/export', { method: 'POST', session, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(request) });

const api = (user = 'mjackson') => coreApi(h.sandbox, user);

async function contentOf(nodeId: string, user = 'mjackson'): Promise<string> {
  const response = await fetch(`${h.sandbox.url}${CORE}/nodes/${nodeId}/content`, { headers: { Authorization: basic(user) } });
  assert.equal(response.status, 200);
  return response.text();
}

async function childNames(parentId: string): Promise<string[]> {
  const { body } = await api()<NodeList>(`/nodes/${parentId}/children?maxItems=1000`);
  return body.list.entries.map(({ entry }) => entry.name).sort();
}

/** The node behind a Blob: its url's handle is a link to it; find it by name in the folder. */
async function nodeNamed(parentId: string, name: string): Promise<NodeJson> {
  const { status, body } = await api()<{ entry: NodeJson }>(`/nodes/${parentId}?relativePath=${encodeURIComponent(name)}&include=properties`);
  assert.equal(status, 200, `no ${name}`);
  return body.entry;
}

/** The Blob's distributable link, fetched as any page would. */
async function download(blob: FsBlob): Promise<string> {
  const response = await h.app.request(new URL(blob.url).pathname);
  assert.equal(response.status, 200);
  return response.text();
}

async function blobOf(response: Response): Promise<FsBlob> {
  const answer: unknown = await response.json();
  assert.equal(response.status, 200, JSON.stringify(answer));
  assert.ok(v.is(ExportResponseSchema, answer), JSON.stringify(answer));
  return answer.blob;
}

before(async () => {
  h = await startCompanion({ apps: [{ ...TEST_APP, allowPrivateUrls: true }] });
  mjackson = await h.connect('mjackson');
  abeecher = await h.connect('abeecher');
  const created = await api()<{ entry: NodeJson }>('/nodes/-my-/children', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: `export-test-${Date.now()}`, nodeType: 'cm:folder' }),
  });
  assert.equal(created.status, 201);
  folderId = created.body.entry.id;
  const library = await api('admin')<{ entry: { folderId: string } }>('/sites/swsdp/containers/documentLibrary');
  contractsId = (await api('admin')<{ entry: NodeJson }>(`/nodes/${library.body.entry.folderId}?relativePath=Agency%20Files/Contracts`)).body.entry.id;

  origin = await startFileOrigin({ '/report.csv': { type: 'text/csv; charset=utf-8', body: 'a,b\n1,2\n3,4\n' } });
});

after(async () => {
  await origin.close();
  await h.close();
});

describe('POST /api/export (raw body)', () => {
  test('saves the bytes as a new file and answers an Alfresco Blob whose url downloads them', async () => {
    const blob = await blobOf(await exportRaw({ folderId, filename: 'notes.txt' }, bytes('Hello from the picker'), { type: 'text/plain' }));
    assert.equal(blob.filename, 'notes.txt');
    assert.equal(blob.mimetype, 'text/plain');
    assert.equal(blob.size, 21);
    assert.equal(blob.client, 'Alfresco');
    assert.equal(blob.source, 'ALFRESCO');
    assert.equal(blob.isWriteable, true);
    assert.match(blob.path ?? '', /\/User Homes\/mjackson\/export-test-\d+\/notes\.txt$/);
    assert.equal(await contentOf((await nodeNamed(folderId, 'notes.txt')).id), 'Hello from the picker');
    assert.equal(await download(blob), 'Hello from the picker');
  });

  test('writes the fp.export webhook event with the new file\'s link and the input', async () => {
    const blob = await blobOf(await exportRaw({ folderId, filename: 'hooked.txt' }, bytes('hook')));
    const fetched = await blobOf(await exportJson({ folderId, filename: 'hooked-url.csv', source: { url: `${origin.url}/report.csv` } }));
    const rows = await h.db.selectFrom('webhook_events').selectAll().where('action', '=', 'fp.export').execute();
    const texts = rows.map((row) => JSON.parse(openEventText(h.box, row.text)) as { source: string; client: string; filename: string; url: string });
    assert.deepEqual(
      texts.filter((text) => text.filename.startsWith('hooked')).map(({ source, client, filename, url }) => ({ source, client, filename, url })),
      [
        { source: '', client: 'Alfresco', filename: 'hooked.txt', url: blob.url },
        { source: `${origin.url}/report.csv`, client: 'Alfresco', filename: 'hooked-url.csv', url: fetched.url },
      ],
    );
    // An export is not also reported as an upload.
    const uploads = await h.db.selectFrom('webhook_events').selectAll().where('action', '=', 'fp.upload').execute();
    assert.equal(uploads.some((row) => openEventText(h.box, row.text).includes('hooked')), false);
  });

  test('conflict=fail (the default): 409 naming the file, nothing changed', async () => {
    await blobOf(await exportRaw({ folderId, filename: 'clash.txt' }, bytes('first')));
    const response = await exportRaw({ folderId, filename: 'clash.txt' }, bytes('second'));
    assert.equal(response.status, 409);
    const { error } = (await response.json()) as ErrorAnswer;
    assert.equal(error.code, 'FS_ERR_CONFLICT');
    assert.match(error.message, /"clash\.txt" already exists/);
    assert.equal(error.field, 'filename');
    assert.equal(await contentOf((await nodeNamed(folderId, 'clash.txt')).id), 'first');
    // Names are compared as Alfresco does: without case.
    assert.equal((await exportRaw({ folderId, filename: 'CLASH.txt' }, bytes('third'))).status, 409);
  });

  test('conflict=rename keeps both: the new file gets the next free name', async () => {
    await blobOf(await exportRaw({ folderId, filename: 'report.pdf' }, bytes('%PDF one'), { type: 'application/pdf' }));
    const second = await blobOf(await exportRaw({ folderId, filename: 'report.pdf', conflict: 'rename' }, bytes('%PDF two'), { type: 'application/pdf' }));
    assert.equal(second.filename, 'report-1.pdf');
    const third = await blobOf(await exportRaw({ folderId, filename: 'report.pdf', conflict: 'rename' }, bytes('%PDF three'), { type: 'application/pdf' }));
    assert.equal(third.filename, 'report-2.pdf');
    assert.equal(await contentOf((await nodeNamed(folderId, 'report.pdf')).id), '%PDF one');
    assert.equal(await download(second), '%PDF two');
  });

  test('conflict=replace uploads a new version of the existing file (same node, history kept)', async () => {
    const first = await blobOf(await exportRaw({ folderId, filename: 'plan.txt' }, bytes('version one')));
    const before = await nodeNamed(folderId, 'plan.txt');
    const replaced = await blobOf(await exportRaw({ folderId, filename: 'plan.txt', conflict: 'replace' }, bytes('version two, longer')));
    const after = await nodeNamed(folderId, 'plan.txt');
    assert.equal(after.id, before.id);
    assert.notEqual(after.properties?.['cm:versionLabel'], before.properties?.['cm:versionLabel']);
    assert.equal(replaced.filename, 'plan.txt');
    assert.equal(replaced.size, 19);
    assert.equal(await contentOf(after.id), 'version two, longer');
    assert.equal(await download(replaced), 'version two, longer');
    // The earlier link points at the same node, so it now serves the new version too.
    assert.equal(await download(first), 'version two, longer');
    // Replace with nothing there is a plain create.
    const fresh = await blobOf(await exportRaw({ folderId, filename: 'new-plan.txt', conflict: 'replace' }, bytes('new')));
    assert.equal(fresh.filename, 'new-plan.txt');
  });

  test('replace cannot turn a folder into a file; rename without a clash keeps the name', async () => {
    await api()('/nodes/' + folderId + '/children', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'Sub', nodeType: 'cm:folder' }) });
    const response = await exportRaw({ folderId, filename: 'Sub', conflict: 'replace' }, bytes('x'));
    assert.equal(response.status, 409);
    assert.match(((await response.json()) as ErrorAnswer).error.message, /is a folder/);
    const plain = await blobOf(await exportRaw({ folderId, filename: 'unique-name.txt', conflict: 'rename' }, bytes('x')));
    assert.equal(plain.filename, 'unique-name.txt');
  });

  test('a folder the person may not write to: 403 naming it, nothing created', async () => {
    const response = await exportRaw({ folderId: contractsId, filename: 'sneaky.txt' }, bytes('no'), { session: abeecher });
    assert.equal(response.status, 403);
    const { error } = (await response.json()) as ErrorAnswer;
    assert.equal(error.code, 'FS_ERR_FORBIDDEN');
    assert.match(error.message, /"Contracts"/);
    const { status } = await api('admin')(`/nodes/${contractsId}?relativePath=sneaky.txt`);
    assert.equal(status, 404);
  });

  test('bad names and requests are 400s naming the field; no session is 401', async () => {
    for (const filename of ['', 'a/b.txt', 'what?.txt', 'x:y', 'trailing.']) {
      const response = await exportRaw({ folderId, filename }, bytes('x'));
      assert.equal(response.status, 400, filename);
      assert.equal(((await response.json()) as ErrorAnswer).error.field, 'filename', filename);
    }
    const badConflict = await exportRaw({ folderId, filename: 'ok.txt', conflict: 'overwrite' }, bytes('x'));
    assert.equal(((await badConflict.json()) as ErrorAnswer).error.field, 'conflict');
    const notFolder = await exportRaw({ folderId: (await nodeNamed(folderId, 'notes.txt')).id, filename: 'in-a-file.txt' }, bytes('x'));
    assert.equal(notFolder.status, 400);
    const missing = await exportRaw({ folderId: 'no-such-node', filename: 'x.txt' }, bytes('x'));
    assert.equal(missing.status, 404);
    const anonymous = await h.call(`/api/export?folderId=${folderId}&filename=x.txt`, { method: 'POST', body: 'x' });
    assert.equal(anonymous.status, 401);
    assert.equal((await childNames(folderId)).includes('ok.txt'), false);
  });

  test('a larger binary file arrives byte for byte (streamed, chunked without a Content-Length)', async () => {
    const data = randomBytes(3 * 1024 * 1024 + 17);
    const chunks = [data.subarray(0, 1_000_000), data.subarray(1_000_000, 2_500_000), data.subarray(2_500_000)];
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next) controller.enqueue(next);
        else controller.close();
      },
    });
    const blob = await blobOf(await h.call(`/api/export?folderId=${folderId}&filename=big.bin`, { method: 'POST', session: mjackson, body, duplex: 'half' } as RequestInit & { session: string }));
    assert.equal(blob.size, data.length);
    const served = Buffer.from(await (await h.app.request(new URL(blob.url).pathname)).arrayBuffer());
    assert.ok(served.equals(data));
  });

  test('a JSON file sent raw is content, not a request', async () => {
    const blob = await blobOf(await exportRaw({ folderId, filename: 'data.json' }, '{"source":{"url":"x"}}', { type: 'application/json' }));
    assert.equal(blob.mimetype, 'application/json');
    assert.equal(await download(blob), '{"source":{"url":"x"}}');
  });
});

describe('POST /api/export (JSON: a handle or a URL)', () => {
  test('a picked Alfresco file (its handle) is copied into the folder', async () => {
    const welcome = (await api('admin')<{ entry: NodeJson }>('/nodes/-my-?relativePath=welcome.txt')).body.entry;
    const admin = await h.connect('admin');
    const picked = (await (await h.call('/api/pick', { method: 'POST', session: admin, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ itemIds: [welcome.id] }) })).json()) as PickResponse;
    const handle = picked.blobs[0]!.handle;
    const blob = await blobOf(await exportJson({ folderId, filename: 'welcome copy.txt', source: { handle } }));
    assert.equal(blob.filename, 'welcome copy.txt');
    assert.equal(blob.mimetype, 'text/plain');
    const original = await contentOf(welcome.id, 'admin');
    assert.equal(await download(blob), original);
    assert.equal(await contentOf((await nodeNamed(folderId, 'welcome copy.txt')).id), original);
  });

  test('a stored file (its handle) is copied into the folder', async () => {
    const stored = (await (await h.call('/api/store?filename=stored.bin&mimetype=application/octet-stream', { method: 'POST', body: bytes('stored bytes') })).json()) as StoreResponse;
    const blob = await blobOf(await exportJson({ folderId, filename: 'from-storage.bin', source: { handle: stored.blob.handle } }));
    assert.equal(blob.size, 12);
    assert.equal(await download(blob), 'stored bytes');
  });

  test('a URL is fetched by the companion and streamed in', async () => {
    const blob = await blobOf(await exportJson({ folderId, filename: 'fetched.csv', source: { url: `${origin.url}/report.csv` } }));
    assert.equal(blob.mimetype, 'text/csv');
    assert.equal(await download(blob), 'a,b\n1,2\n3,4\n');
    const missing = await exportJson({ folderId, filename: 'missing.csv', source: { url: `${origin.url}/nothing` } });
    assert.equal(missing.status, 404);
  });

  test('a source that breaks off midway leaves no half-written node behind', async () => {
    const response = await exportJson({ folderId, filename: 'broken.txt', source: { url: `${origin.url}/broken` } });
    assert.equal(response.status, 502);
    assert.equal((await childNames(folderId)).includes('broken.txt'), false);
  });

  test('URL refusals (SSRF) and unknown handles are errors; conflict modes work the same', async () => {
    const refused = await h.call('/api/export', {
      method: 'POST',
      session: mjackson,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ folderId, filename: 'meta.txt', source: { url: 'ftp://example.com/x' } }),
    });
    assert.equal(refused.status, 400);
    assert.equal(((await refused.json()) as ErrorAnswer).error.field, 'source');
    const unknown = await exportJson({ folderId, filename: 'x.txt', source: { handle: 'nope-nope-nope' } });
    assert.equal(unknown.status, 404);
    const clash = await exportJson({ folderId, filename: 'fetched.csv', source: { url: `${origin.url}/report.csv` } });
    assert.equal(clash.status, 409);
    const renamed = await blobOf(await exportJson({ folderId, filename: 'fetched.csv', conflict: 'rename', source: { url: `${origin.url}/report.csv` } }));
    assert.equal(renamed.filename, 'fetched-1.csv');
  });
});
