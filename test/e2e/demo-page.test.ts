import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startStack, type Stack } from '../../src/dev/stack.ts';
import { axeViolations, launchChromium } from '../helpers/browser.ts';

describe('the demo page, through the whole local stack', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;

  before(async () => {
    stack = await startStack({ logLevel: 'warn' });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  test('opens the picker and shows the sources the companion fetched from the sandbox', async () => {
    page = await browser.newPage();
    await page.goto(stack.urls.demo!);

    await page.getByRole('button', { name: 'Open the file picker' }).click();

    const dialog = page.getByRole('dialog', { name: 'Choose files' });
    await dialog.waitFor();
    const sources = dialog.getByRole('list', { name: 'Sources' }).getByRole('button');
    await sources.first().waitFor();
    assert.deepEqual(
      (await sources.allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim()),
      [
        'Alfresco Alfresco Community 23.2.0',
        ...(stack.urls.webdav ? [`WebDAV WebDAV at ${new URL(stack.urls.webdav).host}`] : []),
        `CMIS CMIS 1.1 at ${new URL(stack.urls.sandbox).host}`,
        'My Computer',
        'Link (URL)',
      ],
    );
  });

  test('the open picker has no axe violations', async () => {
    assert.deepEqual(await axeViolations(page), []);
  });

  test('choosing a source is marked and reaches the host page as an event', async () => {
    const alfresco = page.getByRole('button', { name: /^Alfresco/ });
    await alfresco.click();

    assert.equal(await alfresco.getAttribute('aria-current'), 'true');
    await page.locator('#log', { hasText: 'fs-service-change {"service":"ALFRESCO"}' }).waitFor();
  });

  test('Escape closes the dialog and focus returns to the button that opened it', async () => {
    await page.keyboard.press('Escape');

    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'open-picker');
    await page.locator('#log', { hasText: 'fs-close {"reason":"escape"}' }).waitFor();
  });
});
