import { FOLDER_MIMETYPE, type Crumb } from 'fs-picker/protocol';
import type { SourceItem } from '../provider.ts';
import { contentTypeFromName } from './content-types.ts';
import { idOf, type DavPath } from './item-ids.ts';
import type { DavResource } from './multistatus.ts';

/*
 * Pure mapping from what a PROPFIND said to the protocol's shapes; no I/O here (client.ts makes the calls).
 *
 * An item's name is the last segment of its path, not `displayname`: that is a free label on some
 * servers, while the path's name is what PUT, a name clash and a link go by.
 */

/** Privileges (RFC 3744) that let a person change a file or add to a folder. */
const WRITE_PRIVILEGES = new Set(['all', 'write', 'write-content', 'bind']);

/** A resource found at `path` as an item; undefined when its path is too deep to have an id. */
export function toSourceItem(resource: DavResource, path: DavPath, rootName: string): SourceItem | undefined {
  const id = idOf(path);
  if (id === undefined) return undefined;
  const name = path.at(-1) ?? rootName;
  const folder = resource.isCollection;
  return {
    id,
    name,
    isFolder: folder,
    isFile: !folder,
    mimetype: folder ? FOLDER_MIMETYPE : mediaTypeOf(resource.contentType) ?? contentTypeFromName(name),
    size: folder ? 0 : (resource.contentLength ?? 0),
    modified: isoDate(resource.lastModified),
    // Without ACLs (RFC 3744) a server says nothing of permissions; the write itself is then refused with 403.
    canWrite: resource.privileges === undefined || resource.privileges.some((privilege) => WRITE_PRIVILEGES.has(privilege)),
    path: `/${path.join('/')}`,
    // WebDAV has no previews: the picker shows the type's icon.
    hasThumbnail: false,
  };
}

/** What the root is called in locations and breadcrumbs: its last path segment ("ada" of …/files/ada/), else the host. */
export function rootNameOf(root: URL): string {
  const last = root.pathname.split('/').filter(Boolean).at(-1);
  try {
    return last === undefined ? root.host : decodeURIComponent(last);
  } catch {
    return root.host;
  }
}

/** Breadcrumbs from the root down to and including `path`. */
export function crumbsOf(path: DavPath, rootName: string): Crumb[] {
  const crumbs: Crumb[] = [];
  for (let depth = 0; depth <= path.length; depth++) {
    const id = idOf(path.slice(0, depth));
    if (id !== undefined) crumbs.push({ id, name: depth === 0 ? rootName : path[depth - 1]! });
  }
  return crumbs;
}

/** getcontenttype without parameters; a directory's pseudo-type (Apache's httpd/unix-directory) is no file type. */
function mediaTypeOf(contentType: string | undefined): string | undefined {
  const type = contentType?.split(';')[0]!.trim().toLowerCase();
  return type && type.includes('/') && type !== 'httpd/unix-directory' ? type : undefined;
}

/** getlastmodified (RFC 1123) as ISO 8601 UTC; the epoch when the server gave none. */
function isoDate(lastModified: string | undefined): string {
  const time = lastModified === undefined ? Number.NaN : Date.parse(lastModified);
  return new Date(Number.isNaN(time) ? 0 : time).toISOString();
}
