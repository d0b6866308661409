/**
 * The single-file script-tag build: `dist/filepicker.js`, one classic (IIFE) script that a page loads with
 *
 *   <script src="https://files.example.com/filepicker.js" data-server="https://files.example.com"></script>
 *
 * and that defines `window.filepicker` (src/filepicker.ts). Everything is inlined — the v2 global, the
 * promise API, the elements and lit — so there is nothing else to serve: the dynamic `import()`s that
 * keep the elements off the module build's first load become inline code here (one file, one request).
 * Minified, target es2022, lit's production build, with a source map beside it.
 *
 * Run with `npm run build:script` (tsx src/dev/build-script-tag.ts); `--outfile <path>` writes elsewhere.
 * Prints the size, minified and gzipped.
 */
import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, constants } from 'node:zlib';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface ScriptBuildOptions {
  /** Where the script goes; default dist/filepicker.js under the repository. */
  outfile?: string;
  /** Minify (default true). */
  minify?: boolean;
}

/** Builds the script; resolves with its path and sizes in bytes. */
export async function buildScriptTag({ outfile = resolve(ROOT, 'dist/filepicker.js'), minify = true }: ScriptBuildOptions = {}): Promise<{ outfile: string; bytes: number; gzip: number }> {
  await build({
    absWorkingDir: ROOT,
    entryPoints: ['src/filepicker.ts'],
    outfile,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify,
    sourcemap: true,
    legalComments: 'none',
    // lit's production build (its "development" export condition stays off).
    conditions: ['browser', 'production'],
    define: { 'process.env.NODE_ENV': '"production"', 'import.meta.url': 'undefined' },
    tsconfig: resolve(ROOT, 'tsconfig.json'),
    logLevel: 'warning',
  });
  const code = await readFile(outfile);
  return { outfile, bytes: code.length, gzip: gzipSync(code, { level: constants.Z_BEST_COMPRESSION }).length };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--outfile');
  const outfile = at > 0 && process.argv[at + 1] ? resolve(process.argv[at + 1]!) : undefined;
  const { outfile: written, bytes, gzip } = await buildScriptTag(outfile ? { outfile } : {});
  console.log(`${relative(process.cwd(), written)}: ${(bytes / 1000).toFixed(1)} kB minified, ${(gzip / 1000).toFixed(1)} kB gzipped`);
}
