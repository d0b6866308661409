import * as v from 'valibot';
import type { CompanionClient } from './client.ts';
import type { BrowseItem, BrowseLocation, FolderListing, SearchResults, SortDirection, SortKey } from '../../protocol/browse.ts';
import type { RepositoryId } from '../../protocol/services.ts';

/** Browsing a repository through the companion (`/api/<source>/…`): locations, one page of a folder, one page of a search. */

const LocationSchema = v.object({
  kind: v.picklist(['my', 'shared', 'site', 'root']),
  id: v.string(),
  name: v.string(),
  siteId: v.optional(v.string()),
});

const ItemSchema = v.object({
  id: v.string(),
  name: v.string(),
  isFolder: v.boolean(),
  mimetype: v.string(),
  size: v.number(),
  modified: v.string(),
  thumbnailUrl: v.optional(v.string()),
  canWrite: v.boolean(),
});

const FolderInfoSchema = v.object({
  id: v.string(),
  name: v.string(),
  path: v.array(v.object({ id: v.string(), name: v.string() })),
  canWrite: v.boolean(),
});

const LocationsSchema = v.object({ locations: v.array(LocationSchema) });
const ListingSchema = v.object({ folder: FolderInfoSchema, items: v.array(ItemSchema), nextCursor: v.optional(v.string()) });
const SearchSchema = v.object({ items: v.array(ItemSchema), nextCursor: v.optional(v.string()) });

/** What every browse call needs: the session, and a signal to cancel it. */
export interface BrowseCall {
  /** The repository the session is of. */
  source: RepositoryId;
  session: string;
  signal?: AbortSignal | undefined;
}

export interface PageRequest extends BrowseCall {
  cursor?: string | undefined;
  pageSize?: number | undefined;
  /** MIME patterns and extensions; files that match none are left out (folders always stay). */
  accept?: readonly string[] | undefined;
}

export interface FolderRequest extends PageRequest {
  sort?: SortKey | undefined;
  direction?: SortDirection | undefined;
}

export interface SearchRequest extends PageRequest {
  /** Search below this folder only. */
  folderId?: string | undefined;
}

/** Where a repository's browse routes are: `/api/alfresco`, `/api/webdav`, `/api/cmis`. */
const routeOf = (source: RepositoryId) => `/api/${source.toLowerCase()}`;

const acceptQuery = (accept: readonly string[] | undefined) => (accept && accept.length > 0 ? accept.join(',') : undefined);

/** Where browsing can start: My Files, Shared Files, each site the person belongs to, and the repository. */
export async function listLocations(client: CompanionClient, { source, session, signal }: BrowseCall): Promise<BrowseLocation[]> {
  return (await client.request(`${routeOf(source)}/locations`, LocationsSchema, { session, signal })).locations;
}

/** One page of a folder (`folderId` is a node id or an alias like `-my-`), folders first. */
export async function listFolder(client: CompanionClient, folderId: string, request: FolderRequest): Promise<FolderListing> {
  const { source, session, signal, cursor, pageSize, accept, sort, direction } = request;
  const listing = await client.request(`${routeOf(source)}/folders/${encodeURIComponent(folderId)}`, ListingSchema, {
    session,
    signal,
    query: { cursor, pageSize, sort, direction, accept: acceptQuery(accept) },
  });
  return withoutUndefined(listing);
}

/** One page of the files and folders whose name starts with `q`. */
export async function searchItems(client: CompanionClient, q: string, request: SearchRequest): Promise<SearchResults> {
  const { source, session, signal, cursor, pageSize, accept, folderId } = request;
  const results = await client.request(`${routeOf(source)}/search`, SearchSchema, {
    session,
    signal,
    query: { q, folderId, cursor, pageSize, accept: acceptQuery(accept) },
  });
  return withoutUndefined(results);
}

/** valibot's optional keys come out as `key?: T | undefined`; the protocol's types leave them out instead. */
function withoutUndefined<T extends { items: BrowseItem[]; nextCursor?: string | undefined }>(page: T): T & { nextCursor?: string } {
  const items = page.items.map((item) => (item.thumbnailUrl === undefined ? (({ thumbnailUrl: _, ...rest }) => rest)(item) : item)) as BrowseItem[];
  const { nextCursor, ...rest } = page;
  return { ...rest, items, ...(nextCursor === undefined ? {} : { nextCursor }) } as T & { nextCursor?: string };
}
