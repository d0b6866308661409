import { expect } from '@open-wc/testing';
import { appendPage, startListing, wantsMore } from '../../src/core/listing.ts';
import { HOME, manyItems } from '../../stories/fixtures/browse.ts';

describe('listing', () => {
  it('starts with the first page and its cursor', () => {
    const listing = startListing({ items: manyItems(100), nextCursor: 'c1' }, HOME);
    expect(listing.items).to.have.length(100);
    expect(listing.nextCursor).to.equal('c1');
    expect(listing.folder).to.equal(HOME);
  });

  it('appends the page asked for with the current cursor', () => {
    const first = startListing({ items: manyItems(100), nextCursor: 'c1' }, HOME);
    const second = appendPage(first, 'c1', { items: manyItems(100, 100), nextCursor: 'c2' });
    expect(second.items).to.have.length(200);
    expect(second.items[100]!.name).to.equal('item 00101.txt');
    const last = appendPage(second, 'c2', { items: manyItems(5, 200) });
    expect(last.items).to.have.length(205);
    expect(last.nextCursor).to.equal(undefined);
  });

  it('ignores a late or repeated page', () => {
    const first = startListing({ items: manyItems(100), nextCursor: 'c1' }, HOME);
    const second = appendPage(first, 'c1', { items: manyItems(100, 100), nextCursor: 'c2' });
    expect(appendPage(second, 'c1', { items: manyItems(100, 100), nextCursor: 'c2' })).to.equal(second);
    const done = startListing({ items: manyItems(3) }, HOME);
    expect(appendPage(done, 'c1', { items: manyItems(3, 3) })).to.equal(done);
  });

  it('drops items a page repeats', () => {
    const first = startListing({ items: manyItems(10), nextCursor: 'c1' }, HOME);
    expect(appendPage(first, 'c1', { items: manyItems(10, 5) }).items).to.have.length(15);
  });

  it('wants the next page when the last visible item nears the end', () => {
    const listing = startListing({ items: manyItems(100), nextCursor: 'c1' }, HOME);
    expect(wantsMore(listing, 10)).to.equal(false);
    expect(wantsMore(listing, 70)).to.equal(true);
    expect(wantsMore(startListing({ items: manyItems(100) }, HOME), 99)).to.equal(false);
  });
});
