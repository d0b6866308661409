import { expect } from '@open-wc/testing';
import { createTypeAhead, findByPrefix } from '../../src/core/type-ahead.ts';

const names = ['Agency Files', 'Budget Files', 'budget.xls', 'Café menu.txt', 'Meeting Notes', 'Presentations', 'Привет мир.txt'];

describe('type-ahead', () => {
  it('finds the next name with a prefix, wrapping, ignoring case and accents', () => {
    expect(findByPrefix(names, 'b', 0)).to.equal(1);
    expect(findByPrefix(names, 'b', 2)).to.equal(2);
    expect(findByPrefix(names, 'a', 4)).to.equal(0);
    expect(findByPrefix(names, 'cafe', 0)).to.equal(3);
    expect(findByPrefix(names, 'прив', 0)).to.equal(6);
    expect(findByPrefix(names, 'z', 0)).to.equal(-1);
  });

  it('builds a prefix from quick keystrokes and starts over after a pause', () => {
    const typeAhead = createTypeAhead(500);
    expect(typeAhead.type('b', names, 0, 1000)).to.equal(1);
    expect(typeAhead.type('u', names, 1, 1100)).to.equal(1);
    expect(typeAhead.type('d', names, 1, 1200)).to.equal(1);
    expect(typeAhead.type('g', names, 1, 1300)).to.equal(1);
    expect(typeAhead.type('e', names, 1, 1400)).to.equal(1);
    expect(typeAhead.type('t', names, 1, 1500)).to.equal(1);
    expect(typeAhead.type('.', names, 1, 1600)).to.equal(2);
    expect(typeAhead.typing(1700)).to.equal(true);
    expect(typeAhead.typing(3000)).to.equal(false);
    expect(typeAhead.type('m', names, 2, 3000)).to.equal(4);
  });

  it('cycles through names with the same first letter when it is typed again', () => {
    const typeAhead = createTypeAhead(500);
    expect(typeAhead.type('b', names, 0, 0)).to.equal(1);
    expect(typeAhead.type('b', names, 1, 100)).to.equal(2);
    expect(typeAhead.type('b', names, 2, 200)).to.equal(1);
  });
});
