import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { buildScriptTag } from '../../src/dev/build-script-tag.ts';
import { startStack, type Stack } from '../../src/dev/stack.ts';
import { launchChromium } from '../helpers/browser.ts';

/**
 * The single-file build as a plain page uses it: one classic <script> with data-server, then v2 code in
 * callback form. Nothing else is served, so everything the picker needs must be inside the one file.
 */
describe('the script-tag build (dist/filepicker.js)', () => {
  let dir: string;
  let site: Server;
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  let gzip = 0;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fs-script-tag-'));
    ({ gzip } = await buildScriptTag({ outfile: join(dir, 'filepicker.js') }));
    site = createServer((request, response) => {
      const name = request.url === '/filepicker.js' ? 'filepicker.js' : 'index.html';
      readFile(join(dir, name)).then(
        (body) => response.writeHead(200, { 'Content-Type': name.endsWith('.js') ? 'text/javascript' : 'text/html' }).end(body),
        () => response.writeHead(404).end(),
      );
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    stack = await startStack({ demo: false, allowedOrigins: [origin], logLevel: 'warn' });
    await writeFile(
      join(dir, 'index.html'),
      `<!doctype html><html lang="en"><head><title>script tag</title></head><body>
<script src="/filepicker.js" data-server="${stack.urls.companion}"></script>
<script>filepicker.setKey(${JSON.stringify(stack.apiKey)});</script>
</body></html>`,
    );
    browser = await launchChromium();
    page = await browser.newPage();
    await page.goto(origin);
  });
  after(async () => {
    await browser?.close();
    await stack?.stop();
    site?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('is one file that defines window.filepicker with the v2 names', async () => {
    assert.ok(gzip > 0);
    const shape = await page.evaluate(() => {
      const fp = (window as unknown as { filepicker: Record<string, unknown> }).filepicker;
      return { pick: typeof fp.pick, store: typeof fp.store, FPError: typeof fp.FPError };
    });
    assert.deepEqual(shape, { pick: 'function', store: 'function', FPError: 'function' });
  });

  test('store in callback form reaches the companion named by data-server, and the link serves the bytes', async () => {
    const blob = await page.evaluate(
      () =>
        new Promise<{ url: string; filename: string; size: number }>((resolve, reject) => {
          const fp = (window as unknown as { filepicker: { store: (...args: unknown[]) => void } }).filepicker;
          fp.store(new Blob(['hello from a script tag'], { type: 'text/plain' }), { filename: 'hello.txt' }, resolve, (error: unknown) => reject(new Error(String(error))));
        }),
    );
    assert.equal(blob.filename, 'hello.txt');
    assert.ok(blob.url.startsWith(stack.urls.companion), blob.url);
    assert.equal(await (await fetch(blob.url)).text(), 'hello from a script tag');
  });

  test('pick opens the picker from the same file, and closing it calls onError with code 101', async () => {
    await page.evaluate(() => {
      const fp = (window as unknown as { filepicker: { pick: (...args: unknown[]) => void } }).filepicker;
      const state = window as unknown as { pickError?: number };
      fp.pick({}, () => undefined, (error: { code: number }) => (state.pickError = error.code));
    });
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await page.waitForFunction(() => (window as unknown as { pickError?: number }).pickError !== undefined);
    assert.equal(await page.evaluate(() => (window as unknown as { pickError: number }).pickError), 101);
  });
});
