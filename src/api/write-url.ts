import { toHandle, type FsBlob } from '../protocol/blob.ts';
import { FsError } from '../protocol/errors.ts';
import { isHttpUrl } from '../protocol/urls.ts';
import { parseOptions } from '../protocol/validate.ts';
import { WriteUrlOptionsSchema, type WriteUrlOptions } from '../protocol/write.ts';
import { throwIfAborted, type VerbCall } from './call.ts';
import type { CompanionClient } from './transport/client.ts';
import { writeFileFromUrl } from './transport/write.ts';

/**
 * v2's `writeUrl(blob, url, options)`: gives a file the content found at `url`: the companion fetches it
 * (public http(s) addresses only, unless the app allows private ones) and writes it as `write` does.
 */
export async function writeUrl(client: CompanionClient, input: FsBlob | string, url: string, options?: WriteUrlOptions, call: VerbCall = {}): Promise<FsBlob> {
  const parsed = parseOptions('writeUrl', WriteUrlOptionsSchema, options);
  const handle = toHandle(input, 'writeUrl');
  if (typeof url !== 'string' || !isHttpUrl(url)) {
    throw new FsError('FS_ERR_INVALID_OPTION', `writeUrl: the URL must be an absolute http or https URL, got ${JSON.stringify(url)}`, { field: 'url' });
  }
  throwIfAborted(call.signal);
  return writeFileFromUrl(client, handle, url, Object.keys(parsed).length === 0 ? undefined : parsed, call);
}
