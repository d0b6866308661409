import * as v from 'valibot';
import { BlobSchema, toHandle, type FsBlob } from '../protocol/blob.ts';
import { CONVERT_ROUTE, parseConvertRequest, type ConvertedBlob, type ConvertRequestOptions, type ConvertResponse, type ConvertStoreOptions } from '../protocol/convert.ts';
import { securityQuery, throwIfAborted, type VerbCall } from './call.ts';
import type { CompanionClient } from './client.ts';

export const ConvertResponseSchema = v.object({ blob: v.object({ ...BlobSchema.entries, converted: v.literal(true) }) }) satisfies v.GenericSchema<unknown, ConvertResponse>;

/**
 * v2's `convert(blob, options, storeOptions?)` (`POST /api/convert`): the companion converts the file
 * (resize, crop, rotate, format… or an office document to PDF) and stores the result; resolves with the
 * new Blob (`converted: true`). Both option objects are checked here first, so a bad key fails before any
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
  const json = { handle, ...(options == null ? {} : { options }), ...(storeOptions == null ? {} : { storeOptions }) };
  const { blob } = await client.request(CONVERT_ROUTE, ConvertResponseSchema, { method: 'POST', json, signal: call.signal, query: securityQuery(call.security) });
  call.onProgress?.({ loaded: 1, total: 1 });
  return blob;
}
