import { Hono, type Context } from 'hono';
import { alfrescoDate } from '../alfresco-date.ts';
import type { AuthEnv } from '../auth/authenticate.ts';
import { isRenditionId, RENDITIONS, type RenditionId } from '../renditions/renditions.ts';
import type { RepoNode } from '../repository/node.ts';
import type { Repository, SharedLink } from '../repository/repository.ts';
import { SITES } from '../sites.ts';
import type { SandboxState } from '../state.ts';
import { findUser, userInfo, type SandboxUser } from '../users.ts';
import { ApiError, invalidArgument, notFound, permissionDenied } from './api-error.ts';
import { pickFields } from './fields.ts';
import { csv, pagingOf, whereOf } from './list-params.ts';
import { allowableOperations, listEnvelope, pathInfo } from './node-entry.ts';
import { sendBytes, sendFileContent } from './send-content.ts';

// Properties the SharedLink entity already carries, or that are the repository's own business.
const HIDDEN_PROPERTIES = /^(cm:name|cm:title|cm:description|qshare:.*|sys:.*)$/;

/**
 * What anyone holding a link may do, without signing in: read the link, download the file (Range, 304,
 * attachment) and its thumbnails. Mount these before the authentication of the core API.
 */
export function publicSharedLinkRoutes(state: SandboxState): Hono {
  const { repository, renditions } = state;
  const linkOf = (c: Context): { link: SharedLink; node: RepoNode } => sharedFile(repository, c.req.param('sharedId') ?? '');
  const createdRendition = (c: Context, node: RepoNode): RenditionId => {
    const id = c.req.param('renditionId') ?? '';
    if (!isRenditionId(id) || !renditions.isCreated(node, id)) throw notFound(id);
    return id;
  };
  const renditionEntry = (id: RenditionId) => ({ id, content: { mimeType: RENDITIONS[id].mimeType, mimeTypeName: RENDITIONS[id].mimeTypeName }, status: 'CREATED' });

  return new Hono()
    .get('/:sharedId', (c) => {
      const { link, node } = linkOf(c);
      return c.json({ entry: pickFields(sharedLinkEntity(repository, link, node), csv(c.req.queries('fields'))) });
    })
    .on(['GET', 'HEAD'], '/:sharedId/content', (c) => {
      const { node } = linkOf(c);
      return sendFileContent(c, state, node);
    })
    .get('/:sharedId/renditions', (c) => {
      const { node } = linkOf(c);
      // Only the renditions that exist (status CREATED), as the spec says for shared links.
      const ids = (Object.keys(RENDITIONS) as RenditionId[]).filter((id) => renditions.isCreated(node, id));
      return c.json(listEnvelope(ids, { skipCount: 0, maxItems: 100 }, renditionEntry));
    })
    .get('/:sharedId/renditions/:renditionId', (c) => {
      const { node } = linkOf(c);
      return c.json({ entry: renditionEntry(createdRendition(c, node)) });
    })
    .on(['GET', 'HEAD'], '/:sharedId/renditions/:renditionId/content', async (c) => {
      const { node } = linkOf(c);
      const id = createdRendition(c, node);
      return sendBytes(c, { name: `${node.name}.${RENDITIONS[id].format === 'png' ? 'png' : 'jpg'}`, mimeType: RENDITIONS[id].mimeType, modifiedAt: node.modifiedAt, bytes: await renditions.bytes(node, id) });
    });
}

/** Creating, listing and deleting links: for signed-in users. */
export function sharedLinkRoutes(state: SandboxState): Hono<AuthEnv> {
  const { repository } = state;
  return new Hono<AuthEnv>()
    .post('/', async (c) => {
      const user = c.get('user');
      const body: unknown = await c.req.json().catch(() => undefined);
      const requests = (Array.isArray(body) ? body : [body]).map(readCreateBody);
      if (requests.length === 0) throw invalidArgument('The body must name a file: {"nodeId":"…"}');
      // Check every node before sharing any, so a list is shared all or not at all.
      const seen = new Set<string>();
      const targets = requests.map(({ nodeId, expiresAt }) => {
        const node = repository.get(nodeId);
        if (!node) throw notFound(nodeId);
        if (!repository.canRead(user.id, node)) throw permissionDenied();
        if (!node.content) throw invalidArgument(`NodeId ${nodeId} does not represent a file`);
        if (typeof node.properties['qshare:sharedId'] === 'string' || seen.has(nodeId)) throw new ApiError(409, 'framework.exception.ConstraintViolated', `Shared link already exists for nodeId ${nodeId}`);
        seen.add(nodeId);
        return { node, expiresAt };
      });
      const options = { include: csv(c.req.queries('include')), fields: csv(c.req.queries('fields')), user };
      const created = targets.map(({ node, expiresAt }) => ({ link: repository.shareLink(node, user.id, expiresAt), node }));
      const toEntry = ({ link, node }: { link: SharedLink; node: RepoNode }) => sharedLinkEntity(repository, link, node, options);
      // The spec's success code for this operation is 200; a list in gives a list out.
      return c.json(Array.isArray(body) ? listEnvelope(created, { skipCount: 0, maxItems: 100 }, toEntry) : { entry: toEntry(created[0]!) }, 200);
    })
    .get('/', (c) => {
      const user = c.get('user');
      const where = whereOf(c.req.query('where'), ['sharedByUser']);
      const sharedBy = where?.predicates.map(({ value }) => (value === '-me-' ? user.id : value));
      const options = { include: csv(c.req.queries('include')), fields: csv(c.req.queries('fields')), user };
      // Newest first (the links are kept in the order they were made); expired links and files the user cannot read are left out.
      const links = repository
        .sharedLinks()
        .reverse()
        .flatMap((link) => {
          const node = repository.sharedLink(link.id) && repository.get(link.nodeId);
          const wanted = !sharedBy || (where!.any ? sharedBy.includes(link.sharedBy) : sharedBy.every((id) => id === link.sharedBy));
          return node && wanted && repository.canRead(user.id, node) ? [{ link, node }] : [];
        });
      return c.json(listEnvelope(links, pagingOf((name) => c.req.query(name)), ({ link, node }) => sharedLinkEntity(repository, link, node, options)));
    })
    .delete('/:sharedId', (c) => {
      const { link, node } = sharedFile(repository, c.req.param('sharedId'));
      if (!canDelete(repository, link, node, c.get('user'))) throw permissionDenied();
      repository.unshare(link);
      return c.body(null, 204);
    });
}

