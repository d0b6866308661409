import { Hono, type Context } from 'hono';
import { ListQuerySchema, matchesAccept, SearchQuerySchema, type FolderListing, type LocationsResponse, type SearchResults, FsError, type BrowseItem } from 'fs-picker/protocol';
import { decodeCursor, encodeCursor, fillPage, type CursorScope, type FetchPage } from '../browse/listing.ts';
import type { Grant } from '../auth/grants.ts';
import { thumbnailUrlMaker, verifyThumbnail } from '../browse/thumbnails.ts';
import type { Companion } from '../context.ts';
import { forwardConditional, isThumbnailSafe, servedType } from '../files/http.ts';
import { webBody } from '../files/web-body.ts';
import { itemIdOf } from '../providers/item-id.ts';
import { readQuery } from '../requests/index.ts';
import type { Provider, SourceItem } from '../providers/provider.ts';
import { segmentOf } from '../providers/registry.ts';
import { requireSession, type SessionEnv } from '../security/session.ts';

/**
 * Browsing a source, at /api/<source> (`/api/alfresco/…`): locations, folder listings, search and
 * thumbnails, the same for every provider. The session must be one of this source.
 */
export function browseRoutes(companion: Companion): Hono<SessionEnv> {
  const providerOf = (c: Context) => companion.sources.bySegment(c.req.param('source') ?? '');
  const session = requireSession(companion, providerOf);
  const filtering = (accept: readonly string[]) => accept.length > 0 && !accept.includes('*/*');
  /** One page of items that match `accept`, read from as many upstream pages as it takes, and its cursor. */
  const filteredPage = async (provider: Provider, grant: Grant, scope: CursorScope, query: { cursor?: string | undefined; pageSize: number; accept: string[] }, read: FetchPage) => {
    const keep = (item: SourceItem) => item.isFolder || matchesAccept(query.accept, item.name, item.mimetype);
    const start = decodeCursor(companion, scope, query.cursor);
    const page = await fillPage(read, { start, pageSize: query.pageSize, maxPageSize: provider.maxPageSize }, keep, filtering(query.accept));
    const thumbnail = thumbnailUrlMaker(companion, grant, segmentOf(provider));
    return {
      items: page.items.map((item) => browseItem(item, thumbnail)),
      ...(page.next === undefined ? {} : { nextCursor: encodeCursor(companion, scope, page.next) }),
    };
  };

  return (
    new Hono<SessionEnv>()
      /** `{ locations: [{kind, id, name, siteId?}] }`: where browsing can start, as the source offers it. */
      .get('/locations', session, async (c) => {
        const locations = await providerOf(c).locations({ grant: c.get('grant'), signal: c.req.raw.signal });
        return c.json({ locations } satisfies LocationsResponse);
      })

      .get('/folders/:folderId', session, async (c) => {
        const provider = providerOf(c);
        const grant = c.get('grant');
        const folderId = itemIdOf(provider, c.req.param('folderId'), 'folderId');
        const query = readQuery(c, ListQuerySchema);
        const call = { grant, signal: c.req.raw.signal };
        // The folder and its first children in parallel. The cursor is scoped to the id as asked for (an
        // alias such as Alfresco's -my- is per person, and so is every cursor), so it needs no answer first.
        const scope: CursorScope = { kind: 'folder', target: folderId, sort: `${query.sort} ${query.direction}`, accept: query.accept, grantId: grant.id };
        const listing = filteredPage(provider, grant, scope, query, (skip, max) => provider.list(call, folderId, { skip, max, sort: query.sort, direction: query.direction }));
        // When the folder is missing or a file, its own error is the answer and the listing's is dropped.
        listing.catch(() => undefined);
        const folder = await provider.folder(call, folderId);
        const body: FolderListing = { folder, ...(await listing) };
        return c.json(body);
      })

      /** `{ items, nextCursor? }`: files and folders whose name starts with `q`, optionally below `folderId`. */
      .get('/search', session, async (c) => {
        const provider = providerOf(c);
        const grant = c.get('grant');
        const query = readQuery(c, SearchQuerySchema);
        const folderId = query.folderId === undefined ? undefined : itemIdOf(provider, query.folderId, 'folderId');
        const scope: CursorScope = { kind: 'search', target: JSON.stringify([query.q, folderId ?? '']), sort: 'name asc', accept: query.accept, grantId: grant.id };
        const call = { grant, signal: c.req.raw.signal };
        const body: SearchResults = await filteredPage(provider, grant, scope, query, (skip, max) => provider.search(call, { q: query.q, folderId, skip, max }));
        return c.json(body);
      })

      /**
       * A file's thumbnail (or the source's placeholder for its type), for `<img>`: no session header,
       * a signed URL instead (see browse/thumbnails.ts). Streamed, private-cacheable until the URL expires.
       */
      .get('/thumbnails/:itemId', async (c) => {
        const provider = providerOf(c);
        const itemId = itemIdOf(provider, c.req.param('itemId'), 'itemId');
        const { grantId, secondsLeft } = verifyThumbnail(companion, c.get('app').apiKey, itemId, (name) => c.req.query(name));
        const grant = await companion.grants.get(grantId);
        if (!grant || grant.source !== provider.id) throw new FsError('FS_ERR_RECONNECT', `The connection to ${provider.name} has ended. Connect again to continue.`);
        const upstream = await provider.thumbnail({ grant, signal: c.req.raw.signal }, itemId);
        // For <img> only: anything but a script-free image (an SVG, HTML, a list of types) is a download.
        const contentType = servedType(upstream.headers.get('Content-Type') ?? 'image/png');
        const image = isThumbnailSafe(contentType.split(';')[0]!);
        const headers = new Headers({
          'Content-Type': image ? contentType : 'application/octet-stream',
          ...(image ? {} : { 'Content-Disposition': 'attachment' }),
          'Cache-Control': `private, max-age=${Math.min(secondsLeft, 600)}`,
          'X-Content-Type-Options': 'nosniff',
          'Content-Security-Policy': "default-src 'none'; sandbox",
        });
        const body = webBody(upstream.body);
        return forwardConditional(c.req.raw, new Response(body, { status: upstream.status, headers: upstream.headers }), headers);
      })
  );
}

/** A listing's entry, with a thumbnail URL for files the source has a preview of. */
function browseItem({ id, name, isFolder, mimetype, size, modified, canWrite, hasThumbnail }: SourceItem, thumbnail: (itemId: string) => string): BrowseItem {
  return { id, name, isFolder, mimetype, size, modified, ...(hasThumbnail ? { thumbnailUrl: thumbnail(id) } : {}), canWrite };
}
