import { isSafeSegment, type DavPath } from './item-ids.ts';

/*
 * Between a path below the app's WebDAV root and the URLs the server takes and gives. Servers write
 * hrefs percent-encoded, as a path ("/dav/R%c3%a9sum%c3%a9.txt", Apache) or as a whole URL, with or
 * without a trailing slash on collections, and encode more or fewer characters than we do: so hrefs are
 * compared segment by segment, decoded, never as strings.
 */

/** The URL of a path; collections end with a slash, as RFC 4918 writes them. */
export function urlOf(root: URL, path: DavPath, { collection = false } = {}): URL {
  if (path.length === 0) return new URL(root);
  return new URL(`${path.map(encodeURIComponent).join('/')}${collection ? '/' : ''}`, root);
}

/** The path an href names, relative to the root; undefined for one outside it (or not decodable). */
export function pathOfHref(root: URL, href: string): DavPath | undefined {
  let target: URL;
  try {
    target = new URL(href, root);
  } catch {
    return undefined;
  }
  const base = decodedSegments(root.pathname);
  const full = decodedSegments(target.pathname);
  if (!base || !full || full.length < base.length || base.some((segment, index) => segment !== full[index])) return undefined;
  const path = full.slice(base.length);
  return path.every(isSafeSegment) ? path : undefined;
}

/** "/a/b%20c/" → ["a", "b c"]. */
function decodedSegments(pathname: string): string[] | undefined {
  try {
    return pathname.split('/').filter((segment) => segment !== '').map(decodeURIComponent);
  } catch {
    return undefined;
  }
}

/** The collection URL an app configured, with the trailing slash that makes relative URLs land inside it. */
export function rootUrlOf(configured: string): URL {
  const url = new URL(configured);
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  url.search = '';
  url.hash = '';
  return url;
}
