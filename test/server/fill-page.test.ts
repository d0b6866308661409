import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fillPage, type FetchPage } from '../../companion/src/browse/listing.ts';
import type { SourceItem } from '../../companion/src/providers/provider.ts';

/** A folder of `names` served the way Alfresco pages children, recording each upstream call. */
function folder(names: string[]) {
  const calls: Array<[skip: number, max: number]> = [];
  const fetchPage: FetchPage = async (skip, max) => {
    calls.push([skip, max]);
    const entries = names.slice(skip, skip + max).map((name) => ({ id: name, name, isFolder: false }) as SourceItem);
    return { entries, hasMore: skip + max < names.length };
  };
  return { calls, fetchPage };
}

const numbered = (count: number, name = (i: number) => `file ${i}.txt`) => Array.from({ length: count }, (_, i) => name(i));
const all = () => true;
const pdfs = (item: SourceItem) => item.name.endsWith('.pdf');

describe('fillPage', () => {
  test('without a filter, a full page costs one upstream call and its cursor comes from hasMoreItems', async () => {
    const { calls, fetchPage } = folder(numbered(10_000));
    const page = await fillPage(fetchPage, { start: 0, pageSize: 1000, maxPageSize: 1000 }, all, false);
    assert.equal(page.items.length, 1000);
    assert.equal(page.next, 1000);
    assert.deepEqual(calls, [[0, 1000]]);
  });

  test('without a filter, the last page gives no cursor, also when it ends exactly at the page size', async () => {
    for (const count of [2500, 3000]) {
      const { calls, fetchPage } = folder(numbered(count));
      const page = await fillPage(fetchPage, { start: 2000, pageSize: 1000, maxPageSize: 1000 }, all, false);
      assert.equal(page.items.length, count - 2000);
      assert.equal(page.next, undefined, `${count} items`);
      assert.equal(calls.length, 1);
    }
  });

  test('with a filter, pages are filled across upstream pages and the cursor points at the next match', async () => {
    const { calls, fetchPage } = folder(numbered(5000, (i) => `file ${i}.${(i + 1) % 50 === 0 ? 'pdf' : 'txt'}`));
    const page = await fillPage(fetchPage, { start: 0, pageSize: 10, maxPageSize: 1000 }, pdfs, true);
    assert.deepEqual(page.items.map((node) => node.name).slice(0, 2), ['file 49.pdf', 'file 99.pdf']);
    assert.equal(page.items.length, 10);
    assert.equal(page.next, 549, 'the 11th PDF');
    const rest = await fillPage(fetchPage, { start: page.next, pageSize: 1000, maxPageSize: 1000 }, pdfs, true);
    assert.equal(rest.items.length, 90);
    assert.equal(rest.next, undefined);
    assert.ok(calls.length >= 3);
  });

  test('with a filter and no match at all, the page is empty and has no cursor', async () => {
    const { fetchPage } = folder(numbered(3000));
    const page = await fillPage(fetchPage, { start: 0, pageSize: 100, maxPageSize: 1000 }, pdfs, true);
    assert.deepEqual(page, { items: [], next: undefined, upstreamCalls: 4 });
  });
});