/** The REST API's SharedLink entity; `include` and `user` add what only a signed-in caller gets. */
export function sharedLinkEntity(
  repository: Repository,
  link: SharedLink,
  node: RepoNode,
  { include = [], fields = [], user }: { include?: readonly string[]; fields?: readonly string[]; user?: SandboxUser } = {},
): Record<string, unknown> {
  const { 'cm:title': title, 'cm:description': description } = node.properties;
  const entity: Record<string, unknown> = {
    id: link.id,
    nodeId: node.id,
    name: node.name,
    ...(typeof title === 'string' ? { title } : {}),
    ...(typeof description === 'string' ? { description } : {}),
    modifiedAt: alfrescoDate(node.modifiedAt),
    modifiedByUser: userInfo(node.modifiedBy),
    sharedByUser: userInfo(link.sharedBy),
    content: { mimeType: node.content!.mimeType, mimeTypeName: node.content!.mimeTypeName, sizeInBytes: node.content!.sizeInBytes, encoding: node.content!.encoding },
    ...(link.expiresAt ? { expiresAt: alfrescoDate(link.expiresAt) } : {}),
  };
  const wanted = new Set(include);
  if (user && wanted.has('allowableOperations')) {
    entity.allowableOperations = canDelete(repository, link, node, user) ? ['delete'] : [];
    entity.allowableOperationsOnTarget = allowableOperations(repository, node, user.id);
  }
  if (wanted.has('path')) entity.path = pathInfo(repository, node);
  if (wanted.has('isFavorite')) entity.isFavorite = false;
  if (wanted.has('aspectNames')) entity.aspectNames = [...node.aspectNames];
  if (wanted.has('properties')) entity.properties = Object.fromEntries(Object.entries(node.properties).filter(([key]) => !HIDDEN_PROPERTIES.test(key)));
  const extras = wanted.has('allowableOperations') ? [...include, 'allowableOperationsOnTarget'] : include;
  return pickFields(entity, fields.length > 0 ? [...fields, ...extras] : []);
}

/** A live link and its file; unknown and expired links are not found. */
function sharedFile(repository: Repository, sharedId: string): { link: SharedLink; node: RepoNode } {
  const link = repository.sharedLink(sharedId);
  const node = link && repository.get(link.nodeId);
  if (!link || !node?.content) throw notFound(sharedId);
  return { link, node };
}

/** As QuickShareService decides: whoever shared it, an administrator, or a manager of the file's site. */
function canDelete(repository: Repository, link: SharedLink, node: RepoNode, user: SandboxUser): boolean {
  if (link.sharedBy === user.id || findUser(user.id)?.isAdmin) return true;
  const siteNode = repository.ancestors(node).find((ancestor) => ancestor.nodeType === 'st:site');
  const site = siteNode && SITES.find(({ id }) => id.toLowerCase() === siteNode.name.toLowerCase());
  return site?.members[user.id] === 'SiteManager';
}

function readCreateBody(item: unknown): { nodeId: string; expiresAt: Date | undefined } {
  if (typeof item !== 'object' || item === null) throw invalidArgument('The body must name a file: {"nodeId":"…"}');
  const { nodeId, expiresAt } = item as { nodeId?: unknown; expiresAt?: unknown };
  if (typeof nodeId !== 'string' || nodeId.trim() === '') throw invalidArgument('A valid nodeId must be specified: {"nodeId":"…"}');
  if (expiresAt === undefined || expiresAt === null) return { nodeId, expiresAt: undefined };
  const date = typeof expiresAt === 'string' ? new Date(expiresAt) : undefined;
  if (!date || Number.isNaN(date.getTime())) throw invalidArgument(`Invalid expiry date: ${JSON.stringify(expiresAt)}`);
  if (date.getTime() <= Date.now()) throw invalidArgument(`Invalid expiry date: ${JSON.stringify(expiresAt)}. The expiry date can't be in the past.`);
  return { nodeId, expiresAt: date };
}
