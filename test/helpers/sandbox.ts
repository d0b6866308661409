import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../src/sandbox/sandbox.ts';

export const CORE = '/alfresco/api/-default-/public/alfresco/versions/1';
export const AUTH = '/alfresco/api/-default-/public/authentication/versions/1';

/** A real sandbox on a free loopback port, for Node tests that talk HTTP to it. */
export function startTestSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  return startSandbox(options);
}

export function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}
