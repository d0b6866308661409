import * as v from 'valibot';
import { toHandle, type FsBlob } from '../protocol/blob.ts';
import { NonEmptyStringSchema } from '../protocol/option-values.ts';
import { bothOrNeither, optionRules } from '../protocol/option-rules.ts';
import { parseOptions } from '../protocol/validate.ts';
import { throwIfAborted, type VerbCall } from './call.ts';
import type { CompanionClient } from './transport/client.ts';
import { removeFile } from './transport/file.ts';

/** Options of `remove`: v2 took a policy and its signature here. */
export interface RemoveOptions {
  policy?: string;
  signature?: string;
}

const RemoveObject = v.strictObject({ policy: v.optional(NonEmptyStringSchema), signature: v.optional(NonEmptyStringSchema) });
export const RemoveOptionsSchema = v.pipe(RemoveObject, optionRules<v.InferOutput<typeof RemoveObject>>(bothOrNeither('policy', 'signature')));

/**
 * v2's `remove(blob, options)`: removes a file's handle and, for a stored file, its stored copy. A file
 * picked from Alfresco stays in Alfresco; only its link stops working.
 */
export async function remove(client: CompanionClient, input: FsBlob | string, options?: RemoveOptions, call: VerbCall = {}): Promise<void> {
  const parsed = parseOptions('remove', RemoveOptionsSchema, options);
  const handle = toHandle(input, 'remove');
  throwIfAborted(call.signal);
  const security = parsed.policy && parsed.signature ? { policy: parsed.policy, signature: parsed.signature } : call.security;
  await removeFile(client, handle, { security, signal: call.signal });
}
