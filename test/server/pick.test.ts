import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { FsBlob } from '../../src/protocol/blob.ts';
import { BlobSchema } from '../../src/protocol/blob.ts';
import type { PickResponse, PickStreamLine } from '../../src/protocol/pick.ts';
import * as v from 'valibot';
import { startCompanion, type CompanionHarness } from '../helpers/companion.ts';
import { CORE, basic, nodeAt as nodeAtIn, type NodeJson } from '../helpers/sandbox.ts';

let h: CompanionHarness;
let admin: string;
let abeecher: string;
const ids: Record<string, string> = {};

const nodeAt = (path: string, user = 'admin'): Promise<NodeJson> => nodeAtIn(h.sandbox, path, user);

const pick = (body: unknown, { session = admin, accept }: { session?: string; accept?: string } = {}) =>
  h.call('/api/pick', { method: 'POST', session, headers: { 'Content-Type': 'application/json', ...(accept ? { Accept: accept } : {}) }, body: JSON.stringify(body) });

before(async () => {
  h = await startCompanion();
  admin = await h.connect('admin');
  abeecher = await h.connect('abeecher');
  for (const path of ['welcome.txt', 'Pictures', 'Pictures/icon 64x64.png', 'Many Files', 'Deep', 'Data']) ids[path] = (await nodeAt(path)).id;
});
after(() => h.close());

describe('POST /api/pick', () => {
  test('files: one Blob each with a distributable link, in the order picked', async () => {
    const response = await pick({ itemIds: [ids['welcome.txt'], ids['Pictures/icon 64x64.png']] });
    assert.equal(response.status, 200);
    const { blobs, truncated } = (await response.json()) as PickResponse;
    assert.equal(truncated, false);
    assert.equal(blobs.length, 2);
    for (const blob of blobs) assert.ok(v.is(BlobSchema, blob), JSON.stringify(blob));
    const [text, icon] = blobs as [FsBlob, FsBlob];
    assert.deepEqual({ ...text, url: '', handle: '' }, {
      url: '', handle: '', filename: 'welcome.txt', mimetype: 'text/plain', size: text.size, path: '/Company Home/User Homes/admin/welcome.txt',
      client: 'Alfresco', id: 0, isWriteable: true, source: 'ALFRESCO',
    });
    assert.equal(text.url, `${h.config.publicUrl ?? 'http://127.0.0.1:3020'}/api/file/${text.handle}`);
    assert.equal(icon.id, 1);
    assert.equal(icon.mimetype, 'image/png');
    const served = await h.app.request(new URL(text.url).pathname);
    assert.equal(served.status, 200);
    assert.match(await served.text(), /Welcome to the fs-picker sandbox/);
  });

  test('isWriteable follows the user’s rights: a site collaborator may not write a manager-only folder', async () => {
    const contracts = await fetch(`${h.sandbox.url}${CORE}/sites/swsdp/containers/documentLibrary`, { headers: { Authorization: basic('admin') } });
    const library = ((await contracts.json()) as { entry: { folderId: string } }).entry.folderId;
    const node = await (await fetch(`${h.sandbox.url}${CORE}/nodes/${library}?relativePath=Agency%20Files/Contracts/Project%20Contract.pdf`, { headers: { Authorization: basic('admin') } })).json() as { entry: NodeJson };
    const asAlice = (await (await pick({ itemIds: [node.entry.id] }, { session: abeecher })).json()) as PickResponse;
    assert.equal(asAlice.blobs[0]!.isWriteable, false);
    const asAdmin = (await (await pick({ itemIds: [node.entry.id] })).json()) as PickResponse;
    assert.equal(asAdmin.blobs[0]!.isWriteable, true);
  });

  test('a folder is expanded recursively, filtered by accept', async () => {
    const { blobs, truncated } = (await (await pick({ itemIds: [ids.Deep] })).json()) as PickResponse;
    assert.equal(truncated, false);
    assert.deepEqual(blobs.map((blob) => blob.filename), ['bottom.txt']);
    assert.match(blobs[0]!.path!, /\/Deep\/Level 1\/.*\/Level 10\/bottom\.txt$/);
    const images = (await (await pick({ itemIds: [ids.Pictures], accept: ['image/png', '.gif'] })).json()) as PickResponse;
    assert.deepEqual(images.blobs.map((blob) => blob.filename).sort(), ['banner 1920x480.png', 'chart 640x480.gif', 'icon 64x64.png']);
    assert.deepEqual(images.blobs.map((blob) => blob.id), [0, 1, 2]);
  });

  test('maxFiles bounds a big folder and says it was truncated; exactly maxFiles is not truncated', async () => {
    const { blobs, truncated } = (await (await pick({ itemIds: [ids['Many Files']], maxFiles: 1500, accept: ['.csv'] })).json()) as PickResponse;
    assert.equal(truncated, true);
    assert.equal(blobs.length, 1500);
    assert.ok(blobs.every((blob) => blob.filename.endsWith('.csv')));
    assert.equal(new Set(blobs.map((blob) => blob.handle)).size, 1500);
    const exact = (await (await pick({ itemIds: [ids.Data], maxFiles: 4 })).json()) as PickResponse;
    assert.equal(exact.truncated, false);
    assert.equal(exact.blobs.length, 4);
    const picked = (await (await pick({ itemIds: [ids['welcome.txt'], ids.Pictures, ids['Pictures/icon 64x64.png']], maxFiles: 2 })).json()) as PickResponse;
    assert.equal(picked.truncated, true);
    assert.deepEqual(picked.blobs.map((blob) => blob.filename), ['welcome.txt', 'banner 1920x480.png']);
  });

  test('with Accept: application/x-ndjson: progress lines while expanding, then done', async () => {
    const response = await pick({ itemIds: [ids['Many Files']], maxFiles: 5000 }, { accept: 'application/x-ndjson' });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('Content-Type')!, /^application\/x-ndjson/);
    assert.equal(response.headers.get('Access-Control-Allow-Origin'), 'https://app.example.com');
    const lines = (await response.text()).trim().split('\n').map((line) => JSON.parse(line) as PickStreamLine);
    const progress = lines.filter((line) => line.type === 'progress');
    assert.ok(progress.length >= 5, `${progress.length} progress lines`);
    const scanned = progress.map((line) => line.scanned);
    assert.deepEqual(scanned, [...scanned].sort((a, b) => a - b));
    const done = lines.at(-1)!;
    assert.equal(done.type, 'done');
    assert.equal(done.type === 'done' && done.blobs.length, 5000);
    assert.equal(done.type === 'done' && done.truncated, true);
  });

  test('bad requests name the field; unknown nodes are 404 before any stream', async () => {
    for (const [body, field] of [[{}, 'itemIds'], [{ itemIds: [] }, 'itemIds'], [{ itemIds: ['a'], maxFiles: 0 }, 'maxFiles'], [{ itemIds: ['a'], accept: ['nope'] }, 'accept.0'], [{ itemIds: ['a'], extra: 1 }, 'extra']] as const) {
      const response = await pick(body);
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.equal(((await response.json()) as { error: { field: string } }).error.field, field);
    }
    const rejected = await pick({ itemIds: [ids['welcome.txt']], accept: ['image/*'] });
    assert.equal(rejected.status, 400);
    const unknown = await pick({ itemIds: ['no-such-node'] }, { accept: 'application/x-ndjson' });
    assert.equal(unknown.status, 404);
    assert.equal(((await unknown.json()) as { error: { code: string } }).error.code, 'FS_ERR_NOT_FOUND');
    const noSession = await h.call('/api/pick', { method: 'POST', body: JSON.stringify({ itemIds: ['a'] }), headers: { 'Content-Type': 'application/json' } });
    assert.equal(noSession.status, 401);
  });
});

