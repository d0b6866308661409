import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { startStack, type Stack } from '../../src/dev/stack.ts';
import { verifyWebhook } from '../../companion/src/index.ts';
import { axeViolations, launchChromium, signInInPopup } from '../helpers/browser.ts';
import { startReceiver, type Receiver } from '../server/webhooks-receiver.ts';

/** The app's own OAuth application, registered in the sandbox's identity service like an owner would in Alfresco's. */
const OWN_APP = { clientId: 'portal-e2e-app-key', clientSecret: 'portal-e2e-app-secret-0123456789' };
/** A WebDAV server on the intranet (the dev companion allows private targets); nothing connects to it here. */
const INTRANET_DAV = 'http://10.0.0.5/remote.php/dav/files/';

/**
 * The owner's side and the user's side together: an owner signs in to the developer portal, enters the
 * app's Alfresco App Key and App Secret and a webhook URL for "All" events; then a person picks a file in
 * the demo page (signing in to Alfresco through that OAuth application) and the URL receives a signed
 * `fp.upload` for it.
 */
describe('developer portal, end to end', () => {
  let stack: Stack;
  let receiver: Receiver;
  let browser: Browser;
  let owner: Page;
  let context: BrowserContext;
  let page: Page;
  let secret: string;

  before(async () => {
    // Without WebDAV: the owner turns it on below, in the portal.
    stack = await startStack({ logLevel: 'warn', webdav: false });
    stack.sandbox.identity.registerClient({ ...OWN_APP, redirectUris: [`${stack.urls.companion}/auth/alfresco/callback`] });
    receiver = await startReceiver();
    browser = await launchChromium();
    // The portal's CSP allows no inline script; axe is injected as one.
    owner = await (await browser.newContext({ bypassCSP: true })).newPage();
    context = await browser.newContext();
    page = await context.newPage();
  });
  after(async () => {
    await browser?.close();
    await receiver?.close();
    await stack?.stop();
  });

  const panel = (name: string): Locator => owner.getByRole('region', { name });

  test('the owner signs in with the dev password; a wrong one is named', async () => {
    await owner.goto(stack.portal.url);
    await owner.getByLabel('Admin password').fill('not the password');
    await owner.keyboard.press('Enter');
    await owner.getByText('Admin password: The password is not correct.').waitFor();
    assert.equal(await owner.getByLabel('Admin password').getAttribute('aria-invalid'), 'true');

    await owner.getByLabel('Admin password').fill(stack.portal.password);
    await owner.getByRole('button', { name: 'Sign in' }).click();
    await panel('Keys and access').getByText(stack.apiKey).waitFor();
  });

  test('enters the Alfresco App Key and App Secret; the secret is not shown again', async () => {
    const alfresco = panel('Alfresco');
    assert.equal(await alfresco.getByLabel('Callback URL (redirect URI)').inputValue(), `${stack.urls.companion}/auth/alfresco/callback`);
    await alfresco.getByLabel('App Key').fill(OWN_APP.clientId);
    await alfresco.getByLabel('App Secret').fill(OWN_APP.clientSecret);
    await alfresco.getByLabel('Identity service URL (issuer)').fill(stack.sandbox.issuer);
    await alfresco.getByRole('button', { name: 'Save' }).click();
    await alfresco.getByRole('status').filter({ hasText: 'Alfresco settings saved.' }).waitFor();
    assert.equal(await alfresco.getByLabel('App Secret').inputValue(), '');
    await alfresco.getByText('A secret is saved and never shown').waitFor();
    assert.ok(!(await owner.content()).includes(OWN_APP.clientSecret));
  });

  test('turns WebDAV on in Sources: a bad URL is named, a good one offers WebDAV; emptied again, WebDAV is off', async () => {
    const sources = panel('Sources');
    const url = sources.getByLabel('WebDAV server URL');
    const offer = sources.getByRole('checkbox', { name: 'WebDAV', exact: true });
    assert.deepEqual([await offer.isDisabled(), await offer.isChecked()], [true, false]);
    await url.fill('cloud.example.com/remote.php/dav');
    await sources.getByRole('button', { name: 'Save sources' }).click();
    await sources.getByText('WebDAV server URL: must be an http(s) URL').waitFor();
    assert.equal(await url.getAttribute('aria-invalid'), 'true');

    await url.fill(INTRANET_DAV);
    assert.deepEqual([await offer.isDisabled(), await offer.isChecked()], [false, true], 'a URL entered offers WebDAV');
    await url.press('Enter');
    await sources.getByRole('status').filter({ hasText: 'Sources saved.' }).waitFor();
    for (const colorScheme of ['light', 'dark'] as const) {
      // Without motion: a button's background would still be fading to the new theme when axe reads it.
      await owner.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
      assert.deepEqual(await axeViolations(owner), [], colorScheme);
    }
    await owner.emulateMedia({ colorScheme: 'light' });

    // The demo's picks below need no WebDAV server: the owner turns it off again, and it stays off.
    await url.fill('');
    assert.deepEqual([await offer.isDisabled(), await offer.isChecked()], [true, false]);
    await sources.getByRole('button', { name: 'Save sources' }).click();
    await sources.getByRole('status').filter({ hasText: 'Sources saved.' }).waitFor();
    await owner.reload();
    assert.equal(await panel('Sources').getByLabel('WebDAV server URL').inputValue(), '');
    assert.equal(await panel('Sources').getByRole('checkbox', { name: 'WebDAV', exact: true }).isChecked(), false);
  });

  test('a bad webhook URL is named; a good one with "All" is added and its secret shown once', async () => {
    const webhooks = panel('Webhooks');
    await webhooks.getByLabel('Webhook URL').fill('not a url');
    await webhooks.getByRole('button', { name: 'Add webhook' }).click();
    await webhooks.getByText('Webhook URL: must be an http(s) URL').waitFor();

    await webhooks.getByLabel('Webhook URL').fill(`${receiver.url}/portal-e2e`);
    await webhooks.getByRole('radio', { name: 'All' }).check();
    await webhooks.getByRole('button', { name: 'Add webhook' }).click();
    const shown = webhooks.getByRole('status').filter({ hasText: 'Webhook added.' });
    await shown.waitFor();
    secret = (await webhooks.locator('output[aria-label="Signing secret"]').innerText()).trim();
    assert.match(secret, /^[\w-]{30,}$/);
    await webhooks.getByRole('list', { name: 'Webhook URLs' }).getByText(`${receiver.url}/portal-e2e`).waitFor();
  });

  test('a Standard Webhooks URL gets a whsec_ secret; Rotate secret shows a new one and until when the old one signs', async () => {
    const webhooks = panel('Webhooks');
    await webhooks.getByRole('textbox', { name: 'Webhook URL' }).fill(`${receiver.url}/portal-e2e-standard`);
    await webhooks.getByLabel('Signature scheme').selectOption('standard');
    await webhooks.getByRole('button', { name: 'Add webhook' }).click();
    await webhooks.getByRole('status').filter({ hasText: 'Webhook added.' }).waitFor();
    const first = (await webhooks.locator('output[aria-label="Signing secret"]').innerText()).trim();
    assert.match(first, /^whsec_[A-Za-z0-9+/]{43}=$/);
    const listed = webhooks.getByRole('list', { name: 'Webhook URLs' }).getByRole('listitem').filter({ hasText: `${receiver.url}/portal-e2e-standard` });
    await listed.getByText('Standard Webhooks').waitFor();
    await webhooks.getByRole('button', { name: `Rotate secret for ${receiver.url}/portal-e2e-standard` }).click();
    await webhooks.getByRole('status').filter({ hasText: 'the old one signs too for the grace period' }).waitFor();
    const rotated = (await webhooks.locator('output[aria-label="Signing secret"]').innerText()).trim();
    assert.match(rotated, /^whsec_/);
    assert.notEqual(rotated, first);
    await listed.getByText(/the old secret signs too until/).waitFor();
  });

  test('the portal has no axe violations', async () => {
    assert.deepEqual(await axeViolations(owner), []);
  });

  test('a pick in the demo page, signed in through the app’s own OAuth application, produces a signed fp.upload at the URL', async () => {
    await page.goto(stack.urls.demo!);
    await page.evaluate(() => {
      const state = window as unknown as { picked?: unknown; pickError?: unknown };
      document
        .querySelector('fs-picker')!
        .pick({ mimetype: 'image/*', openTo: 'ALFRESCO' })
        .then(
          (blobs) => (state.picked = blobs),
          (error: unknown) => (state.pickError = String(error)),
        );
    });
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    const authorizeClients: string[] = [];
    context.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname.endsWith('/protocol/openid-connect/auth')) authorizeClients.push(url.searchParams.get('client_id') ?? '');
    });
    const popupOpened = context.waitForEvent('page');
    await dialog.getByRole('button', { name: 'Connect to Alfresco' }).click();
    const popup = await popupOpened;
    await popup.getByLabel('Username or email').fill('mjackson');
    // The identity service was asked for the app's own OAuth application, as entered in the portal.
    assert.deepEqual(authorizeClients, [OWN_APP.clientId]);
    await signInInPopup(popup, 'mjackson');

    const items = dialog.getByRole('listbox').getByRole('option');
    await dialog.getByRole('button', { name: /Sample: Web Site Design Project/ }).click();
    await items.filter({ hasText: 'Agency Files' }).first().dblclick();
    await items.filter({ hasText: 'Images' }).first().dblclick();
    await items.filter({ hasText: 'grass.jpg' }).first().waitFor();
    await dialog.getByRole('listbox').focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('Space');
    await dialog.getByText(/^1 file selected/).first().waitFor();
    await dialog.getByRole('button', { name: 'Select', exact: true }).click();
    await page.waitForFunction(() => (window as unknown as { picked?: unknown }).picked !== undefined);
    const [blob] = await page.evaluate(() => (window as unknown as { picked: Array<{ url: string; filename: string }> }).picked);

    const deadline = Date.now() + 15_000;
    let upload;
    // (The demo page may store files of its own; this is the event of the picked file.)
    const ofPick = () => receiver.at('/portal-e2e').find((entry) => entry.json.action === 'fp.upload' && entry.json.text.url === blob!.url);
    while (!(upload = ofPick()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(upload, `no fp.upload of the pick arrived; got ${receiver.at('/portal-e2e').map((entry) => `${entry.json.action} ${String(entry.json.text.filename)}`).join(', ') || 'nothing'}`);
    assert.equal(verifyWebhook(upload.body, upload.headers, secret), true, 'signed with the secret the portal showed');
    assert.deepEqual([upload.json.text.url, upload.json.text.filename, upload.json.text.client], [blob!.url, blob!.filename, 'Alfresco']);
  });

  test('the delivery log in the portal shows the delivered upload', async () => {
    const log = panel('Delivery log');
    await log.getByRole('button', { name: 'Refresh' }).click();
    await log.getByRole('row').filter({ hasText: 'fp.upload' }).filter({ hasText: 'delivered' }).first().waitFor();
    assert.deepEqual(await axeViolations(owner), []);
  });
});
