import { expect } from '@open-wc/testing';
import { chooseService, connected, connectionLost, initialPickerState, opened, type PickerState } from '../../src/core/picker-state.ts';
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

describe('several repositories', () => {
  const onAlfresco: PickerState = { ...initialPickerState(), open: true, currentService: 'ALFRESCO', connection: MIKE, folderId: 'images', selection: [ITEM] };
  const DAV = { session: 'd1', user: { id: 'mike', name: 'mike' } };

  it('going to WebDAV shows its own, empty view; the Alfresco one is put aside', () => {
    const dav = apply(onAlfresco, chooseService(onAlfresco, 'WEBDAV'));
    expect(dav).to.include({ currentService: 'WEBDAV', repository: 'WEBDAV', connection: null, folderId: null });
    expect(dav.selection).to.deep.equal([]);
    expect(dav.others.ALFRESCO).to.deep.include({ connection: MIKE, folderId: 'images' });
  });

  it('coming back to Alfresco finds its connection, folder and selection; WebDAV keeps its own', () => {
    const dav = apply(onAlfresco, chooseService(onAlfresco, 'WEBDAV'));
    const signedIn = apply(dav, connected(dav, DAV));
    const back = apply(signedIn, chooseService(signedIn, 'ALFRESCO'));
    expect(back).to.include({ repository: 'ALFRESCO', connection: MIKE, folderId: 'images' });
    expect(back.selection).to.deep.equal([ITEM]);
    expect(back.others.WEBDAV?.connection).to.deep.equal(DAV);
    expect(back.others.ALFRESCO).to.equal(undefined);
  });

  it('My Computer and Link leave the repository as it is', () => {
    const computer = apply(onAlfresco, chooseService(onAlfresco, 'COMPUTER'));
    expect(computer).to.include({ currentService: 'COMPUTER', repository: 'ALFRESCO', connection: MIKE });
  });

  it('opening to CMIS switches to it; reopening without openTo goes back to the repository signed in to', () => {
    const closed = { ...onAlfresco, open: false, currentService: null, config: { ...onAlfresco.config, services: [] } };
    const cmis = apply(closed, opened(closed, 'CMIS'));
    expect(cmis).to.include({ currentService: 'CMIS', repository: 'CMIS', connection: null });
    const again = apply(closed, opened(closed, ''));
    expect(again).to.include({ currentService: 'ALFRESCO', connection: MIKE });
  });

  it('a source the call does not offer is not where it opens: a save after a pick from WebDAV', () => {
    const leftOnDav = { ...onAlfresco, open: false, currentService: 'WEBDAV' as const, config: { ...onAlfresco.config, mode: 'export' as const, services: ['ALFRESCO' as const, 'CMIS' as const] } };
    expect(apply(leftOnDav, opened(leftOnDav, ''))).to.include({ currentService: 'ALFRESCO', connection: MIKE });
  });
});
