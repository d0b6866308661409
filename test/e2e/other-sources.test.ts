import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { DEMO_WEBDAV_USER, NO_WEBDAV } from '../../src/dev/demo-webdav.ts';
import type { Stack } from '../../src/dev/stack.ts';
import type { FsBlob } from '../../src/protocol/blob.ts';
import { axeViolations, signInWithPasswordForm } from '../helpers/browser.ts';
import { basic, CORE } from '../helpers/sandbox.ts';
import { openStackInBrowser, type StackInBrowser } from '../helpers/stack-browser.ts';

/** A square image in mjackson's home, which is where CMIS opens for him (Alfresco's CMIS: User Homes/mjackson). */
const PORTRAIT = 'portrait.png';

/**
 * WebDAV and CMIS as sources, end to end on the demo page: the real sign-in popup (the companion's own
 * password form), a pick of two files from Apache httpd's WebDAV, the guide's combined sample (pick →
 * convert 300×300 → exportFile) with `services: ['WEBDAV']` and then `['CMIS']` in place of
 * `['ALFRESCO']`, and a write-back through CMIS that makes a new version. Effects are checked in the real
 * servers: Apache's files over WebDAV, the sandbox's nodes over its REST API.
 */
describe('WebDAV and CMIS, end to end', () => {
  let e2e: StackInBrowser | undefined;
  let stack: Stack;
  let context: BrowserContext;
  let page: Page;
  const exported: FsBlob[] = [];

  const dialog = (): Locator => page.getByRole('dialog');
  const items = (): Locator => dialog().getByRole('listbox').getByRole('option');
  const output = (sample: string): Locator => page.locator(`#${sample}-output`);
  const dav = (path: string) => fetch(new URL(path.split('/').map(encodeURIComponent).join('/'), stack.urls.webdav), { headers: { Authorization: basic(DEMO_WEBDAV_USER.name, DEMO_WEBDAV_USER.password) } });
  const rest = (path: string, init: RequestInit = {}) => fetch(`${stack.urls.sandbox}${CORE}${path}`, { ...init, headers: { Authorization: basic('mjackson'), ...(init.headers as Record<string, string>) } });
  const nodeInHome = async (name: string) => {
    const response = await rest(`/nodes/-my-?relativePath=${encodeURIComponent(name)}`);
    assert.equal(response.status, 200, `${name} is not in mjackson's home`);
    return ((await response.json()) as { entry: { id: string; properties?: Record<string, unknown> } }).entry;
  };

  /** Runs the guide's combined sample as written, but with another service in place of ALFRESCO. */
  async function runCombinedSampleWith(service: string): Promise<void> {
    await page.evaluate((name) => {
      const code = document.getElementById('sample-combined-code')!;
      code.dataset.asPrinted ??= code.textContent;
      code.textContent = code.dataset.asPrinted.replaceAll("'ALFRESCO'", `'${name}'`);
    }, service);
    await page.getByRole('button', { name: 'Run the combined sample' }).click();
  }

  before(async () => {
    e2e = await openStackInBrowser();
    ({ stack, context, page } = e2e);
    if (!stack.urls.webdav) throw new Error(NO_WEBDAV);
    const form = new FormData();
    form.append('filedata', new Blob([new Uint8Array(await sharp({ create: { width: 600, height: 600, channels: 3, background: '#7a3b9c' } }).png().toBuffer())]), PORTRAIT);
    assert.equal((await rest('/nodes/-my-/children', { method: 'POST', body: form })).status, 201);
    await page.goto(stack.urls.demo!);
    // What the samples' dialogs save (fs-export bubbles out of the picker), for the write-back below.
    await page.exposeFunction('keepExported', (blob: FsBlob) => void exported.push(blob));
    await page.evaluate(() => document.addEventListener('fs-export', (event) => void (window as unknown as { keepExported(blob: unknown): void }).keepExported(event.detail.blob)));
  });
  after(() => e2e?.close());
  afterEach(async () => {
    if (await dialog().isVisible()) await dialog().getByRole('button', { name: 'Close' }).click();
  });

  test('two photos picked from WebDAV through the sign-in popup come back as links that serve the exact bytes', async () => {
    await page.evaluate(() => {
      const state = window as unknown as { picked?: unknown; pickError?: unknown };
      document.querySelector('fs-picker')!.pick({ multiple: true, openTo: 'WEBDAV' }).then(
        (blobs) => (state.picked = blobs),
        (error: unknown) => (state.pickError = String(error)),
      );
    });
    await dialog().waitFor();
    await dialog().getByText(/keeps your password|this site never sees your password/).first().waitFor();
    const popupOpened = context.waitForEvent('page');
    await dialog().getByRole('button', { name: 'Connect to WebDAV' }).click();
    const popup = await popupOpened;
    await popup.getByText('keeps your password, encrypted').waitFor();
    await signInWithPasswordForm(popup, DEMO_WEBDAV_USER.name, DEMO_WEBDAV_USER.password);
    await dialog().getByText(DEMO_WEBDAV_USER.name).first().waitFor();

    await items().filter({ hasText: 'Photos' }).first().dblclick();
    await items().filter({ hasText: 'harbour.jpg' }).first().waitFor();
    assert.deepEqual(await axeViolations(page), [], 'the WebDAV browser is axe-clean');
    await dialog().getByRole('listbox').focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('Space');
    await page.keyboard.press('Shift+ArrowDown');
    await dialog().getByRole('button', { name: 'Select 2 files' }).click();

    await page.waitForFunction(() => {
      const state = window as unknown as { picked?: unknown; pickError?: unknown };
      return state.picked !== undefined || state.pickError !== undefined;
    });
    const { picked: blobs, pickError } = await page.evaluate(() => {
      const { picked, pickError: error } = window as unknown as { picked: FsBlob[]; pickError?: string };
      return { picked, pickError: error };
    });
    assert.ok(Array.isArray(blobs), `the pick ended with ${JSON.stringify(blobs)} (error: ${pickError})`);
    assert.deepEqual(blobs.map(({ filename, client, source }) => [filename, client, source]), [
      ['harbour.jpg', 'WebDAV', 'WEBDAV'],
      ['meadow.jpg', 'WebDAV', 'WEBDAV'],
    ]);
    for (const blob of blobs) {
      const served = Buffer.from(await (await fetch(blob.url)).arrayBuffer());
      const original = Buffer.from(await (await dav(`Photos/${blob.filename}`)).arrayBuffer());
      assert.ok(served.equals(original), `${blob.filename}: the link serves other bytes than Apache holds`);
    }
  });

  test("the guide's combined sample with services: ['WEBDAV'] saves converted_<name>, fitted in 300×300, into a WebDAV folder", async () => {
    await runCombinedSampleWith('WEBDAV');
    // Still signed in to WebDAV (the saved state), and back in Photos.
    await items().filter({ hasText: 'sunset.jpg' }).first().click();
    await dialog().getByRole('button', { name: 'Select', exact: true }).click();
    await page.getByRole('dialog', { name: 'Save to WebDAV' }).waitFor();
    assert.equal(await dialog().getByRole('textbox', { name: 'File name' }).inputValue(), 'converted_sunset.jpg');
    await dialog().getByRole('button', { name: 'Save', exact: true }).click();
    await output('sample-combined').getByText('File successfully saved!').waitFor();

    const saved = await dav('Photos/converted_sunset.jpg');
    assert.equal(saved.status, 200);
    const { width, height, format } = await sharp(Buffer.from(await saved.arrayBuffer())).metadata();
    // The 640×480 photo fits the 300×300 box (the default fit keeps its shape).
    assert.deepEqual({ width, height, format }, { width: 300, height: 225, format: 'jpeg' });
  });

  test("the same sample with services: ['CMIS'] connects CMIS in the popup and saves into a CMIS folder", async () => {
    await runCombinedSampleWith('CMIS');
    const popupOpened = context.waitForEvent('page');
    await dialog().getByRole('button', { name: 'Connect to CMIS' }).click();
    await signInWithPasswordForm(await popupOpened, 'mjackson', 'mjackson');
    await items().filter({ hasText: PORTRAIT }).first().click();
    assert.deepEqual(await axeViolations(page), [], 'the CMIS browser is axe-clean');
    await dialog().getByRole('button', { name: 'Select', exact: true }).click();
    await page.getByRole('dialog', { name: 'Save to CMIS' }).waitFor();
    await dialog().getByRole('button', { name: 'Save', exact: true }).click();
    await output('sample-combined').getByText('File successfully saved!').waitFor();

    const node = await nodeInHome(`converted_${PORTRAIT}`);
    const content = Buffer.from(await (await rest(`/nodes/${node.id}/content`)).arrayBuffer());
    const { width, height } = await sharp(content).metadata();
    assert.deepEqual({ width, height }, { width: 300, height: 300 });
  });

  test('a write-back through CMIS makes a new version: the label goes up and the content is the new one', async () => {
    const blob = exported.find((candidate) => candidate.filename === `converted_${PORTRAIT}`);
    assert.ok(blob, 'the CMIS save handed over no Blob');
    assert.equal(blob.client, 'CMIS');
    const before = await nodeInHome(blob.filename);
    const label = before.properties?.['cm:versionLabel'];
    await page.evaluate(async (saved) => {
      // The demo page's own copy of the global (Vite serves the source), which holds the save's handle token.
      const served = '/src/filepicker.ts';
      const { filepicker } = (await import(/* @vite-ignore */ served)) as typeof import('../../src/filepicker.ts');
      await new Promise((resolve, reject) => filepicker.write(saved, 'a new version, in words', resolve, reject));
    }, blob);

    const after = await nodeInHome(blob.filename);
    assert.equal(after.id, before.id, 'the same document, not a new one');
    assert.notEqual(after.properties?.['cm:versionLabel'], label, 'the version label did not move');
    assert.equal(await (await rest(`/nodes/${after.id}/content`)).text(), 'a new version, in words');
    assert.equal(await (await fetch(blob.url)).text(), 'a new version, in words', "the Blob's link serves the new version");
  });
});
