import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as v from 'valibot';
import type { FsBlob } from '../../src/protocol/blob.ts';
import { HANDLE_TOKEN_HEADER } from '../../src/protocol/handle-token.ts';
import type { PickResponse } from '../../src/protocol/pick.ts';
import type { StoreResponse } from '../../src/protocol/store.ts';
import { WriteResponseSchema } from '../../src/protocol/write.ts';
import { startCompanion, TEST_APP, type CompanionHarness } from '../helpers/companion.ts';
import { startFileOrigin, type FileOrigin } from '../helpers/file-origin.ts';
import { basic, CORE, coreApi, type NodeJson } from '../helpers/sandbox.ts';

type ErrorAnswer = { error: { code: string; message: string; field?: string } };

let h: CompanionHarness;
/** Serves /new.csv and /broken (writing it must leave the old content in place). */
let origin: FileOrigin;
let mjackson: string;
/** A fresh folder in mjackson's My Files, so names never clash. */
let folderId: string;

const api = (user = 'mjackson') => coreApi(h.sandbox, user);

/** The handle tokens the pick and store answers gave, sent back as the page's client does (X-FS-Handle-Token). */
const tokens = new Map<string, string>();
const proof = (blob: FsBlob): Record<string, string> => (tokens.has(blob.handle) ? { [HANDLE_TOKEN_HEADER]: tokens.get(blob.handle)! } : {});

const write = (blob: FsBlob, body: BodyInit, { query = {}, type }: { query?: Record<string, string>; type?: string } = {}) =>
  h.call(`/api/write/${blob.handle}?${new URLSearchParams(query)}`, { method: 'POST', body, headers: { ...proof(blob), ...(type ? { 'Content-Type': type } : {}) } });

const writeUrl = (blob: FsBlob, request: unknown) =>
  h.call(`/api/write-url/${blob.handle}`, { method: 'POST', headers: { ...proof(blob), 'Content-Type': 'application/json' }, body: JSON.stringify(request) });

async function blobOf(response: Response): Promise<FsBlob> {
  const answer: unknown = await response.json();
  assert.equal(response.status, 200, JSON.stringify(answer));
  assert.ok(v.is(WriteResponseSchema, answer), JSON.stringify(answer));
  return answer.blob;
}

async function errorOf(response: Response, status: number): Promise<ErrorAnswer['error']> {
  const answer = (await response.json()) as ErrorAnswer;
  assert.equal(response.status, status, JSON.stringify(answer));
  return answer.error;
}

async function download(blob: FsBlob): Promise<string> {
  const response = await h.app.request(new URL(blob.url).pathname);
  assert.equal(response.status, 200);
  return response.text();
}

async function node(id: string): Promise<NodeJson> {
  const { status, body } = await api()<{ entry: NodeJson }>(`/nodes/${id}?include=properties`);
  assert.equal(status, 200);
  return body.entry;
}

async function contentOf(nodeId: string): Promise<string> {
  const response = await fetch(`${h.sandbox.url}${CORE}/nodes/${nodeId}/content`, { headers: { Authorization: basic('mjackson') } });
  assert.equal(response.status, 200);
  return response.text();
}

/** A new file in the test folder, picked as a page would: a link Blob to an Alfresco node. */
async function pickedFile(name: string, content: string): Promise<{ blob: FsBlob; nodeId: string }> {
  const exported = await h.call(`/api/export?${new URLSearchParams({ folderId, filename: name })}`, {
    method: 'POST',
    session: mjackson,
    body: content,
    headers: { 'Content-Type': 'text/plain' },
  });
  assert.equal(exported.status, 200, await exported.clone().text());
  const { status, body } = await api()<{ entry: NodeJson }>(`/nodes/${folderId}?relativePath=${encodeURIComponent(name)}`);
  assert.equal(status, 200);
  const picked = await h.call('/api/pick', { method: 'POST', session: mjackson, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ itemIds: [body.entry.id] }) });
  const { blobs, handleTokens } = (await picked.json()) as PickResponse;
  assert.equal(blobs.length, 1);
  for (const [handle, token] of Object.entries(handleTokens ?? {})) tokens.set(handle, token);
  return { blob: blobs[0]!, nodeId: body.entry.id };
}

async function storedFile(content: string, filename = 'stored.txt'): Promise<FsBlob> {
  const response = await h.call(`/api/store?${new URLSearchParams({ filename, mimetype: 'text/plain' })}`, { method: 'POST', body: content });
  assert.equal(response.status, 200);
  const { blob, handleTokens } = (await response.json()) as StoreResponse;
  for (const [handle, token] of Object.entries(handleTokens ?? {})) tokens.set(handle, token);
  return blob;
}

before(async () => {
  h = await startCompanion({ apps: [{ ...TEST_APP, allowPrivateUrls: true }] });
  mjackson = await h.connect('mjackson');
  const created = await api()<{ entry: NodeJson }>('/nodes/-my-/children', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: `write-test-${Date.now()}`, nodeType: 'cm:folder' }),
  });
  assert.equal(created.status, 201);
  folderId = created.body.entry.id;

  origin = await startFileOrigin({ '/new.csv': { type: 'text/csv; charset=utf-8', body: 'x,y\n1,2\n' } });
});

after(async () => {
  await origin.close();
  await h.close();
});

