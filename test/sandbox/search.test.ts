import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RunningSandbox } from '../../src/sandbox/sandbox.ts';
import { assertConforms } from '../helpers/alfresco-spec.ts';
import { basic, startTestSandbox } from '../helpers/sandbox.ts';

const SEARCH = '/alfresco/api/-default-/public/search/versions/1';

interface ResultSetPaging {
  list: {
    pagination: { count: number; hasMoreItems: boolean; totalItems: number; skipCount: number; maxItems: number };
    context: Record<string, unknown>;
    entries: Array<{ entry: { id: string; name: string; nodeType: string; content?: { mimeType: string }; path?: { name: string }; search: { score: number } } }>;
  };
}
interface ErrorBody { error: { statusCode: number; errorKey: string; briefSummary: string } }

const users = { admin: basic('admin', 'admin'), mjackson: basic('mjackson', 'mjackson'), abeecher: basic('abeecher', 'abeecher') };
const LIBRARY = 'Sites/swsdp/documentLibrary';

describe('sandbox: search API (AFTS subset)', () => {
  let sandbox: RunningSandbox;
  const ref = (path: string): string => {
    const { repository, ids } = sandbox.state;
    return `workspace://SpacesStore/${repository.resolve(repository.get(ids.companyHome)!, path)!.id}`;
  };
  const search = async <T = ResultSetPaging>(body: unknown, user: keyof typeof users | null = 'admin'): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${sandbox.url}${SEARCH}/search`, {
      method: 'POST',
      headers: { ...(user ? { Authorization: users[user] } : {}), 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as T };
  };
  const names = async (query: string, user: keyof typeof users = 'admin'): Promise<string[]> => {
    const { status, body } = await search({ query: { query }, paging: { maxItems: 1000 } }, user);
    assert.equal(status, 200, JSON.stringify(body));
    return body.list.entries.map(({ entry }) => entry.name).sort();
  };

  before(async () => (sandbox = await startTestSandbox()));
  after(() => sandbox.close());

  test('answers a ResultSetPaging with a score per entry', async () => {
    const { status, body } = await search({ query: { query: 'cm:name:"budget*"', language: 'afts' } });

    assert.equal(status, 200);
    assertConforms('search', status, body);
    assert.deepEqual(body.list.entries.map(({ entry }) => entry.search), [{ score: 1 }, { score: 1 }, { score: 1 }]);
  });

  test('cm:name matches words, with wildcards and phrases; name: is the same field', async () => {
    assert.deepEqual(await names('cm:name:"budget*"'), ['Budget Files', 'Budget draft.xlsx', 'budget.xls']);
    assert.deepEqual(await names('name:budget'), ['Budget Files', 'Budget draft.xlsx', 'budget.xls']);
    assert.deepEqual(await names('cm:name:"budget.xls"'), ['budget.xls']);
    assert.deepEqual(await names('@cm:name:budg'), []);
    assert.deepEqual(await names('cm:name:"wind?ill*"'), ['windmill.png']);
  });

  test('a plain word matches names and titles', async () => {
    assert.deepEqual(await names('windmill'), ['windmill.png']);
    assert.deepEqual(await names('"Green Energy"'), ['Project Contract.pdf']);
  });

  test('TYPE keeps a type and its subtypes; PARENT keeps a folder’s children', async () => {
    const images = `${LIBRARY}/Agency Files/Images`;

    assert.equal((await names(`TYPE:"cm:content" AND PARENT:"${ref(images)}"`)).length, 11);
    assert.deepEqual(await names(`+TYPE:"cm:folder" +PARENT:"${ref(`${LIBRARY}/Agency Files`)}"`), ['Contracts', 'Images', 'Logo Files', 'Mock-Ups', 'Video Files']);
    assert.deepEqual(await names(`TYPE:"cm:folder" AND PARENT:"${ref('Sites')}"`), ['board-room', 'swsdp']);
    assert.deepEqual(await names(`EXACTTYPE:"st:site"`, 'abeecher'), ['swsdp']);
  });

  test('ANCESTOR keeps a subtree; cm:content.mimetype takes an exact type or a wildcard', async () => {
    const inLibrary = `ANCESTOR:"${ref(LIBRARY)}"`;

    assert.equal((await names(`${inLibrary} AND cm:content.mimetype:"image/*"`)).length, 18);
    assert.deepEqual(await names(`${inLibrary} AND cm:content.mimetype:"image/jpeg" AND cm:name:w*`), ['wind turbine.JPG', 'wires.JPG']);
    assert.deepEqual(await names(`${inLibrary} AND cm:content.mimetype:video/mp4`), ['WebSiteReview.mp4']);
  });

  test('+ and - prefixes, NOT, OR and parentheses combine terms', async () => {
    const logos = ref(`${LIBRARY}/Agency Files/Logo Files`);
    const mockUps = ref(`${LIBRARY}/Agency Files/Mock-Ups`);
    const budget = ref(`${LIBRARY}/Budget Files`);

    assert.deepEqual(await names(`PARENT:"${logos}" OR PARENT:"${mockUps}"`), ['GE Logo.png', 'logo.png', 'sample 1.png', 'sample 2.png', 'sample 3.png']);
    assert.deepEqual(await names(`(PARENT:"${logos}" OR PARENT:"${mockUps}") AND -cm:name:sample`), ['GE Logo.png', 'logo.png']);
    assert.deepEqual(await names(`+ANCESTOR:"${budget}" +TYPE:"cm:content" -cm:content.mimetype:"image/*"`), ['budget.xls']);
    assert.deepEqual(await names(`ANCESTOR:"${budget}" AND NOT TYPE:"cm:folder" AND NOT cm:name:budget`), ['inv I200-109.png', 'inv I200-189.png']);
  });

  test('only nodes the user can read', async () => {
    assert.deepEqual(await names('cm:name:"board*"', 'abeecher'), []);
    assert.deepEqual(await names('cm:name:"board*"', 'mjackson'), ['Board minutes 2011-03.pdf', 'board-room']);
    assert.deepEqual(await names('cm:name:"item 00042*"', 'mjackson'), []);
    assert.deepEqual(await names('cm:name:"item 00042*"', 'admin'), ['item 00042.json']);
  });

  test('paging, sort and include', async () => {
    const { body } = await search({
      query: { query: `TYPE:"cm:content" AND PARENT:"${ref(`${LIBRARY}/Agency Files/Images`)}"` },
      paging: { maxItems: 3, skipCount: 1 },
      sort: [{ type: 'FIELD', field: 'cm:name', ascending: false }],
      include: ['path', 'allowableOperations'],
    });

    assertConforms('search', 200, body);
    assert.deepEqual(body.list.entries.map(({ entry }) => entry.name), ['windmill.png', 'wind turbine.JPG', 'turbine.JPG']);
    assert.deepEqual(body.list.pagination, { count: 3, hasMoreItems: true, totalItems: 11, skipCount: 1, maxItems: 3 });
    assert.equal(body.list.entries[0]!.entry.path!.name, '/Company Home/Sites/swsdp/documentLibrary/Agency Files/Images');
  });

  test('filterQueries narrow the results; includeRequest echoes the request', async () => {
    const request = { query: { query: 'cm:name:"budget*"' }, filterQueries: [{ query: 'TYPE:"cm:content"' }], includeRequest: true };
    const { body } = await search(request);

    assert.deepEqual(body.list.entries.map(({ entry }) => entry.name).sort(), ['Budget draft.xlsx', 'budget.xls']);
    assert.deepEqual(body.list.context.request, request);
  });

  test('the 10,000-file folder is searched whole', async () => {
    const { body } = await search({ query: { query: `+PARENT:"${ref('User Homes/admin/Many Files')}" +cm:content.mimetype:"application/json"` }, paging: { maxItems: 1 } });

    assert.equal(body.list.pagination.totalItems, 3333);
  });

  test('syntax outside the subset is a 400 that names it', async () => {
    const refused = async (query: string, pattern: RegExp): Promise<void> => {
      const { status, body } = await search<ErrorBody>({ query: { query } });
      assertConforms('search', status, body, query);
      assert.equal(status, 400, query);
      assert.equal(body.error.errorKey, 'framework.exception.InvalidArgument');
      assert.match(body.error.briefSummary, pattern, query);
    };

    await refused('cm:created:[2011-01-01 TO NOW]', /ranges/);
    await refused('TEXT:budget', /field "TEXT"/);
    await refused('cm:creator:admin', /field "cm:creator"/);
    await refused('budget~', /fuzzy/);
    await refused('budget^2', /boosts/);
    await refused('cm:name:(budget logo)', /Field groups/);
    await refused('(budget', /closing parenthesis/);
    await refused('budget)', /Unbalanced/);
    await refused('"budget', /Unterminated/);
    await refused('', /term was expected/);
  });

  test('request features outside the subset are a 400 too', async () => {
    const cmis = await search<ErrorBody>({ query: { query: 'select * from cmis:document', language: 'cmis' } });
    const facets = await search<ErrorBody>({ query: { query: 'budget' }, facetFields: { facets: [{ field: 'creator' }] } });
    const noQuery = await search<ErrorBody>({ paging: { maxItems: 1 } });
    const badSort = await search<ErrorBody>({ query: { query: 'budget' }, sort: [{ type: 'FIELD', field: 'cm:creator' }] });
    const badPaging = await search<ErrorBody>({ query: { query: 'budget' }, paging: { maxItems: 0 } });

    assert.equal(cmis.status, 400);
    assert.match(cmis.body.error.briefSummary, /afts/);
    assert.equal(facets.status, 400);
    assert.match(facets.body.error.briefSummary, /facetFields/);
    assert.equal(noQuery.status, 400);
    assert.equal(badSort.status, 400);
    assert.equal(badPaging.status, 400);
  });

  test('search needs a signed-in user', async () => {
    const { status } = await search<ErrorBody>({ query: { query: 'budget' } }, null);

    assert.equal(status, 401);
  });
});
