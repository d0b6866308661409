import { pipeline, type Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { FsError } from 'fs-picker/protocol';
import type { Outbound, SafeFetchOptions, SafeResponse } from '../outbound/index.ts';
import { contentLength } from '../requests/index.ts';

/** A fetched URL's answer with its content as the file is: decoded, and its size when that is known. */
export interface UrlContent extends SafeResponse {
  /** The file's bytes, decoded when the URL sent them compressed. */
  content: Readable;
  /** The file's size from Content-Length; unknown when the body was compressed (that is the compressed size). */
  declaredSize: number | undefined;
}

const DECODERS: Record<string, () => NodeJS.ReadWriteStream> = { gzip: createGunzip, 'x-gzip': createGunzip, deflate: createInflate, br: createBrotliDecompress };

/**
 * GETs a URL a page handed over (storeUrl, writeUrl) through the outbound's SSRF-checked fetch and
 * keeps only a 2xx answer, whose content the caller streams. Anything else is refused here, naming `field`:
 * 404 and 410 as FS_ERR_NOT_FOUND, other statuses as FS_ERR_UPSTREAM; the refused body is destroyed, not left open.
 *
 * The companion asks for `identity`, but a server may compress anyway: the file is what a browser would
 * save, so gzip, deflate and br are decoded, as a stream. Every limit (maxSize, the policy's, the quota)
 * counts the decoded bytes while they stream, so a small body that inflates to gigabytes (a
 * decompression bomb) is stopped at the limit, never held in memory. Other encodings are refused.
 */
export async function fetchUrlContent(outbound: Outbound, url: string, options: SafeFetchOptions, field: string): Promise<UrlContent> {
  const response = await outbound.fetchPublic(url, options);
  if (response.status < 200 || response.status > 299) {
    response.body.destroy();
    if (response.status === 404 || response.status === 410) throw new FsError('FS_ERR_NOT_FOUND', `Nothing was found at the URL (it answered ${response.status}).`, { field });
    throw new FsError('FS_ERR_UPSTREAM', `The URL answered ${response.status}.`, { field });
  }
  const codings = (response.headers['content-encoding'] ?? '').split(',').map((coding) => coding.trim().toLowerCase()).filter((coding) => coding !== '' && coding !== 'identity');
  const unknown = codings.find((coding) => DECODERS[coding] === undefined);
  if (unknown !== undefined || codings.length > 2) {
    response.body.destroy();
    throw new FsError('FS_ERR_UPSTREAM', `The URL sent the file encoded as "${(unknown ?? codings.join(', ')).slice(0, 40)}", which the companion does not decode.`, { field });
  }
  if (codings.length === 0) return { ...response, content: response.body, declaredSize: contentLength(response.headers['content-length']) };
  // The last coding applied is the first undone. pipeline destroys every stage when one fails or the reader stops.
  const decoders = codings.reverse().map((coding) => DECODERS[coding]!());
  const content = pipeline([response.body, ...decoders], () => undefined) as unknown as Readable;
  return { ...response, content, declaredSize: undefined };
}

/** Whether a failure came from decoding a compressed body (zlib's Z_* and brotli's codes). */
export function isDecodingError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('Z_') || code.startsWith('ERR__') || code === 'ERR_BROTLI_DECOMPRESSION_FAILED');
}
