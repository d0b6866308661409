import { expect } from '@open-wc/testing';
import { defaultConfig, type PickerConfig } from '../../src/core/picker-state.ts';
import { add, checkLimits, isSelectable, selectAll, selectOnly, selectRange, toggle, totalSize } from '../../src/core/selection.ts';
import { HOME_ITEMS } from '../../stories/fixtures/browse.ts';
import type { BrowseItem } from '../../src/protocol/browse.ts';

const items = [...HOME_ITEMS];
const byName = (name: string): BrowseItem => items.find((item) => item.name === name)!;
const names = (selection: BrowseItem[]) => selection.map((item) => item.name);
const config = (patch: Partial<PickerConfig> = {}): PickerConfig => ({ ...defaultConfig(), multiple: true, maxFiles: 10, ...patch });
const elsewhere: BrowseItem = { id: 'other', name: 'elsewhere.txt', isFolder: false, mimetype: 'text/plain', size: 10, modified: '2026-01-01T00:00:00Z', canWrite: true };

describe('selection', () => {
  it('selects one item on a plain click, replacing what was selected', () => {
    const result = selectOnly([byName('grass.jpg'), elsewhere], byName('header.png'), config());
    expect(names(result.selection)).to.deep.equal(['header.png']);
    expect(result.refused).to.equal(undefined);
  });

  it('toggles items in and out, keeping the order they were chosen in', () => {
    let selection = toggle([], byName('header.png'), config()).selection;
    selection = toggle(selection, byName('grass.jpg'), config()).selection;
    expect(names(selection)).to.deep.equal(['header.png', 'grass.jpg']);
    selection = toggle(selection, byName('header.png'), config()).selection;
    expect(names(selection)).to.deep.equal(['grass.jpg']);
  });

  it('keeps at most one item when multiple is off', () => {
    const single = config({ multiple: false, maxFiles: 1 });
    const once = toggle([], byName('header.png'), single).selection;
    const twice = toggle(once, byName('grass.jpg'), single);
    expect(names(twice.selection)).to.deep.equal(['grass.jpg']);
    expect(names(selectAll([], items, single).selection)).to.deep.equal([]);
    expect(selectAll([], items, single).refused).to.deep.equal({ kind: 'max-files', limit: 1 });
    expect(names(selectRange([], items, 2, 5, single).selection)).to.deep.equal(['header.png']);
  });

  it('selects a range from the anchor, keeping selections from other folders', () => {
    const result = selectRange([elsewhere, byName('grass.jpg')], items, 5, 2, config());
    expect(names(result.selection)).to.deep.equal(['elsewhere.txt', 'Project brief.pdf', 'Budget draft.xlsx', 'grass.jpg', 'header.png']);
  });

  it('leaves folders out unless folders may be picked', () => {
    expect(isSelectable(byName('Drafts'), config())).to.equal(false);
    expect(isSelectable(byName('Drafts'), config({ folders: true }))).to.equal(true);
    expect(names(selectRange([], items, 0, 2, config()).selection)).to.deep.equal(['Project brief.pdf']);
    expect(toggle([], byName('Drafts'), config()).refused).to.deep.equal({ kind: 'not-selectable', name: 'Drafts' });
  });

  it('selects nothing in export mode', () => {
    const exporting = config({ mode: 'export' });
    expect(isSelectable(byName('grass.jpg'), exporting)).to.equal(false);
    expect(selectOnly([], byName('grass.jpg'), exporting).selection).to.deep.equal([]);
    expect(selectAll([], items, exporting).selection).to.deep.equal([]);
  });

  it('selects all files of the folder, not its folders', () => {
    const result = selectAll([elsewhere], items, config());
    expect(result.selection).to.have.length(1 + items.filter((item) => !item.isFolder).length);
    expect(names(result.selection)).not.to.include('Drafts');
  });

  it('refuses more than maxFiles and leaves the selection unchanged', () => {
    const limited = config({ maxFiles: 2 });
    const two = [byName('grass.jpg'), byName('header.png')];
    const result = toggle(two, byName('Project brief.pdf'), limited);
    expect(result.selection).to.equal(two);
    expect(result.refused).to.deep.equal({ kind: 'max-files', limit: 2 });
    expect(selectAll([], items, limited).refused).to.deep.equal({ kind: 'max-files', limit: 2 });
  });

  it('refuses a file larger than maxSize, and a total larger than maxSize', () => {
    const limited = config({ maxSize: 2_000_000 });
    expect(toggle([], byName('big.iso'), limited).refused).to.deep.equal({ kind: 'file-too-large', name: 'big.iso', limit: 2_000_000 });
    const result = toggle([byName('grass.jpg')], byName('header.png'), limited);
    expect(result.refused).to.deep.equal({ kind: 'total-too-large', limit: 2_000_000 });
    expect(names(result.selection)).to.deep.equal(['grass.jpg']);
    expect(checkLimits([byName('Site visit notes.txt')], limited)).to.equal(undefined);
  });

  it('adds an item once (opening a file twice keeps it selected)', () => {
    const once = add([], byName('grass.jpg'), config()).selection;
    expect(add(once, byName('grass.jpg'), config()).selection).to.equal(once);
    expect(totalSize(once)).to.equal(1_830_000);
  });
});
