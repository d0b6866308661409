// Browser tests: @web/test-runner in Debian's Chromium (or CHROME_PATH). Run through `npm run test:browser`,
// which loads tsx so this file can start the companion and the sandbox from src/dev.
import { chromeLauncher } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { CHROME_ARGS, findChrome } from './src/dev/chrome.ts';
import { startStack } from './src/dev/stack.ts';
import { signInOverHttp } from './test/helpers/stack-session.ts';
import { frameworkModules } from './test/helpers/framework-modules.mjs';
import { startGarbageCompanion } from './test/helpers/garbage-companion.ts';

/** Flips the sandbox's fault switches over its HTTP endpoint: POST a patch, or DELETE (null) to reset. */
async function sandboxFaults(sandbox, patch) {
  const response = await fetch(`${sandbox}/__sandbox/faults`, patch === null ? { method: 'DELETE' } : { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(patch) });
  if (!response.ok) throw new Error(`the sandbox refused the faults ${JSON.stringify(patch)}: ${response.status}`);
  return response.json();
}

/** Starts the real sandbox and companion for the run; tests get their URLs with executeServerCommand('fs-stack'). */
function stackPlugin() {
  let stack;
  let origin;
  return {
    name: 'fs-stack',
    async serverStart({ config }) {
      origin = `${config.protocol ?? 'http:'}//${config.hostname}:${config.port}`;
      // No WebDAV server here (the end-to-end tests have one): the dev app offers Alfresco and the sandbox's CMIS.
      stack = await startStack({ demo: false, allowedOrigins: [origin], logLevel: 'warn', webdav: false });
    },
    async serverStop() {
      await stack?.stop();
    },
    executeCommand({ command, payload }) {
      if (command === 'fs-stack') return { companion: stack.urls.companion, sandbox: stack.urls.sandbox, apiKey: stack.apiKey };
      // A fresh Alfresco session for the test page: { user } → { session, user: { id, name } }.
      if (command === 'fs-session') return signInOverHttp({ companion: stack.urls.companion, apiKey: stack.apiKey, origin, user: payload?.user ?? 'mjackson' });
      // The sandbox's fault switches (src/sandbox/faults.ts): a patch such as { latencyMs } or
      // { failNext: { count, status } } or { expireTokens: true }, or null to reset them all → the settings.
      if (command === 'fs-faults') return sandboxFaults(stack.urls.sandbox, payload ?? null);
      return undefined;
    },
  };
}

/** A companion answering garbage (test/helpers/garbage-companion.ts), started on first use: 'fs-garbage' { apiKey, answers } → { url, calls }. */
function garbagePlugin() {
  let garbage;
  return {
    name: 'fs-garbage',
    async serverStop() {
      await (await garbage)?.stop();
    },
    async executeCommand({ command, payload }) {
      if (command !== 'fs-garbage') return undefined;
      garbage ??= startGarbageCompanion();
      const server = await garbage;
      const calls = payload ? server.script(payload.apiKey, payload.answers ?? []) : 0;
      return { url: server.url, calls };
    },
  };
}

export default {
  files: ['test/components/**/*.test.ts', 'test/core/**/*.test.ts', 'test/api/**/*.test.ts', 'test/controllers/**/*.test.ts', 'test/frameworks/**/*.test.{ts,tsx}'],
  nodeResolve: true,
  hostname: '127.0.0.1',
  staticLogging: Boolean(process.env.CI),
  concurrency: 1,
  testFramework: { config: { timeout: 10000 } },
  browsers: [chromeLauncher({ launchOptions: { executablePath: findChrome(), headless: true, args: CHROME_ARGS } })],
  plugins: [frameworkModules(), esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' }), stackPlugin(), garbagePlugin()],
  // Lit announces its dev mode on every page; nothing to act on in tests.
  filterBrowserLogs: ({ args }) => !String(args[0] ?? '').includes('Lit is in dev mode'),
};
