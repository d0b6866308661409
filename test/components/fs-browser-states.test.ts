import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import type { TemplateResult } from 'lit';
import type { StoryObj } from '@storybook/web-components-vite';
import * as stories from '../../stories/fs-browser.stories.ts';
import { sendKeys } from '@web/test-runner-commands';
import type { FsErrorEvent } from '../../src/events/fs-error.ts';
import type { FsSelectionChangeEvent } from '../../src/events/fs-selection-change.ts';
import { browseClient, browseClients, HOME, HOME_ITEMS, RECONNECT_MESSAGE, signedInStore, UPSTREAM_MESSAGE } from '../../stories/fixtures/browse.ts';
import { FsError } from '../../src/protocol/errors.ts';
import { BrowserHarness } from './browser-define.ts';

/** The states the stories document, through the same fake clients. */
describe('<fs-browser> states', function () {
  this.timeout(20000);

  it('shows the list, accessible', async () => {
    const harness = await BrowserHarness.render(browseClients.loaded, signedInStore());
    await harness.loaded();
    expect(harness.names()).to.deep.equal(HOME_ITEMS.map((item) => item.name));
    expect(harness.listbox!.getAttribute('aria-activedescendant')).to.equal(harness.options()[0]!.id);
    expect(harness.options()[2]!.getAttribute('aria-posinset')).to.equal('3');
    expect(harness.options()[2]!.getAttribute('aria-setsize')).to.equal(String(HOME_ITEMS.length));
    await expect(harness.browser).to.be.accessible();
  });

  it('switches to the grid through the view buttons, and remembers it in the store', async () => {
    const harness = await BrowserHarness.render(browseClients.loaded, signedInStore());
    await harness.loaded();
    harness.root.querySelector<HTMLButtonElement>('button[data-view="grid"]')!.click();
    await waitUntil(() => harness.root.querySelector('.scroller.grid [role="option"]'), 'no grid');
    expect(harness.store.getState().viewMode).to.equal('grid');
    expect(harness.root.querySelector('button[data-view="grid"]')!.getAttribute('aria-pressed')).to.equal('true');
    await expect(harness.browser).to.be.accessible();
  });

  it('says when the folder is empty', async () => {
    const harness = await BrowserHarness.render(browseClients.empty, signedInStore());
    await waitUntil(() => harness.stateText().includes('This folder is empty.'), harness.stateText());
    await expect(harness.browser).to.be.accessible();
  });

  it('shows a loading state', async () => {
    const harness = await BrowserHarness.render(browseClients.loading, signedInStore());
    expect(harness.root.querySelector('.state')!.getAttribute('role')).to.equal('status');
    expect(harness.stateText()).to.contain('Loading');
    await expect(harness.browser).to.be.accessible();
  });

  it('shows an error with a retry that loads again', async () => {
    let calls = 0;
    const flaky = browseClient(async () => {
      calls += 1;
      if (calls === 1) throw new FsError('FS_ERR_UPSTREAM', UPSTREAM_MESSAGE);
      return { folder: HOME, items: [...HOME_ITEMS] };
    });
    const harness = await BrowserHarness.render(flaky, signedInStore());
    await waitUntil(() => harness.root.querySelector('[role="alert"]'), 'no error');
    expect(harness.stateText()).to.contain(UPSTREAM_MESSAGE);
    await expect(harness.browser).to.be.accessible();

    harness.root.querySelector<HTMLButtonElement>('.state button')!.click();
    await harness.loaded();
    expect(calls).to.equal(2);
  });

  it('signs out and reports the error when the connection has ended', async () => {
    const store = signedInStore();
    const harness = await BrowserHarness.render(browseClients.reconnect, store);
    const { detail } = await oneEvent<FsErrorEvent>(harness.browser, 'fs-error');
    expect(detail).to.deep.equal({ code: 'FS_ERR_RECONNECT', message: RECONNECT_MESSAGE });
    expect(store.getState().connection).to.equal(null);
    await harness.browser.updateComplete;
    expect(harness.stateText()).to.contain('Connect to Alfresco');
  });

  it('selects with clicks: one, Ctrl toggles, Shift extends; fires fs-selection-change', async () => {
    const harness = await BrowserHarness.render(browseClients.loaded, signedInStore({ config: { multiple: true, maxFiles: 10 } }));
    await harness.loaded();
    const click = (name: string, init: MouseEventInit = {}) => harness.option(name).dispatchEvent(new MouseEvent('click', { bubbles: true, ...init }));

    const changed = oneEvent<FsSelectionChangeEvent>(harness.browser, 'fs-selection-change');
    click('Project brief.pdf');
    expect((await changed).detail.selection.map((item) => item.name)).to.deep.equal(['Project brief.pdf']);
    click('grass.jpg', { shiftKey: true });
    expect(harness.selectedNames()).to.deep.equal(['Project brief.pdf', 'Budget draft.xlsx', 'grass.jpg']);
    click('Budget draft.xlsx', { ctrlKey: true });
    expect(harness.selectedNames()).to.deep.equal(['Project brief.pdf', 'grass.jpg']);
    click('header.png');
    expect(harness.selectedNames()).to.deep.equal(['header.png']);
    await expect(harness.browser).to.be.accessible();
  });

  it('names the file that is too large', async () => {
    const harness = await BrowserHarness.render(browseClients.loaded, signedInStore({ config: { multiple: true, maxFiles: 10, maxSize: 10_000_000 } }));
    await harness.loaded();
    harness.option('big.iso').dispatchEvent(new MouseEvent('click', { bubbles: true }));
    await harness.browser.updateComplete;
    expect(harness.notice()).to.equal('“big.iso” is larger than the 10 MB limit.');
    expect(harness.selectedNames()).to.deep.equal([]);
  });

  it('shows files but does not let them be chosen in export mode, and keeps the folder in the store', async () => {
    const harness = await BrowserHarness.render(browseClients.loaded, signedInStore({ config: { mode: 'export' } }));
    await harness.loaded();
    expect(harness.store.getState().folder).to.deep.equal(HOME);
    const file = harness.option('grass.jpg');
    expect(file.getAttribute('aria-disabled')).to.equal('true');
    expect(harness.option('Drafts').hasAttribute('aria-disabled')).to.equal(false);
    file.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    await harness.browser.updateComplete;
    expect(harness.selectedNames()).to.deep.equal([]);
    await expect(harness.browser).to.be.accessible();
  });

  it('replaces the listing with search results until the search is cleared', async () => {
    const seen: Record<string, unknown>[] = [];
    const client = browseClient(async (path, query) => {
      seen.push({ path, ...query });
      if (path === '/api/alfresco/search') return { items: HOME_ITEMS.filter((item) => item.name.toLowerCase().startsWith(String(query.q))) };
      return { folder: HOME, items: [...HOME_ITEMS] };
    });
    const harness = await BrowserHarness.render(client, signedInStore({ config: { accept: ['image/*'] } }));
    await harness.loaded();
    const input = harness.root.querySelector<HTMLInputElement>('input[type="search"]')!;
    input.value = 'gr';
    harness.root.querySelector('form')!.requestSubmit();
    await waitUntil(() => harness.names().length === 1, `names: ${harness.names().join(', ')}`);
    expect(harness.names()).to.deep.equal(['grass.jpg']);
    expect(seen.at(-1)).to.deep.include({ path: '/api/alfresco/search', q: 'gr', folderId: 'home', accept: 'image/*' });
    await waitUntil(() => harness.announced().includes('1 result for “gr”'), harness.announced());

    input.value = '';
    input.dispatchEvent(new Event('input'));
    await waitUntil(() => harness.names().length === HOME_ITEMS.length, 'the folder did not come back');
  });
});

