import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RunningSandbox } from '../../src/sandbox/sandbox.ts';
import { basic, CORE, coreApi, startTestSandbox, type NodeJson, type NodeList } from '../helpers/sandbox.ts';

type Entry = { entry: NodeJson };

/** A multipart body in the order js-api's UploadApi sends it: properties, filedata, relativePath, name, options. */
function jsApiForm(file: { name: string; text: string; type?: string }, fields: Record<string, string> = {}): FormData {
  const form = new FormData();
  form.append('cm:title', `Title of ${file.name}`);
  form.append('filedata', new File([file.text], file.name, { type: file.type ?? 'text/plain' }));
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  return form;
}

describe('sandbox: uploads, versions and deletes', () => {
  let sandbox: RunningSandbox;
  let api: ReturnType<typeof coreApi>;
  const upload = (folder: string, form: FormData, query = '', user = 'admin') => coreApi(sandbox, user)<Entry & { error?: { statusCode: number; errorKey: string } }>(`/nodes/${folder}/children${query}`, { method: 'POST', body: form });

  before(async () => {
    sandbox = await startTestSandbox();
    api = coreApi(sandbox);
  });
  after(() => sandbox.close());

  test('a multipart upload creates a versioned file with its properties (201)', async () => {
    const { status, body } = await upload('-my-', jsApiForm({ name: 'hello.txt', text: 'hello, world' }, { relativePath: '', name: 'hello.txt', autoRename: 'true', overwrite: 'false' }));
    const bytes = await fetch(`${sandbox.url}${CORE}/nodes/${body.entry.id}/content`, { headers: { Authorization: basic('admin') } });

    assert.equal(status, 201);
    assert.deepEqual([body.entry.name, body.entry.content?.mimeType, body.entry.content?.sizeInBytes], ['hello.txt', 'text/plain', 12]);
    assert.equal(body.entry.properties?.['cm:title'], 'Title of hello.txt');
    assert.equal(body.entry.properties?.['cm:versionLabel'], '1.0');
    assert.equal(await bytes.text(), 'hello, world');
  });

  test('a name clash is a 409, or name-1.ext with autoRename in the query or in the form', async () => {
    const clash = await upload('-my-', jsApiForm({ name: 'report.pdf', text: '%PDF-1.4 one' }));
    const again = await upload('-my-', jsApiForm({ name: 'report.pdf', text: '%PDF-1.4 two' }));
    const viaQuery = await upload('-my-', jsApiForm({ name: 'report.pdf', text: '%PDF-1.4 three' }), '?autoRename=true');
    const viaForm = await upload('-my-', jsApiForm({ name: 'report.pdf', text: '%PDF-1.4 four' }, { autoRename: 'true' }));

    assert.equal(clash.status, 201);
    assert.equal(again.status, 409);
    assert.equal(again.body.error?.errorKey, 'Duplicate child name not allowed: report.pdf');
    assert.equal(viaQuery.body.entry.name, 'report-1.pdf');
    assert.equal(viaForm.body.entry.name, 'report-2.pdf');
  });

  test('the `name` field wins over the file’s own name, and the type comes from the name when the part has none', async () => {
    const form = new FormData();
    form.append('filedata', new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], 'blob', { type: 'application/octet-stream' }));
    form.append('name', 'Saved from the picker.png');
    const { body } = await upload('-my-', form);

    assert.equal(body.entry.name, 'Saved from the picker.png');
    assert.equal(body.entry.content?.mimeType, 'image/png');
  });

  test('relativePath creates the missing folders first', async () => {
    const { status, body } = await upload('-my-', jsApiForm({ name: 'deep.txt', text: 'x' }, { relativePath: 'Exports/2026/November' }));
    const folder = await api<NodeList>('/nodes/-my-/children?relativePath=Exports/2026/November');

    assert.equal(status, 201);
    assert.deepEqual(folder.body.list.entries.map(({ entry }) => entry.id), [body.entry.id]);
  });

  test('overwrite=true makes a new version of a versioned file', async () => {
    const first = await upload('-my-', jsApiForm({ name: 'notes.md', text: '# one' }));
    const second = await upload('-my-', jsApiForm({ name: 'notes.md', text: '# two, longer' }, { overwrite: 'true', majorVersion: 'false' }));

    assert.equal(second.status, 201);
    assert.equal(second.body.entry.id, first.body.entry.id);
    assert.equal(second.body.entry.properties?.['cm:versionLabel'], '1.1');
    assert.equal(second.body.entry.content?.sizeInBytes, 13);
  });

  test('PUT content replaces the bytes as a new version, major when asked', async () => {
    const { body } = await upload('-my-', jsApiForm({ name: 'draft.txt', text: 'v1' }));
    const put = await api<Entry>(`/nodes/${body.entry.id}/content?majorVersion=true`, { method: 'PUT', headers: { 'Content-Type': 'text/plain' }, body: 'version two' });
    const bytes = await fetch(`${sandbox.url}${CORE}/nodes/${body.entry.id}/content`, { headers: { Authorization: basic('admin') } });

    assert.equal(put.status, 200);
    assert.equal(put.body.entry.properties?.['cm:versionLabel'], '2.0');
    assert.equal(await bytes.text(), 'version two');
  });

  test('JSON creates a folder (with relativePath) and an empty file; a list creates several', async () => {
    const folder = await api<Entry>('/nodes/-my-/children', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'Q1', nodeType: 'cm:folder', relativePath: 'Reports/2026', properties: { 'cm:title': 'First quarter' } }) });
    const several = await api<NodeList>(`/nodes/${folder.body.entry.id}/children`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify([{ name: 'a.txt', nodeType: 'cm:content' }, { name: 'B', nodeType: 'cm:folder' }]) });

    assert.equal(folder.status, 201);
    assert.deepEqual([folder.body.entry.isFolder, folder.body.entry.properties?.['cm:title']], [true, 'First quarter']);
    assert.equal(several.status, 201);
    assert.deepEqual(several.body.list.entries.map(({ entry }) => [entry.name, entry.isFile, entry.content?.sizeInBytes ?? null]), [['a.txt', true, 0], ['B', false, null]]);
  });

  test('a name Alfresco forbids is refused with 422, a missing or unknown nodeType with 400', async () => {
    const bad = await api('/nodes/-my-/children', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'a:b?', nodeType: 'cm:folder' }) });
    const missing = await api('/nodes/-my-/children', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'x' }) });
    const unknown = await api<{ error: { briefSummary: string } }>('/nodes/-my-/children', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'x', nodeType: 'cm:nosuchtype' }) });

    assert.equal(bad.status, 422);
    assert.equal(missing.status, 400);
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.error.briefSummary, /cm:nosuchtype/);
  });

  test('uploading where one may only read is a 403, and nothing is left behind', async () => {
    const contracts = await api<Entry>('/nodes/-root-?relativePath=Sites/swsdp/documentLibrary/Agency%20Files/Contracts');
    const refused = await upload(contracts.body.entry.id, jsApiForm({ name: 'sneaky.txt', text: 'no' }), '', 'abeecher');
    const listing = await api<NodeList>(`/nodes/${contracts.body.entry.id}/children`);

    assert.equal(refused.status, 403);
    assert.deepEqual(listing.body.list.entries.map(({ entry }) => entry.name), ['Project Contract.pdf']);
  });

  test('DELETE removes a node and what is below it; the root and homes cannot be deleted', async () => {
    const folder = await api<Entry>('/nodes/-my-/children', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'Trash me', nodeType: 'cm:folder' }) });
    const child = await upload(folder.body.entry.id, jsApiForm({ name: 'inside.txt', text: 'x' }));
    const deleted = await api(`/nodes/${folder.body.entry.id}`, { method: 'DELETE' });
    const gone = await api(`/nodes/${child.body.entry.id}`);
    const root = await api('/nodes/-root-', { method: 'DELETE' });
    const home = await api('/nodes/-my-', { method: 'DELETE' });

    assert.equal(deleted.status, 204);
    assert.equal(gone.status, 404);
    assert.equal(root.status, 403);
    assert.equal(home.status, 403);
  });
});
