/**
 * The provider seam (issue 18): nothing outside a provider's folder knows its source. Only the built-in
 * registration names the Alfresco provider's folder; routes, tests and benchmarks reach it through the registry.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { findProviderLeaks, type SourceFile } from '../helpers/import-boundaries.ts';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
const ALFRESCO = { projectRoot, providerDir: 'companion/src/providers/alfresco', allowed: ['companion/src/providers/built-in.ts'] };

function sourcesIn(dir: string): SourceFile[] {
  const root = path.join(projectRoot, dir);
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((rel) => /\.(?:ts|mts|js|mjs)$/.test(rel) && !rel.split(path.sep).includes('node_modules') && !rel.split(path.sep).includes('dist'))
    .map((rel) => ({ path: path.join(root, rel), source: readFileSync(path.join(root, rel), 'utf8') }));
}

test('no file outside the Alfresco provider imports it, but its registration', () => {
  const files = ['companion/src', 'companion/portal', 'src', 'test', 'bench'].flatMap(sourcesIn);
  assert.ok(files.some((file) => file.path.endsWith(path.join('providers', 'built-in.ts'))), 'the scan did not see the companion');
  assert.deepEqual(findProviderLeaks(files, ALFRESCO), []);
});

// A provider's own unit tests may reach inside it; nothing else may.
const WEBDAV = {
  projectRoot,
  providerDir: 'companion/src/providers/webdav',
  allowed: ['companion/src/providers/built-in.ts', 'test/server/webdav-provider.test.ts', 'test/server/webdav-multistatus.test.ts', 'test/server/webdav-item-ids.test.ts'],
};

test('no file outside the WebDAV provider imports it, but its registration and its own tests', () => {
  const files = ['companion/src', 'companion/portal', 'src', 'test', 'bench'].flatMap(sourcesIn);
  assert.deepEqual(findProviderLeaks(files, WEBDAV), []);
});

const CMIS = { projectRoot, providerDir: 'companion/src/providers/cmis', allowed: ['companion/src/providers/built-in.ts', 'test/server/cmis-provider.test.ts'] };

test('no file outside the CMIS provider imports it, but its registration and its own test', () => {
  const files = ['companion/src', 'companion/portal', 'src', 'test', 'bench'].flatMap(sourcesIn);
  assert.deepEqual(findProviderLeaks(files, CMIS), []);
});

test('the check sees an import of the provider from a route, by any path', () => {
  const route = path.join(projectRoot, 'companion/src/routes/x.ts');
  const files = [
    { path: route, source: "import { CORE_PATH } from '../providers/alfresco/client.ts';\nimport type { Provider } from '../providers/provider.ts';" },
    { path: path.join(projectRoot, 'test/server/x.test.ts'), source: "const m = await import('../../companion/src/providers/alfresco/adapter.ts');" },
    { path: path.join(projectRoot, 'companion/src/providers/alfresco/index.ts'), source: "import { x } from './client.ts';" },
    { path: path.join(projectRoot, 'companion/src/providers/built-in.ts'), source: "import { alfrescoProvider } from './alfresco/provider.ts';" },
  ];
  assert.deepEqual(findProviderLeaks(files, ALFRESCO), [
    'companion/src/routes/x.ts imports ../providers/alfresco/client.ts',
    'test/server/x.test.ts imports ../../companion/src/providers/alfresco/adapter.ts',
  ]);
});
