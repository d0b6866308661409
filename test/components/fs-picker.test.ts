import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { FsCloseEvent } from '../../src/events/fs-close.ts';
import type { FsErrorEvent } from '../../src/events/fs-error.ts';
import type { FsServiceChangeEvent } from '../../src/events/fs-service-change.ts';
import { PickerHarness } from '../helpers/picker-harness.ts';
import { stackUrls } from '../helpers/stack.ts';

describe('<fs-picker>', () => {
  it('opens as a native modal dialog', async () => {
    const harness = await PickerHarness.create();
    expect(harness.dialog.open).to.equal(false);

    await harness.open();

    expect(harness.dialog.open).to.equal(true);
    expect(harness.dialog.matches(':modal')).to.equal(true);
    expect(harness.picker.isOpen).to.equal(true);
  });

  it('lists the sources the companion offers, with the repository it reached', async () => {
    const harness = await PickerHarness.create();
    await harness.open();
    await harness.servicesLoaded();

    const labels = harness.serviceButtons().map((button) => button.textContent.replace(/\s+/g, ' ').trim());
    const { sandbox } = await stackUrls();
    expect(labels).to.deep.equal(['Alfresco Alfresco Community 23.2.0', `CMIS CMIS 1.1 at ${new URL(sandbox).host}`, 'My Computer', 'Link (URL)']);
  });

  it('each repository gets a sign-in view of its own, not the last one’s', async () => {
    const harness = await PickerHarness.create();
    await harness.open();
    await harness.servicesLoaded();
    const connectView = async () => {
      await waitUntil(() => harness.dialog.querySelector('fs-connect'), 'no sign-in view');
      const view = harness.dialog.querySelector('fs-connect')!;
      await view.updateComplete;
      return view;
    };

    harness.serviceButton('CMIS').click();
    const cmis = await connectView();
    expect(cmis.shadowRoot!.querySelector('h3')?.textContent).to.equal('Connect to CMIS');
    harness.serviceButton('ALFRESCO').click();
    await waitUntil(() => harness.dialog.querySelector('fs-connect') !== cmis, 'the CMIS view stayed');
    expect((await connectView()).shadowRoot!.querySelector('h3')?.textContent).to.equal('Connect to Alfresco');
  });

  it('marks the chosen source and tells the host', async () => {
    const harness = await PickerHarness.create();
    await harness.open();
    await harness.servicesLoaded();

    const changed = oneEvent<FsServiceChangeEvent>(harness.picker, 'fs-service-change');
    harness.serviceButton('ALFRESCO').click();

    expect((await changed).detail).to.deep.equal({ service: 'ALFRESCO' });
    await harness.serviceList.updateComplete;
    expect(harness.serviceButton('ALFRESCO').getAttribute('aria-current')).to.equal('true');
    expect(harness.serviceButton('COMPUTER').getAttribute('aria-current')).to.equal('false');
  });

  it('closes on Escape and gives focus back to what opened it', async () => {
    const wrapper = await fixture(html`<div><button id="opener">Open</button></div>`);
    const opener = wrapper.querySelector<HTMLButtonElement>('#opener')!;
    const harness = await PickerHarness.create();
    opener.focus();
    await harness.open();

    const closing = oneEvent<FsCloseEvent>(harness.picker, 'fs-close');
    await sendKeys({ press: 'Escape' });

    expect((await closing).detail.reason).to.equal('escape');
    await waitUntil(() => !harness.dialog.open, 'the dialog stayed open');
    expect(document.activeElement).to.equal(opener);
    expect(harness.picker.isOpen).to.equal(false);
  });

  it('stays open when the host cancels fs-close', async () => {
    const harness = await PickerHarness.create();
    await harness.open();
    harness.picker.addEventListener('fs-close', (event) => event.preventDefault(), { once: true });

    harness.closeButton.click();

    expect(harness.dialog.open).to.equal(true);
    expect(harness.picker.close()).to.equal(true);
    expect(harness.dialog.open).to.equal(false);
  });

  it('says so, and fires fs-error, when the companion refuses the API key', async () => {
    const harness = await PickerHarness.create({ apiKey: 'not-a-registered-key' });
    const failed = oneEvent<FsErrorEvent>(harness.picker, 'fs-error');
    await harness.open();

    // The companion sends no CORS headers for an unknown key, so the page sees a refused request.
    expect((await failed).detail.code).to.equal('FS_ERR_NETWORK');
    await harness.serviceList.updateComplete;
    expect(harness.statusText()).to.contain('the api-key is right');
    expect(harness.statusText()).to.contain('Try again');
  });

  it('is accessible when open', async () => {
    const harness = await PickerHarness.create();
    await harness.open();
    await harness.servicesLoaded();

    await expect(harness.picker).to.be.accessible();
  });
});
