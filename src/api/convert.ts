import { toHandle, type FsBlob } from '../protocol/blob.ts';
import { parseConvertRequest, type ConvertedBlob, type ConvertRequestOptions, type ConvertStoreOptions } from '../protocol/convert.ts';
import { throwIfAborted, type VerbCall } from './call.ts';
import type { CompanionClient } from './transport/client.ts';
import { convertFile } from './transport/convert.ts';

/**
 * v2's `convert(blob, options, storeOptions?)`: the companion converts the file (resize, crop, rotate,
 * format… or an office document to PDF) and stores the result; resolves with the new Blob
 * (`converted: true`). Both option objects are checked here first, so a bad key fails before any
 * request with an FsError naming it.
 */
export async function convert(
  client: CompanionClient,
  input: FsBlob | string,
  options?: ConvertRequestOptions,
  storeOptions?: ConvertStoreOptions,
  call: VerbCall = {},
): Promise<ConvertedBlob> {
  parseConvertRequest(options, storeOptions);
  const handle = toHandle(input, 'convert');
  throwIfAborted(call.signal);
  const blob = await convertFile(client, { handle, options, storeOptions }, call);
  call.onProgress?.({ loaded: 1, total: 1 });
  return blob;
}
