import { isFolder, type RepoNode } from '../repository/node.ts';
import type { Repository } from '../repository/repository.ts';
import { CmisError } from './cmis-error.ts';
import { isWorkingCopy } from './working-copies.ts';

/**
 * Object ids as Alfresco's CMIS shows them: a folder by its node id, a document by its node id and its
 * version label (`<uuid>;1.0`), a private working copy as `<uuid>;pwc`. The node id alone is the version
 * series id, and names the latest version.
 */

export const PWC_LABEL = 'pwc';
const NODE_REF = 'workspace://SpacesStore/';

/** The document's version label; a document that was never versioned shows as 1.0, as in Alfresco. */
export function versionLabelOf(node: RepoNode): string {
  if (isWorkingCopy(node)) return PWC_LABEL;
  const label = node.properties['cm:versionLabel'];
  return typeof label === 'string' ? label : '1.0';
}

export function objectIdOf(node: RepoNode): string {
  return node.content === undefined ? node.id : `${node.id};${versionLabelOf(node)}`;
}

/**
 * The node an object id names, as `userId` may read it. The sandbox keeps no version history (a new
 * version replaces the bytes), so the id of an older version is not found rather than answered with the
 * latest; the version series id (`<uuid>`) always finds the latest.
 */
export function objectOf(repository: Repository, userId: string, objectId: string): RepoNode {
  const [nodeId = '', version, ...rest] = (objectId.startsWith(NODE_REF) ? objectId.slice(NODE_REF.length) : objectId).split(';');
  const node = rest.length === 0 ? repository.get(nodeId) : undefined;
  if (!node || (version !== undefined && (isFolder(node) || version !== versionLabelOf(node)))) {
    const old = node && version !== undefined && node.content ? ` (the sandbox keeps only the latest version, ${versionLabelOf(node)})` : '';
    throw new CmisError('objectNotFound', `Object not found: ${objectId}${old}`);
  }
  if (!repository.canRead(userId, node)) throw new CmisError('permissionDenied', `Permission denied: ${objectId}`);
  return node;
}

/** The node at a path of names below the root folder ("/" is the root), as `userId` may read it. */
export function objectAtPath(repository: Repository, root: RepoNode, userId: string, path: string): RepoNode {
  const node = repository.resolve(root, path);
  if (!node) throw new CmisError('objectNotFound', `Object not found: ${path}`);
  if (!repository.canRead(userId, node)) throw new CmisError('permissionDenied', `Permission denied: ${path}`);
  return node;
}
