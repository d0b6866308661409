import { FOLDER_MIMETYPE, FsError, type Crumb, type SortDirection, type SortKey } from 'fs-picker/protocol';
import type { SourceItem } from '../provider.ts';
import { itemIdOf } from './item-ids.ts';

/**
 * Pure mapping between the browser binding's JSON (asked for with `succinct=true`, CMIS 1.1 §5.2.6) and
 * the protocol's shapes: no I/O here.
 */

export interface CmisObject {
  succinctProperties?: Record<string, unknown>;
  allowableActions?: Record<string, boolean>;
  renditions?: Array<{ streamId?: unknown; kind?: unknown; mimeType?: unknown }>;
}

/** A list answer: getChildren's `objects` or a query's `results` (§5.4.2, §5.4.1). */
export interface CmisList {
  results?: CmisObject[];
  hasMoreItems?: boolean;
  numItems?: number;
}

/** The queryName our sort keys order by; folders have no content length, so they go by name then. */
export const ORDER_BY: Record<SortKey, { document: string; folder: string }> = {
  name: { document: 'cmis:name', folder: 'cmis:name' },
  modified: { document: 'cmis:lastModificationDate', folder: 'cmis:lastModificationDate' },
  size: { document: 'cmis:contentStreamLength', folder: 'cmis:name' },
};

export function orderBy(sort: SortKey, direction: SortDirection, type: 'document' | 'folder'): string {
  const column = ORDER_BY[sort][type];
  return `${column} ${sort === 'size' && type === 'folder' ? 'ASC' : direction.toUpperCase()}`;
}

function property(object: CmisObject, id: string): unknown {
  return object.succinctProperties?.[id];
}

function text(object: CmisObject, id: string): string | undefined {
  const value = property(object, id);
  return typeof value === 'string' ? value : undefined;
}

export function isFolderObject(object: CmisObject): boolean {
  return property(object, 'cmis:baseTypeId') === 'cmis:folder';
}

/**
 * The id pages carry: a folder's object id; a document's version series id, which names its latest
 * version (Alfresco: the node id without `;1.0`), so a new version leaves the page's id working.
 */
export function seriesIdOf(object: CmisObject): string {
  const objectId = text(object, 'cmis:objectId');
  if (!objectId) throw new FsError('FS_ERR_UPSTREAM', 'The repository answered an object without cmis:objectId.');
  return isFolderObject(object) ? objectId : (text(object, 'cmis:versionSeriesId') ?? objectId);
}

/** Milliseconds (the binding's default), or ISO 8601 (`dateTimeFormat=extended`), as ISO 8601 UTC. */
export function isoDate(value: unknown): string {
  const time = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isNaN(time) ? new Date(0).toISOString() : new Date(time).toISOString();
}

/** A folder takes new documents with canCreateDocument; a document can change with canCheckOut or canSetContentStream. */
export function canWrite(object: CmisObject): boolean {
  const actions = object.allowableActions ?? {};
  return isFolderObject(object) ? actions.canCreateDocument === true : actions.canCheckOut === true || actions.canSetContentStream === true;
}

/** The stream id of the object's `cmis:thumbnail` rendition (§2.1.4.2), when it has one. */
export function thumbnailStreamOf(object: CmisObject): string | undefined {
  const rendition = object.renditions?.find(({ kind, streamId }) => kind === 'cmis:thumbnail' && typeof streamId === 'string');
  return rendition?.streamId as string | undefined;
}

/** `parentPath` is the folder's cmis:path, for a document (which has no path of its own). */
export function toSourceItem(object: CmisObject, parentPath?: string): SourceItem {
  const folder = isFolderObject(object);
  const name = text(object, 'cmis:name') ?? '';
  const length = property(object, 'cmis:contentStreamLength');
  const path = folder ? text(object, 'cmis:path') : parentPath === undefined ? undefined : `${parentPath.replace(/\/$/, '')}/${name}`;
  return {
    id: itemIdOf(seriesIdOf(object)),
    name,
    isFolder: folder,
    isFile: !folder && property(object, 'cmis:baseTypeId') === 'cmis:document' && typeof length === 'number',
    mimetype: folder ? FOLDER_MIMETYPE : (text(object, 'cmis:contentStreamMimeType') ?? 'application/octet-stream'),
    size: !folder && typeof length === 'number' ? length : 0,
    modified: isoDate(property(object, 'cmis:lastModificationDate')),
    canWrite: canWrite(object),
    ...(path === undefined ? {} : { path }),
    hasThumbnail: thumbnailStreamOf(object) !== undefined,
  };
}

export function toCrumb(object: CmisObject): Crumb {
  return { id: itemIdOf(seriesIdOf(object)), name: text(object, 'cmis:name') ?? '' };
}

/** The folder paths above `path` ("/a/b" → "/", "/a"), root first. */
export function ancestorPaths(path: string): string[] {
  const names = path.split('/').filter(Boolean);
  return names.map((_, index) => `/${names.slice(0, index).join('/')}`);
}
