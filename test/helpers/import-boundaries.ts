/**
 * The browser/server import boundary (DESIGN.md, "Where things live"): browser code — everything in
 * src/ outside src/server, src/sandbox and src/dev — never imports `node:*`, a Node builtin, or a file
 * in those three folders. This module is the pure checker; test/boundaries/browser-imports.test.ts
 * feeds it the real sources.
 */
import { builtinModules } from 'node:module';
import path from 'node:path';
import ts from 'typescript';

/** The folders of src/ that run in Node only. */
export const NODE_ONLY_DIRS: readonly string[] = ['server', 'sandbox', 'dev'];

/** The package's own name: `fs-picker/server` is a self-reference into src/server. */
const PACKAGE_NAME = 'fs-picker';

const NODE_BUILTINS: ReadonlySet<string> = new Set(builtinModules.filter((name) => !name.startsWith('node:')));

export interface SourceFile {
  /** Absolute path, or relative to the current directory. */
  path: string;
  source: string;
}

/**
 * The first path segment of `file` under `srcRoot` (its top folder, or its own name when it sits
 * directly in src/); undefined when it is not inside `srcRoot`.
 */
function topDirUnder(srcRoot: string, file: string): string | undefined {
  const rel = path.relative(path.resolve(srcRoot), path.resolve(file));
  if (rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep)[0];
}

/** Whether `file` is browser code: inside `srcRoot` and not in a Node-only folder. */
export function isBrowserFile(file: string, srcRoot: string): boolean {
  const top = topDirUnder(srcRoot, file);
  return top !== undefined && !NODE_ONLY_DIRS.includes(top);
}

/**
 * Every module specifier a source names: static imports (including `import type`), `export … from`,
 * dynamic `import('…')`, `import x = require('…')`, `require('…')` and `typeof import('…')`.
 * TypeScript's own pre-processor reads them, so comments and string contents are never mistaken
 * for imports.
 */
export function importSpecifiers(source: string): string[] {
  return ts.preProcessFile(source, true, true).importedFiles.map((ref) => ref.fileName);
}

/** Whether `specifier`, imported from `file`, crosses the boundary. */
function isForbidden(specifier: string, file: string, srcRoot: string): boolean {
  if (specifier.startsWith('node:')) return true;
  if (NODE_BUILTINS.has(specifier)) return true;
  if (specifier === PACKAGE_NAME || specifier.startsWith(`${PACKAGE_NAME}/`)) {
    const sub = specifier.slice(PACKAGE_NAME.length + 1).split('/')[0] ?? '';
    return NODE_ONLY_DIRS.includes(sub);
  }
  let target: string;
  if (specifier.startsWith('.')) {
    target = path.resolve(path.dirname(file), specifier);
  } else if (specifier.startsWith('/')) {
    // Root-absolute (Vite serves `/src/…` from the project root, the folder above src/).
    target = path.join(path.dirname(path.resolve(srcRoot)), specifier);
  } else {
    return false; // a bare package name
  }
  const top = topDirUnder(srcRoot, target);
  return top !== undefined && NODE_ONLY_DIRS.includes(top);
}

/**
 * The imports in browser files that break the boundary, as `file: specifier` lines (file relative to
 * the folder above `srcRoot`, with `/` separators, e.g. `src/components/x.ts: node:fs`). Files that are
 * not browser code (src/server, src/sandbox, src/dev, anything outside src/) are skipped.
 */
export function findForbiddenImports(files: readonly SourceFile[], srcRoot: string): string[] {
  const projectRoot = path.dirname(path.resolve(srcRoot));
  const offenders: string[] = [];
  for (const file of files) {
    if (!isBrowserFile(file.path, srcRoot)) continue;
    const shown = path.relative(projectRoot, path.resolve(file.path)).split(path.sep).join('/');
    for (const specifier of importSpecifiers(file.source)) {
      if (isForbidden(specifier, file.path, srcRoot)) offenders.push(`${shown}: ${specifier}`);
    }
  }
  return offenders;
}
