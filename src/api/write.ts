import { toHandle, type FsBlob } from '../protocol/blob.ts';
import { FsError } from '../protocol/errors.ts';
import { parseOptions } from '../protocol/validate.ts';
import { WriteOptionsSchema, type WriteOptions } from '../protocol/write.ts';
import { progressOf, throwIfAborted, type VerbCall } from './call.ts';
import type { CompanionClient } from './transport/client.ts';
import { writeFile } from './transport/write.ts';

/** New content: text, bytes, or a browser Blob/File. */
export type WriteData = string | Blob | ArrayBuffer | ArrayBufferView;

/**
 * v2's `write(blob, data, options)`: gives a file new content (the bytes as the raw body, with upload progress).
 * A file picked from Alfresco gets a new version of its node; a stored file has its copy replaced. The
 * handle and url stay; resolves with the Blob's new size and type. `base64decode` decodes string data first.
 */
export async function write(client: CompanionClient, input: FsBlob | string, data: WriteData, options?: WriteOptions, call: VerbCall = {}): Promise<FsBlob> {
  const parsed = parseOptions('write', WriteOptionsSchema, options);
  const handle = toHandle(input, 'write');
  const body = bodyOf(data, parsed);
  throwIfAborted(call.signal);
  return writeFile(client, handle, body, { mimetype: parsed.mimetype, security: call.security, signal: call.signal, onProgress: progressOf(call) });
}

function bodyOf(data: WriteData, { mimetype, base64decode }: WriteOptions): Blob {
  const type = mimetype ?? (data instanceof Blob ? data.type : typeof data === 'string' && !base64decode ? 'text/plain' : '');
  if (typeof data === 'string') {
    if (!base64decode) return new Blob([data], { type });
    try {
      return new Blob([Uint8Array.from(atob(data.replace(/\s+/g, '').replace(/-/g, '+').replace(/_/g, '/')), (char) => char.charCodeAt(0))], { type });
    } catch {
      throw new FsError('FS_ERR_INVALID_OPTION', 'write: the data is not base64 (option "base64decode" is set)', { field: 'base64decode' });
    }
  }
  if (data instanceof Blob) return type === data.type ? data : new Blob([data], { type });
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return new Blob([data as BlobPart], { type });
  throw new FsError('FS_ERR_INVALID_OPTION', 'write: the data must be a string, a Blob or File, or bytes', { field: 'data' });
}
