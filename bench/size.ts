/**
 * `npm run bench:size`: what a host page downloads for fs-picker, built the way toolchain.md measured the
 * other pickers: Vite library mode, ES module, fully minified, target es2022, everything inlined (lit too),
 * nothing written to disk. Sizes are the sum over every emitted JS chunk and CSS asset, each gzipped on
 * its own at level 9 (one file, one response); 1 kB = 1000 bytes. A benchmark, not a test: over budget
 * prints a warning and still exits 0.
 */
import { fileURLToPath } from 'node:url';
import { constants, gzipSync } from 'node:zlib';
import { build } from 'vite';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const ENTRIES = [
  { label: 'fs-picker open path', entry: 'src/define.ts' },
  { label: 'v2 global', entry: 'src/filepicker.ts' },
] as const;

/** Built the same way, gzip -9 kB; toolchain.md "What each browser dependency costs". */
const MEASURED_ON = '2026-11-28 per toolchain notes, not by this run';
const REFERENCES = [
  { label: 'Uppy core + Dashboard', gzipKb: 82.3 },
  { label: 'Uploadcare regular uploader', gzipKb: 116.3 },
  { label: 'filestack-js picker entry', gzipKb: 121.1 },
] as const;
/** Our goal for what a page loads to open the picker: a third of the smallest of those. */
const BUDGET_KB = Math.min(...REFERENCES.map((r) => r.gzipKb)) / 3;

interface Size {
  files: number;
  min: number;
  gzip: number;
  /** The part only reached through dynamic import(), already counted in min/gzip. */
  lazyGzip: number;
}

async function measure(entry: string): Promise<Size> {
  const result = await build({
    configFile: false,
    root: ROOT,
    mode: 'production',
    logLevel: 'silent',
    build: {
      write: false,
      target: 'es2022',
      minify: true,
      copyPublicDir: false,
      reportCompressedSize: false,
      lib: { entry, formats: ['es'] },
      rolldownOptions: {
        external: [],
        // In an ES library build Vite keeps whitespace and /* @__PURE__ */ comments (for the host's own
        // bundler). A page downloads fully minified code, and the reference figures were measured that
        // way (lit alone comes out at toolchain.md's 5.7 kB only like this), so minify fully.
        output: { minify: true, comments: false },
      },
    },
  });
  // Library mode answers with one output per format; we asked for one.
  const outputs = Array.isArray(result) ? result : [result];
  const [first] = outputs;
  if (outputs.length !== 1 || !first || !('output' in first)) throw new Error(`Expected one in-memory build of ${entry}.`);
  const output = first.output;

  const chunks = output.filter((o) => o.type === 'chunk');
  // Chunks the entry loads up front: itself and its static imports, transitively.
  const initial = new Set<string>();
  const visit = (fileName: string): void => {
    if (initial.has(fileName)) return;
    initial.add(fileName);
    for (const imported of chunks.find((c) => c.fileName === fileName)?.imports ?? []) visit(imported);
  };
  for (const chunk of chunks) if (chunk.isEntry) visit(chunk.fileName);

  const size: Size = { files: 0, min: 0, gzip: 0, lazyGzip: 0 };
  for (const item of output) {
    let bytes: Uint8Array;
    if (item.type === 'chunk') bytes = Buffer.from(item.code);
    else if (item.fileName.endsWith('.css')) bytes = typeof item.source === 'string' ? Buffer.from(item.source) : item.source;
    else continue;
    const gzip = gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION }).length;
    size.files += 1;
    size.min += bytes.length;
    size.gzip += gzip;
    if (item.type === 'chunk' && !initial.has(item.fileName)) size.lazyGzip += gzip;
  }
  return size;
}

const kb = (bytes: number): string => (bytes / 1000).toFixed(1);

const sizes = new Map<string, Size>();
for (const { entry } of ENTRIES) sizes.set(entry, await measure(entry));

const rows: string[][] = [
  ['bundle', 'files', 'min kB', 'gzip -9 kB', 'measured'],
  ...ENTRIES.map(({ label, entry }) => {
    const size = sizes.get(entry)!;
    return [`${label} (${entry})`, String(size.files), kb(size.min), kb(size.gzip), 'by this run'];
  }),
  ...REFERENCES.map(({ label, gzipKb }) => [label, '', '', gzipKb.toFixed(1), MEASURED_ON]),
  ['budget: 1/3 of the smallest above', '', '', BUDGET_KB.toFixed(1), ''],
];
const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
const LEFT_ALIGNED = new Set([0, 4]);
for (const row of rows) {
  console.log(row.map((cell, column) => (LEFT_ALIGNED.has(column) ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ').trimEnd());
}

const open = sizes.get('src/define.ts')!;
const initial = open.gzip - open.lazyGzip;
console.log('');
// What opening costs is what the page must load before the dialog can show: the entry and its static
// imports. The views, the virtualizer and the option schemas come later with import(), while the person
// looks at the sources (the picker starts fetching them as soon as it is defined).
console.log(`fs-picker open path: ${kb(initial)} kB min+gzip up front (budget ${BUDGET_KB.toFixed(1)} kB); ${kb(open.lazyGzip)} kB more loaded with import(); ${kb(open.gzip)} kB in all`);
if (initial / 1000 > BUDGET_KB) console.log(`WARNING: the open path is over budget: ${kb(initial)} kB > ${BUDGET_KB.toFixed(1)} kB min+gzip.`);
