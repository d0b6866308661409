import { USERS } from '../sandbox/users.ts';
import { startStack } from './stack.ts';

/** `npm start`: the sandbox, the companion and the demo page on fixed ports, until Ctrl-C. */
const port = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) > 65535) {
    console.error(`${name} must be a port number, got "${raw}".`);
    process.exit(2);
  }
  return Number(raw);
};

const stack = await startStack({
  // `npm run storybook` serves the stories on port 6006; they talk to this companion too.
  allowedOrigins: ['http://127.0.0.1:6006', 'http://localhost:6006'],
  ports: { sandbox: port('FS_SANDBOX_PORT', 8180), companion: port('FS_COMPANION_PORT', 3020), demo: port('FS_DEMO_PORT', 5173) },
}).catch((error: NodeJS.ErrnoException) => {
  console.error(error.code === 'EADDRINUSE' ? `A port is already in use (${error.message}); set FS_SANDBOX_PORT, FS_COMPANION_PORT or FS_DEMO_PORT.` : error);
  process.exit(1);
});

console.log(`fs-picker is running:
  demo page        ${stack.urls.demo}
  companion        ${stack.urls.companion}   (API key ${stack.apiKey})
  developer portal ${stack.portal.url}   (password ${stack.portal.password})
  S3 (s3rver)      ${stack.urls.s3}   (bucket fs-picker)
  Alfresco sandbox ${stack.urls.sandbox}/alfresco
  sandbox users    ${USERS.map((user) => `${user.id} / ${user.password}`).join(', ')}   (dev passwords)
Press Ctrl-C to stop.`);

let stopping = false;
const shutdown = (): void => {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping…');
  stack.stop().then(() => process.exit(0), () => process.exit(1));
};
process.once('SIGINT', shutdown).once('SIGTERM', shutdown);
