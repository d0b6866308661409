import { executeServerCommand } from '@web/test-runner-commands';

export interface StackUrls {
  companion: string;
  sandbox: string;
  apiKey: string;
}

/** The real companion and sandbox that web-test-runner.config.mjs started for this run. */
export async function stackUrls(): Promise<StackUrls> {
  const urls = await executeServerCommand<StackUrls, undefined>('fs-stack');
  if (!urls) throw new Error('The fs-stack server command answered nothing; is the plugin in web-test-runner.config.mjs?');
  return urls;
}

export interface StackSession {
  session: string;
  user: { id: string; name: string };
}

/** Signs `user` in to the stack's Alfresco (the sandbox) for this page's origin and returns the companion session. */
export async function stackSession(user = 'mjackson'): Promise<StackSession> {
  const result = await executeServerCommand<StackSession, { user: string }>('fs-session', { user });
  if (!result) throw new Error('The fs-session server command answered nothing; is the plugin in web-test-runner.config.mjs?');
  return result;
}
