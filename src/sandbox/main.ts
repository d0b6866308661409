import { parseArgs } from 'node:util';
import { startSandbox } from './sandbox.ts';
import { USERS } from './users.ts';

/** `npm run sandbox [-- --port 8180 --host 127.0.0.1 --data DIR]`: the Alfresco sandbox alone, until Ctrl-C. */
const usage = 'usage: npm run sandbox -- [--port N] [--host ADDRESS] [--data DIR] [--cors-origin ORIGIN]…';
let values: { port?: string; host?: string; data?: string; 'cors-origin'?: string[] };
try {
  ({ values } = parseArgs({ options: { port: { type: 'string' }, host: { type: 'string' }, data: { type: 'string' }, 'cors-origin': { type: 'string', multiple: true } } }));
} catch (error) {
  console.error(`${(error as Error).message}\n${usage}`);
  process.exit(2);
}
const port = values.port ?? process.env.FS_SANDBOX_PORT ?? '8180';
if (!/^\d+$/.test(port) || Number(port) > 65535) {
  console.error(`--port must be a port number, got "${port}".\n${usage}`);
  process.exit(2);
}

const sandbox = await startSandbox({ host: values.host ?? '127.0.0.1', port: Number(port), ...(values.data ? { dataDir: values.data } : {}), corsOrigins: values['cors-origin'] ?? [] });
console.log(`Alfresco sandbox on ${sandbox.url}/alfresco${values.data ? ` (content kept in ${values.data})` : ' (in memory)'}
  REST API          ${sandbox.url}/alfresco/api/-default-/public/alfresco/versions/1
  identity service  ${sandbox.issuer}
  users             ${USERS.map((user) => `${user.id} / ${user.password}`).join(', ')}
  faults            ${sandbox.url}/__sandbox/faults
Press Ctrl-C to stop.`);

const stop = (): void => {
  sandbox.close().then(() => process.exit(0), () => process.exit(1));
};
process.once('SIGINT', stop).once('SIGTERM', stop);
