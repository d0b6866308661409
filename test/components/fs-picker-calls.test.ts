import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../src/define.ts';
import type { FsPicker } from '../../src/components/fs-picker/fs-picker.ts';
import { FsCancelEvent } from '../../src/events/fs-cancel.ts';
import { FsPickEvent } from '../../src/events/fs-pick.ts';
import type { FsBlob } from '../../src/protocol/blob.ts';
import { FsError } from '../../src/protocol/errors.ts';
import { PickerHarness } from '../helpers/picker-harness.ts';
import { stackUrls } from '../helpers/stack.ts';

const body = (picker: FsPicker) => picker.shadowRoot!.querySelector<HTMLElement>('[part="body"]')!;

async function rejection(promise: Promise<unknown>): Promise<FsError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof FsError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

const BLOB: FsBlob = { url: 'http://127.0.0.1:1/api/file/h1', filename: 'a.png', mimetype: 'image/png', size: 3, client: 'Computer', id: 0, isWriteable: false, handle: 'h1', source: 'COMPUTER' };

describe('<fs-picker> pick() and save()', () => {
  it('rejects a bad option with an error naming it, without opening', async () => {
    const { picker } = await PickerHarness.create();

    const error = await rejection(picker.pick({ maxFiles: '3' } as never));

    expect(error.code).to.equal('FS_ERR_INVALID_OPTION');
    expect(error.field).to.equal('maxFiles');
    expect(error.message).to.contain('maxFiles');
    expect(picker.isOpen).to.equal(false);
  });

  it('rejects mimetype and extension together, as v2 does', async () => {
    const { picker } = await PickerHarness.create();
    const error = await rejection(picker.pick({ mimetype: 'image/*', extension: '.pdf' }));
    expect(error.code).to.equal('FS_ERR_INVALID_OPTION');
    expect(error.message).to.match(/mimetype.*extension|extension.*mimetype/);
  });

  it('resolves with the files a view picked and closes', async () => {
    const { picker } = await PickerHarness.create();
    const picked = picker.pick({ multiple: true, openTo: 'COMPUTER' });
    await waitUntil(() => picker.isOpen);
    await waitUntil(() => body(picker).querySelector('fs-upload'), 'openTo did not open My Computer');

    body(picker).querySelector('fs-upload')!.dispatchEvent(new FsPickEvent({ blobs: [BLOB] }));

    expect(await picked).to.deep.equal([BLOB]);
    expect(picker.isOpen).to.equal(false);
  });

  it('rejects with v2 code 101 when the person closes the picker', async () => {
    const harness = await PickerHarness.create();
    const picked = harness.picker.pick();
    await waitUntil(() => harness.picker.isOpen);

    harness.closeButton.click();

    const error = await rejection(picked);
    expect(error.code).to.equal('FS_ERR_PICKER_CLOSED');
    expect(error.fpCode).to.equal(101);
  });

  it('closes when a view cancels', async () => {
    const { picker } = await PickerHarness.create();
    const picked = picker.pick({ openTo: 'URL' });
    await waitUntil(() => body(picker).querySelector('fs-link'));

    body(picker).querySelector('fs-link')!.dispatchEvent(new FsCancelEvent());

    expect((await rejection(picked)).code).to.equal('FS_ERR_PICKER_CLOSED');
    expect(picker.isOpen).to.equal(false);
  });

  it('save() opens the export mode on the repositories only, named once one is chosen, and rejects with code 131 when closed', async () => {
    const harness = await PickerHarness.create();
    const saved = harness.picker.save(new File(['hello'], 'notes.txt', { type: 'text/plain' }));
    await waitUntil(() => harness.picker.isOpen);
    await harness.servicesLoaded();

    expect(harness.serviceButtons().map((button) => button.dataset.service)).to.deep.equal(['ALFRESCO', 'CMIS']);
    expect(harness.dialog.querySelector('h2')?.textContent).to.equal('Save a file');
    harness.serviceButton('ALFRESCO').click();
    await waitUntil(() => harness.dialog.querySelector('h2')?.textContent === 'Save to Alfresco', 'the title names Alfresco');

    harness.picker.close();
    const error = await rejection(saved);
    expect(error.code).to.equal('FS_ERR_EXPORT_CLOSED');
    expect(error.fpCode).to.equal(131);
  });

  it('two quick open() calls open it once', async () => {
    const { picker } = await PickerHarness.create();
    await Promise.all([picker.open(), picker.open()]);
    expect(picker.isOpen).to.equal(true);
  });

  it('refuses a second call while one is running', async () => {
    const { picker } = await PickerHarness.create();
    const first = picker.pick();
    await waitUntil(() => picker.isOpen);
    expect((await rejection(picker.pick())).code).to.equal('FS_ERR_INVALID_REQUEST');
    picker.close();
    await rejection(first);
  });
});

describe('<fs-picker> attributes', () => {
  async function create(attributes: string): Promise<PickerHarness> {
    const { companion, apiKey } = await stackUrls();
    const container = await fixture<HTMLDivElement>(html`<div></div>`);
    container.innerHTML = `<fs-picker server="${companion}" api-key="${apiKey}" ${attributes}></fs-picker>`;
    const picker = container.querySelector('fs-picker')!;
    await picker.updateComplete;
    return new PickerHarness(picker);
  }

  it('offers only the services it is given, in that order', async () => {
    const harness = await create('services="URL,COMPUTER"');
    await harness.open();
    await harness.servicesLoaded();
    expect(harness.serviceButtons().map((button) => button.dataset.service)).to.deep.equal(['URL', 'COMPUTER']);
  });

  it('opens to the source named by open-to', async () => {
    const harness = await create('open-to="computer"');
    await harness.open();
    expect(body(harness.picker).querySelector('fs-upload')).to.not.equal(null);
  });

  it('says "Choose files" when several may be picked and "Choose a file" otherwise', async () => {
    const single = await create('');
    expect(single.dialog.querySelector('h2')?.textContent).to.equal('Choose a file');
    const several = await create('multiple');
    expect(several.dialog.querySelector('h2')?.textContent).to.equal('Choose files');
  });

  it('mirrors its layout for a right-to-left language', async () => {
    const harness = await create('lang="ar"');
    expect(harness.dialog.getAttribute('dir')).to.equal('rtl');
    const nav = harness.picker.shadowRoot!.querySelector('nav')!;
    await harness.open();
    const dialogBox = harness.dialog.getBoundingClientRect();
    // The sources column sits on the right in right-to-left.
    expect(nav.getBoundingClientRect().right).to.be.closeTo(dialogBox.right, 2);
  });

  it('uses the dark theme when asked', async () => {
    const harness = await create('theme="dark"');
    await harness.open();
    expect(getComputedStyle(harness.dialog).backgroundColor).to.equal('rgb(22, 27, 38)');
  });

  it('a page-set token wins over the theme', async () => {
    const harness = await create('theme="dark" style="--fs-color-surface: rgb(1, 2, 3)"');
    await harness.open();
    expect(getComputedStyle(harness.dialog).backgroundColor).to.equal('rgb(1, 2, 3)');
  });

  it('opens inline, in the page flow and not modal, with display="inline"', async () => {
    const harness = await create('display="inline"');
    await harness.open();
    expect(harness.dialog.open).to.equal(true);
    expect(harness.dialog.matches(':modal')).to.equal(false);
  });
});
