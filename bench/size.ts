/**
 * `npm run bench:size`: what a host page downloads to open each picker, every one built in this run the
 * same way (bench/size-measure.ts: Vite 8 library mode, ES module, fully minified, target es2022,
 * everything inlined, CSS included, nothing written to disk). The competitors' entries (bench/contenders.ts)
 * are written into a temporary folder and resolve the packages from the repository's node_modules.
 * Sizes are the sum over every emitted JS chunk and CSS asset, each compressed on its own (gzip -9,
 * brotli q11); 1 kB = 1000 bytes. Goal: fs-picker's open path ≤ 1/3 of the smallest of the others
 * (min+gzip). A benchmark, not a test: over budget prints a warning and still exits 0; the guard that
 * fails `npm test` is test/package/size-budget.test.ts with bench/size-budget.json.
 */
import { CONTENDERS, writeEntries } from './contenders.ts';
import { measureBundle, type Bytes, type BundleSize } from './size-measure.ts';
import { printTable } from './table.ts';

const kb = (bytes: number): string => (bytes / 1000).toFixed(1);

const ours = await measureBundle('src/define.ts');
const v2 = await measureBundle('src/filepicker.ts');
const { dir, entries, remove } = await writeEntries();
const others: Array<{ label: string; size: BundleSize }> = [];
try {
  for (const contender of CONTENDERS) {
    if (contender.id === 'fs-picker') continue;
    others.push({ label: contender.label, size: await measureBundle(entries.get(contender.id)!, { root: dir }) });
  }
} finally {
  await remove();
}
const smallest = others.reduce((a, b) => (b.size.total.gzip < a.size.total.gzip ? b : a));
const ratio = (bytes: Bytes) => `${(bytes.gzip / smallest.size.total.gzip).toFixed(2)}×`;
const row = (label: string, files: number | string, bytes: Bytes): string[] => [label, String(files), kb(bytes.min), kb(bytes.gzip), kb(bytes.brotli), ratio(bytes)];

console.log(`bench/size (${new Date().toISOString().slice(0, 10)}): Vite library build, minified, es2022, all inlined; each file compressed on its own`);
printTable(
  ['bundle', 'files', 'min kB', 'min+gzip kB', 'min+brotli kB', `gzip vs ${smallest.label.split(' ')[0]}`],
  [
    row('fs-picker open path: up front (define.ts + static imports + CSS)', '', ours.initial),
    row('fs-picker open path: loaded with import() (views)', '', ours.lazy),
    row('fs-picker open path: total (src/define.ts)', ours.files, ours.total),
    row('fs-picker v2 global: total (src/filepicker.ts)', v2.files, v2.total),
    ...others.map(({ label, size }) => row(label, size.files, size.total)),
  ],
  [0],
);
const budget = smallest.size.total.gzip / 3;
console.log(`goal: up front ≤ 1/3 of the smallest other (${smallest.label}, ${kb(smallest.size.total.gzip)} kB) = ${kb(budget)} kB min+gzip`);
console.log(`fs-picker up front ${kb(ours.initial.gzip)} kB = ${(ours.initial.gzip / smallest.size.total.gzip).toFixed(2)}× the smallest other: ${ours.initial.gzip <= budget ? 'goal met' : 'ABOVE GOAL'}`);
console.log(`fs-picker total    ${kb(ours.total.gzip)} kB = ${(ours.total.gzip / smallest.size.total.gzip).toFixed(2)}× (but open() awaits the views: see bench/open.ts)`);
