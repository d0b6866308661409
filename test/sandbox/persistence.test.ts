import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { basic, CORE, coreApi, startTestSandbox, type NodeJson } from '../helpers/sandbox.ts';

describe('sandbox: --data keeps content across restarts', () => {
  let dataDir: string;
  before(async () => (dataDir = await mkdtemp(join(tmpdir(), 'fs-sandbox-data-'))));
  after(() => rm(dataDir, { recursive: true, force: true }));

  test('an upload, a new version and a deletion are all still there after a restart', async () => {
    const first = await startTestSandbox({ dataDir });
    const api = coreApi(first);
    const form = new FormData();
    form.append('filedata', new File(['kept across restarts'], 'kept.txt', { type: 'text/plain' }));
    const created = await api<{ entry: NodeJson }>('/nodes/-my-/children', { method: 'POST', body: form });
    await api(`/nodes/${created.body.entry.id}/content`, { method: 'PUT', headers: { 'Content-Type': 'text/plain' }, body: 'kept, version two' });
    const welcome = await api<{ entry: NodeJson }>('/nodes/-my-?relativePath=welcome.txt');
    await api(`/nodes/${welcome.body.entry.id}`, { method: 'DELETE' });
    await first.close();

    const second = await startTestSandbox({ dataDir });
    try {
      const kept = await fetch(`${second.url}${CORE}/nodes/${created.body.entry.id}/content`, { headers: { Authorization: basic('admin') } });
      const node = await coreApi(second)<{ entry: NodeJson }>(`/nodes/${created.body.entry.id}`);
      const deleted = await coreApi(second)(`/nodes/${welcome.body.entry.id}`);

      assert.equal(await kept.text(), 'kept, version two');
      assert.equal(node.body.entry.properties?.['cm:versionLabel'], '1.1');
      assert.equal(deleted.status, 404);
    } finally {
      await second.close();
    }
  });

  test('the folder holds a snapshot and content files, no temporary leftovers', async () => {
    const entries = await readdir(dataDir);
    assert.deepEqual(entries.sort(), ['content', 'repository.json']);
  });
});
