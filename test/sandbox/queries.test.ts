import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RunningSandbox } from '../../src/sandbox/sandbox.ts';
import { assertConforms } from '../helpers/alfresco-spec.ts';
import { basic, CORE, startTestSandbox } from '../helpers/sandbox.ts';

interface NodePaging {
  list: {
    pagination: { count: number; hasMoreItems: boolean; totalItems: number; skipCount: number; maxItems: number };
    entries: Array<{ entry: { id: string; name: string; isFolder: boolean; nodeType: string; path?: { name: string } } }>;
  };
}
interface ErrorBody { error: { statusCode: number; errorKey: string; briefSummary: string } }

const users = { admin: basic('admin', 'admin'), mjackson: basic('mjackson', 'mjackson'), abeecher: basic('abeecher', 'abeecher') };

describe('sandbox: queries/nodes', () => {
  let sandbox: RunningSandbox;
  const find = async <T = NodePaging>(query: string, user: keyof typeof users = 'admin'): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${sandbox.url}${CORE}/queries/nodes?${query}`, { headers: { Authorization: users[user] } });
    return { status: response.status, body: (await response.json()) as T };
  };
  const names = (body: NodePaging): string[] => body.list.entries.map(({ entry }) => entry.name).sort();

  before(async () => (sandbox = await startTestSandbox()));
  after(() => sandbox.close());

  test('finds files and folders whose name or title has the word', async () => {
    const { status, body } = await find('term=budget');

    assert.equal(status, 200);
    assertConforms('findNodes', status, body);
    assert.deepEqual(names(body), ['Budget Files', 'Budget draft.xlsx', 'budget.xls']);
  });

  test('matches whole words; * is a wildcard; a quoted term is a phrase', async () => {
    const partial = await find('term=budg');
    const wildcard = await find('term=budg*');
    const phrase = await find(`term=${encodeURIComponent('"meeting notes"')}`);

    assert.deepEqual(names(partial.body), []);
    assert.deepEqual(names(wildcard.body), ['Budget Files', 'Budget draft.xlsx', 'budget.xls']);
    assert.deepEqual(names(phrase.body), ['Meeting Notes', 'Meeting Notes 2011-01-27.doc', 'Meeting Notes 2011-02-03.doc', 'Meeting Notes 2011-02-10.doc']);
  });

  test('a term with fewer than three letters or digits is a 400, as is a missing term', async () => {
    const short = await find<ErrorBody>('term=b*d');
    const missing = await find<ErrorBody>('rootNodeId=-my-');

    assertConforms('findNodes', short.status, short.body);
    assert.equal(short.status, 400);
    assert.match(short.body.error.briefSummary, /Query 'term' is too short. Must have at least 3 alphanumeric chars$/);
    assert.equal(missing.status, 400);
    assert.match(missing.body.error.briefSummary, /Query 'term' not specified$/);
  });

  test('only what the user can read', async () => {
    const abeecher = await find('term=budget', 'abeecher');
    const boardForAbeecher = await find('term=board', 'abeecher');
    const boardForMjackson = await find('term=board', 'mjackson');

    assert.deepEqual(names(abeecher.body), ['Budget Files', 'budget.xls']);
    assert.deepEqual(names(boardForAbeecher.body), []);
    assert.deepEqual(names(boardForMjackson.body), ['Board minutes 2011-03.pdf']);
  });

  test('rootNodeId narrows the search to a subtree, with the -my- alias', async () => {
    const mine = await find('term=budget&rootNodeId=-my-', 'mjackson');
    const { repository, ids } = sandbox.state;
    const library = repository.resolve(repository.get(ids.companyHome)!, 'Sites/swsdp/documentLibrary')!;
    const inLibrary = await find(`term=budget&rootNodeId=${library.id}`, 'mjackson');
    const unknown = await find<ErrorBody>('term=budget&rootNodeId=no-such-node');

    assert.deepEqual(names(mine.body), ['Budget draft.xlsx']);
    assert.deepEqual(names(inLibrary.body), ['Budget Files', 'budget.xls']);
    assert.equal(unknown.status, 404);
  });

  test('sites and site containers are left out unless nodeType asks for them', async () => {
    const plain = await find('term=swsdp');
    const sites = await find('term=swsdp&nodeType=st:site');
    const containers = await find('term=documentLibrary');
    const folders = await find('term=documentLibrary&nodeType=cm:folder', 'abeecher');

    assert.deepEqual(names(plain.body), []);
    assert.deepEqual(names(sites.body), ['swsdp']);
    assert.deepEqual(names(containers.body), []);
    assert.deepEqual(names(folders.body), ['documentLibrary']);
  });

  test('nodeType keeps that type and its subtypes; an unknown type is a 400', async () => {
    const folders = await find('term=budget&nodeType=cm:folder');
    const unknown = await find<ErrorBody>('term=budget&nodeType=cm:nonsense');

    assert.deepEqual(names(folders.body), ['Budget Files']);
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.error.briefSummary, /Unknown filter nodeType: cm:nonsense/);
  });

  test('orderBy, skipCount and maxItems page through the 10,000-file folder', async () => {
    const { status, body } = await find('term=item&orderBy=name%20DESC&skipCount=2&maxItems=3');

    assert.equal(status, 200);
    assert.deepEqual(body.list.entries.map(({ entry }) => entry.name), ['item 09998.csv', 'item 09997.txt', 'item 09996.json']);
    assert.deepEqual(body.list.pagination, { count: 3, hasMoreItems: true, totalItems: 10_000, skipCount: 2, maxItems: 3 });
  });

  test('an unknown orderBy field is a 400', async () => {
    const { status } = await find<ErrorBody>('term=budget&orderBy=size');

    assert.equal(status, 400);
  });

  test('include and fields shape the entries', async () => {
    const { body } = await find('term=budget.xls&include=path&fields=id,name');
    const [entry] = body.list.entries.map(({ entry: found }) => found);

    assert.deepEqual(Object.keys(entry!).sort(), ['id', 'name', 'path']);
    assert.equal(entry!.path!.name, '/Company Home/Sites/swsdp/documentLibrary/Budget Files');
  });
});
