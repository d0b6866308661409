import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RunningSandbox } from "../../src/sandbox/sandbox.ts";
import { basic, CORE, startTestSandbox } from '../helpers/sandbox.ts';

interface NodePaging {
  list: {
    pagination: { count: number; hasMoreItems: boolean; totalItems: number; skipCount: number; maxItems: number };
    entries: Array<{ entry: { id: string; name: string; isFolder: boolean; isFile: boolean; createdAt: string; content?: { mimeType: string } } }>;
  };
}

describe('sandbox: discovery and a seeded folder', () => {
  let sandbox: RunningSandbox;
  const admin = { Authorization: basic('admin', 'admin') };
  before(async () => (sandbox = await startTestSandbox()));
  after(() => sandbox.close());

  test('GET /alfresco/api/discovery describes a Community repository', async () => {
    const response = await fetch(`${sandbox.url}/alfresco/api/discovery`);
    const body = (await response.json()) as { entry: { repository: { edition: string; version: { display: string }; status: { isQuickShareEnabled: boolean } } } };

    assert.equal(response.status, 200);
    assert.equal(body.entry.repository.edition, 'Community');
    assert.equal(body.entry.repository.version.display, '23.2.0 (r) schema 18100');
    assert.equal(body.entry.repository.status.isQuickShareEnabled, true);
  });

  test('lists the sample site’s document library, folders first, in Alfresco’s shapes', async () => {
    const response = await fetch(`${sandbox.url}${CORE}/nodes/-root-/children?relativePath=Sites/swsdp/documentLibrary/Agency%20Files`, { headers: admin });
    const { list } = (await response.json()) as NodePaging;

    assert.equal(response.status, 200);
    assert.deepEqual(list.entries.map(({ entry }) => entry.name), ['Contracts', 'Images', 'Logo Files', 'Mock-Ups', 'Video Files']);
    assert.deepEqual(list.pagination, { count: 5, hasMoreItems: false, totalItems: 5, skipCount: 0, maxItems: 100 });
    assert.match(list.entries[0]!.entry.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
  });

  test('pages with skipCount and maxItems', async () => {
    const response = await fetch(`${sandbox.url}${CORE}/nodes/-root-/children?relativePath=Sites/swsdp/documentLibrary/Agency%20Files/Images&skipCount=2&maxItems=3`, { headers: admin });
    const { list } = (await response.json()) as NodePaging;

    assert.deepEqual(list.entries.map(({ entry }) => entry.name), ['grass.jpg', 'header.png', 'low consumption bulb.png']);
    assert.deepEqual(list.pagination, { count: 3, hasMoreItems: true, totalItems: 11, skipCount: 2, maxItems: 3 });
    assert.equal(list.entries[0]!.entry.content?.mimeType, 'image/jpeg');
    assert.equal(list.entries[1]!.entry.content?.mimeType, 'image/png');
  });

  test('-my- is the signed-in user’s home folder', async () => {
    const response = await fetch(`${sandbox.url}${CORE}/nodes/-my-/children`, { headers: admin });
    const { list } = (await response.json()) as NodePaging;

    assert.ok(list.entries.some(({ entry }) => entry.name === 'welcome.txt' && entry.isFile));
    assert.ok(list.entries.some(({ entry }) => entry.name === 'Many Files' && entry.isFolder));
  });

  test('refuses anonymous calls with Alfresco’s 401 and WWW-Authenticate', async () => {
    const response = await fetch(`${sandbox.url}${CORE}/nodes/-root-/children`);
    const body = (await response.json()) as { error: { statusCode: number; briefSummary: string; errorKey: string } };

    assert.equal(response.status, 401);
    assert.equal(response.headers.get('WWW-Authenticate'), 'Basic realm="Alfresco"');
    assert.equal(body.error.statusCode, 401);
    assert.match(body.error.briefSummary, /^\d{8} Authentication failed/);
  });

  test('refuses a wrong password', async () => {
    const response = await fetch(`${sandbox.url}${CORE}/nodes/-root-/children`, { headers: { Authorization: basic('admin', 'wrong') } });
    assert.equal(response.status, 401);
  });

  test('answers 404 for an unknown node and 400 for bad paging', async () => {
    const missing = await fetch(`${sandbox.url}${CORE}/nodes/no-such-node/children`, { headers: admin });
    const badPaging = await fetch(`${sandbox.url}${CORE}/nodes/-root-/children?maxItems=0`, { headers: admin });

    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { error: { errorKey: string } }).error.errorKey, 'framework.exception.EntityNotFound');
    assert.equal(badPaging.status, 400);
  });
});
