import { alfrescoProvider, type AlfrescoProviderOptions } from './alfresco/provider.ts';
import { cmisProvider } from './cmis/provider.ts';
import type { Provider } from './provider.ts';
import { webdavProvider } from './webdav/provider.ts';

/**
 * The sources that come with the companion. The one place that names a provider's folder: everything
 * else reaches a source through the registry (test/boundaries/providers.test.ts keeps it so). An app
 * offers those its `services` name (WebDAV and CMIS only with their endpoints set).
 */
export function builtInProviders(options: AlfrescoProviderOptions): Provider[] {
  return [alfrescoProvider(options), webdavProvider(options), cmisProvider(options)];
}
