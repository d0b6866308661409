import { expect } from '@open-wc/testing';
import { connected, connectionLost, initialPickerState, type PickerState } from '../../src/core/picker-state.ts';
import type { BrowseItem } from '../../src/protocol/browse.ts';

const ITEM: BrowseItem = { id: 'n1', name: 'grass.jpg', isFolder: false, mimetype: 'image/jpeg', size: 3, modified: '2024-01-01T00:00:00.000Z', canWrite: false };
const MIKE = { session: 's1', user: { id: 'mjackson', name: 'Mike Jackson' } };

const apply = (state: PickerState, patch: Partial<PickerState>): PickerState => ({ ...state, ...patch });

describe('a lost connection', () => {
  const browsing: PickerState = { ...initialPickerState(), connection: MIKE, folderId: 'images', selection: [ITEM] };

  it('signs out, keeping the folder and the selection aside', () => {
    const lost = apply(browsing, connectionLost(browsing));
    expect(lost).to.include({ connection: null, folderId: null, folder: null });
    expect(lost.selection).to.deep.equal([]);
    expect(lost.resumable).to.deep.equal({ userId: 'mjackson', folderId: 'images', selection: [ITEM] });
  });

  it('the same person connecting again gets them back', () => {
    const lost = apply(browsing, connectionLost(browsing));
    const back = apply(lost, connected(lost, { ...MIKE, session: 's2' }));
    expect(back).to.include({ folderId: 'images', resumable: null });
    expect(back.selection).to.deep.equal([ITEM]);
  });

  it('another person connecting starts afresh', () => {
    const lost = apply(browsing, connectionLost(browsing));
    const other = apply(lost, connected(lost, { session: 's3', user: { id: 'abeecher', name: 'Alice' } }));
    expect(other).to.include({ folderId: null, resumable: null });
    expect(other.selection).to.deep.equal([]);
  });

  it('losing it twice keeps what the first loss kept', () => {
    const lost = apply(browsing, connectionLost(browsing));
    expect(apply(lost, connectionLost(lost)).resumable).to.deep.equal(lost.resumable);
  });
});
