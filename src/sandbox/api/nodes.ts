import { Hono } from 'hono';
import type { AuthEnv } from '../auth/authenticate.ts';
import { isFolder } from '../repository/node.ts';
import type { SandboxState } from '../state.ts';
import { invalidArgument, permissionDenied } from './api-error.ts';
import { CHILDREN_ORDER_FIELDS, CHILDREN_WHERE_FIELDS, filterChildren, sortChildren } from './children-order.ts';
import { booleanParam, csv, orderByOf, pagingOf, whereOf } from './list-params.ts';
import { listEnvelope, nodeEntry } from './node-entry.ts';
import { resolveNode } from './resolve.ts';
import { sendFileContent } from './send-content.ts';

/** `nodes/{id}`, its children, its content, and deleting it. Creating children lives in create-node.ts. */
export function nodeRoutes(state: SandboxState): Hono<AuthEnv> {
  const { repository, ids } = state;
  const protectedIds = new Set([ids.companyHome, ids.shared, ids.sites, ...Object.values(ids.userHomes)]);

  return new Hono<AuthEnv>()
    .get('/:nodeId', (c) => {
      const node = resolveNode(c, state);
      return c.json({ entry: nodeEntry(repository, node, c.get('user').id, { include: csv(c.req.queries('include')), fields: csv(c.req.queries('fields')), withAspectsAndProperties: true }) });
    })
    .get('/:nodeId/children', (c) => {
      const folder = resolveNode(c, state);
      if (!isFolder(folder)) throw invalidArgument(`Could not find folder or not a folder: ${folder.id}`);
      const userId = c.get('user').id;
      const paging = pagingOf((name) => c.req.query(name));
      const order = orderByOf(c.req.queries('orderBy'), CHILDREN_ORDER_FIELDS);
      const where = whereOf(c.req.query('where'), CHILDREN_WHERE_FIELDS);
      const options = { include: csv(c.req.queries('include')), fields: csv(c.req.queries('fields')) };
      const visible = repository.children(folder.id).filter((child) => repository.canRead(userId, child));
      const children = sortChildren(filterChildren(visible, where), order);
      const source = booleanParam(c.req.query('includeSource'), 'includeSource', false) ? { source: nodeEntry(repository, folder, userId, { include: options.include }) } : {};
      return c.json(listEnvelope(children, paging, (child) => nodeEntry(repository, child, userId, options), source));
    })
    .delete('/:nodeId', async (c) => {
      const node = resolveNode(c, state);
      if (protectedIds.has(node.id) || !repository.canWrite(c.get('user').id, node)) throw permissionDenied();
      await repository.delete(node);
      return c.body(null, 204);
    })
    .on(['GET', 'HEAD'], '/:nodeId/content', async (c) => {
      const node = resolveNode(c, state, { relativePath: '' });
      if (!node.content) throw invalidArgument(`NodeId ${node.id} does not represent a file`);
      return sendFileContent(c, state, node);
    });
}
