import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import type { FsErrorEvent } from '../../src/events/fs-error.ts';
import { resetFaults, setFaults, SignedInPicker } from '../helpers/signed-in-picker.ts';

/** Opens the sample site's document library from the locations. */
async function openSite(harness: SignedInPicker): Promise<void> {
  await harness.folderShown('mjackson');
  await harness.goTo('Sample: Web Site Design Project');
  await harness.folderShown('documentLibrary');
}

describe('<fs-picker> when the source misbehaves', function () {
  this.timeout(60000);
  const errors: string[] = [];
  const onError = (event: ErrorEvent | PromiseRejectionEvent) => errors.push(String('reason' in event ? event.reason : event.message));

  beforeEach(async () => {
    errors.length = 0;
    window.addEventListener('error', onError);
    window.addEventListener('unhandledrejection', onError);
    await resetFaults();
  });

  afterEach(async () => {
    await resetFaults();
    window.removeEventListener('error', onError);
    window.removeEventListener('unhandledrejection', onError);
    // Nothing was thrown into the page.
    expect(errors).to.deep.equal([]);
  });

  it('a folder answered with 500s shows the problem and a Try again that loads it; the selection stays', async () => {
    const harness = await SignedInPicker.signIn('mjackson');
    await openSite(harness);
    await harness.openFolder('Agency Files');
    await harness.openFolder('Images');
    harness.toggle('grass.jpg');
    await waitUntil(() => harness.summary().startsWith('1 file selected'), `summary: ${harness.summary()}`);
    await harness.goTo('Sample: Web Site Design Project');
    await harness.folderShown('documentLibrary');

    await setFaults({ failNext: { count: 50, status: 500 } });
    const failed = oneEvent<FsErrorEvent>(harness.picker, 'fs-error');
    harness.option('Meeting Notes').dispatchEvent(new MouseEvent('dblclick', { bubbles: true, composed: true }));

    const { detail } = await failed;
    expect(detail.code).to.equal('FS_ERR_UPSTREAM');
    await waitUntil(() => harness.stateElement()?.getAttribute('role') === 'alert', `no error shown: ${harness.stateText()}`);
    expect(harness.stateText()).to.contain('Alfresco answered 500');
    expect(harness.summary()).to.match(/^1 file selected/);
    await expect(harness.picker).to.be.accessible();

    await resetFaults();
    harness.stateElement()!.querySelector('button')!.click();
    await harness.folderShown('Meeting Notes');
    expect(harness.summary()).to.match(/^1 file selected/);
  });

  it('announces slow loading, then shows the folder; a second navigation shows the folder asked last', async () => {
    const harness = await SignedInPicker.signIn('mjackson');
    await openSite(harness);
    const agency = harness.option('Agency Files').dataset.id!;
    // Watch the page's own requests for the folder opened first (they still go to the companion).
    const realFetch = window.fetch.bind(window);
    const firstFolder: Promise<unknown>[] = [];
    window.fetch = (input, init) => {
      const answer = realFetch(input, init);
      if (String(input instanceof Request ? input.url : input).includes(`/folders/${agency}`)) firstFolder.push(answer.catch((error: unknown) => error));
      return answer;
    };
    try {
      await setFaults({ latencyMs: 1500 });
      harness.option('Agency Files').dispatchEvent(new MouseEvent('dblclick', { bubbles: true, composed: true }));
      await waitUntil(() => harness.stateText() === 'Loading…', `no loading state: ${harness.stateText()}`);
      expect(harness.scroller()!.getAttribute('aria-busy')).to.equal('true');
      expect(harness.announced()).to.contain('Loading…');
      await harness.folderShown('Agency Files');
      expect(harness.scroller()!.getAttribute('aria-busy')).to.not.equal('true');
      expect(harness.announced()).to.match(/Loaded \d+ items/);

      // Folder A answers slowly; B, asked while A loads, answers at once.
      await harness.goTo('Sample: Web Site Design Project');
      await harness.folderShown('documentLibrary');
      await setFaults({ latencyMs: 2500 });
      harness.option('Agency Files').dispatchEvent(new MouseEvent('dblclick', { bubbles: true, composed: true }));
      await waitUntil(() => harness.stateText() === 'Loading…' && firstFolder.length >= 2, 'folder A was not asked for');
      await setFaults({ latencyMs: 0 });
      await harness.goTo('My Files');
      await harness.folderShown('mjackson');

      await Promise.all(firstFolder);
      await harness.browser!.updateComplete;
      expect(harness.listboxLabel()).to.equal('mjackson');
      expect(harness.names()).to.include('Site visit notes.txt');
    } finally {
      window.fetch = realFetch;
    }
  });
});
