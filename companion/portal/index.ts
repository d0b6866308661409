/** The developer portal's script (bundled by the companion on first request): registers its elements once. */
import { FsPortalAccess } from './fs-portal-access.ts';
import { FsPortalAlfresco } from './fs-portal-alfresco.ts';
import { FsPortalDeliveries } from './fs-portal-deliveries.ts';
import { FsPortalSignIn } from './fs-portal-sign-in.ts';
import { FsPortalSources } from './fs-portal-sources.ts';
import { FsPortalStorage } from './fs-portal-storage.ts';
import { FsPortalWebhooks } from './fs-portal-webhooks.ts';
import { FsPortal } from './fs-portal.ts';

const elements: Array<[string, CustomElementConstructor]> = [
  ['fs-portal-sign-in', FsPortalSignIn],
  ['fs-portal-access', FsPortalAccess],
  ['fs-portal-alfresco', FsPortalAlfresco],
  ['fs-portal-sources', FsPortalSources],
  ['fs-portal-storage', FsPortalStorage],
  ['fs-portal-webhooks', FsPortalWebhooks],
  ['fs-portal-deliveries', FsPortalDeliveries],
  ['fs-portal', FsPortal],
];
for (const [tag, element] of elements) if (!customElements.get(tag)) customElements.define(tag, element);