describe('POST /api/write/:handle on a file picked from Alfresco', () => {
  test('uploads a new version of the node: the version label goes up and the content changes', async () => {
    const { blob, nodeId } = await pickedFile('draft.txt', 'first draft');
    const before = (await node(nodeId)).properties?.['cm:versionLabel'];

    const written = await blobOf(await write(blob, 'second draft, longer', { type: 'text/plain' }));
    const first = (await node(nodeId)).properties?.['cm:versionLabel'];
    assert.equal(typeof first, 'string');
    assert.notEqual(first, before);
    assert.equal(await contentOf(nodeId), 'second draft, longer');

    await blobOf(await write(blob, 'third draft', { type: 'text/plain' }));
    const second = (await node(nodeId)).properties?.['cm:versionLabel'];
    assert.ok(Number(second) > Number(first), `${String(second)} after ${String(first)}`);
    assert.equal(await contentOf(nodeId), 'third draft');

    // Same file, same link; the Blob tells the new size.
    assert.equal(written.handle, blob.handle);
    assert.equal(written.url, blob.url);
    assert.equal(written.filename, 'draft.txt');
    assert.equal(written.size, 'second draft, longer'.length);
    assert.equal(written.client, 'Alfresco');
    assert.equal(written.isWriteable, true);
    assert.equal(await download(blob), 'third draft');
    // Only one file in the folder: a new version, not a new node.
    const { body } = await api()<{ list: { entries: unknown[] } }>(`/nodes/${folderId}/children?maxItems=100`);
    assert.equal(body.list.entries.filter((entry) => (entry as { entry: NodeJson }).entry.name.startsWith('draft')).length, 1);
  });

  test('writeUrl fetches the URL and writes it as a new version, with its type', async () => {
    const { blob, nodeId } = await pickedFile('table.txt', 'old');
    const written = await blobOf(await writeUrl(blob, { url: `${origin.url}/new.csv` }));
    assert.equal(await contentOf(nodeId), 'x,y\n1,2\n');
    assert.equal(written.mimetype, 'text/csv');
    assert.equal(written.size, 8);
  });

  test('a URL that breaks off leaves the old version in place', async () => {
    const { blob, nodeId } = await pickedFile('keep.txt', 'keep me');
    const label = (await node(nodeId)).properties?.['cm:versionLabel'];
    const response = await writeUrl(blob, { url: `${origin.url}/broken` });
    assert.ok(response.status >= 400, String(response.status));
    assert.equal(await contentOf(nodeId), 'keep me');
    assert.equal((await node(nodeId)).properties?.['cm:versionLabel'], label);
  });
});

describe('POST /api/write/:handle on a stored file', () => {
  test('replaces the stored content under the same handle and key', async () => {
    const blob = await storedFile('before');
    const written = await blobOf(await write(blob, 'after, and longer', { type: 'text/plain' }));
    assert.equal(written.handle, blob.handle);
    assert.equal(written.key, blob.key);
    assert.equal(written.size, 'after, and longer'.length);
    assert.equal(await download(blob), 'after, and longer');
    const metadata = (await (await h.app.request(`/api/file/${blob.handle}/metadata`)).json()) as { size: number };
    assert.equal(metadata.size, 'after, and longer'.length);
  });

  test('content of the same size written again gets a new ETag, so no browser keeps the old bytes', async () => {
    const blob = await storedFile('first');
    const before = (await h.app.request(`/api/file/${blob.handle}`)).headers.get('ETag')!;
    await new Promise((resolve) => setTimeout(resolve, 15));
    await blobOf(await write(blob, 'other', { type: 'text/plain' }));
    const after = await h.app.request(`/api/file/${blob.handle}`, { headers: { 'If-None-Match': before } });
    assert.equal(after.status, 200);
    assert.notEqual(after.headers.get('ETag'), before);
    assert.equal(await after.text(), 'other');
  });

  test('writeUrl replaces it with what the URL answers; a broken URL keeps the old content', async () => {
    const blob = await storedFile('stored before');
    const written = await blobOf(await writeUrl(blob, { url: `${origin.url}/new.csv`, options: { mimetype: 'text/plain' } }));
    assert.equal(written.mimetype, 'text/plain');
    assert.equal(await download(blob), 'x,y\n1,2\n');

    const response = await writeUrl(blob, { url: `${origin.url}/broken` });
    assert.ok(response.status >= 400);
    assert.equal(await download(blob), 'x,y\n1,2\n');
  });
});

describe('write refusals', () => {
  test('an unknown handle is 404', async () => {
    const error = await errorOf(await h.call('/api/write/nosuchhandle0000', { method: 'POST', body: 'x' }), 404);
    assert.equal(error.code, 'FS_ERR_NOT_FOUND');
  });

  test('an unknown option is a 400 that names it', async () => {
    const blob = await storedFile('x');
    const error = await errorOf(await write(blob, 'y', { query: { mimetyp: 'text/plain' } }), 400);
    assert.equal(error.code, 'FS_ERR_INVALID_OPTION');
    assert.equal(error.field, 'mimetyp');
    assert.match(error.message, /did you mean "mimetype"/);
  });

  test('writeUrl needs an http(s) URL', async () => {
    const blob = await storedFile('x');
    const error = await errorOf(await writeUrl(blob, { url: 'ftp://example.com/x' }), 400);
    assert.equal(error.field, 'url');
    assert.equal(await download(blob), 'x');
  });

  test('a policy that does not allow "write" is refused before anything is written', async () => {
    const blob = await storedFile('guarded');
    const { encodePolicy, signPolicy } = await import('../../companion/src/security/policy.ts');
    const policy = encodePolicy({ expiry: Math.floor(Date.now() / 1000) + 600, call: ['read'] });
    const signature = signPolicy(policy, TEST_APP.appSecret);
    const error = await errorOf(await write(blob, 'changed', { query: { policy, signature } }), 403);
    assert.equal(error.code, 'FS_ERR_POLICY');
    assert.equal(await download(blob), 'guarded');
  });
});
