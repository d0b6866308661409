import { Hono } from 'hono';
import { requireUser, type AuthEnv } from './auth.ts';
import { discoveryRoutes } from './discovery.ts';
import { alfrescoError } from './errors.ts';
import { nodeRoutes } from './nodes.ts';
import { seedRepository } from './seed.ts';

export const CORE_API_BASE = '/alfresco/api/-default-/public/alfresco/versions/1';

/** Builds the sandbox without listening, seeded with the sample site. */
export function buildSandbox(): Hono {
  const { repository, ids } = seedRepository();
  const core = new Hono<AuthEnv>().use(requireUser()).route('/nodes', nodeRoutes(repository, ids));

  return new Hono()
    .route('/alfresco/api/discovery', discoveryRoutes())
    .route(CORE_API_BASE, core)
    .notFound((c) => alfrescoError(c, 404, 'framework.exception.NotFound', `Unable to locate resource resource for ${c.req.path}`));
}
