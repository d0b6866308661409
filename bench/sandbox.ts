/**
 * `npm run bench:sandbox`: how fast the Alfresco sandbox lists a 10,000-item folder in pages of 1,000
 * and streams its 256 MiB file, over real HTTP on loopback. The sandbox stands in for Alfresco in later
 * benchmarks, so these figures must stay well above what those benchmarks need.
 */
import { BIG_FILE_SIZE, SEED_PATHS } from '../src/sandbox/content/index.ts';
import { startSandbox } from '../src/sandbox/sandbox.ts';

const CORE = '/alfresco/api/-default-/public/alfresco/versions/1';
const headers = { Authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` };
/** Every request fails after a minute instead of hanging the run (one run on a loaded machine once sat at 0% CPU). */
const get = (url: string): Promise<Response> => fetch(url, { headers, signal: AbortSignal.timeout(60_000) });
const ms = (start: number): number => performance.now() - start;
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const startedAt = performance.now();
const sandbox = await startSandbox();
const startup = ms(startedAt);

try {
  const folder = (await (await get(`${sandbox.url}${CORE}/nodes/-my-?relativePath=${encodeURIComponent(SEED_PATHS.manyFiles)}`)).json()) as { entry: { id: string } };

  // Listing: every page of 1,000, five rounds; the first round warms up and is not counted.
  const pageTimes: number[] = [];
  let listed = 0;
  for (let round = 0; round < 6; round += 1) {
    for (let skip = 0; ; skip += 1000) {
      const start = performance.now();
      const page = (await (await get(`${sandbox.url}${CORE}/nodes/${folder.entry.id}/children?skipCount=${skip}&maxItems=1000&include=path,allowableOperations`)).json()) as {
        list: { pagination: { count: number; hasMoreItems: boolean } };
      };
      if (round > 0) {
        pageTimes.push(ms(start));
        listed += page.list.pagination.count;
      }
      if (!page.list.pagination.hasMoreItems) break;
    }
  }

  // Streaming: the 256 MiB synthetic file, read to the end three times.
  const big = (await (await get(`${sandbox.url}${CORE}/nodes/-my-?relativePath=${encodeURIComponent(`${SEED_PATHS.large}/large-256MiB.bin`)}`)).json()) as { entry: { id: string } };
  const rates: number[] = [];
  let peakRss = process.memoryUsage.rss();
  for (let run = 0; run < 3; run += 1) {
    const start = performance.now();
    const response = await get(`${sandbox.url}${CORE}/nodes/${big.entry.id}/content`);
    let bytes = 0;
    const reader = response.body!.getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      bytes += read.value.byteLength;
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
    }
    if (bytes !== BIG_FILE_SIZE) throw new Error(`streamed ${bytes} bytes, expected ${BIG_FILE_SIZE}`);
    rates.push(BIG_FILE_SIZE / 1024 / 1024 / (ms(start) / 1000));
  }

  console.log(`sandbox benchmark (${new Date().toISOString().slice(0, 10)}, Node ${process.versions.node}, loopback HTTP, client and sandbox in one process)
  start-up with the seed                ${startup.toFixed(0)} ms
  list 10,000 items in pages of 1,000   median ${median(pageTimes).toFixed(1)} ms a page, slowest ${Math.max(...pageTimes).toFixed(1)} ms (${listed} items over ${pageTimes.length} pages)
  stream the 256 MiB file               median ${median(rates).toFixed(0)} MiB/s (runs: ${rates.map((rate) => rate.toFixed(0)).join(', ')})
  peak resident memory while streaming  ${(peakRss / 1024 / 1024).toFixed(0)} MiB`);
} finally {
  await sandbox.close();
}
