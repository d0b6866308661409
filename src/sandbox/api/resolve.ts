import type { Context } from 'hono';
import type { AuthEnv } from '../auth/authenticate.ts';
import type { RepoNode } from '../repository/node.ts';
import type { SandboxState } from '../state.ts';
import { notFound, permissionDenied } from './api-error.ts';

/** The node a route names: an id or one of -root-, -my-, -shared-, then `relativePath` below it. */
export function resolveNode(c: Context<AuthEnv>, { repository, ids }: SandboxState, { relativePath = c.req.query('relativePath') }: { relativePath?: string } = {}): RepoNode {
  const param = c.req.param('nodeId') ?? '';
  const user = c.get('user');
  const id = ({ '-root-': ids.companyHome, '-shared-': ids.shared, '-my-': ids.userHomes[user.id] } as Record<string, string | undefined>)[param] ?? param;
  let node = repository.get(id);
  if (node && relativePath) node = repository.resolve(node, relativePath);
  if (!node) throw notFound(relativePath ? `${param}/${relativePath}` : param);
  if (!repository.canRead(user.id, node)) throw permissionDenied();
  return node;
}