describe('<fs-browser> grid keyboard and layout', function () {
  this.timeout(20000);

  async function grid(dir: 'ltr' | 'rtl', width = 900): Promise<BrowserHarness> {
    const harness = await BrowserHarness.render(browseClients.loaded, signedInStore({ viewMode: 'grid', config: { multiple: true, maxFiles: 10 } }), width);
    harness.browser.parentElement!.setAttribute('dir', dir);
    await harness.loaded();
    await waitUntil(() => harness.options().length === HOME_ITEMS.length);
    harness.listbox!.focus();
    return harness;
  }

  it('moves by one with Left/Right and by a row with Up/Down', async () => {
    const harness = await grid('ltr');
    const columns = harness.options().filter((option) => Math.round(option.getBoundingClientRect().top) === Math.round(harness.options()[0]!.getBoundingClientRect().top)).length;
    expect(columns).to.be.greaterThan(1);
    await sendKeys({ press: 'ArrowRight' });
    expect(harness.activeName()).to.equal(HOME_ITEMS[1]!.name);
    await sendKeys({ press: 'ArrowDown' });
    expect(harness.activeName()).to.equal(HOME_ITEMS[1 + columns]!.name);
    await sendKeys({ press: 'ArrowLeft' });
    expect(harness.activeName()).to.equal(HOME_ITEMS[columns]!.name);
  });

  it('mirrors Left and Right, and the tiles, right to left', async () => {
    const harness = await grid('rtl');
    await sendKeys({ press: 'ArrowLeft' });
    expect(harness.activeName()).to.equal(HOME_ITEMS[1]!.name);
    const [first, second] = harness.options().map((option) => option.getBoundingClientRect());
    expect(second!.right).to.be.lessThan(first!.right);
    await sendKeys({ press: 'ArrowRight' });
    expect(harness.activeName()).to.equal(HOME_ITEMS[0]!.name);
  });

  it('fits 360 px: no sideways scrolling of the page, items still listed', async () => {
    const harness = await BrowserHarness.render(browseClients.loaded, signedInStore(), 360);
    await harness.loaded();
    expect(harness.browser.scrollWidth).to.be.at.most(360);
    const scroller = harness.root.querySelector<HTMLElement>('.scroller')!;
    expect(scroller.getBoundingClientRect().width).to.be.at.most(360);
    expect(getComputedStyle(harness.options()[0]!.querySelector('.modified')!).display).to.equal('none');
    await expect(harness.browser).to.be.accessible();
  });
});

describe('<fs-browser> stories', function () {
  this.timeout(20000);

  for (const [name, story] of Object.entries(stories).filter(([key]) => key !== 'default')) {
    it(`renders the ${name} story without axe violations`, async () => {
      const template = (story as StoryObj).render!({}, {} as never) as TemplateResult;
      const wrapper = await fixture(html`<div>${template}</div>`);
      await waitUntil(() => wrapper.querySelector('fs-browser')?.shadowRoot?.querySelector('.state, [role="listbox"]'), `${name} rendered nothing`);
      const browser = wrapper.querySelector('fs-browser')!;
      await browser.updateComplete;
      await expect(browser).to.be.accessible();
    });
  }
});
