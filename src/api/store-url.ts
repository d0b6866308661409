import type { FsBlob } from '../protocol/blob.ts';
import { FsError } from '../protocol/errors.ts';
import { StoreOptionsSchema, type StoreOptions } from '../protocol/options.ts';
import { isHttpUrl } from '../protocol/urls.ts';
import { describeValue, parseOptions } from '../protocol/validate.ts';
import { throwIfAborted, type VerbCall } from './call.ts';
import type { CompanionClient } from './transport/client.ts';
import { storeUrl as storeFromUrl } from './transport/store-url.ts';

/**
 * v2's `storeUrl(url, options)`: the companion fetches `url` (public http(s) addresses only, unless the app
 * allows private ones) and stores it where the options say; resolves with the stored file's Blob.
 */
export async function storeUrl(client: CompanionClient, url: string, options?: StoreOptions, call: VerbCall = {}): Promise<FsBlob> {
  const parsed = parseOptions('storeUrl', StoreOptionsSchema, options);
  if (parsed.base64decode !== undefined) throw new FsError('FS_ERR_INVALID_OPTION', 'storeUrl: option "base64decode" applies to store only', { field: 'base64decode' });
  if (typeof url !== 'string' || !isHttpUrl(url)) {
    throw new FsError('FS_ERR_INVALID_OPTION', `storeUrl: the URL must be an absolute http or https URL, got ${describeValue(url)}`, { field: 'url' });
  }
  throwIfAborted(call.signal);
  // The companion reads the options itself; they were checked here so a bad one fails before the request.
  const blob = await storeFromUrl(client, url, { options: options ?? undefined, security: call.security, signal: call.signal });
  call.onProgress?.({ loaded: blob.size, total: blob.size });
  return blob;
}
