import { expect, fixture, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/define.ts';
import '../../src/views.ts';
import * as stories from '../../stories/fs-link.stories.ts';
import { CompanionClient } from '../../src/api/transport/client.ts';
import type { FsLink } from '../../src/components/fs-link/fs-link.ts';
import type { PickerState } from '../../src/core/picker-state.ts';
import type { Store } from '../../src/core/store.ts';
import type { FsErrorEvent } from '../../src/events/fs-error.ts';
import type { FsPickEvent } from '../../src/events/fs-pick.ts';
import { storeWith } from '../../stories/fixtures/context.ts';
import { importedClient, importingClient, mountView } from '../../stories/fixtures/uploads.ts';
import { stackUrls } from '../helpers/stack.ts';

async function render(client: CompanionClient, store: Store<PickerState> = storeWith({ currentService: 'URL' })): Promise<FsLink> {
  const mounted = mountView('fs-link', { client, store });
  await fixture(mounted.context);
  return mounted.ready;
}

const $ = <E extends Element = HTMLElement>(view: FsLink, selector: string) => view.shadowRoot!.querySelector<E>(selector);
const text = (element: Element | null) => element?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const input = (view: FsLink) => $<HTMLInputElement>(view, '#url')!;

async function typeAddress(view: FsLink, address: string): Promise<void> {
  input(view).focus();
  await sendKeys({ type: address });
}

function describedBy(view: FsLink): string {
  return (input(view).getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => text($(view, `#${id}`)))
    .join(' | ');
}

describe('<fs-link> with the real companion', () => {
  let client: CompanionClient;

  before(async () => {
    const { companion, apiKey } = await stackUrls();
    client = new CompanionClient({ server: companion, apiKey });
  });

  it('has a labelled URL field and an Import button', async () => {
    const view = await render(client);
    expect(input(view).type).to.equal('url');
    expect(text($(view, 'label[for="url"]'))).to.equal('Address of the file');
    expect(input(view).getAttribute('aria-invalid')).to.equal('false');
    await expect(view).to.be.accessible();
  });

  it('names an invalid address in the field’s error, without asking the companion', async () => {
    const view = await render(client);
    let errors = 0;
    view.addEventListener('fs-error', () => (errors += 1));

    await typeAddress(view, 'not a web address');
    await sendKeys({ press: 'Enter' });
    await view.updateComplete;

    expect(input(view).getAttribute('aria-invalid')).to.equal('true');
    expect(describedBy(view)).to.contain('This is not a web address.');
    expect(view.shadowRoot!.activeElement).to.equal(input(view));
    expect(errors).to.equal(0);
    await expect(view).to.be.accessible();

    await sendKeys({ type: 'x' });
    await view.updateComplete;
    expect(input(view).getAttribute('aria-invalid')).to.equal('false');
  });

  it('says so when the field is empty', async () => {
    const view = await render(client);
    $<HTMLButtonElement>(view, '[part="import-button"]')!.click();
    await view.updateComplete;
    expect(text($(view, '[part="error"]'))).to.equal('Enter the address of a file.');
  });

  it('shows the companion’s message when it refuses a loopback address', async () => {
    const view = await render(client);
    const failed = oneEvent<FsErrorEvent>(view, 'fs-error');

    await typeAddress(view, 'http://127.0.0.1:9/secret.txt');
    $<HTMLButtonElement>(view, '[part="import-button"]')!.click();

    const { detail } = await failed;
    expect(detail.code).to.equal('FS_ERR_URL_REFUSED');
    await view.updateComplete;
    const error = $(view, '[part="error"]')!;
    expect(error.getAttribute('role')).to.equal('alert');
    expect(text(error)).to.equal(detail.message);
    expect(text(error)).to.contain('The companion does not fetch from private, loopback');
    expect(input(view).getAttribute('aria-invalid')).to.equal('true');
    expect(describedBy(view)).to.contain(detail.message);
    await expect(view).to.be.accessible();
  });
});

describe('<fs-link> states the server cannot easily produce', () => {
  it('shows progress while importing, and Cancel stops it', async () => {
    const view = await render(importingClient);
    let picks = 0;
    view.addEventListener('fs-pick', () => (picks += 1));

    await typeAddress(view, 'https://example.com/report.pdf');
    await sendKeys({ press: 'Enter' });
    await view.updateComplete;

    expect(text($(view, '[part="progress"]'))).to.contain('Importing…');
    expect($(view, '[part="progress"] progress')!.getAttribute('aria-label')).to.equal('Importing');
    expect($(view, '[part="import-button"]')!.getAttribute('aria-disabled')).to.equal('true');
    await expect(view).to.be.accessible();

    $<HTMLButtonElement>(view, '[part="cancel-button"]')!.click();
    await view.updateComplete;
    expect($(view, '[part="progress"]')).to.equal(null);
    expect(picks).to.equal(0);
  });

  it('fires fs-pick with the imported Blob', async () => {
    const view = await render(importedClient);
    const picked = oneEvent<FsPickEvent>(view, 'fs-pick');

    await typeAddress(view, 'https://example.com/report.pdf');
    await sendKeys({ press: 'Enter' });

    const { blobs } = (await picked).detail;
    expect(blobs.map((blob) => [blob.filename, blob.source, blob.id])).to.deep.equal([['report.pdf', 'URL', 0]]);
  });

  it('refuses an imported file that is not an accepted type', async () => {
    const view = await render(importedClient, storeWith({ config: { accept: ['image/*'] } }));
    let picks = 0;
    view.addEventListener('fs-pick', () => (picks += 1));

    await typeAddress(view, 'https://example.com/report.pdf');
    await sendKeys({ press: 'Enter' });

    await waitUntil(() => $(view, '[part="error"]'), 'no error shown');
    expect(text($(view, '[part="error"]'))).to.contain('not one of the accepted types: image/*');
    expect(picks).to.equal(0);
  });
});

describe('<fs-link> stories', () => {
  it('every story renders and is accessible', async () => {
    const { default: _meta, ...all } = stories;
    for (const [name, story] of Object.entries(all)) {
      const render = (story as unknown as { render: (args: Record<string, never>) => HTMLElement }).render;
      const context = await fixture(render({}));
      const view = context.querySelector('fs-link')!;
      await waitUntil(() => view.isConnected && view.shadowRoot, `${name} did not render`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      await view.updateComplete;
      expect(view.shadowRoot!.childElementCount, name).to.be.greaterThan(0);
      await expect(view).to.be.accessible();
    }
  });
});
