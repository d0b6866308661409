/**
 * The import boundaries of the two packages (DESIGN.md, "Where things live"), as pure checks over source
 * text; test/boundaries/ feeds them the real sources.
 *
 * - Browser code (src/ outside src/sandbox and src/dev, and the portal's elements in companion/portal/)
 *   never imports `node:*`, a Node builtin, the companion or a file in a Node-only folder.
 * - The companion (companion/src/) reaches outside its own folder only through packages: the wire
 *   contract by its published name, `fs-picker/protocol`, never by a path into src/.
 * - A published file imports only packages its package.json declares, so an install that does not hoist
 *   the repository's other packages beside it still runs.
 */
import { builtinModules } from 'node:module';
import path from 'node:path';
import ts from 'typescript';

/** Folders, relative to the project root, that run in Node only. */
export const NODE_ONLY_DIRS: readonly string[] = ['companion/src', 'src/sandbox', 'src/dev'];

/** Folders, relative to the project root, whose files run in the browser (less the Node-only ones). */
export const BROWSER_DIRS: readonly string[] = ['src', 'companion/portal'];

const COMPANION_PACKAGE = 'fs-picker-companion';

const NODE_BUILTINS: ReadonlySet<string> = new Set(builtinModules.filter((name) => !name.startsWith('node:')));

export interface SourceFile {
  /** Absolute path, or relative to the current directory. */
  path: string;
  source: string;
}

/** `file` relative to `root` with `/` separators; undefined when it is not inside `root`. */
function under(root: string, file: string): string | undefined {
  const rel = path.relative(path.resolve(root), path.resolve(file));
  if (rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join('/');
}

const inDir = (rel: string, dir: string): boolean => rel === dir || rel.startsWith(`${dir}/`);
const inNodeOnlyDir = (rel: string): boolean => NODE_ONLY_DIRS.some((dir) => inDir(rel, dir));

/** Whether `file` is browser code: inside a browser folder of `projectRoot` and not in a Node-only one. */
export function isBrowserFile(file: string, projectRoot: string): boolean {
  const rel = under(projectRoot, file);
  return rel !== undefined && BROWSER_DIRS.some((dir) => inDir(rel, dir)) && !inNodeOnlyDir(rel);
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

/** The file a relative or root-absolute specifier names, relative to `projectRoot`; undefined for a package. */
function targetOf(specifier: string, file: string, projectRoot: string): string | undefined {
  if (specifier.startsWith('.')) return under(projectRoot, path.resolve(path.dirname(file), specifier)) ?? '..';
  // Root-absolute: Vite serves `/src/…` from the project root.
  if (specifier.startsWith('/')) return under(projectRoot, path.join(projectRoot, specifier)) ?? '..';
  return undefined;
}

/** The package a bare specifier names: `lit/directives/x.js` → `lit`, `@lit/task` → `@lit/task`. */
export function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

const isBuiltin = (specifier: string): boolean => specifier.startsWith('node:') || NODE_BUILTINS.has(specifier);

const shown = (file: string, projectRoot: string): string => under(projectRoot, file) ?? file;

/**
 * The imports in browser files that break the boundary, as `file: specifier` lines (file relative to
 * `projectRoot`, e.g. `src/components/x.ts: node:fs`). Files that are not browser code are skipped.
 */
export function findForbiddenImports(files: readonly SourceFile[], projectRoot: string): string[] {
  const offenders: string[] = [];
  for (const file of files) {
    if (!isBrowserFile(file.path, projectRoot)) continue;
    for (const specifier of importSpecifiers(file.source)) {
      const target = targetOf(specifier, file.path, projectRoot);
      const forbidden = target === undefined ? isBuiltin(specifier) || packageOf(specifier) === COMPANION_PACKAGE : inNodeOnlyDir(target);
      if (forbidden) offenders.push(`${shown(file.path, projectRoot)}: ${specifier}`);
    }
  }
  return offenders;
}

/** What one package publishes: its folders (less the `unpublished` ones inside them) and the packages it declares. */
export interface PackageShape {
  projectRoot: string;
  published: readonly string[];
  unpublished: readonly string[];
  /** Its dependencies, optional dependencies and peer dependencies. */
  declared: ReadonlySet<string>;
}

/**
 * Imports of one package's files that a published copy could not resolve: a path to a file it does not
 * publish, or a package its manifest does not declare. Node builtins are always there.
 */
export function findUnpublishableImports(files: readonly SourceFile[], { projectRoot, published, unpublished, declared }: PackageShape): string[] {
  const offenders: string[] = [];
  for (const file of files) {
    for (const specifier of importSpecifiers(file.source)) {
      const target = targetOf(specifier, file.path, projectRoot);
      const unpublishable =
        target === undefined
          ? !isBuiltin(specifier) && !declared.has(packageOf(specifier))
          : !published.some((dir) => inDir(target, dir)) || unpublished.some((dir) => inDir(target, dir));
      if (unpublishable) offenders.push(`${shown(file.path, projectRoot)}: ${specifier}`);
    }
  }
  return offenders;
}

/**
 * Imports of a provider's folder (e.g. `companion/src/providers/alfresco`) from anywhere else but the
 * files in `allowed` (its registration): a source's URLs, JSON and ids stay behind the provider seam.
 */
export function findProviderLeaks(files: readonly SourceFile[], { projectRoot, providerDir, allowed }: { projectRoot: string; providerDir: string; allowed: readonly string[] }): string[] {
  const offenders: string[] = [];
  for (const file of files) {
    const rel = under(projectRoot, file.path);
    if (rel === undefined || inDir(rel, providerDir) || allowed.includes(rel)) continue;
    for (const specifier of importSpecifiers(file.source)) {
      const target = targetOf(specifier, file.path, projectRoot);
      if (target !== undefined && inDir(target, providerDir)) offenders.push(`${rel} imports ${specifier}`);
    }
  }
  return offenders;
}
