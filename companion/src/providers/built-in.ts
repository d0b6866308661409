import { alfrescoProvider, type AlfrescoProviderOptions } from './alfresco/provider.ts';
import type { Provider } from './provider.ts';

/**
 * The sources that come with the companion. The one place that names a provider's folder: everything
 * else reaches a source through the registry (test/boundaries/providers.test.ts keeps it so).
 */
export function builtInProviders(options: AlfrescoProviderOptions): Provider[] {
  return [alfrescoProvider(options)];
}
