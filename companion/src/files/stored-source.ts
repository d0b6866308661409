import { Readable } from 'node:stream';
import type { Companion } from '../context.ts';
import { openStored } from '../storage/index.ts';
import type { FileHandle } from './handles.ts';
import { parseByteRange } from 'fs-picker/protocol';

/**
 * A stored copy as the file route serves it: status, headers and a Node stream, shaped like what
 * Alfresco answers for a link, so both go through the same conditional and piping code. `write` can
 * replace a stored copy under the same key, so the ETag is the handle plus the stored object's version.
 */
export async function storedSource(companion: Companion, handle: FileHandle, rangeHeader: string | undefined): Promise<{ status: number; headers: Headers; body: Readable }> {
  const size = handle.size ?? 0;
  const range = parseByteRange(rangeHeader, size);
  const headers = new Headers({ 'Last-Modified': new Date(handle.createdAt).toUTCString() });
  if (range === 'unsatisfiable') {
    headers.set('Content-Range', `bytes */${size}`);
    return { status: 416, headers, body: Readable.from([]) };
  }
  const object = await openStored(companion, handle, range);
  headers.set('ETag', `"${handle.handle}.${object.version ?? object.size}"`);
  headers.set('Content-Type', object.contentType);
  if (!range) {
    headers.set('Content-Length', String(object.size));
    return { status: 200, headers, body: object.stream };
  }
  headers.set('Content-Range', `bytes ${range.start}-${range.end}/${object.size}`);
  headers.set('Content-Length', String(range.end - range.start + 1));
  return { status: 206, headers, body: object.stream };
}
