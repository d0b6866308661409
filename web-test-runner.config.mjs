// Browser tests: @web/test-runner in Debian's Chromium (or CHROME_PATH). Run through `npm run test:browser`,
// which loads tsx so this file can start the companion and the sandbox from src/dev.
import { chromeLauncher } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { CHROME_ARGS, findChrome } from './src/dev/chrome.ts';
import { startStack } from './src/dev/stack.ts';
import { signInOverHttp } from './test/helpers/stack-session.ts';
import { frameworkModules } from './test/helpers/framework-modules.mjs';

/** Starts the real sandbox and companion for the run; tests get their URLs with executeServerCommand('fs-stack'). */
function stackPlugin() {
  let stack;
  let origin;
  return {
    name: 'fs-stack',
    async serverStart({ config }) {
      origin = `${config.protocol ?? 'http:'}//${config.hostname}:${config.port}`;
      stack = await startStack({ demo: false, allowedOrigins: [origin], logLevel: 'warn' });
    },
    async serverStop() {
      await stack?.stop();
    },
    executeCommand({ command, payload }) {
      if (command === 'fs-stack') return { companion: stack.urls.companion, sandbox: stack.urls.sandbox, apiKey: stack.apiKey };
      // A fresh Alfresco session for the test page: { user } → { session, user: { id, name } }.
      if (command === 'fs-session') return signInOverHttp({ companion: stack.urls.companion, apiKey: stack.apiKey, origin, user: payload?.user ?? 'mjackson' });
      return undefined;
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
  plugins: [frameworkModules(), esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' }), stackPlugin()],
  // Lit announces its dev mode on every page; nothing to act on in tests.
  filterBrowserLogs: ({ args }) => !String(args[0] ?? '').includes('Lit is in dev mode'),
};
