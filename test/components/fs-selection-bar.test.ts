import { expect, fixture, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/define.ts';
import '../../src/views.ts';
import * as stories from '../../stories/fs-selection-bar.stories.ts';
import { CompanionClient } from '../../src/api/transport/client.ts';
import type { FsSelectionBar } from '../../src/components/fs-selection-bar/fs-selection-bar.ts';
import type { PickerState } from '../../src/core/picker-state.ts';
import type { Store } from '../../src/core/store.ts';
import type { FsErrorEvent } from '../../src/events/fs-error.ts';
import type { FsPickEvent } from '../../src/events/fs-pick.ts';
import type { BrowseItem, BrowseLocation } from '../../src/protocol/browse.ts';
import { storeWith } from '../../stories/fixtures/context.ts';
import { mountView, pickingFolderClient, reconnectClient, SELECTION_STATES, STORY_CONNECTION } from '../../stories/fixtures/uploads.ts';
import { stackSession, stackUrls, type StackSession } from '../helpers/stack.ts';

interface Rendered {
  bar: FsSelectionBar;
  store: Store<PickerState>;
}

async function render(client: CompanionClient, store: Store<PickerState>): Promise<Rendered> {
  const mounted = mountView('fs-selection-bar', { client, store });
  await fixture(mounted.context);
  return { bar: await mounted.ready, store };
}

const part = (bar: FsSelectionBar, name: string) => bar.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
const text = (element: Element | null) => element?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

/** The items of a folder in the swsdp site's document library, by path, as the companion lists them. */
async function swsdpFolder(client: CompanionClient, session: string, path: string[]): Promise<BrowseItem[]> {
  const { locations } = (await (await client.fetch('/api/alfresco/locations', { session })).json()) as { locations: BrowseLocation[] };
  let folderId = locations.find((location) => location.siteId === 'swsdp')!.id;
  for (const name of [...path, undefined]) {
    const { items } = (await (await client.fetch(`/api/alfresco/folders/${folderId}`, { session, query: { pageSize: 1000 } })).json()) as { items: BrowseItem[] };
    if (name === undefined) return items;
    folderId = items.find((item) => item.name === name)!.id;
  }
  throw new Error('unreachable');
}

describe('<fs-selection-bar> with the real companion', () => {
  let client: CompanionClient;
  let signedIn: StackSession;
  let images: BrowseItem[];

  before(async () => {
    const { companion, apiKey } = await stackUrls();
    client = new CompanionClient({ server: companion, apiKey });
    signedIn = await stackSession('mjackson');
    images = await swsdpFolder(client, signedIn.session, ['Agency Files', 'Images']);
  });

  const connection = () => ({ session: signedIn.session, user: { id: signedIn.user.id, name: signedIn.user.name } });

  it('picks two selected files; their links download the exact bytes', async () => {
    const two = [images.find((item) => item.name === 'header.png')!, images.find((item) => item.name === 'grass.jpg')!];
    const { bar } = await render(client, storeWith({ connection: connection(), selection: two, config: { multiple: true, maxFiles: 10 } }));

    expect(text(part(bar, 'summary'))).to.match(/^2 files selected, /);
    const button = part(bar, 'select-button')!;
    expect(text(button)).to.equal('Select 2 files');
    expect(button.getAttribute('aria-disabled')).to.equal('false');
    await expect(bar).to.be.accessible();

    const picked = oneEvent<FsPickEvent>(bar, 'fs-pick');
    button.click();
    const { blobs } = (await picked).detail;

    expect(blobs.map((blob) => [blob.filename, blob.mimetype, blob.size, blob.source, blob.client, blob.id])).to.deep.equal([
      ['header.png', 'image/png', two[0]!.size, 'ALFRESCO', 'Alfresco', 0],
      ['grass.jpg', 'image/jpeg', two[1]!.size, 'ALFRESCO', 'Alfresco', 1],
    ]);
    const [png, jpeg] = await Promise.all(blobs.map(async (blob) => new Uint8Array(await (await fetch(blob.url)).arrayBuffer())));
    expect(png!.length).to.equal(two[0]!.size);
    expect([...png!.slice(0, 8)]).to.deep.equal([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(jpeg!.length).to.equal(two[1]!.size);
    expect([...jpeg!.slice(0, 3)]).to.deep.equal([0xff, 0xd8, 0xff]);
  });

  it('says how many files are still needed below min-files, and the button refuses', async () => {
    const { bar } = await render(client, storeWith({ connection: connection(), selection: [images[0]!], config: { multiple: true, maxFiles: 10, minFiles: 2 } }));
    let picks = 0;
    bar.addEventListener('fs-pick', () => (picks += 1));

    const button = part(bar, 'select-button')!;
    const message = part(bar, 'message')!;
    expect(text(message)).to.equal('Choose at least 2 files');
    expect(button.getAttribute('aria-disabled')).to.equal('true');
    expect(button.getAttribute('aria-describedby')).to.equal(message.id);
    button.click();
    await bar.updateComplete;
    expect(picks).to.equal(0);
    await expect(bar).to.be.accessible();
  });

  it('shows progress while the companion expands a picked folder, then picks its files', async () => {
    const library = await swsdpFolder(client, signedIn.session, ['Agency Files']);
    const folder = library.find((item) => item.name === 'Images')!;
    const { bar } = await render(client, storeWith({ connection: connection(), selection: [folder], config: { multiple: true, maxFiles: 1000, folders: true } }));
    expect(text(part(bar, 'summary'))).to.equal('1 folder selected');

    const picked = oneEvent<FsPickEvent>(bar, 'fs-pick');
    part(bar, 'select-button')!.click();
    await bar.updateComplete;
    expect(text(part(bar, 'message'))).to.match(/Preparing the files…|Found \d+ files…/);
    expect(bar.shadowRoot!.querySelector('progress')?.getAttribute('aria-label')).to.equal('Preparing the files');

    const { blobs } = (await picked).detail;
    expect(blobs.map((blob) => blob.filename).sort()).to.deep.equal(images.filter((item) => !item.isFolder).map((item) => item.name).sort());
  });

  it('shows the companion’s message when a node cannot be picked', async () => {
    const gone: BrowseItem = { ...images[0]!, id: 'no-such-node-0000' };
    const { bar } = await render(client, storeWith({ connection: connection(), selection: [gone], config: { multiple: true, maxFiles: 10 } }));

    part(bar, 'select-button')!.click();

    await waitUntil(() => part(bar, 'message')?.getAttribute('role') === 'alert', 'no error shown');
    expect(text(part(bar, 'message'))).to.not.equal('');
    await expect(bar).to.be.accessible();
  });

  it('Cancel tells the picker to close', async () => {
    const { bar } = await render(client, storeWith({ connection: connection(), selection: [], config: { multiple: true, maxFiles: 10 } }));
    expect(text(part(bar, 'message'))).to.equal('Choose a file');
    const cancelled = oneEvent(bar, 'fs-cancel');

    part(bar, 'cancel-button')!.focus();
    await sendKeys({ press: 'Enter' });

    await cancelled;
  });
});

describe('<fs-selection-bar> states the server cannot easily produce', () => {
  it('shows "Found 42 files…" and Stop aborts the pick', async () => {
    const { bar } = await render(pickingFolderClient, storeWith({ ...SELECTION_STATES.folder, connection: STORY_CONNECTION }));
    part(bar, 'select-button')!.click();

    await waitUntil(() => text(part(bar, 'message')).includes('Found 42 files…'), 'no progress shown');
    expect(part(bar, 'select-button')!.getAttribute('aria-disabled')).to.equal('true');
    await expect(bar).to.be.accessible();

    let cancels = 0;
    bar.addEventListener('fs-cancel', () => (cancels += 1));
    const stop = part(bar, 'cancel-button')!;
    expect(text(stop)).to.equal('Stop');
    stop.click();

    await waitUntil(() => !text(part(bar, 'message')).includes('Found'), 'the progress stayed');
    expect(cancels).to.equal(0);
    expect(text(part(bar, 'cancel-button'))).to.equal('Cancel');
  });

  it('signs out when the connection expired', async () => {
    const store = storeWith({ ...SELECTION_STATES.two, connection: STORY_CONNECTION });
    const { bar } = await render(reconnectClient, store);
    const failed = oneEvent<FsErrorEvent>(bar, 'fs-error');

    part(bar, 'select-button')!.click();

    expect((await failed).detail.code).to.equal('FS_ERR_RECONNECT');
    expect(store.getState().connection).to.equal(null);
    expect(store.getState().selection).to.deep.equal([]);
  });

  it('is accessible in each documented state', async () => {
    for (const state of Object.values(SELECTION_STATES)) {
      const { bar } = await render(pickingFolderClient, storeWith({ ...state, connection: STORY_CONNECTION }));
      await expect(bar).to.be.accessible();
    }
  });
});

describe('<fs-selection-bar> stories', () => {
  it('every story renders and is accessible', async () => {
    const { default: _meta, ...all } = stories;
    for (const [name, story] of Object.entries(all)) {
      const render = (story as unknown as { render: (args: Record<string, never>) => HTMLElement }).render;
      const context = await fixture(render({}));
      const view = context.querySelector('fs-selection-bar')!;
      await waitUntil(() => view.isConnected && view.shadowRoot, `${name} did not render`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      await view.updateComplete;
      expect(view.shadowRoot!.childElementCount, name).to.be.greaterThan(0);
      await expect(view).to.be.accessible();
    }
  });
});
