import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { requireUser, type AuthEnv } from './auth/authenticate.ts';
import { sandboxErrorHandler } from './api/api-error.ts';
import { createNodeRoutes } from './api/create-node.ts';
import { nodeRoutes } from './api/nodes.ts';
import { peopleRoutes } from './api/people.ts';
import { queryRoutes } from './api/queries.ts';
import { renditionRoutes } from './api/renditions.ts';
import { searchRoutes } from './api/search.ts';
import { publicSharedLinkRoutes, sharedLinkRoutes } from './api/shared-links.ts';
import { siteRoutes } from './api/sites.ts';
import { ticketRoutes } from './api/tickets.ts';
import { CMIS_BROWSER_BASE, cmisRoutes } from './cmis/routes.ts';
import { discoveryRoutes } from './discovery.ts';
import { alfrescoError } from './errors.ts';
import type { SandboxState } from './state.ts';

export const CORE_API_BASE = '/alfresco/api/-default-/public/alfresco/versions/1';
export const AUTH_API_BASE = '/alfresco/api/-default-/public/authentication/versions/1';
export const SEARCH_API_BASE = '/alfresco/api/-default-/public/search/versions/1';

export interface SandboxAppOptions {
  /** Like `cors.allowed.origins`: none by default, as on a stock repository. */
  corsOrigins?: string[];
}

/** The sandbox's REST API over its state, without listening (the identity service is mounted beside it). */
export function buildSandboxApp(state: SandboxState, { corsOrigins = [] }: SandboxAppOptions = {}): Hono {
  const core = new Hono<AuthEnv>()
    .use(requireUser(state))
    .route('/nodes', nodeRoutes(state))
    .route('/nodes', createNodeRoutes(state))
    .route('/nodes', renditionRoutes(state))
    .route('/sites', siteRoutes(state))
    .route('/people', peopleRoutes(state))
    .route('/shared-links', sharedLinkRoutes(state))
    .route('/queries', queryRoutes(state));
  const search = new Hono<AuthEnv>().use(requireUser(state)).route('/', searchRoutes(state));

  const app = new Hono();
  if (corsOrigins.length > 0) {
    app.use('/alfresco/*', cors({ origin: corsOrigins, allowHeaders: ['Authorization', 'Content-Type', 'Range', 'If-Modified-Since'], exposeHeaders: ['Content-Disposition', 'Content-Length', 'Content-Range'], maxAge: 600 }));
  }
  return app
    .route('/__sandbox/faults', state.faults.routes())
    .use('/alfresco/api/*', state.faults.middleware())
    .route('/alfresco/api/discovery', discoveryRoutes())
    .route(AUTH_API_BASE, ticketRoutes(state))
    // Reading a shared link and its content needs no sign-in: these come before the core API's authentication.
    .route(`${CORE_API_BASE}/shared-links`, publicSharedLinkRoutes(state))
    .route(CORE_API_BASE, core)
    .route(SEARCH_API_BASE, search)
    .route(CMIS_BROWSER_BASE, cmisRoutes(state))
    .onError(sandboxErrorHandler)
    .notFound((c) => alfrescoError(c, 404, 'framework.exception.NotFound', `Unable to locate resource resource for ${c.req.path}`));
}
