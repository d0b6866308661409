/** HTTP chores of serving bytes from upstream: conditional requests, disposition, what may be inline. */

import { concreteMimetype } from 'fs-picker/protocol';

const PASSED_HEADERS = ['Content-Length', 'Content-Range', 'Accept-Ranges', 'ETag', 'Last-Modified'] as const;

/** Whether an `If-None-Match` header names this entity tag (weak comparison, as RFC 9110 asks for GET). */
export function etagMatches(ifNoneMatch: string | null, etag: string | null): boolean {
  if (!ifNoneMatch || !etag) return false;
  if (ifNoneMatch.trim() === '*') return true;
  const bare = (tag: string) => tag.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => bare(tag) === bare(etag));
}

/**
 * Answers with the upstream response's body piped through (never read here), our own `headers`, and
 * the upstream's length, range and validators. A request whose `If-None-Match` names the upstream's
 * ETag gets a 304 and the upstream body is cancelled; HEAD gets no body.
 */
export async function forwardConditional(request: Request, upstream: Response, headers: Headers): Promise<Response> {
  for (const name of PASSED_HEADERS) {
    const value = upstream.headers.get(name);
    if (value !== null && !headers.has(name)) headers.set(name, value);
  }
  if (upstream.status !== 416 && etagMatches(request.headers.get('If-None-Match'), headers.get('ETag'))) {
    await upstream.body?.cancel().catch(() => {});
    for (const name of ['Content-Length', 'Content-Range', 'Content-Disposition']) headers.delete(name);
    return new Response(null, { status: 304, headers });
  }
  if (upstream.status === 416) {
    await upstream.body?.cancel().catch(() => {});
    headers.delete('Content-Length');
    return new Response(null, { status: 416, headers });
  }
  if (request.method === 'HEAD') {
    await upstream.body?.cancel().catch(() => {});
    return new Response(null, { status: upstream.status, headers });
  }
  return new Response(upstream.body, { status: upstream.status, headers });
}

/**
 * Types a browser may show inline from our origin: they run no script in it. Everything else,
 * including HTML, SVG, XML and JavaScript, is always a download.
 */
export const INLINE_SAFE = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/avif',
  'image/bmp',
  'application/pdf',
  'text/plain',
  'text/csv',
  'audio/mpeg',
  'audio/ogg',
  'audio/wav',
  'audio/x-wav',
  'audio/webm',
  'video/mp4',
  'video/webm',
  'video/ogg',
]);

/**
 * The Content-Type a file is served with, from what its source or storage says it is: one media type in
 * lower case, with at most its charset, else `application/octet-stream`. A source's string is never
 * passed on as it came: browsers read a list (`text/plain; charset=x, text/html`) as its last member,
 * so what looked safe here could run as HTML there. Stored files' types are already in this shape.
 */
export function servedType(raw: string): string {
  if (raw.includes(',')) return 'application/octet-stream';
  const [essence = '', ...parameters] = raw.split(';');
  const type = concreteMimetype(essence);
  if (type === undefined) return 'application/octet-stream';
  const charset = parameters.map((parameter) => /^\s*charset\s*=\s*"?([A-Za-z0-9._:-]{1,40})"?\s*$/i.exec(parameter)?.[1]).find((value) => value !== undefined);
  return charset === undefined ? type : `${type}; charset=${charset.toLowerCase()}`;
}

/** Whether a thumbnail may be shown as one: an image type that runs no script (so never SVG). */
export function isThumbnailSafe(mimetype: string): boolean {
  return isInlineSafe(mimetype) && mimetype.startsWith('image/');
}

export function isInlineSafe(mimetype: string): boolean {
  return INLINE_SAFE.has(mimetype.split(';')[0]!.trim().toLowerCase());
}

/** `attachment; filename="ascii fallback"; filename*=UTF-8''…` (RFC 6266), or inline for safe types. */
export function contentDisposition(filename: string, inline: boolean): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${inline ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

