/**
 * `npm run bench:listing [-- --rounds=15]`: folder listings through the companion against the same
 * Alfresco (sandbox) calls made directly, over loopback HTTP, alternating the two, medians reported as
 * ratios. The issues set no goal for listings; this flags a companion slower than 1.5× the direct call.
 *
 * 1. A page of 1,000 from the seed's 10,000-item "Many Files": `GET /api/alfresco/folders/:id?pageSize=1000`
 *    against `GET …/nodes/:id/children?maxItems=1000` with the companion's orderBy and include.
 * 2. A filtered listing where 1 in 50 files matches: a folder of 5,000 files of which every 50th is a PDF
 *    (made in admin's My Files through the sandbox's REST API on the first run), `accept=.pdf`, a page of
 *    100: the companion pages through all 5,000 upstream and answers the 100 PDFs; the direct side is what
 *    a client without the companion does for the same answer: every page of 1,000, filtered by name.
 *
 * Everything runs in this one process (src/dev/stack.ts: sandbox, companion, client), alike for both
 * sides. On a shared machine absolute times drift; compare the ratios.
 */
import { startStack } from '../src/dev/stack.ts';
import { SEED_PATHS } from '../src/sandbox/content/index.ts';
import { signInOverHttp } from '../test/helpers/stack-session.ts';
import { ADMIN, CORE, sandboxNodes } from './sandbox-nodes.ts';
import { median, printTable } from './table.ts';

const ORIGIN = 'http://bench.example';
const FILTER_FOLDER = 'Bench 1 in 50';
const FILTER_FILES = 5000;
const ORDER = 'isFolder DESC,name ASC';
const ROUNDS = Number(process.argv.find((a) => a.startsWith('--rounds='))?.slice(9) ?? 15);

