import { FsError } from 'fs-picker/protocol';
import type { AppLookup } from '../../apps/registry.ts';
import type { AppConfig } from '../../config.ts';
import { rootUrlOf } from './urls.ts';

/**
 * The WebDAV root an app browses: its `webdav.url` (the configuration's, or the portal's). Read at every
 * call, so a changed setting applies to the next request.
 *
 * The URL is the operator's or the app owner's setting (like `alfresco.repositoryUrl`), so calls to it are
 * not put through the SSRF checks meant for URLs that callers hand over; private addresses are expected.
 */
export class WebdavEndpoints {
  constructor(private readonly apps: AppLookup) {}

  /** The root of the app with this API key (a grant's `appKey`). */
  ofKey(appKey: string): URL {
    return this.of(this.apps.get(appKey) ?? { apiKey: appKey });
  }

  /** The root of an app the seam handed over (sign-in, describe). */
  of(app: Pick<AppConfig, 'apiKey' | 'webdav'>): URL {
    if (!app.webdav) throw new FsError('FS_ERR_NOT_FOUND', 'This app has no WebDAV server: its owner must set webdav.url (configuration or portal).');
    return rootUrlOf(app.webdav.url);
  }
}
