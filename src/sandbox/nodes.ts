import { Hono, type Context } from 'hono';
import type { AuthEnv } from './auth.ts';
import { alfrescoError } from './errors.ts';
import { isFolder, toEntry, type RepoNode, type Repository } from './repository.ts';
import type { SeededIds } from './seed.ts';

/** The `nodes` resource of the core API: a node and a folder's children. */
export function nodeRoutes(repository: Repository, ids: SeededIds): Hono<AuthEnv> {
  const lookup = (c: Context<AuthEnv>): RepoNode | Response => {
    const alias = c.req.param('nodeId') ?? '';
    const baseId = { '-root-': ids.companyHome, '-shared-': ids.shared, '-my-': ids.userHomes[c.get('user').id] }[alias] ?? alias;
    const relativePath = c.req.query('relativePath');
    const node = relativePath ? repository.resolve(baseId, relativePath) : repository.get(baseId);
    return node ?? alfrescoError(c, 404, 'framework.exception.EntityNotFound', `The entity with id: ${relativePath ? relativePath : alias} was not found`);
  };

  return new Hono<AuthEnv>()
    .get('/:nodeId', (c) => {
      const node = lookup(c);
      return node instanceof Response ? node : c.json({ entry: toEntry(node) });
    })
    .get('/:nodeId/children', (c) => {
      const node = lookup(c);
      if (node instanceof Response) return node;
      if (!isFolder(node)) return alfrescoError(c, 400, 'framework.exception.InvalidArgument', `Could not find folder or not a folder: ${node.id}`);
      const skipCount = integerParam(c.req.query('skipCount'), 0, 0);
      const maxItems = integerParam(c.req.query('maxItems'), 100, 1);
      if (skipCount === undefined || maxItems === undefined) {
        return alfrescoError(c, 400, 'framework.exception.InvalidArgument', 'Invalid paging parameter: skipCount must be >= 0 and maxItems >= 1');
      }
      const all = repository.children(node.id).sort(foldersFirstThenName);
      const page = all.slice(skipCount, skipCount + maxItems);
      return c.json({
        list: {
          pagination: { count: page.length, hasMoreItems: skipCount + page.length < all.length, totalItems: all.length, skipCount, maxItems },
          entries: page.map((child) => ({ entry: toEntry(child) })),
        },
      });
    });
}

/** Alfresco's default order for children: folders first, then by name. */
function foldersFirstThenName(a: RepoNode, b: RepoNode): number {
  return Number(isFolder(b)) - Number(isFolder(a)) || a.name.localeCompare(b.name, 'en', { sensitivity: 'base' });
}

function integerParam(raw: string | undefined, fallback: number, min: number): number | undefined {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  return Number.isInteger(value) && value >= min ? value : undefined;
}
