import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import type { Stack } from '../../src/dev/stack.ts';
import type { FsBlob } from '../../src/protocol/blob.ts';
import { axeViolations, signInInPopup } from '../helpers/browser.ts';
import { basic, CORE } from '../helpers/sandbox.ts';
import { S3_CREDENTIALS } from '../helpers/s3rver.ts';
import { openStackInBrowser, type StackInBrowser } from '../helpers/stack-browser.ts';

const IMAGES = 'Sites/swsdp/documentLibrary/Agency Files/Images';
/** A square image (600×600), so a 400×400 or 300×300 box is filled exactly with the default fit (clip). */
const SQUARE = 'low consumption bulb.png';
/** The bucket of the stack's s3rver (src/dev/s3rver.ts). */
const BUCKET = 'fs-picker';

/**
 * The four samples of the Alfresco integration guide, run from the demo page (index.html) as a person
 * would: press a sample's Run button, sign in through the real popup, browse, select, save. Three
 * origins: the demo page (Vite), the companion and the sandbox. The effects are checked in the real parts:
 * the sandbox's content, s3rver's objects, the companion's links.
 */
describe('the guide samples on the demo page, end to end', () => {
  let e2e: StackInBrowser | undefined;
  let stack: Stack;
  let context: BrowserContext;
  let page: Page;
  let s3: S3Client;

  before(async () => {
    e2e = await openStackInBrowser();
    ({ stack, context, page } = e2e);
    s3 = new S3Client({ region: 'us-east-1', endpoint: stack.urls.s3, forcePathStyle: true, credentials: { ...S3_CREDENTIALS } });
    await page.goto(stack.urls.demo!);
    // What the samples' pickers hand over (they bubble out of the picker as fs-pick), kept for the checks.
    await page.evaluate(() => {
      document.addEventListener('fs-pick', (event) => ((window as unknown as { lastPicked?: unknown }).lastPicked = event.detail.blobs));
    });
  });
  after(async () => {
    s3?.destroy();
    await e2e?.close();
  });

  // A sample that failed half-way must not leave its dialog over the next sample's Run button.
  afterEach(async () => {
    if (await page.getByRole('dialog').isVisible()) await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
  });

  const dialog = (): Locator => page.getByRole('dialog');
  const items = (): Locator => dialog().getByRole('listbox').getByRole('option');
  const output = (sample: string): Locator => page.locator(`#${sample}-output`);

  async function run(buttonName: string): Promise<void> {
    await page.getByRole('button', { name: buttonName }).click();
  }

  /** Opens swsdp's Agency Files/Images in the open dialog, unless the picker came back there (it remembers the folder). */
  async function openImagesFolder(): Promise<void> {
    const inImages = dialog().getByRole('navigation', { name: 'Breadcrumbs' }).getByText('Images', { exact: true });
    const site = dialog().getByRole('button', { name: /Sample: Web Site Design Project/ });
    await inImages.or(site).first().waitFor();
    if (await inImages.isVisible()) return;
    await site.click();
    await items().filter({ hasText: 'Agency Files' }).first().dblclick();
    await items().filter({ hasText: 'Images' }).first().dblclick();
    await inImages.waitFor();
  }

  /** Picks one file of the Images folder: click selects it, "Select" picks it. */
  async function pickFromImages(name: string): Promise<void> {
    await dialog().waitFor();
    await openImagesFolder();
    // The name exactly: "converted_<name>", saved by sample 4, is in the same folder.
    await items().filter({ has: page.getByText(name, { exact: true }) }).first().click();
    await dialog().getByText('1 file selected').first().waitFor();
    await dialog().getByRole('button', { name: 'Select', exact: true }).click();
  }

  async function nodeAt(path: string): Promise<{ id: string; name: string } | undefined> {
    const response = await fetch(`${stack.urls.sandbox}${CORE}/nodes/-root-?relativePath=${encodeURIComponent(path)}`, { headers: { Authorization: basic('mjackson') } });
    if (response.status === 404) return undefined;
    assert.equal(response.status, 200, `${path}: the sandbox answered ${response.status}`);
    return ((await response.json()) as { entry: { id: string; name: string } }).entry;
  }

  async function contentOf(path: string): Promise<Buffer> {
    const node = await nodeAt(path);
    assert.ok(node, `${path} is not in the sandbox`);
    const response = await fetch(`${stack.urls.sandbox}${CORE}/nodes/${node.id}/content`, { headers: { Authorization: basic('mjackson') } });
    assert.equal(response.status, 200);
    return Buffer.from(await response.arrayBuffer());
  }

  async function lastPicked(): Promise<FsBlob[]> {
    await page.waitForFunction(() => (window as unknown as { lastPicked?: unknown }).lastPicked !== undefined);
    return page.evaluate(() => {
      const state = window as unknown as { lastPicked: FsBlob[] };
      const blobs = state.lastPicked;
      delete (state as { lastPicked?: unknown }).lastPicked;
      return blobs;
    });
  }

  test('the page shows each sample with its code and a Run button, and has no axe violations', async () => {
    for (const name of ['Run the upload sample', 'Run the export sample', 'Run the printed export sample', 'Run the conversion sample', 'Run the combined sample']) {
      await page.getByRole('button', { name }).waitFor();
    }
    assert.match(await page.locator('#sample-export-code').innerText(), /\/api\/file\/[^']+'/, 'the export sample names a companion link');
    assert.deepEqual(await axeViolations(page), []);
  });

  test('the Run buttons work from the keyboard: the printed export sample (empty input) fails at once with a clear error', async () => {
    await page.getByRole('button', { name: 'Run the printed export sample' }).focus();
    await page.keyboard.press('Enter');

    await output('sample-export-empty').getByText(/FPError 400.*exportFile: give the file to save/).waitFor();
    assert.equal(await dialog().count(), 0, 'no dialog opened');
  });

  test('1. pick: Alfresco is connected in the sign-in popup, and the picked link serves the sandbox’s exact bytes', async () => {
    await run('Run the upload sample');
    await dialog().waitFor();

    const popupOpened = context.waitForEvent('page');
    await dialog().getByRole('button', { name: 'Connect to Alfresco' }).click();
    const popup = await popupOpened;
    await signInInPopup(popup, 'mjackson');
    await dialog().getByText(/Mike Jackson|mjackson/).first().waitFor();

    assert.deepEqual(await axeViolations(page), [], 'the open browser is axe-clean');
    await pickFromImages('grass.jpg');

    await output('sample-pick').getByText('"filename":"grass.jpg"').waitFor();
    const blob = JSON.parse((await output('sample-pick').innerText()).trim()) as FsBlob;
    assert.equal(blob.client, 'Alfresco');
    const served = Buffer.from(await (await fetch(blob.url)).arrayBuffer());
    const original = await contentOf(`${IMAGES}/grass.jpg`);
    assert.equal(served.length, blob.size);
    assert.ok(served.equals(original), 'the link serves other bytes than the sandbox holds');
    await lastPicked();
  });

  // The guide's `mimetype: '*/*'` reaches the companion as the saved file's type and is refused ("must be a
  // MIME type like application/pdf"): src/core/call-options.ts exportOverrides should take a wildcard as
  // "any type" and use the input's. Until then this sample fails in the save form.
  test('2. exportFile saves the demo’s sample file into the chosen Alfresco folder as newFile', async () => {
    await run('Run the export sample');
    await dialog().waitFor();
    await openImagesFolder();
    const filename = dialog().getByRole('textbox', { name: 'File name' });
    assert.match(await filename.inputValue(), /^newFile(\.png)?$/);
    const saved = await filename.inputValue();
    await dialog().getByRole('button', { name: 'Save', exact: true }).click();

    await output('sample-export').getByText(/\/api\/file\//).waitFor();
    const url = (await output('sample-export').innerText()).trim();
    const node = await nodeAt(`${IMAGES}/${saved}`);
    assert.ok(node, `${saved} was not saved in Images`);
    const exported = await contentOf(`${IMAGES}/${saved}`);
    assert.ok(exported.equals(Buffer.from(await (await fetch(url)).arrayBuffer())), 'the returned link serves the saved file');
    const { width, height, format } = await sharp(exported).metadata();
    assert.deepEqual({ width, height, format }, { width: 480, height: 320, format: 'png' });
  });

  test('3. convert: the 400×400 result is in s3rver under the returned key, and the picked link is removed', async () => {
    await run('Run the conversion sample');
    await pickFromImages(SQUARE);
    const [picked] = await lastPicked();
    assert.equal(picked?.filename, SQUARE);

    await output('sample-convert').getByText('Removed').waitFor();
    const lines = (await output('sample-convert').innerText()).split('\n');
    assert.equal(lines[0], 'Conversion in progress...');
    const key = lines.find((text) => text.startsWith('File is stored under your S3: '))?.slice('File is stored under your S3: '.length).trim();
    const url = lines.find((text) => text.startsWith('Converted file url: '))?.slice('Converted file url: '.length).trim();
    assert.ok(key, `no key in ${lines.join(' | ')}`);
    assert.ok(url);

    const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    const stored = Buffer.from(await object.Body!.transformToByteArray());
    const { width, height } = await sharp(stored).metadata();
    assert.deepEqual({ width, height }, { width: 400, height: 400 });
    assert.ok(Buffer.from(await (await fetch(url)).arrayBuffer()).equals(stored), 'the converted link serves the stored object');

    assert.equal((await fetch(picked.url)).status, 404, 'the picked link still answers');
    assert.ok(await nodeAt(`${IMAGES}/${SQUARE}`), 'remove must not delete the file in Alfresco');
  });

  test('4. pick → convert 300×300 → exportFile saves converted_<name> into Alfresco; a second save of the name asks keep both or replace', async () => {
    const target = `converted_${SQUARE}`;

    await run('Run the combined sample');
    await pickFromImages(SQUARE);
    await page.getByRole('dialog', { name: 'Save to Alfresco' }).waitFor();
    await openImagesFolder();
    assert.equal(await dialog().getByRole('textbox', { name: 'File name' }).inputValue(), target);
    await dialog().getByRole('button', { name: 'Save', exact: true }).click();
    await output('sample-combined').getByText('File successfully saved!').waitFor();

    const { width, height } = await sharp(await contentOf(`${IMAGES}/${target}`)).metadata();
    assert.deepEqual({ width, height }, { width: 300, height: 300 });

    await run('Run the combined sample');
    await output('sample-combined').getByText('File successfully saved!').waitFor({ state: 'detached' });
    await pickFromImages(SQUARE);
    await page.getByRole('dialog', { name: 'Save to Alfresco' }).waitFor();
    await openImagesFolder();
    await dialog().getByRole('button', { name: 'Save', exact: true }).click();

    await dialog().getByText(`A file named “${target}” already exists here.`).waitFor();
    await dialog().getByRole('button', { name: 'Replace it' }).waitFor();
    const keepBoth = dialog().getByRole('button', { name: /^Keep both/ });
    assert.equal(await keepBoth.innerText(), 'Keep both (save as “converted_low consumption bulb-1.png”)');
    assert.deepEqual(await axeViolations(page), [], 'the conflict question is axe-clean');
    await keepBoth.click();

    await output('sample-combined').getByText('File successfully saved!').waitFor();
    assert.ok(await nodeAt(`${IMAGES}/converted_low consumption bulb-1.png`), 'keep both saved a second, numbered file');
  });
});

