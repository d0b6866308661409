/**
 * Browser code never imports Node or server code (DESIGN.md, "Where things live"): no `node:*`, no
 * Node builtin, nothing from src/server, src/sandbox or src/dev. The lint config has the same rule for
 * static imports; this check also sees dynamic `import()` and `import type`.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { findForbiddenImports, isBrowserFile, type SourceFile } from '../helpers/import-boundaries.ts';

const srcRoot = fileURLToPath(new URL('../../src/', import.meta.url));
const SOURCE_EXTENSIONS = ['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs'];

/** Every browser source file under src/, read from disk. */
function browserSources(): SourceFile[] {
  return readdirSync(srcRoot, { recursive: true, encoding: 'utf8' })
    .map((rel) => path.join(srcRoot, rel))
    .filter((file) => SOURCE_EXTENSIONS.some((ext) => file.endsWith(ext)) && isBrowserFile(file, srcRoot))
    .sort()
    .map((file) => ({ path: file, source: readFileSync(file, 'utf8') }));
}

const relative = (file: string): string => path.relative(srcRoot, file).split(path.sep).join('/');

test('browser code imports nothing from Node, src/server, src/sandbox or src/dev', () => {
  const offenders = findForbiddenImports(browserSources(), srcRoot);
  assert.deepEqual(offenders, [], `browser code must not import server code:\n  ${offenders.join('\n  ')}`);
});

test('the checker reports node:, bare builtins and paths into the Node-only folders, and nothing else', () => {
  const at = (rel: string): string => path.join(srcRoot, rel);
  const files: SourceFile[] = [
    { path: at('components/reads-disk.ts'), source: "import { readFile } from 'node:fs';\nexport const r = readFile;\n" },
    { path: at('core/bare-builtin.ts'), source: "import fs from 'fs';\nexport default fs;\n" },
    { path: at('api/uses-server.ts'), source: "import type { App } from '../server/app.ts';\nexport type A = App;\n" },
    {
      path: at('controllers/lazy-dev.ts'),
      source: "export async function load() {\n  return await import('../dev/stack.ts');\n}\n",
    },
    {
      path: at('components/clean.ts'),
      source: [
        "import { html, LitElement } from 'lit';",
        "import { createStore } from '../core/store.ts';",
        "export { FsOpenEvent } from '../events/fs-open.ts';",
        "// import 'node:fs' in a comment is not an import",
        "const text = \"import('../server/app.ts')\";",
        "export const deps = [html, LitElement, createStore, text, () => import('./lazy.ts')];",
      ].join('\n'),
    },
    // Node-side files may import what they like: they are not browser code.
    { path: at('server/app.ts'), source: "import { createServer } from 'node:http';\nimport '../sandbox/app.ts';\n" },
  ];

  assert.deepEqual(findForbiddenImports(files, srcRoot), [
    'src/components/reads-disk.ts: node:fs',
    'src/core/bare-builtin.ts: fs',
    'src/api/uses-server.ts: ../server/app.ts',
    'src/controllers/lazy-dev.ts: ../dev/stack.ts',
  ]);
});

test('the scan covers the browser sources and skips the Node-only folders', () => {
  const scanned = browserSources().map((file) => relative(file.path));
  assert.ok(scanned.includes('define.ts'), `src/define.ts not scanned; scanned: ${scanned.join(', ')}`);
  assert.ok(scanned.includes('components/fs-picker/fs-picker.ts'), 'src/components/fs-picker/fs-picker.ts not scanned');
  assert.ok(scanned.length >= 10, `only ${scanned.length} browser files found`);
  const nodeOnly = scanned.filter((file) => /^(server|sandbox|dev)\//.test(file));
  assert.deepEqual(nodeOnly, [], 'Node-only files were scanned as browser code');
});
