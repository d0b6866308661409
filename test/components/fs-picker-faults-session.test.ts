import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import { CompanionClient } from '../../src/api/transport/client.ts';
import { signOut } from '../../src/api/transport/session.ts';
import type { FsErrorEvent } from '../../src/events/fs-error.ts';
import type { FsPickEvent } from '../../src/events/fs-pick.ts';
import { resetFaults, setFaults, SignedInPicker } from '../helpers/signed-in-picker.ts';
import { stackUrls } from '../helpers/stack.ts';

/** Signs `user` in and selects two images in the sample site's Images folder. */
async function withTwoImagesSelected(user = 'mjackson'): Promise<SignedInPicker> {
  const harness = await SignedInPicker.signIn(user);
  await harness.folderShown(user);
  await harness.goTo('Sample: Web Site Design Project');
  await harness.folderShown('documentLibrary');
  await harness.openFolder('Agency Files');
  await harness.openFolder('Images');
  harness.toggle('grass.jpg');
  harness.toggle('header.png');
  await waitUntil(() => harness.summary().startsWith('2 files selected'), `summary: ${harness.summary()}`);
  return harness;
}

describe('<fs-picker> when the connection or a call fails', function () {
  this.timeout(60000);
  const thrown: string[] = [];
  const onThrown = (event: ErrorEvent | PromiseRejectionEvent) => thrown.push(String('reason' in event ? event.reason : event.message));

  beforeEach(async () => {
    thrown.length = 0;
    window.addEventListener('error', onThrown);
    window.addEventListener('unhandledrejection', onThrown);
    await resetFaults();
  });

  afterEach(async () => {
    await resetFaults();
    window.removeEventListener('error', onThrown);
    window.removeEventListener('unhandledrejection', onThrown);
    expect(thrown, 'errors thrown into the page').to.deep.equal([]);
  });

  it('access tokens expiring mid-listing: the companion refreshes them and browsing goes on', async () => {
    const harness = await withTwoImagesSelected('mjackson');
    let errors = 0;
    harness.picker.addEventListener('fs-error', () => (errors += 1));
    await setFaults({ expireAccessTokens: true });

    await harness.goTo('My Files');

    await harness.folderShown('mjackson');
    expect(errors).to.equal(0);
    expect(harness.connect).to.equal(null);
    expect(harness.summary()).to.match(/^2 files selected/);
  });

  it('all tokens expiring mid-listing: asks to connect again, and reconnecting keeps the folder and the selection', async () => {
    const harness = await withTwoImagesSelected('mjackson');
    // The identity service forgets every access and refresh token: the companion cannot refresh the grant.
    await setFaults({ expireTokens: true });
    const failed = oneEvent<FsErrorEvent>(harness.picker, 'fs-error');
    await harness.goTo('My Files');

    expect((await failed).detail.code).to.equal('FS_ERR_RECONNECT');
    await waitUntil(() => harness.connect && harness.connectMessage().includes('expired'), `no reconnect prompt: ${harness.connectMessage()}`);
    expect(harness.connectButton()!.textContent.trim()).to.equal('Connect again');
    await expect(harness.connect).to.be.accessible();

    await harness.connectAgain('mjackson');
    // Back in the folder the person asked for, with what they had chosen.
    await harness.folderShown('mjackson');
    expect(harness.summary()).to.match(/^2 files selected/);
    await harness.goTo('Sample: Web Site Design Project');
    await harness.folderShown('documentLibrary');
    await harness.openFolder('Agency Files');
    await harness.openFolder('Images');
    expect(harness.selectedNames()).to.deep.equal(['grass.jpg', 'header.png']);
  });

  it('all tokens expiring while a long folder pages in: asks to connect again, then goes on in that folder', async () => {
    const harness = await SignedInPicker.signIn('admin');
    await harness.folderShown('admin');
    await harness.openFolder('Many Files');
    const first = harness.names()[0]!;
    harness.toggle(first);
    await waitUntil(() => harness.summary().startsWith('1 file selected'), `summary: ${harness.summary()}`);
    await setFaults({ expireTokens: true });

    // Scrolling to the end asks for the next page, which meets the expired grant.
    await waitUntil(
      () => {
        const scroller = harness.scroller();
        if (scroller) scroller.scrollTop = scroller.scrollHeight;
        return harness.connect !== null;
      },
      'no reconnect prompt after paging',
      { timeout: 15000 },
    );
    expect(harness.connectMessage()).to.contain('expired');

    await harness.connectAgain('admin');
    await harness.folderShown('Many Files');
    expect(harness.summary()).to.match(/^1 file selected/);
    expect(harness.selectedNames()).to.deep.equal([first]);
  });

  it('another person connecting after an expiry does not inherit the selection', async () => {
    const harness = await withTwoImagesSelected('mjackson');
    await setFaults({ expireTokens: true });
    await harness.goTo('My Files');
    await waitUntil(() => harness.connect, 'no reconnect prompt');

    await harness.connectAgain('abeecher');
    await harness.folderShown('abeecher');
    expect(harness.summary()).to.equal('Nothing selected');
  });

  it('a session ended on the companion signs the picker out with a clear message and fs-error', async () => {
    const harness = await withTwoImagesSelected('mjackson');
    const { companion, apiKey } = await stackUrls();
    // As if the person signed out in another tab: the companion forgets the grant and its sessions.
    await signOut(new CompanionClient({ server: companion, apiKey }), harness.session);
    const failed = oneEvent<FsErrorEvent>(harness.picker, 'fs-error');
    await harness.goTo('Sample: Web Site Design Project');

    const { detail } = await failed;
    expect(detail.code).to.equal('FS_ERR_NOT_CONNECTED');
    expect(detail.message).to.be.a('string').and.not.equal('');
    await waitUntil(() => harness.connect, 'the picker did not show Connect');
    expect(harness.connectMessage()).to.contain('Connect again');
    expect(harness.browser).to.equal(null);
    expect(harness.dialog.open).to.equal(true);
  });

  it('a pick whose companion call fails keeps the dialog and the selection, says why, and works on retry', async () => {
    const harness = await withTwoImagesSelected('mjackson');
    await setFaults({ failNext: { count: 50, status: 500 } });
    const failed = oneEvent<FsErrorEvent>(harness.picker, 'fs-error');
    harness.selectButton().click();

    expect((await failed).detail.code).to.equal('FS_ERR_UPSTREAM');
    await waitUntil(() => harness.barMessage()?.getAttribute('role') === 'alert', 'no error in the selection bar');
    expect(harness.barMessage()!.textContent).to.contain('Alfresco answered 500');
    expect(harness.dialog.open).to.equal(true);
    expect(harness.summary()).to.match(/^2 files selected/);

    await resetFaults();
    const picked = oneEvent<FsPickEvent>(harness.picker, 'fs-pick');
    harness.selectButton().click();
    const { blobs } = (await picked).detail;
    expect(blobs.map((blob) => blob.filename).sort()).to.deep.equal(['grass.jpg', 'header.png']);
    await waitUntil(() => !harness.dialog.open, 'the picker stayed open after the pick');
  });
});
