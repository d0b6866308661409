import { Hono } from 'hono';
import type { AuthEnv } from '../auth/authenticate.ts';
import { placeholderFor } from '../renditions/placeholders.ts';
import { isRenditionId, RENDITIONS, type RenditionId } from '../renditions/renditions.ts';
import type { RepoNode } from '../repository/node.ts';
import type { SandboxState } from '../state.ts';
import { ApiError, invalidArgument, notFound } from './api-error.ts';
import { booleanParam } from './list-params.ts';
import { resolveNode } from './resolve.ts';
import { sendBytes } from './send-content.ts';

/** `nodes/{id}/renditions`: list, one, create (202) and content with `placeholder`. */
export function renditionRoutes(state: SandboxState): Hono<AuthEnv> {
  const { renditions } = state;
  const entry = (node: RepoNode, id: RenditionId) => ({
    id,
    content: { mimeType: RENDITIONS[id].mimeType, mimeTypeName: RENDITIONS[id].mimeTypeName },
    status: renditions.isCreated(node, id) ? 'CREATED' : 'NOT_CREATED',
  });
  const fileNode = (c: Parameters<typeof resolveNode>[0]): RepoNode => {
    const node = resolveNode(c, state, { relativePath: '' });
    if (!node.content) throw invalidArgument(`NodeId ${node.id} does not represent a file`);
    return node;
  };
  const renditionId = (raw: string): RenditionId => {
    if (!isRenditionId(raw)) throw notFound(raw);
    return raw;
  };

  return new Hono<AuthEnv>()
    .get('/:nodeId/renditions', (c) => {
      const node = fileNode(c);
      const onlyCreated = /status\s*=\s*'CREATED'/.test(c.req.query('where') ?? '');
      const ids = (Object.keys(RENDITIONS) as RenditionId[]).filter((id) => !onlyCreated || renditions.isCreated(node, id));
      const entries = ids.map((id) => ({ entry: entry(node, id) }));
      return c.json({ list: { pagination: { count: entries.length, hasMoreItems: false, totalItems: entries.length, skipCount: 0, maxItems: 100 }, entries } });
    })
    .get('/:nodeId/renditions/:renditionId', (c) => {
      const node = fileNode(c);
      return c.json({ entry: entry(node, renditionId(c.req.param('renditionId'))) });
    })
    .post('/:nodeId/renditions', async (c) => {
      const node = fileNode(c);
      const body: unknown = await c.req.json().catch(() => undefined);
      const items = (Array.isArray(body) ? body : [body]) as Array<{ id?: unknown }>;
      const ids = items.flatMap((item) => (typeof item?.id === 'string' ? item.id.split(',').map((id) => id.trim()) : []));
      if (ids.length === 0) throw invalidArgument('The body must name a rendition: {"id":"doclib"}');
      const fresh = ids.filter((id) => !isRenditionId(id) || !renditions.isCreated(node, id));
      if (fresh.length === 0) throw new ApiError(409, 'framework.exception.ConstraintViolated', `All renditions requested already exist: ${ids.join(',')}`);
      for (const id of fresh) {
        if (!renditions.request(node, id)) throw invalidArgument(`Unable to create rendition ${id} for content of type ${node.content!.mimeType}`);
      }
      return c.body(null, 202);
    })
    .on(['GET', 'HEAD'], '/:nodeId/renditions/:renditionId/content', async (c) => {
      const node = fileNode(c);
      const id = renditionId(c.req.param('renditionId'));
      const placeholder = booleanParam(c.req.query('placeholder'), 'placeholder', false);
      if (!renditions.isCreated(node, id) && !placeholder) throw notFound(id);
      const bytes = renditions.isCreated(node, id) ? await renditions.bytes(node, id) : await placeholderFor(node.content!.mimeType);
      const mimeType = renditions.isCreated(node, id) ? RENDITIONS[id].mimeType : 'image/png';
      return sendBytes(c, { name: `${node.name}.${mimeType === 'image/png' ? 'png' : 'jpg'}`, mimeType, modifiedAt: node.modifiedAt, bytes });
    });
}
