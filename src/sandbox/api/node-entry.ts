import { alfrescoDate } from '../alfresco-date.ts';
import { isFolder, type RepoNode } from '../repository/node.ts';
import type { Repository } from '../repository/repository.ts';
import { userInfo } from '../users.ts';
import { pickFields } from './fields.ts';

export interface EntryOptions {
  /** Extra fields asked for with `include`. */
  include?: readonly string[];
  /** Only these fields (plus the included ones), when `fields` is given. */
  fields?: readonly string[];
  /** getNode returns aspectNames and properties without being asked; lists do not. */
  withAspectsAndProperties?: boolean;
}

/** The REST API's Node entity for `node` as `userId` sees it. */
export function nodeEntry(repository: Repository, node: RepoNode, userId: string, options: EntryOptions = {}): Record<string, unknown> {
  const include = new Set(options.include ?? []);
  const entry: Record<string, unknown> = {
    id: node.id,
    name: node.name,
    nodeType: node.nodeType,
    isFolder: isFolder(node),
    isFile: node.content !== undefined,
    modifiedAt: alfrescoDate(node.modifiedAt),
    modifiedByUser: userInfo(node.modifiedBy),
    createdAt: alfrescoDate(node.createdAt),
    createdByUser: userInfo(node.createdBy),
    ...(node.parentId === undefined ? {} : { parentId: node.parentId }),
    ...(node.content
      ? { content: { mimeType: node.content.mimeType, mimeTypeName: node.content.mimeTypeName, sizeInBytes: node.content.sizeInBytes, encoding: node.content.encoding } }
      : {}),
  };
  if (options.withAspectsAndProperties || include.has('aspectNames')) entry.aspectNames = [...node.aspectNames];
  if (options.withAspectsAndProperties || include.has('properties')) {
    if (Object.keys(node.properties).length > 0) entry.properties = { ...node.properties };
  }
  if (include.has('allowableOperations')) entry.allowableOperations = allowableOperations(repository, node, userId);
  if (include.has('isLink')) entry.isLink = node.nodeType === 'app:filelink' || node.nodeType === 'app:folderlink';
  if (include.has('isLocked')) entry.isLocked = false;
  if (include.has('isFavorite')) entry.isFavorite = false;
  if (include.has('isDirectLinkEnabled')) entry.isDirectLinkEnabled = false;
  if (include.has('association') && node.parentId !== undefined) entry.association = { assocType: 'cm:contains', isPrimary: true };
  if (include.has('path')) entry.path = pathInfo(repository, node);
  return options.fields && options.fields.length > 0 ? pickFields(entry, [...options.fields, ...include]) : entry;
}

/** What the user may do with the node; a picker offers "Save here" only where `create` is listed. */
export function allowableOperations(repository: Repository, node: RepoNode, userId: string): string[] {
  if (!repository.canWrite(userId, node)) return [];
  return node.parentId === undefined ? ['update', 'create'] : ['delete', 'update', 'create'];
}

/** The path of the node's parent folder, as Alfresco gives it (the node itself is not part of it). */
export function pathInfo(repository: Repository, node: RepoNode): Record<string, unknown> {
  const ancestors = repository.ancestors(node);
  return {
    name: `/${ancestors.map((folder) => folder.name).join('/')}`,
    isComplete: true,
    elements: ancestors.map((folder) => ({ id: folder.id, name: folder.name, nodeType: folder.nodeType, aspectNames: [...folder.aspectNames] })),
  };
}

/** Alfresco's list envelope for one page of `all`. */
export function listEnvelope<T>(all: readonly T[], { skipCount, maxItems }: { skipCount: number; maxItems: number }, toEntry: (item: T) => unknown, extra: Record<string, unknown> = {}) {
  const page = all.slice(skipCount, skipCount + maxItems);
  return {
    list: {
      pagination: { count: page.length, hasMoreItems: skipCount + page.length < all.length, totalItems: all.length, skipCount, maxItems },
      entries: page.map((item) => ({ entry: toEntry(item) })),
      ...extra,
    },
  };
}
