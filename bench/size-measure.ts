/**
 * How bench/size.ts and the size budget test (test/package/size-budget.test.ts) measure a bundle: Vite 8
 * library mode, ES module, fully minified, target es2022, everything inlined (lit too), nothing written
 * to disk unless `outDir` is given. Each emitted JS chunk and CSS asset is compressed on its own (one
 * file, one response): gzip at level 9 and brotli at quality 11 (zlib's brotliCompressSync defaults).
 * "Up front" is the entry and its static imports, transitively; the rest is only reached with import().
 */
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'vite';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface Bytes {
  /** Minified bytes. */
  min: number;
  gzip: number;
  brotli: number;
}

export interface BundleSize {
  files: number;
  /** Every chunk and CSS asset. */
  total: Bytes;
  /** The entry chunks, their static imports and the CSS: what a page loads before it can open anything. */
  initial: Bytes;
  /** Only reached through dynamic import(); total − initial. */
  lazy: Bytes;
}

export interface MeasureOptions {
  /** Vite's root: where the entry is resolved from (default the repository). */
  root?: string;
  /** Write the build there (for serving it); by default nothing is written. */
  outDir?: string;
  /** Minify (default); false keeps names readable, for CPU profiles. */
  minify?: boolean;
}

const zero = (): Bytes => ({ min: 0, gzip: 0, brotli: 0 });
const add = (sum: Bytes, bytes: Bytes): void => {
  sum.min += bytes.min;
  sum.gzip += bytes.gzip;
  sum.brotli += bytes.brotli;
};

/** The sizes of one file's bytes: minified as given, gzip -9, brotli quality 11. */
export function sizesOf(bytes: Uint8Array): Bytes {
  return {
    min: bytes.length,
    gzip: gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY } }).length,
  };
}

/** Builds `entry` (a path relative to `root`, or absolute) and measures what it emits. */
export async function measureBundle(entry: string, { root = ROOT, outDir, minify = true }: MeasureOptions = {}): Promise<BundleSize> {
  const result = await build({
    configFile: false,
    root,
    mode: 'production',
    logLevel: 'silent',
    // A library build leaves process.env.NODE_ENV for the host's bundler, whose app build replaces it;
    // left in, Uploadcare throws "process is not defined" in the browser.
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    build: {
      write: Boolean(outDir),
      ...(outDir ? { outDir, emptyOutDir: true } : {}),
      target: 'es2022',
      minify,
      cssMinify: minify,
      copyPublicDir: false,
      reportCompressedSize: false,
      lib: { entry, formats: ['es'], fileName: () => 'entry.js', cssFileName: 'entry' },
      rolldownOptions: {
        external: [],
        // In an ES library build Vite keeps whitespace and /* @__PURE__ */ comments (for the host's own
        // bundler). A page downloads fully minified code, and the reference figures were measured that
        // way (lit alone comes out at toolchain.md's 5.7 kB only like this), so minify fully.
        output: { minify, comments: false },
      },
    },
  });
  // Library mode answers with one output per format; we asked for one.
  const outputs = Array.isArray(result) ? result : [result];
  const [first] = outputs;
  if (outputs.length !== 1 || !first || !('output' in first)) throw new Error(`Expected one build of ${entry}.`);
  const output = first.output;

  const chunks = output.filter((o) => o.type === 'chunk');
  const initial = new Set<string>();
  const visit = (fileName: string): void => {
    if (initial.has(fileName)) return;
    initial.add(fileName);
    for (const imported of chunks.find((c) => c.fileName === fileName)?.imports ?? []) visit(imported);
  };
  for (const chunk of chunks) if (chunk.isEntry) visit(chunk.fileName);

  const size: BundleSize = { files: 0, total: zero(), initial: zero(), lazy: zero() };
  for (const item of output) {
    let bytes: Uint8Array;
    if (item.type === 'chunk') bytes = Buffer.from(item.code);
    else if (item.fileName.endsWith('.css')) bytes = typeof item.source === 'string' ? Buffer.from(item.source) : item.source;
    else continue;
    const sizes = sizesOf(bytes);
    size.files += 1;
    add(size.total, sizes);
    // A library build's CSS is one file the page links next to the entry: up front.
    add(item.type === 'chunk' && !initial.has(item.fileName) ? size.lazy : size.initial, sizes);
  }
  return size;
}

/** The budget file checked into the repository: the open path's min+gzip bytes may not grow past it. */
export const BUDGET_FILE = new URL('./size-budget.json', import.meta.url);
export interface SizeBudget {
  entry: string;
  /** Bytes of min+gzip up front (entry + static imports). */
  initialGzipBytes: number;
  note: string;
}
