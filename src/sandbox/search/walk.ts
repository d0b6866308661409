import type { RepoNode } from '../repository/node.ts';
import type { Repository } from '../repository/repository.ts';
import { findUser } from '../users.ts';

/**
 * Calls `visit` for every node below `root` (and `root` itself with `includeRoot`) that `userId` may
 * read, depth first, with the ids of the node's ancestors from `root` down to its parent. Permissions
 * are inherited on the way down, as Repository.canRead works them out upwards, so a scan of the whole
 * repository costs O(nodes) rather than O(nodes × depth).
 */
export function forEachReadable(
  repository: Repository,
  root: RepoNode,
  userId: string,
  visit: (node: RepoNode, ancestors: ReadonlySet<string>) => void,
  { includeRoot = false }: { includeRoot?: boolean } = {},
): void {
  const admin = findUser(userId)?.isAdmin ?? false;
  const ancestors = new Set<string>();
  const walk = (folder: RepoNode, readable: boolean): void => {
    ancestors.add(folder.id);
    for (const child of repository.children(folder.id)) {
      const rule = child.access?.read;
      // A folder the user cannot read may still hold one they can: walk it anyway.
      const canRead = admin || (rule === undefined ? readable : rule === 'everyone' || rule.includes(userId));
      if (canRead) visit(child, ancestors);
      if (!child.content) walk(child, canRead);
    }
    ancestors.delete(folder.id);
  };
  const readable = repository.canRead(userId, root);
  if (includeRoot && readable) visit(root, ancestors);
  walk(root, readable);
}
