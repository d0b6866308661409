import type { Outbound } from '../../outbound/index.ts';
import type { NewContent } from '../provider.ts';
import { answerText, sendCounted } from '../bodies.ts';

/** What the PUT must find at the target: nothing there (`*`), or the file as it was (its entity tag). */
export type PutConditions = { ifNoneMatch: '*' } | { ifMatch: string } | Record<string, never>;

/**
 * A streamed PUT: the bytes go from `content.stream` into the request as they arrive, with
 * Content-Length when the size is known (chunked otherwise). A stream that fails, or ends short of or
 * past its size, destroys the request before it is complete, so the server keeps what it had (mod_dav
 * writes a new file aside and renames it only once complete). The stream itself is not destroyed here:
 * what happens to the rest of it is the caller's choice. A server that answers before reading it all
 * (a 412 or 403 on the headers) stops the sending, and its answer is what is reported.
 */
export async function putStream(outbound: Outbound, url: URL, authorization: string, content: NewContent, conditions: PutConditions): Promise<{ status: number; detail: string }> {
  const headers: Record<string, string> = { Authorization: authorization, ...conditionHeaders(conditions) };
  if (content.mimetype) headers['Content-Type'] = content.mimetype;
  if (content.size !== undefined) headers['Content-Length'] = String(content.size);
  const response = await sendCounted(outbound.request(url, { method: 'PUT', headers }), content, { source: `The WebDAV server at ${url.origin}` });
  return { status: response.statusCode ?? 0, detail: await answerText(response) };
}

/**
 * If-Match compares entity tags strongly (RFC 9110), and Apache gives a file changed within the last
 * second a weak tag (W/"…"), which never matches. RFC 4918's own If header compares the tag the way the
 * server made it, so a weak tag goes there: the write is still refused when the file has changed.
 */
function conditionHeaders(conditions: PutConditions): Record<string, string> {
  if ('ifNoneMatch' in conditions) return { 'If-None-Match': conditions.ifNoneMatch };
  if ('ifMatch' in conditions) return conditions.ifMatch.startsWith('W/') ? { If: `([${conditions.ifMatch}])` } : { 'If-Match': conditions.ifMatch };
  return {};
}

