import { FOLDER_MIMETYPE, type Crumb, type FolderInfo, type SortDirection, type SortKey } from 'fs-picker/protocol';
import type { SourceItem } from '../provider.ts';

/** Pure mapping between Alfresco's JSON and the protocol's shapes: no I/O here (see index.ts for the calls). */


export interface AlfrescoNode {
  id: string;
  name: string;
  nodeType: string;
  isFolder: boolean;
  isFile: boolean;
  modifiedAt: string;
  parentId?: string;
  content?: { mimeType: string; sizeInBytes: number };
  allowableOperations?: string[];
  path?: { name: string; isComplete?: boolean; elements: Array<{ id: string; name: string }> };
}

export interface AlfrescoPaging<T> {
  list: {
    pagination: { count: number; hasMoreItems: boolean; totalItems?: number; skipCount: number; maxItems: number };
    entries: Array<{ entry: T }>;
  };
}

export interface AlfrescoSiteMembership {
  id: string;
  guid: string;
  role: string;
  site: { id: string; title: string; visibility: string };
}

/** What Alfresco calls our sort keys in `orderBy` (children) and in search `sort` fields. */
export const ORDER_FIELDS: Record<SortKey, { children: string; search: string }> = {
  name: { children: 'name', search: 'cm:name' },
  modified: { children: 'modifiedAt', search: 'cm:modified' },
  size: { children: 'sizeInBytes', search: 'cm:content.size' },
};

/** `orderBy` for `nodes/{id}/children`: folders always first, then the chosen field. */
export function childrenOrderBy(sort: SortKey, direction: SortDirection): string {
  return `isFolder DESC,${ORDER_FIELDS[sort].children} ${direction.toUpperCase()}`;
}

/** Alfresco's `2011-02-15T20:19:00.007+0000` as ISO 8601 UTC. */
export function isoDate(alfrescoDate: string): string {
  const time = Date.parse(alfrescoDate.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
  return Number.isNaN(time) ? alfrescoDate : new Date(time).toISOString();
}

export function mimetypeOf(node: AlfrescoNode): string {
  return node.isFolder ? FOLDER_MIMETYPE : (node.content?.mimeType ?? 'application/octet-stream');
}

/** A folder may take new files when the user may `create` in it; a file is writeable with `update`. */
export function canWrite(node: AlfrescoNode): boolean {
  return (node.allowableOperations ?? []).includes(node.isFolder ? 'create' : 'update');
}

export function toSourceItem(node: AlfrescoNode): SourceItem {
  const path = displayPath(node);
  return {
    id: node.id,
    name: node.name,
    isFolder: node.isFolder,
    isFile: node.isFile,
    mimetype: mimetypeOf(node),
    size: node.isFolder ? 0 : (node.content?.sizeInBytes ?? 0),
    modified: isoDate(node.modifiedAt),
    canWrite: canWrite(node),
    ...(path === undefined ? {} : { path }),
    // Alfresco has a doclib rendition (or a placeholder for the type) for every file.
    hasThumbnail: !node.isFolder,
  };
}

/** The folder with its breadcrumbs: Alfresco's path elements (the ancestors) and the folder itself. */
export function toFolderInfo(node: AlfrescoNode): FolderInfo {
  const ancestors: Crumb[] = (node.path?.elements ?? []).map(({ id, name }) => ({ id, name }));
  return { id: node.id, name: node.name, path: [...ancestors, { id: node.id, name: node.name }], canWrite: canWrite(node) };
}

/** Alfresco's display path of a node: its parent's path name and its own name. */
export function displayPath(node: AlfrescoNode): string | undefined {
  return node.path?.name === undefined ? undefined : `${node.path.name}/${node.name}`;
}

/** AFTS text inside double quotes: backslash and quote escaped. */
export function aftsQuoted(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/**
 * The search for a name: files and folders whose name starts with what was typed (`cm:name:"q*"`),
 * optionally only below a folder (`ANCESTOR`).
 */
export function nameQuery(q: string, ancestorId?: string): string {
  // A `*` or `?` typed by the user would be a wildcard; keep them literal by dropping them from the prefix.
  const term = q.replace(/[*?]/g, ' ').trim();
  const parts = [`+cm:name:${aftsQuoted(`${term}*`)}`, '+(TYPE:"cm:content" OR TYPE:"cm:folder")'];
  if (ancestorId !== undefined) parts.push(`+ANCESTOR:${aftsQuoted(`workspace://SpacesStore/${ancestorId}`)}`);
  return parts.join(' ');
}
