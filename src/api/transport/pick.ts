import * as v from 'valibot';
import { BlobSchema } from '../../protocol/blob.ts';
import { FsError, isErrorCode } from '../../protocol/errors.ts';
import { HandleTokensSchema } from '../../protocol/handle-token.ts';
import type { PickResponse } from '../../protocol/pick.ts';
import type { CompanionClient } from './client.ts';
import { rememberHandleTokens } from './handle-tokens.ts';

export const PICK_ROUTE = '/api/pick';

export interface PickCall {
  /** The signed-in person's companion session. */
  session: string;
  /** The chosen files and folders; folders are expanded by the companion. */
  itemIds: string[];
  /** At most this many files in all (folders' files included). */
  maxFiles?: number | undefined;
  /** MIME patterns and extensions the files must match; empty accepts all. */
  accept?: readonly string[] | undefined;
  signal?: AbortSignal | undefined;
  /**
   * Called while the companion expands folders (`found` files so far after `scanned` entries). When given,
   * the call asks for the NDJSON progress form of the answer.
   */
  onProgress?: ((progress: { found: number; scanned: number }) => void) | undefined;
}

export const PickResponseSchema = v.object({ blobs: v.array(BlobSchema), truncated: v.boolean(), handleTokens: v.optional(HandleTokensSchema) }) satisfies v.GenericSchema<unknown, PickResponse>;

const PickLineSchema = v.variant('type', [
  v.object({ type: v.literal('progress'), found: v.number(), scanned: v.number() }),
  v.object({ type: v.literal('done'), blobs: v.array(BlobSchema), truncated: v.boolean(), handleTokens: v.optional(HandleTokensSchema) }),
  v.object({ type: v.literal('error'), error: v.object({ code: v.string(), message: v.string(), field: v.optional(v.string()) }) }),
]);

/**
 * `POST /api/pick`: handles and Blob records for items of a source. With `onProgress` the answer streams as
 * NDJSON (progress lines while folders are expanded, then the result); errors are FsErrors either way.
 */
export async function pick(client: CompanionClient, call: PickCall): Promise<PickResponse> {
  const { session, itemIds, maxFiles, accept, signal, onProgress } = call;
  const json = { itemIds, ...(maxFiles === undefined ? {} : { maxFiles }), ...(accept && accept.length > 0 ? { accept: [...accept] } : {}) };
  if (!onProgress) {
    const { blobs, truncated, handleTokens } = await client.request(PICK_ROUTE, PickResponseSchema, { method: 'POST', session, json, signal });
    rememberHandleTokens(client, handleTokens);
    return { blobs, truncated };
  }

  for await (const raw of client.lines(PICK_ROUTE, { method: 'POST', session, json, signal })) {
    const parsed = v.safeParse(PickLineSchema, raw);
    if (!parsed.success) throw new FsError('FS_ERR_UPSTREAM', `The companion's answer to ${PICK_ROUTE} was not understood.`);
    const line = parsed.output;
    if (line.type === 'progress') onProgress({ found: line.found, scanned: line.scanned });
    else if (line.type === 'done') {
      rememberHandleTokens(client, line.handleTokens);
      return { blobs: line.blobs, truncated: line.truncated };
    }
    else {
      const { code, message, field } = line.error;
      throw new FsError(isErrorCode(code) ? code : 'FS_ERR_UPSTREAM', message, field === undefined ? {} : { field });
    }
  }
  throw new FsError('FS_ERR_UPSTREAM', 'The companion stopped answering before the pick was complete.');
}
