import * as v from 'valibot';

/**
 * Browsing a repository through the companion: `GET /api/alfresco/locations`, `…/folders/:id`,
 * `…/search`. Shapes and the query parameters' rules; the companion validates with these.
 */

/** Where browsing can start. `id` is what `folders/:id` takes (an Alfresco alias or a node id). */
export interface BrowseLocation {
  kind: 'my' | 'shared' | 'site' | 'root';
  id: string;
  /** Display name: "My Files", "Shared Files", the site's title, "Repository". */
  name: string;
  /** For sites: the site's short name, e.g. "swsdp". */
  siteId?: string;
}

export interface LocationsResponse {
  locations: BrowseLocation[];
}

/** The mimetype the companion gives folders in listings (folders have no content type of their own). */
export const FOLDER_MIMETYPE = 'inode/directory';

/** One entry of a listing or a search. */
export interface BrowseItem {
  id: string;
  name: string;
  isFolder: boolean;
  /** The file's MIME type; {@link FOLDER_MIMETYPE} for folders. */
  mimetype: string;
  /** Bytes; 0 for folders. */
  size: number;
  /** ISO 8601 (UTC) time of the last change. */
  modified: string;
  /** Files only: a signed, short-lived companion URL an `<img>` can load (no headers needed). */
  thumbnailUrl?: string;
  /** Folders: the user may create files in it ("Save here"); files: the user may update it. */
  canWrite: boolean;
}

export interface Crumb {
  id: string;
  name: string;
}

export interface FolderInfo {
  id: string;
  name: string;
  /** Breadcrumbs from the repository root down to and including this folder. */
  path: Crumb[];
  /** Whether the user may create files here. */
  canWrite: boolean;
}

export interface FolderListing {
  folder: FolderInfo;
  items: BrowseItem[];
  /** Present when there is more; pass it back as `cursor` for the next page. Opaque. */
  nextCursor?: string;
}

export interface SearchResults {
  items: BrowseItem[];
  nextCursor?: string;
}

export const SORT_KEYS = ['name', 'modified', 'size'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export const SORT_DIRECTIONS = ['asc', 'desc'] as const;
export type SortDirection = (typeof SORT_DIRECTIONS)[number];

/**
 * The shape of an item id on the wire: URL-safe, at most 128 characters (Alfresco's node ids and its aliases
 * `-my-`, `-shared-`, `-root-` fit). Each provider checks its own ids further (`Provider.isItemId`).
 */
export const ITEM_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/** The folder every source starts in: the person's own files (Alfresco's My Files, a WebDAV server's root collection, a CMIS repository's root folder). */
export const HOME_FOLDER_ID = '-my-';

/** An item (or folder) id; `message` says which kind of id is wanted. */
export function itemIdSchema(message = 'must be an item id') {
  return v.pipe(v.string(message), v.regex(ITEM_ID_PATTERN, message));
}

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

const PageSize = v.pipe(
  v.optional(v.string(), String(DEFAULT_PAGE_SIZE)),
  v.regex(/^\d+$/, `must be a whole number from 1 to ${MAX_PAGE_SIZE}`),
  v.transform(Number),
  v.number(),
  v.minValue(1, `must be a whole number from 1 to ${MAX_PAGE_SIZE}`),
  v.maxValue(MAX_PAGE_SIZE, `must be a whole number from 1 to ${MAX_PAGE_SIZE}`),
);

/**
 * `accept`: a comma list of MIME patterns (`image/*`, `*\/*`, `application/pdf`) and extensions (`.pdf`).
 * An empty list (or `*\/*`) accepts every file. Folders are always listed.
 */
export const ACCEPT_ITEM = /^(?:\.[^\s,./\\]+(?:\.[^\s,./\\]+)*|\*\/\*|[a-z0-9][a-z0-9!#$&^_.+-]*\/(?:\*|[a-z0-9][a-z0-9!#$&^_.+-]*))$/i;

const AcceptList = v.pipe(
  v.optional(v.string(), ''),
  v.transform((raw) => raw.split(',').map((item) => item.trim()).filter(Boolean)),
  v.check((items) => items.every((item) => ACCEPT_ITEM.test(item)), 'must be a comma list of MIME types (image/*, application/pdf) and extensions (.pdf)'),
);

export const ListQuerySchema = v.object({
  cursor: v.optional(v.pipe(v.string(), v.minLength(1, 'must not be empty'))),
  pageSize: PageSize,
  sort: v.optional(v.picklist(SORT_KEYS, `must be one of ${SORT_KEYS.join(', ')}`), 'name'),
  direction: v.optional(v.picklist(SORT_DIRECTIONS, 'must be asc or desc'), 'asc'),
  accept: AcceptList,
});

export const SearchQuerySchema = v.object({
  q: v.pipe(v.string('is required'), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(200, 'must be at most 200 characters')),
  folderId: v.optional(itemIdSchema('must be a folder id')),
  cursor: v.optional(v.pipe(v.string(), v.minLength(1, 'must not be empty'))),
  pageSize: PageSize,
  accept: AcceptList,
});

/** Whether a file with this name and type passes an `accept` list (see {@link ACCEPT_ITEM}). */
export function matchesAccept(accept: readonly string[], name: string, mimetype: string): boolean {
  if (accept.length === 0) return true;
  const type = mimetype.toLowerCase();
  const lowerName = name.toLowerCase();
  return accept.some((raw) => {
    const item = raw.toLowerCase();
    if (item.startsWith('.')) return lowerName.endsWith(item) && lowerName.length > item.length;
    if (item === '*/*') return true;
    if (item.endsWith('/*')) return type.startsWith(item.slice(0, -1));
    return type === item;
  });
}
