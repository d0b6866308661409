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
