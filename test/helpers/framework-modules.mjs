// A web-test-runner plugin for the framework tests (test/frameworks/): React 19 ships CommonJS only and
// Vue's bundler build reads process.env, so neither loads in the browser as it is. This serves `react`,
// `react-dom`, `react-dom/client` and `vue` as ES modules, bundled once with esbuild (React and
// ReactDOM in ONE bundle, so that they share one React).
import { execFileSync } from 'node:child_process';
import { build } from 'esbuild';

const PREFIX = '/__framework-modules/';
const REACT_PACKAGES = ['react', 'react-dom', 'react-dom/client'];
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const define = { 'process.env.NODE_ENV': '"development"', __VUE_OPTIONS_API__: 'true', __VUE_PROD_DEVTOOLS__: 'false', __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false' };

async function bundle(contents) {
  const result = await build({ stdin: { contents, resolveDir: process.cwd(), loader: 'js' }, bundle: true, format: 'esm', write: false, define, logLevel: 'silent' });
  return result.outputFiles[0].text;
}

/** A module re-exporting one CommonJS package out of the shared React bundle, with its named exports. */
function reactFacade(name) {
  // Read in a child process: loading React here would write to the runner's patched console.
  const keys = JSON.parse(execFileSync(process.execPath, ['-e', `process.stdout.write(JSON.stringify(Object.keys(require(${JSON.stringify(name)}))))`], { encoding: 'utf8' }));
  const names = keys.filter((key) => key !== 'default' && IDENTIFIER.test(key));
  return `import { packages } from '${PREFIX}react-bundle.js';
const m = packages[${JSON.stringify(name)}];
export default m;
export const { ${names.join(', ')} } = m;
`;
}

export function frameworkModules() {
  const cache = new Map();
  const once = (key, make) => {
    if (!cache.has(key)) cache.set(key, make());
    return cache.get(key);
  };
  return {
    name: 'fs-framework-modules',
    resolveImport({ source }) {
      if (REACT_PACKAGES.includes(source)) return `${PREFIX}${source.replace('/', '__')}.js`;
      if (source === 'vue') return `${PREFIX}vue.js`;
      return undefined;
    },
    async serve(context) {
      if (!context.path.startsWith(PREFIX)) return undefined;
      const file = context.path.slice(PREFIX.length);
      if (file === 'react-bundle.js') {
        const imports = REACT_PACKAGES.map((name, index) => `import * as p${index} from '${name}';`).join('\n');
        const table = REACT_PACKAGES.map((name, index) => `${JSON.stringify(name)}: p${index}.default ?? p${index}`).join(', ');
        return { body: await once(file, () => bundle(`${imports}\nexport const packages = { ${table} };`)), type: 'js' };
      }
      if (file === 'vue.js') return { body: await once(file, () => bundle(`export * from 'vue/dist/vue.esm-bundler.js';`)), type: 'js' };
      const name = REACT_PACKAGES.find((candidate) => `${candidate.replace('/', '__')}.js` === file);
      if (name) return { body: once(file, () => reactFacade(name)), type: 'js' };
      return undefined;
    },
  };
}
