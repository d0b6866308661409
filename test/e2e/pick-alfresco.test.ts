import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import type { Stack } from '../../src/dev/stack.ts';
import type { FsBlob } from '../../src/protocol/blob.ts';
import { axeViolations, signInInPopup } from '../helpers/browser.ts';
import { basic, CORE } from '../helpers/sandbox.ts';
import { openStackInBrowser, type StackInBrowser } from '../helpers/stack-browser.ts';

const IMAGES = 'Sites/swsdp/documentLibrary/Agency Files/Images';

/**
 * The whole pick over three origins (demo page, companion, sandbox): a person opens the picker, connects
 * Alfresco in the real sign-in popup, browses into the swsdp site, sees only images, selects two with the
 * keyboard and gets Blob records whose links serve the exact bytes; after a reload they are still
 * signed in, in the same folder.
 */
describe('picking from Alfresco, end to end', () => {
  let e2e: StackInBrowser | undefined;
  let stack: Stack;
  let context: BrowserContext;
  let page: Page;

  before(async () => {
    e2e = await openStackInBrowser();
    ({ stack, context, page } = e2e);
  });
  after(() => e2e?.close());

  /** Starts a pick of images from the page's script, as a host page would, and keeps the promise's outcome. */
  async function startPick(): Promise<void> {
    await page.evaluate(() => {
      const picker = document.querySelector('fs-picker')!;
      const state = window as unknown as { picked?: unknown; pickError?: unknown };
      delete state.picked;
      picker.pick({ mimetype: 'image/*', multiple: true, openTo: 'ALFRESCO' }).then(
        (blobs) => (state.picked = blobs),
        (error: unknown) => (state.pickError = String(error)),
      );
    });
  }

  const dialog = (): Locator => page.getByRole('dialog');
  const items = (): Locator => dialog().getByRole('listbox').getByRole('option');

  async function contentOf(path: string): Promise<Buffer> {
    const response = await fetch(`${stack.urls.sandbox}${CORE}/nodes/-root-/content?relativePath=${encodeURIComponent(path)}`, { headers: { Authorization: basic('mjackson') } });
    if (response.status === 200) return Buffer.from(await response.arrayBuffer());
    const node = await fetch(`${stack.urls.sandbox}${CORE}/nodes/-root-?relativePath=${encodeURIComponent(path)}`, { headers: { Authorization: basic('mjackson') } });
    const { entry } = (await node.json()) as { entry: { id: string } };
    return Buffer.from(await (await fetch(`${stack.urls.sandbox}${CORE}/nodes/${entry.id}/content`, { headers: { Authorization: basic('mjackson') } })).arrayBuffer());
  }

  test('connects Alfresco through the sign-in popup', async () => {
    await page.goto(stack.urls.demo!);
    await startPick();
    await dialog().waitFor();

    const popupOpened = context.waitForEvent('page');
    await dialog().getByRole('button', { name: 'Connect to Alfresco' }).click();
    const popup = await popupOpened;
    await signInInPopup(popup, 'mjackson');

    await dialog().getByText(/Mike Jackson|mjackson/).first().waitFor();
  });

  test('browses into the swsdp site and offers only images (and folders)', async () => {
    await dialog().getByRole('button', { name: /Sample: Web Site Design Project/ }).click();
    await items().filter({ hasText: 'Agency Files' }).first().dblclick();
    await items().filter({ hasText: 'Images' }).first().dblclick();
    await items().filter({ hasText: 'grass.jpg' }).first().waitFor();

    const names = await items().allInnerTexts();
    assert.ok(names.length >= 3, `expected the images, got ${names.join(' | ')}`);
    assert.ok(
      names.every((name) => /\.(jpe?g|png|gif|webp)\b/i.test(name) || /Folder/.test(name)),
      `a file that is not an image is offered: ${names.join(' | ')}`,
    );
  });

  test('the open browser has no axe violations', async () => {
    assert.deepEqual(await axeViolations(page), []);
  });

  test('two images selected with the keyboard come back as Blob records whose links serve the exact bytes', async () => {
    // The list is one tab stop; the keys move within it.
    await dialog().getByRole('listbox').focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('Space');
    await page.keyboard.press('Shift+ArrowDown');
    await dialog().getByText('2 files selected').first().waitFor();
    await dialog().getByRole('button', { name: 'Select 2 files' }).click();

    await page.waitForFunction(() => (window as unknown as { picked?: unknown }).picked !== undefined);
    const blobs = await page.evaluate(() => (window as unknown as { picked: FsBlob[] }).picked);
    assert.equal(blobs.length, 2);
    for (const blob of blobs) {
      assert.equal(blob.client, 'Alfresco');
      assert.match(blob.mimetype, /^image\//);
      const served = Buffer.from(await (await fetch(blob.url)).arrayBuffer());
      const original = await contentOf(`${IMAGES}/${blob.filename}`);
      assert.equal(served.length, blob.size);
      assert.ok(served.equals(original), `${blob.filename}: the link serves other bytes`);
    }
    await dialog().waitFor({ state: 'hidden' });
  });

  test('after a reload the picker is still signed in, in the same folder', async () => {
    await page.reload();
    await startPick();
    await dialog().waitFor();

    await items().filter({ hasText: 'grass.jpg' }).first().waitFor();
    await dialog().getByRole('navigation', { name: 'Breadcrumbs' }).getByText('Images').waitFor();
  });
});
