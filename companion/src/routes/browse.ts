import { Hono } from 'hono';
import { ListQuerySchema, matchesAccept, SearchQuerySchema, type BrowseLocation, type FolderListing, type LocationsResponse, type SearchResults, FsError } from 'fs-picker/protocol';
import { decodeCursor, encodeCursor, fillPage, type CursorScope, type FetchPage } from '../browse/listing.ts';
import type { Grant } from '../auth/grants.ts';
import { nodeIdParam, parseInput } from '../browse/query.ts';
import { thumbnailUrlMaker, verifyThumbnail } from '../browse/thumbnails.ts';
import type { Companion } from '../context.ts';
import { childrenOrderBy, mimetypeOf, nameQuery, ORDER_FIELDS, toFolderInfo, toItem, type AlfrescoNode } from '../providers/alfresco/adapter.ts';
import * as alfresco from '../providers/alfresco/index.ts';
import { requireSession, type SessionEnv } from '../security/session.ts';
import { forwardConditional } from '../files/http.ts';

/** locations, folder listings, search and thumbnails at /api/alfresco. */
export function browseRoutes(companion: Companion): Hono<SessionEnv> {
  const { alfresco: client } = companion;
  const session = requireSession(companion);
  const keepFor = (accept: readonly string[]) => (node: AlfrescoNode) => node.isFolder || matchesAccept(accept, node.name, mimetypeOf(node));
  const filtering = (accept: readonly string[]) => accept.length > 0 && !accept.includes('*/*');
  /** One page of items that match `accept`, read from as many upstream pages as it takes, and its cursor. */
  const filteredPage = async (grant: Grant, scope: CursorScope, query: { cursor?: string | undefined; pageSize: number; accept: string[] }, read: FetchPage) => {
    const page = await fillPage(read, decodeCursor(companion, scope, query.cursor), query.pageSize, keepFor(query.accept), filtering(query.accept));
    const thumbnail = thumbnailUrlMaker(companion, grant);
    return {
      items: page.nodes.map((node) => toItem(node, thumbnail)),
      ...(page.next === undefined ? {} : { nextCursor: encodeCursor(companion, scope, page.next) }),
    };
  };

  return (
    new Hono<SessionEnv>()
      /**
       * `{ locations: [{kind, id, name, siteId?}] }`: My Files, Shared Files, the person's sites (each
       * opening its document library) and the repository root, only when the person may read it.
       */
      .get('/locations', session, async (c) => {
        const grant = c.get('grant');
        const [sites, root] = await Promise.all([
          alfresco.mySites(client, grant),
          alfresco.getNode(client, grant, '-root-', 'allowableOperations').catch((error: unknown) => {
            if (error instanceof FsError && (error.code === 'FS_ERR_FORBIDDEN' || error.code === 'FS_ERR_NOT_FOUND')) return undefined;
            throw error;
          }),
        ]);
        const libraries = await Promise.all(
          sites.map(async (membership): Promise<BrowseLocation | undefined> => {
            const folderId = await alfresco.documentLibraryOf(client, grant, membership.id).catch((error: unknown) => {
              // A site without a document library (or one we may not open) is simply not offered.
              if (error instanceof FsError && (error.code === 'FS_ERR_FORBIDDEN' || error.code === 'FS_ERR_NOT_FOUND')) return undefined;
              throw error;
            });
            return folderId === undefined ? undefined : { kind: 'site', id: folderId, name: membership.site.title || membership.id, siteId: membership.id };
          }),
        );
        const locations: BrowseLocation[] = [
          { kind: 'my', id: '-my-', name: 'My Files' },
          { kind: 'shared', id: '-shared-', name: 'Shared Files' },
          ...libraries.filter((location) => location !== undefined),
          ...(root ? [{ kind: 'root' as const, id: '-root-', name: 'Repository' }] : []),
        ];
        return c.json({ locations } satisfies LocationsResponse);
      })

      .get('/folders/:folderId', session, async (c) => {
        const grant = c.get('grant');
        const folderId = nodeIdParam(c.req.param('folderId'));
        const query = parseInput(ListQuerySchema, c.req.query());
        // The folder and its first children in parallel. The cursor is scoped to the id as asked for (an
        // alias such as -my- is per person, and so is every cursor), so it needs no answer first.
        const scope: CursorScope = { kind: 'folder', target: folderId, sort: `${query.sort} ${query.direction}`, accept: query.accept, grantId: grant.id };
        const orderBy = childrenOrderBy(query.sort, query.direction);
        const listing = filteredPage(grant, scope, query, async (skipCount, maxItems) => {
          const { list } = await alfresco.listChildren(client, grant, folderId, { skipCount, maxItems, orderBy });
          return { entries: list.entries.map(({ entry }) => entry), hasMore: list.pagination.hasMoreItems };
        });
        // When the folder is missing or a file, its own error is the answer and the listing's is dropped.
        listing.catch(() => undefined);
        const folder = await alfresco.getNode(client, grant, folderId);
        if (!folder.isFolder) throw new FsError('FS_ERR_INVALID_REQUEST', 'folderId: this is a file, not a folder.', { field: 'folderId' });
        const page = await listing;
        const body: FolderListing = { folder: toFolderInfo(folder), ...page };
        return c.json(body);
      })

      /** `{ items, nextCursor? }`: files and folders whose name starts with `q`, optionally below `folderId`. */
      .get('/search', session, async (c) => {
        const grant = c.get('grant');
        const query = parseInput(SearchQuerySchema, c.req.query());
        // ANCESTOR needs a real node id; aliases (-my-) are resolved first.
        const ancestor = query.folderId === undefined ? undefined : (await alfresco.getNode(client, grant, query.folderId, 'allowableOperations')).id;
        const scope: CursorScope = { kind: 'search', target: JSON.stringify([query.q, ancestor ?? '']), sort: 'name asc', accept: query.accept, grantId: grant.id };
        const afts = nameQuery(query.q, ancestor);
        const body: SearchResults = await filteredPage(grant, scope, query, async (skipCount, maxItems) => {
          const { list } = await alfresco.search(client, grant, { query: afts, skipCount, maxItems, sort: [{ type: 'FIELD', field: ORDER_FIELDS.name.search, ascending: true }] });
          return { entries: list.entries.map(({ entry }) => entry), hasMore: list.pagination.hasMoreItems };
        });
        return c.json(body);
      })

      /**
       * The doclib thumbnail (or Alfresco's placeholder for the type), for `<img>`: no session header,
       * a signed URL instead (see browse/thumbnails.ts). Streamed, private-cacheable until the URL expires.
       */
      .get('/thumbnails/:nodeId', async (c) => {
        const nodeId = nodeIdParam(c.req.param('nodeId'), 'nodeId');
        const { grantId, secondsLeft } = verifyThumbnail(companion, c.get('app').apiKey, nodeId, (name) => c.req.query(name));
        const grant = await companion.grants.get(grantId);
        if (!grant) throw new FsError('FS_ERR_RECONNECT', 'The connection to Alfresco has ended. Connect again to continue.');
        const upstream = await alfresco.thumbnail(client, grant, nodeId, { signal: c.req.raw.signal });
        if (upstream.status === 416) {
          await upstream.body?.cancel();
          throw new FsError('FS_ERR_UPSTREAM', 'Alfresco did not send the thumbnail.');
        }
        const headers = new Headers({
          'Content-Type': upstream.headers.get('Content-Type') ?? 'image/png',
          'Cache-Control': `private, max-age=${Math.min(secondsLeft, 600)}`,
          'X-Content-Type-Options': 'nosniff',
          'Content-Security-Policy': "default-src 'none'; sandbox",
        });
        return forwardConditional(c.req.raw, upstream, headers);
      })
  );
}
