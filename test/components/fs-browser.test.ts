import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import type { FsNavigateEvent } from '../../src/events/fs-navigate.ts';
import type * as v from 'valibot';
import { CompanionClient, type RequestOptions } from '../../src/api/transport/client.ts';
import { storeWith } from '../../stories/fixtures/context.ts';
import { stackSession, stackUrls } from '../helpers/stack.ts';
import { BrowserHarness } from './browser-define.ts';

describe('<fs-browser> against the real companion', function () {
  this.timeout(30000);

  it('lists the locations, including the swsdp site', async () => {
    const harness = await BrowserHarness.real('mjackson');
    await harness.locationsLoaded();

    const names = harness.locations().map((button) => button.textContent.trim());
    expect(names).to.include.members(['My Files', 'Shared Files', 'Sample: Web Site Design Project']);
    await harness.loaded();
    expect(harness.location('My Files').getAttribute('aria-current')).to.equal('true');
  });

  it('opens the swsdp document library and a folder in it through the UI', async () => {
    const harness = await BrowserHarness.real('mjackson');
    await harness.locationsLoaded();
    await harness.loaded();

    const next = oneEvent<FsNavigateEvent>(harness.browser, 'fs-navigate');
    harness.location('Sample: Web Site Design Project').click();
    const { detail } = await next;
    expect(detail.name).to.equal('documentLibrary');
    await harness.folderShown('documentLibrary');
    expect(harness.names()).to.include.members(['Agency Files', 'Budget Files', 'Meeting Notes', 'Presentations']);
    expect(harness.location('Sample: Web Site Design Project').getAttribute('aria-current')).to.equal('true');

    await harness.openFolder('Agency Files');
    expect(harness.crumbs()).to.deep.equal(['documentLibrary', 'Agency Files']);
    expect(harness.root.querySelector('[aria-current="location"]')?.textContent.trim()).to.equal('Agency Files');
    expect(harness.store.getState().folder?.name).to.equal('Agency Files');
  });
});

describe('<fs-browser> filter, large folders and limits', function () {
  this.timeout(40000);

  /** Opens the swsdp library from the locations and then `folders`, one after the other. */
  async function openInSite(harness: BrowserHarness, ...folders: string[]): Promise<void> {
    await harness.locationsLoaded();
    await harness.loaded();
    harness.location('Sample: Web Site Design Project').click();
    await harness.folderShown('documentLibrary');
    for (const folder of folders) await harness.openFolder(folder);
  }

  it('offers only folders and files that match accept', async () => {
    const harness = await BrowserHarness.real('mjackson', { config: { accept: ['image/*'] } });
    await openInSite(harness);
    const shownInLibrary = harness.options().map((option) => option.getAttribute('data-id'));
    expect(shownInLibrary.length).to.be.greaterThan(0);
    // budget.xls and the meeting notes are not images: only folders are listed at the top level.
    expect(harness.names()).to.deep.equal(['Agency Files', 'Budget Files', 'Meeting Notes', 'Presentations']);

    await harness.openFolder('Agency Files');
    await harness.openFolder('Images');
    expect(harness.names()).to.include.members(['coins.JPG', 'grass.jpg', 'header.png', 'windmill.png']);
    expect(harness.names().every((name) => /\.(jpe?g|png)$/i.test(name))).to.equal(true);
    // Thumbnails load lazily from the companion's signed URLs.
    const thumbnail = harness.option('grass.jpg').querySelector('img')!;
    expect(thumbnail.getAttribute('loading')).to.equal('lazy');
    expect(thumbnail.src).to.contain('/api/alfresco/thumbnails/');
    await waitUntil(() => thumbnail.complete && thumbnail.naturalWidth > 0, 'the thumbnail did not load', { timeout: 8000 });
  });

  it('says that nothing matches when a folder holds no matching file', async () => {
    const harness = await BrowserHarness.real('mjackson', { config: { accept: ['image/*'] } });
    await openInSite(harness);
    harness.option('Meeting Notes').dispatchEvent(new MouseEvent('dblclick', { bubbles: true }));
    await waitUntil(() => harness.stateText().includes('No files here match image/*'), `no empty message: ${harness.stateText()}`, { timeout: 8000 });
    await expect(harness.browser).to.be.accessible();
  });

  it('keeps about a screenful of rows for 10,000 items and loads more on scroll', async () => {
    const harness = await BrowserHarness.real('admin');
    await harness.loaded();
    await harness.openFolder('Many Files');

    expect(harness.options().length).to.be.greaterThan(5);
    expect(harness.options().length).to.be.lessThan(60);
    expect(harness.options()[0]!.getAttribute('aria-setsize')).to.equal('-1');
    await waitUntil(() => harness.announced().includes('Loaded 100 items'), `announced: ${harness.announced()}`);

    const scroller = harness.root.querySelector<HTMLElement>('.scroller')!;
    // Keep the list scrolled to its end until the next page arrives: under load the virtualizer may lay
    // out again after the first scroll, and only a scroll near the end asks for more.
    await waitUntil(
      () => {
        scroller.scrollTop = scroller.scrollHeight;
        return harness.options().some((option) => Number(option.getAttribute('aria-posinset')) > 100);
      },
      'no second page after scrolling',
      { timeout: 15000 },
    );
    expect(harness.options().length).to.be.lessThan(60);
    await waitUntil(() => harness.announced().includes('Loaded 600 items'), `announced: ${harness.announced()}`);
  });

  it('refuses more files than maxFiles and says why', async () => {
    const harness = await BrowserHarness.real('mjackson', { config: { multiple: true, maxFiles: 2 } });
    await openInSite(harness, 'Agency Files', 'Images');
    const click = (name: string) => harness.option(name).dispatchEvent(new MouseEvent('click', { bubbles: true, ctrlKey: true }));

    click('coins.JPG');
    click('grass.jpg');
    await harness.browser.updateComplete;
    click('header.png');
    await harness.browser.updateComplete;

    expect(harness.selectedNames()).to.deep.equal(['coins.JPG', 'grass.jpg']);
    expect(harness.notice()).to.equal('You can choose up to 2 files.');
    expect(harness.option('header.png').getAttribute('aria-selected')).to.equal('false');
    expect(harness.option('grass.jpg').getAttribute('aria-selected')).to.equal('true');
  });

  it('cancels the request for folder A when folder B is opened', async () => {
    const { companion, apiKey } = await stackUrls();
    const { session, user } = await stackSession('mjackson');
    const signals: AbortSignal[] = [];
    /** The real client, with folder A's answer held back until it is cancelled. */
    class SlowForA extends CompanionClient {
      override async request<S extends v.GenericSchema>(path: string, schema: S, options: RequestOptions = {}): Promise<v.InferOutput<S>> {
        if (path.endsWith('/-shared-')) {
          signals.push(options.signal!);
          await new Promise((resolve, reject) => {
            setTimeout(resolve, 3000);
            options.signal?.addEventListener('abort', () => reject(options.signal!.reason as Error));
          });
        }
        return super.request(path, schema, options);
      }
    }
    const store = storeWith({ connection: { session, user }, folderId: '-shared-' });
    const harness = await BrowserHarness.render(new SlowForA({ server: companion, apiKey }), store);
    await waitUntil(() => signals.length === 1, 'folder A was not requested');
    expect(harness.stateText()).to.contain('Loading');

    store.setState({ folderId: '-my-' });

    await harness.folderShown('mjackson');
    expect(signals[0]!.aborted).to.equal(true);
    expect(harness.names()).to.include('Site visit notes.txt');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(harness.store.getState().folder?.name).to.equal('mjackson');
  });
});
