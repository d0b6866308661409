/**
 * `tsx bench/render.ts`: how fast `<fs-browser>` shows a folder through the real companion, and how many
 * rows it keeps in the DOM, for a 100-item folder and the sandbox's 10,000-item folder. It starts the
 * local stack (sandbox, companion, Vite serving the sources), signs admin in over the companion's popup
 * flow, and renders the browser in Debian's Chromium. "First rows" is from adding the element to the
 * first rendered row (locations and the first page of 100 fetched through the companion, then virtualised
 * rendering). A benchmark, not a test: it prints figures and exits 0.
 */
import { chromium } from 'playwright-core';
import { CHROME_ARGS, findChrome } from '../src/dev/chrome.ts';
import { startStack } from '../src/dev/stack.ts';
import { SEED_PATHS } from '../src/sandbox/content/index.ts';
import { signInOverHttp } from '../test/helpers/stack-session.ts';

const CORE = '/alfresco/api/-default-/public/alfresco/versions/1';
const ADMIN = { Authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` };
const SMALL_FOLDER = 'Bench 100 items';
const ROUNDS = 5;

interface Measure {
  firstRowsMs: number;
  rows: number;
  /** Rows in the DOM after scrolling to the end of what is loaded (the 10,000 case pages on). */
  rowsAfterScroll: number;
  loadedAfterScroll: number;
}

const stack = await startStack({ demo: true, logLevel: 'warn' });
const browser = await chromium.launch({ executablePath: findChrome(), headless: true, args: CHROME_ARGS });
try {
  const sandbox = stack.urls.sandbox;
  const nodeId = async (path: string): Promise<string | undefined> => {
    const response = await fetch(`${sandbox}${CORE}/nodes/-my-?relativePath=${encodeURIComponent(path)}`, { headers: ADMIN });
    return response.ok ? ((await response.json()) as { entry: { id: string } }).entry.id : undefined;
  };
  const create = async (parent: string, name: string, nodeType: string): Promise<string> => {
    const response = await fetch(`${sandbox}${CORE}/nodes/${parent}/children`, { method: 'POST', headers: { ...ADMIN, 'Content-Type': 'application/json' }, body: JSON.stringify({ name, nodeType }) });
    if (!response.ok) throw new Error(`creating ${name}: ${response.status} ${await response.text()}`);
    return ((await response.json()) as { entry: { id: string } }).entry.id;
  };
  // The seed has no 100-item folder: make one in admin's My Files (kept if the sandbox persists).
  let small = await nodeId(SMALL_FOLDER);
  if (!small) {
    small = await create('-my-', SMALL_FOLDER, 'cm:folder');
    for (let i = 1; i <= 100; i++) await create(small, `note ${String(i).padStart(3, '0')}.txt`, 'cm:content');
  }
  const many = await nodeId(SEED_PATHS.manyFiles);
  if (!many) throw new Error('the seed has no Many Files folder');

  const demo = stack.urls.demo!;
  const { session, user } = await signInOverHttp({ companion: stack.urls.companion, apiKey: stack.apiKey, origin: new URL(demo).origin, user: 'admin' });

  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  // tsx compiles this file with esbuild's keepNames, whose __name helper the evaluated function calls.
  await page.addInitScript('window.__name = (target) => target');
  await page.goto(`${demo}/index.html`);

  const measure = (folderId: string) =>
    page.evaluate(
      async ({ folderId, companion, apiKey, session, user }) => {
        const load = (path: string) => import(/* @vite-ignore */ path) as Promise<Record<string, unknown>>;
        await load('/src/define.ts');
        const { CompanionClient } = (await load('/src/api/client.ts')) as { CompanionClient: new (options: { server: string; apiKey: string }) => unknown };
        const { storeWith } = (await load('/stories/fixtures/context.ts')) as { storeWith: (patch: unknown) => unknown };
        document.querySelector('fs-test-context')?.remove();
        const context = document.createElement('fs-test-context') as HTMLElement & { client: unknown; store: unknown; updateComplete: Promise<boolean> };
        context.client = new CompanionClient({ server: companion, apiKey });
        context.store = storeWith({ currentService: 'ALFRESCO', connection: { session, user }, folderId });
        document.body.append(context);
        await context.updateComplete;
        const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
        const start = performance.now();
        const element = document.createElement('fs-browser');
        context.append(element);
        const rows = () => element.shadowRoot?.querySelectorAll('[role="option"]') ?? [];
        while (rows().length === 0) await frame();
        const firstRowsMs = performance.now() - start;
        const count = rows().length;
        const scroller = element.shadowRoot!.querySelector<HTMLElement>('.scroller')!;
        for (let i = 0; i < 10; i++) {
          scroller.scrollTop = scroller.scrollHeight;
          await new Promise((resolve) => setTimeout(resolve, 150));
        }
        const positions = [...rows()].map((row) => Number(row.getAttribute('aria-posinset')));
        return { firstRowsMs, rows: count, rowsAfterScroll: rows().length, loadedAfterScroll: Math.max(...positions) };
      },
      { folderId, companion: stack.urls.companion, apiKey: stack.apiKey, session, user },
    );

  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const report = async (label: string, folderId: string) => {
    await measure(folderId); // warm-up: module loading, the companion's and sandbox's first calls
    const runs: Measure[] = [];
    for (let round = 0; round < ROUNDS; round++) runs.push(await measure(folderId));
    const last = runs.at(-1)!;
    console.log(
      `${label.padEnd(18)} first rows ${median(runs.map((run) => run.firstRowsMs)).toFixed(0).padStart(5)} ms (median of ${ROUNDS})` +
        `  rows in DOM ${String(last.rows).padStart(3)}` +
        `  after 10 scrolls to the end: ${last.rowsAfterScroll} rows in DOM, ${last.loadedAfterScroll} loaded`,
    );
  };
  console.log('bench/render: <fs-browser> through the real companion, Chromium 1280x800, list view (24rem item area)');
  await report('100 items', small);
  await report('10,000 items', many);
} finally {
  await browser.close();
  await stack.stop();
}