describe('POST /api/pick: bounded work on the source', () => {
  let counted: CompanionHarness;
  let proxy: Server;
  let session: string;
  let active = 0;
  let most = 0;
  let nodeCalls = 0;

  before(async () => {
    // A proxy in front of the sandbox that counts the requests in flight at once.
    const target = new URL(h.sandbox.url);
    proxy = createServer((incoming, outgoing) => {
      active++;
      most = Math.max(most, active);
      if (incoming.url?.includes('/nodes/')) nodeCalls++;
      const forward = httpRequest({ host: target.hostname, port: target.port, path: incoming.url, method: incoming.method, headers: incoming.headers }, (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      });
      outgoing.once('close', () => active--);
      incoming.pipe(forward);
    });
    proxy.listen(0, '127.0.0.1');
    await once(proxy, 'listening');
    counted = await startCompanion({ alfresco: { repositoryUrl: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}` } }, h.sandbox);
    session = await counted.connect('admin');
  });
  after(async () => {
    await counted.close();
    proxy.close();
  });

  const manyIds = async (count: number): Promise<string[]> => {
    const list = await fetch(`${h.sandbox.url}${CORE}/nodes/${ids['Many Files']}/children?maxItems=${count}`, { headers: { Authorization: basic('admin') } });
    return ((await list.json()) as { list: { entries: Array<{ entry: { id: string } }> } }).list.entries.map(({ entry }) => entry.id);
  };
  const pickThere = (body: unknown) => counted.call('/api/pick', { method: 'POST', session, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

  test('60 picked files are read at most 4 at a time, not 60 at once', async () => {
    const itemIds = await manyIds(60);
    most = 0;
    // Slow answers, so that requests sent together are in flight together.
    h.sandbox.state.faults.set({ latencyMs: 30 });
    const response = await pickThere({ itemIds }).finally(() => h.sandbox.state.faults.reset());
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as PickResponse).blobs.length, 60);
    assert.ok(most <= 4 && most >= 2, `${most} requests at once`);
  });

  test('no more items are read than maxFiles; the answer says it was truncated', async () => {
    const itemIds = await manyIds(60);
    nodeCalls = 0;
    const response = await pickThere({ itemIds, maxFiles: 10 });
    const { blobs, truncated } = (await response.json()) as PickResponse;
    assert.equal(response.status, 200);
    assert.equal(blobs.length, 10);
    assert.equal(truncated, true);
    assert.ok(nodeCalls <= 10, `${nodeCalls} node requests`);
  });
});
