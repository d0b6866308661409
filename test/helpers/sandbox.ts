import { buildSandbox } from '../../src/sandbox/app.ts';
import { listen, type Listening } from '../../src/server/listen.ts';

export const CORE = '/alfresco/api/-default-/public/alfresco/versions/1';

/** A real sandbox on a free loopback port, for Node tests that talk HTTP to it. */
export function startSandbox(): Promise<Listening> {
  return listen(buildSandbox());
}

export function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}
