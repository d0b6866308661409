import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Browser, ConsoleMessage } from 'playwright-core';
import { axeViolations, launchChromium } from '../helpers/browser.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml' };

/** Serves a folder over loopback, the way any static host would serve the Storybook build. */
function serve(dir: string): Promise<Server> {
  const server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(dir, path.endsWith('/') ? `${path}index.html` : path);
    stat(file).then(
      () => {
        response.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
        createReadStream(file).pipe(response);
      },
      () => response.writeHead(404).end(),
    );
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Every story of the Storybook build renders: its element is defined, draws something, nothing throws, and axe finds nothing. */
describe('the Storybook build', () => {
  let out: string;
  let server: Server;
  let browser: Browser;
  let stories: { id: string; title: string; name: string }[];

  before(async () => {
    out = await mkdtemp(join(tmpdir(), 'fs-storybook-'));
    const bin = join(ROOT, 'node_modules/.bin');
    for (const config of ['custom-elements-manifest.config.mjs', 'custom-elements-manifest.portal.mjs']) await promisify(execFile)(join(bin, 'cem'), ['analyze', '--config', config], { cwd: ROOT });
    await promisify(execFile)(join(bin, 'storybook'), ['build', '-o', out, '--quiet'], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, STORYBOOK_DISABLE_TELEMETRY: '1' } });
    const index = JSON.parse(await readFile(join(out, 'index.json'), 'utf8')) as { entries: Record<string, { id: string; type: string; title: string; name: string }> };
    stories = Object.values(index.entries).filter((entry) => entry.type === 'story');
    server = await serve(out);
    browser = await launchChromium();
  }, { timeout: 600_000 });
  after(async () => {
    await browser?.close();
    server?.close();
    if (out) await rm(out, { recursive: true, force: true });
  });

  test('every story renders without an error and passes axe', { timeout: 900_000 }, async () => {
    assert.ok(stories.length >= 40, `only ${stories.length} stories`);
    const { port } = server.address() as AddressInfo;
    const page = await browser.newPage();
    const failures: string[] = [];
    for (const story of stories) {
      const errors: string[] = [];
      const onError = (error: Error) => errors.push(error.message);
      // Storybook warns when a story's component has no entry in the manifests: its controls stay empty.
      const onConsole = (message: ConsoleMessage) => message.text().includes('custom-elements.json') && errors.push(message.text());
      page.on('pageerror', onError);
      page.on('console', onConsole);
      await page.goto(`http://127.0.0.1:${port}/iframe.html?id=${story.id}&viewMode=story`);
      await page.waitForFunction(() => document.body.classList.contains('sb-show-main') || document.body.classList.contains('sb-show-errordisplay'), undefined, { timeout: 15000 });
      const shown = await page.evaluate(() => ({
        error: document.body.classList.contains('sb-show-errordisplay') ? document.querySelector('#error-message')?.textContent : undefined,
        undefinedTags: [...document.querySelectorAll('#storybook-root *')].map((node) => node.localName).filter((tag) => tag.startsWith('fs-') && !customElements.get(tag)),
        drawn: (document.querySelector('#storybook-root')?.getBoundingClientRect().height ?? 0) > 0 || document.querySelector('dialog[open]') !== null,
      }));
      page.off('pageerror', onError);
      page.off('console', onConsole);
      if (shown.error) failures.push(`${story.title} / ${story.name}: ${shown.error}`);
      else if (shown.undefinedTags.length > 0) failures.push(`${story.title} / ${story.name}: undefined ${shown.undefinedTags.join(', ')}`);
      else if (!shown.drawn) failures.push(`${story.title} / ${story.name}: nothing drawn`);
      else if (errors.length > 0) failures.push(`${story.title} / ${story.name}: ${errors.join('; ')}`);
      else {
        const violations = await axeViolations(page, { fragment: true });
        if (violations.length > 0) failures.push(`${story.title} / ${story.name}: axe ${violations.join(', ')}`);
      }
    }
    assert.deepEqual(failures, []);
  });
});
