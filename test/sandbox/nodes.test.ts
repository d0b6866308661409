import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RunningSandbox } from '../../src/sandbox/sandbox.ts';
import { basic, CORE, coreApi, startTestSandbox, type NodeJson, type NodeList } from '../helpers/sandbox.ts';

const LIBRARY = 'relativePath=Sites/swsdp/documentLibrary';
const names = (list: NodeList) => list.list.entries.map(({ entry }) => entry.name);

describe('sandbox: nodes and folder listings', () => {
  let sandbox: RunningSandbox;
  let api: ReturnType<typeof coreApi>;
  before(async () => {
    sandbox = await startTestSandbox();
    api = coreApi(sandbox);
  });
  after(() => sandbox.close());

  test('GET /alfresco/api/discovery describes a Community repository', async () => {
    const response = await fetch(`${sandbox.url}/alfresco/api/discovery`);
    const body = (await response.json()) as { entry: { repository: { edition: string; version: { display: string }; status: { isQuickShareEnabled: boolean } } } };

    assert.equal(response.status, 200);
    assert.equal(body.entry.repository.edition, 'Community');
    assert.equal(body.entry.repository.version.display, '23.2.0 (r) schema 18100');
  });

  test('lists the sample site’s library folders first, then by name, in Alfresco’s shapes', async () => {
    const { status, body } = await api<NodeList>(`/nodes/-root-/children?${LIBRARY}/Agency%20Files`);

    assert.equal(status, 200);
    assert.deepEqual(names(body), ['Contracts', 'Images', 'Logo Files', 'Mock-Ups', 'Video Files']);
    assert.deepEqual(body.list.pagination, { count: 5, hasMoreItems: false, totalItems: 5, skipCount: 0, maxItems: 100 });
    assert.match(body.list.entries[0]!.entry.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    assert.equal(body.list.entries[0]!.entry.properties, undefined, 'lists leave out properties unless included');
  });

  test('pages with skipCount and maxItems', async () => {
    const { body } = await api<NodeList>(`/nodes/-root-/children?${LIBRARY}/Agency%20Files/Images&skipCount=2&maxItems=3`);

    assert.deepEqual(names(body), ['grass.jpg', 'header.png', 'low consumption bulb.png']);
    assert.deepEqual(body.list.pagination, { count: 3, hasMoreItems: true, totalItems: 11, skipCount: 2, maxItems: 3 });
    assert.equal(body.list.entries[0]!.entry.content?.mimeType, 'image/jpeg');
  });

  test('pages through the 10,000-file folder', async () => {
    const { body } = await api<NodeList>('/nodes/-my-/children?relativePath=Many%20Files&skipCount=9990&maxItems=1000');

    assert.equal(body.list.pagination.totalItems, 10_000);
    assert.equal(body.list.pagination.count, 10);
    assert.equal(body.list.pagination.hasMoreItems, false);
  });

  test('orderBy sorts as asked and refuses unknown fields', async () => {
    const bySize = await api<NodeList>(`/nodes/-root-/children?${LIBRARY}/Agency%20Files/Images&orderBy=sizeInBytes%20DESC`);
    const sizes = bySize.body.list.entries.map(({ entry }) => entry.content!.sizeInBytes);
    const byName = await api<NodeList>(`/nodes/-root-/children?${LIBRARY}&orderBy=name%20DESC`);
    const bad = await api<{ error: { statusCode: number } }>(`/nodes/-my-/children?orderBy=colour`);

    assert.deepEqual(sizes, [...sizes].sort((a, b) => b - a));
    assert.deepEqual(names(byName.body), ['Presentations', 'Meeting Notes', 'Budget Files', 'Agency Files']);
    assert.equal(bad.status, 400);
  });

  test('where keeps files or folders, and refuses other predicates', async () => {
    const files = await api<NodeList>(`/nodes/-root-/children?${LIBRARY}/Budget%20Files&where=(isFile%3Dtrue)`);
    const folders = await api<NodeList>(`/nodes/-root-/children?${LIBRARY}/Budget%20Files&where=(isFolder%3Dtrue)`);
    const byType = await api<NodeList>(`/nodes/-root-/children?${LIBRARY}/Budget%20Files&where=(nodeType%3D'cm:content')`);
    const bad = await api(`/nodes/-my-/children?where=(name%3D'x')`);

    assert.deepEqual(names(files.body), ['budget.xls']);
    assert.deepEqual(names(folders.body), ['Invoices']);
    assert.deepEqual(names(byType.body), ['budget.xls']);
    assert.equal(bad.status, 400);
  });

  test('include adds path, properties and allowableOperations; fields trims the entry', async () => {
    const { body } = await api<NodeList>(`/nodes/-root-/children?${LIBRARY}/Agency%20Files/Contracts&include=path,properties,allowableOperations`);
    const contract = body.list.entries[0]!.entry;
    const trimmed = await api<NodeList>(`/nodes/-root-/children?${LIBRARY}/Agency%20Files/Contracts&fields=id,name`);

    assert.equal(contract.path?.name, '/Company Home/Sites/swsdp/documentLibrary/Agency Files/Contracts');
    assert.deepEqual(contract.path?.elements.map((element) => element.name), ['Company Home', 'Sites', 'swsdp', 'documentLibrary', 'Agency Files', 'Contracts']);
    assert.equal(contract.properties?.['cm:title'], 'Project Contract for Green Energy');
    assert.deepEqual(contract.allowableOperations, ['delete', 'update', 'create']);
    assert.deepEqual(Object.keys(trimmed.body.list.entries[0]!.entry).sort(), ['id', 'name']);
  });

  test('GET a node by alias and relativePath, with aspects and properties by default', async () => {
    const { status, body } = await api<{ entry: NodeJson }>('/nodes/-root-?relativePath=Sites/swsdp/documentLibrary/Agency%20Files/Contracts/Project%20Contract.pdf');

    assert.equal(status, 200);
    assert.equal(body.entry.content?.mimeTypeName, 'Adobe PDF Document');
    assert.ok(body.entry.aspectNames?.includes('cm:versionable'));
    assert.equal(body.entry.properties?.['cm:versionLabel'], '1.0');
  });

  test('includeSource adds the folder itself', async () => {
    const { body } = await api<NodeList>(`/nodes/-shared-/children?includeSource=true&include=allowableOperations`);

    assert.equal(body.list.source?.name, 'Shared');
    assert.deepEqual(body.list.source?.allowableOperations, ['delete', 'update', 'create']);
  });

  test('a user home is private: others neither list it nor open it', async () => {
    const alice = coreApi(sandbox, 'abeecher');
    const homes = await alice<NodeList>('/nodes/-root-/children?relativePath=User%20Homes');
    const mikeHome = await api<{ entry: NodeJson }>('/nodes/-root-?relativePath=User%20Homes/mjackson');
    const peek = await alice<{ error: { statusCode: number } }>(`/nodes/${mikeHome.body.entry.id}/children`);

    assert.deepEqual(names(homes.body), ['abeecher']);
    assert.equal(peek.status, 403);
  });

  test('a private site is invisible to non-members and read-only to a consumer', async () => {
    const alice = coreApi(sandbox, 'abeecher');
    const mike = coreApi(sandbox, 'mjackson');
    const sitesForAlice = await alice<NodeList>('/nodes/-root-/children?relativePath=Sites');
    const boardForMike = await mike<NodeList>('/nodes/-root-/children?relativePath=Sites/board-room/documentLibrary&include=allowableOperations&includeSource=true');

    assert.deepEqual(names(sitesForAlice.body), ['swsdp']);
    assert.ok(boardForMike.body.list.entries.length > 0);
    assert.deepEqual(boardForMike.body.list.source?.allowableOperations, []);
  });

  test('a collaborator can read Contracts but may not create there', async () => {
    const alice = coreApi(sandbox, 'abeecher');
    const { body } = await alice<NodeList>(`/nodes/-root-/children?${LIBRARY}/Agency%20Files&include=allowableOperations`);
    const contracts = body.list.entries.find(({ entry }) => entry.name === 'Contracts')!.entry;
    const images = body.list.entries.find(({ entry }) => entry.name === 'Images')!.entry;

    assert.deepEqual(contracts.allowableOperations, []);
    assert.deepEqual(images.allowableOperations, ['delete', 'update', 'create']);
  });

  test('refuses anonymous calls and wrong passwords with Alfresco’s 401', async () => {
    const anonymous = await fetch(`${sandbox.url}${CORE}/nodes/-root-/children`);
    const wrong = await fetch(`${sandbox.url}${CORE}/nodes/-root-/children`, { headers: { Authorization: basic('admin', 'wrong') } });
    const body = (await anonymous.json()) as { error: { statusCode: number; briefSummary: string; stackTrace: string } };

    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.headers.get('WWW-Authenticate'), 'Basic realm="Alfresco"');
    assert.match(body.error.briefSummary, /^\d{8} Authentication failed/);
    assert.equal(wrong.status, 401);
  });

  test('answers 404 for an unknown node, 400 for a file’s children and for bad paging', async () => {
    const missing = await api<{ error: { errorKey: string } }>('/nodes/no-such-node/children');
    const file = await api<{ entry: NodeJson }>('/nodes/-my-?relativePath=welcome.txt');
    const fileChildren = await api(`/nodes/${file.body.entry.id}/children`);
    const badPaging = await api('/nodes/-root-/children?maxItems=0');

    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.errorKey, 'framework.exception.EntityNotFound');
    assert.equal(fileChildren.status, 400);
    assert.equal(badPaging.status, 400);
  });
});
