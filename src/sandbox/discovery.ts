import { Hono } from 'hono';

/** What `GET /alfresco/api/discovery` reports: a Community edition with quick share and thumbnails on. */
export const SANDBOX_VERSION = { major: '23', minor: '2', patch: '0', hotfix: '0', schema: 18100, label: 'r', display: '23.2.0 (r) schema 18100' };

export function discoveryRoutes(): Hono {
  return new Hono().get('/', (c) =>
    c.json({
      entry: {
        repository: {
          id: 'fs-picker-sandbox',
          edition: 'Community',
          version: SANDBOX_VERSION,
          status: {
            isReadOnly: false,
            isAuditEnabled: true,
            isQuickShareEnabled: true,
            isThumbnailGenerationEnabled: true,
            isDirectAccessUrlEnabled: false,
          },
          modules: [],
        },
      },
    }),
  );
}
