// Loaded with --import in the processes of another Node (src/dev/node-runtime.ts): `better-sqlite3`
// resolves to the copy compiled for that Node, named by FS_TEST_BETTER_SQLITE3.
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';

const target = process.env.FS_TEST_BETTER_SQLITE3;
if (target) {
  const url = JSON.stringify(pathToFileURL(target).href);
  const hook = `export async function resolve(specifier, context, next) {
    return specifier === 'better-sqlite3' ? { url: ${url}, format: 'commonjs', shortCircuit: true } : next(specifier, context);
  }`;
  register(`data:text/javascript,${encodeURIComponent(hook)}`);
}