const stack = await startStack({ demo: false, allowedOrigins: [ORIGIN], logLevel: 'warn' });
try {
  const sandbox = stack.urls.sandbox;
  const { nodeId, create } = sandboxNodes(sandbox);
  const many = await nodeId(SEED_PATHS.manyFiles);
  if (!many) throw new Error('the seed has no Many Files folder');
  let filtered = await nodeId(FILTER_FOLDER);
  if (!filtered) {
    const started = performance.now();
    const folder = (filtered = await create('-my-', FILTER_FOLDER, 'cm:folder'));
    const names = Array.from({ length: FILTER_FILES }, (_, i) => `file ${String(i + 1).padStart(5, '0')}.${(i + 1) % 50 === 0 ? 'pdf' : 'txt'}`);
    for (let i = 0; i < names.length; i += 25) await Promise.all(names.slice(i, i + 25).map((name) => create(folder, name, 'cm:content')));
    console.log(`made "${FILTER_FOLDER}" (${FILTER_FILES} files, ${FILTER_FILES / 50} PDFs) in admin's My Files in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }

  const { session } = await signInOverHttp({ companion: stack.urls.companion, apiKey: stack.apiKey, origin: ORIGIN, user: 'admin' });
  const viaCompanion = async (folderId: string, query: Record<string, string>): Promise<number> => {
    const url = new URL(`${stack.urls.companion}/api/alfresco/folders/${folderId}`);
    url.search = new URLSearchParams({ key: stack.apiKey, ...query }).toString();
    const response = await fetch(url, { headers: { Authorization: `Bearer ${session}`, Origin: ORIGIN } });
    if (!response.ok) throw new Error(`companion listing: ${response.status} ${await response.text()}`);
    return ((await response.json()) as { items: unknown[] }).items.length;
  };
  const direct = async (folderId: string, skipCount: number, maxItems: number) => {
    const url = `${sandbox}${CORE}/nodes/${folderId}/children?skipCount=${skipCount}&maxItems=${maxItems}&orderBy=${encodeURIComponent(ORDER)}&include=allowableOperations`;
    const response = await fetch(url, { headers: ADMIN });
    if (!response.ok) throw new Error(`direct listing: ${response.status}`);
    return ((await response.json()) as { list: { entries: Array<{ entry: { name: string } }>; pagination: { hasMoreItems: boolean } } }).list;
  };
  const directFiltered = async (folderId: string, extension: string, pageSize: number): Promise<number> => {
    let kept = 0;
    for (let skip = 0; kept < pageSize; skip += 1000) {
      const list = await direct(folderId, skip, 1000);
      kept += list.entries.filter(({ entry }) => entry.name.endsWith(extension)).length;
      if (!list.pagination.hasMoreItems) break;
    }
    return Math.min(kept, pageSize);
  };

  const time = async (work: () => Promise<number>): Promise<{ ms: number; items: number }> => {
    const start = performance.now();
    const items = await work();
    return { ms: performance.now() - start, items };
  };
  /** What the companion asks upstream for a page of 1,000 (companion/src/routes/browse.ts and fillPage), made directly. */
  const companionUpstream = async (folderId: string): Promise<number> => {
    const [{ entries }] = await Promise.all([
      direct(folderId, 0, 1000),
      fetch(`${sandbox}${CORE}/nodes/${folderId}?include=allowableOperations,path`, { headers: ADMIN }).then((r) => r.arrayBuffer()),
    ]);
    return entries.length;
  };
  interface Case { label: string; companion: () => Promise<number>; direct: () => Promise<number>; directLabel: string; upstream?: () => Promise<number> }
  const cases: Case[] = [
    {
      label: 'page of 1,000 (10,000-item folder)',
      companion: () => viaCompanion(many, { pageSize: '1000' }),
      direct: async () => (await direct(many, 0, 1000)).entries.length,
      directLabel: 'children?maxItems=1000',
      upstream: () => companionUpstream(many),
    },
    {
      label: `1 in 50 match: accept=.pdf, page of 100 (${FILTER_FILES.toLocaleString('en')} files)`,
      companion: () => viaCompanion(filtered, { pageSize: '100', accept: '.pdf' }),
      direct: () => directFiltered(filtered, '.pdf', 100),
      directLabel: `${FILTER_FILES / 1000} pages of 1,000, filtered`,
    },
  ];
  const rows: string[][] = [];
  for (const test of cases) {
    await test.direct(); // warm-up
    await test.companion();
    const companion: number[] = [];
    const straight: number[] = [];
    const upstream: number[] = [];
    let items = { companion: 0, direct: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate which side goes first, so drift and caches hit both alike.
      const order = round % 2 ? [test.companion, test.direct] : [test.direct, test.companion];
      for (const run of order) {
        const { ms, items: count } = await time(run);
        if (run === test.companion) {
          companion.push(ms);
          items.companion = count;
        } else {
          straight.push(ms);
          items.direct = count;
        }
      }
      if (test.upstream) upstream.push((await time(test.upstream)).ms);
    }
    const ratio = median(companion) / median(straight);
    rows.push([
      test.label,
      `${median(straight).toFixed(1)} (${test.directLabel})`,
      median(companion).toFixed(1),
      upstream.length ? `${median(upstream).toFixed(1)} (${(median(upstream) / median(straight)).toFixed(2)}×)` : '—',
      `${items.direct}/${items.companion}`,
      `${ratio.toFixed(2)}×`,
      ratio <= 1.5 ? 'ok' : 'ABOVE 1.5×',
    ]);
    items = { companion: 0, direct: 0 };
  }
  console.log(`bench/listing (${new Date().toISOString().slice(0, 10)}): companion vs direct sandbox calls, median of ${ROUNDS}, alternating; one process, loopback HTTP`);
  printTable(['listing', 'direct ms', 'companion ms', 'its upstream calls, made directly', 'items d/c', 'companion/direct', '≤ 1.5×'], rows, [0, 1]);
  console.log('"its upstream calls, made directly": the folder (include=allowableOperations,path) and children 0–999, in parallel — what the companion asks the sandbox for one page of 1,000.');
} finally {
  await stack.stop();
}
