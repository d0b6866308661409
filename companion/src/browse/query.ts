import * as v from 'valibot';
import { FsError } from 'fs-picker/protocol';

/** Parses query parameters or a JSON body; the first problem becomes a 400 that names the field. */
export function parseInput<S extends v.GenericSchema>(schema: S, input: unknown): v.InferOutput<S> {
  const result = v.safeParse(schema, input);
  if (result.success) return result.output;
  const issue = result.issues[0];
  const field = v.getDotPath(issue) ?? undefined;
  const detail = issue.expected === 'never' && issue.type === 'strict_object' ? 'is not a known field' : issue.message;
  throw new FsError(field === undefined ? 'FS_ERR_INVALID_REQUEST' : 'FS_ERR_INVALID_OPTION', field === undefined ? detail : `${field}: ${detail}`, field === undefined ? {} : { field });
}

/** Node ids and Alfresco's aliases (-my-, -shared-, -root-) are URL-safe; anything else is refused here. */
export const NODE_ID = /^[A-Za-z0-9_-]{1,128}$/;

export function nodeIdParam(value: string, field = 'folderId'): string {
  if (!NODE_ID.test(value)) throw new FsError('FS_ERR_INVALID_OPTION', `${field}: must be a node id`, { field });
  return value;
}
