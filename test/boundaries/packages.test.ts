/**
 * The split between the two packages (DESIGN.md, "Where things live"): browser code never imports Node
 * or companion code, and each package's files import only what a published copy of it has. The lint
 * config has the browser rule for static imports; these checks also see dynamic `import()` and
 * `import type`.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { findForbiddenImports, findUnpublishableImports, isBrowserFile, type SourceFile } from '../helpers/import-boundaries.ts';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
const SOURCE_EXTENSIONS = ['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs'];

/** Every source file under `dir` (relative to the project root), read from disk. */
function sourcesIn(dir: string): SourceFile[] {
  const root = path.join(projectRoot, dir);
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .map((rel) => path.join(root, rel))
    .filter((file) => SOURCE_EXTENSIONS.some((ext) => file.endsWith(ext)))
    .sort()
    .map((file) => ({ path: file, source: readFileSync(file, 'utf8') }));
}

const browserSources = (): SourceFile[] => [...sourcesIn('src'), ...sourcesIn('companion/portal')].filter((file) => isBrowserFile(file.path, projectRoot));

const relative = (file: string): string => path.relative(projectRoot, file).split(path.sep).join('/');

/** The packages a package.json lets its files import. */
function declaredBy(manifestPath: string): Set<string> {
  const manifest = JSON.parse(readFileSync(path.join(projectRoot, manifestPath), 'utf8')) as Record<string, Record<string, string> | undefined>;
  return new Set(['dependencies', 'optionalDependencies', 'peerDependencies'].flatMap((field) => Object.keys(manifest[field] ?? {})));
}

test('browser code imports nothing from Node, the companion, src/sandbox or src/dev', () => {
  const offenders = findForbiddenImports(browserSources(), projectRoot);
  assert.deepEqual(offenders, [], `browser code must not import server code:\n  ${offenders.join('\n  ')}`);
});

test('the browser package imports only its own published files and the packages it declares', () => {
  const files = sourcesIn('src').filter((file) => isBrowserFile(file.path, projectRoot));
  const offenders = findUnpublishableImports(files, { projectRoot, published: ['src'], unpublished: ['src/sandbox', 'src/dev'], declared: declaredBy('package.json') });
  assert.deepEqual(offenders, [], `a published fs-picker could not resolve:\n  ${offenders.join('\n  ')}`);
});

test('the companion imports only its own files and the packages it declares (the wire contract as fs-picker/protocol)', () => {
  const offenders = findUnpublishableImports(sourcesIn('companion/src'), { projectRoot, published: ['companion/src'], unpublished: [], declared: declaredBy('companion/package.json') });
  assert.deepEqual(offenders, [], `a published fs-picker-companion could not resolve:\n  ${offenders.join('\n  ')}`);
});

test('the browser checker reports node:, bare builtins, the companion and paths into the Node-only folders, and nothing else', () => {
  const at = (rel: string): string => path.join(projectRoot, rel);
  const files: SourceFile[] = [
    { path: at('src/components/reads-disk.ts'), source: "import { readFile } from 'node:fs';\nexport const r = readFile;\n" },
    { path: at('src/core/bare-builtin.ts'), source: "import fs from 'fs';\nexport default fs;\n" },
    { path: at('src/api/uses-server.ts'), source: "import type { App } from '../../companion/src/app.ts';\nexport type A = App;\n" },
    { path: at('src/api/uses-companion.ts'), source: "import { buildApp } from 'fs-picker-companion';\nexport const b = buildApp;\n" },
    { path: at('companion/portal/reads-config.ts'), source: "import { loadConfig } from '../src/config.ts';\nexport const l = loadConfig;\n" },
    {
      path: at('src/controllers/lazy-dev.ts'),
      source: "export async function load() {\n  return await import('../dev/stack.ts');\n}\n",
    },
    {
      path: at('src/components/clean.ts'),
      source: [
        "import { html, LitElement } from 'lit';",
        "import { createStore } from '../core/store.ts';",
        "export { FsOpenEvent } from '../events/fs-open.ts';",
        "// import 'node:fs' in a comment is not an import",
        "const text = \"import('../../companion/src/app.ts')\";",
        "export const deps = [html, LitElement, createStore, text, () => import('./lazy.ts')];",
      ].join('\n'),
    },
    // Node-side files may import what they like: they are not browser code.
    { path: at('companion/src/app.ts'), source: "import { createServer } from 'node:http';\nimport '../../src/sandbox/app.ts';\n" },
  ];

  assert.deepEqual(findForbiddenImports(files, projectRoot), [
    'src/components/reads-disk.ts: node:fs',
    'src/core/bare-builtin.ts: fs',
    'src/api/uses-server.ts: ../../companion/src/app.ts',
    'src/api/uses-companion.ts: fs-picker-companion',
    'companion/portal/reads-config.ts: ../src/config.ts',
    'src/controllers/lazy-dev.ts: ../dev/stack.ts',
  ]);
});

test('the package checker reports paths out of the package, into its unpublished folders, and undeclared packages', () => {
  const at = (rel: string): string => path.join(projectRoot, rel);
  const files: SourceFile[] = [
    { path: at('companion/src/routes/a.ts'), source: "import { FsError } from '../../../src/protocol/errors.ts';\nimport { x } from '../b.ts';\n" },
    { path: at('companion/src/c.ts'), source: "import Busboy from 'busboy';\nimport { Hono } from 'hono';\nimport { FsError } from 'fs-picker/protocol';\nimport { join } from 'node:path';\n" },
    { path: at('companion/src/d.ts'), source: "export const seed = () => import('../../src/sandbox/seed.ts');\n" },
  ];
  const shape = { projectRoot, published: ['companion/src'], unpublished: [], declared: new Set(['hono', 'fs-picker']) };
  assert.deepEqual(findUnpublishableImports(files, shape), [
    'companion/src/routes/a.ts: ../../../src/protocol/errors.ts',
    'companion/src/c.ts: busboy',
    'companion/src/d.ts: ../../src/sandbox/seed.ts',
  ]);
  const browser = [{ path: at('src/api/a.ts'), source: "import '../dev/stack.ts';\nimport '../core/store.ts';\n" }];
  assert.deepEqual(findUnpublishableImports(browser, { projectRoot, published: ['src'], unpublished: ['src/dev'], declared: new Set() }), ['src/api/a.ts: ../dev/stack.ts']);
});

test('the scan covers the browser sources and skips the Node-only folders', () => {
  const scanned = browserSources().map((file) => relative(file.path));
  assert.ok(scanned.includes('src/define.ts'), `src/define.ts not scanned; scanned: ${scanned.join(', ')}`);
  assert.ok(scanned.includes('src/components/fs-picker/fs-picker.ts'), 'src/components/fs-picker/fs-picker.ts not scanned');
  assert.ok(scanned.includes('companion/portal/fs-portal.ts'), 'companion/portal/fs-portal.ts not scanned');
  assert.ok(scanned.length >= 10, `only ${scanned.length} browser files found`);
  const nodeOnly = scanned.filter((file) => /^(companion\/src|src\/sandbox|src\/dev)\//.test(file));
  assert.deepEqual(nodeOnly, [], 'Node-only files were scanned as browser code');
});
