import * as v from 'valibot';
import { BlobSchema } from '../../protocol/blob.ts';
import { HandleTokensSchema } from '../../protocol/handle-token.ts';
import { CONVERT_ROUTE, type ConvertedBlob, type ConvertRequestOptions, type ConvertResponse, type ConvertStoreOptions } from '../../protocol/convert.ts';
import type { CompanionClient } from './client.ts';
import { rememberHandleTokens } from './handle-tokens.ts';
import { securityQuery, type Security } from './security.ts';

export const ConvertResponseSchema = v.object({ blob: v.object({ ...BlobSchema.entries, converted: v.literal(true) }), handleTokens: v.optional(HandleTokensSchema) }) satisfies v.GenericSchema<unknown, ConvertResponse>;

export interface ConvertFileRequest {
  handle: string;
  options?: ConvertRequestOptions | null | undefined;
  storeOptions?: ConvertStoreOptions | null | undefined;
}

export interface ConvertFileCall {
  security?: Security | undefined;
  signal?: AbortSignal | undefined;
}

/** `POST /api/convert`: the companion converts the file behind `handle`, stores the result and answers its Blob. */
export async function convertFile(client: CompanionClient, { handle, options, storeOptions }: ConvertFileRequest, call: ConvertFileCall = {}): Promise<ConvertedBlob> {
  const json = { handle, ...(options == null ? {} : { options }), ...(storeOptions == null ? {} : { storeOptions }) };
  const { blob, handleTokens } = await client.request(CONVERT_ROUTE, ConvertResponseSchema, { method: 'POST', json, signal: call.signal, query: securityQuery(call.security) });
  rememberHandleTokens(client, handleTokens);
  return blob;
}
