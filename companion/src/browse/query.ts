import { FsError, NODE_ID_PATTERN } from 'fs-picker/protocol';

/** The one mapping of a bad body or query to an FsError lives in requests/; this name stays until its callers move. */
export { checkInput as parseInput } from '../requests/index.ts';

/** Node ids and Alfresco's aliases (-my-, -shared-, -root-) are URL-safe; anything else is refused here. */
export const NODE_ID = NODE_ID_PATTERN;

export function nodeIdParam(value: string, field = 'folderId'): string {
  if (!NODE_ID.test(value)) throw new FsError('FS_ERR_INVALID_OPTION', `${field}: must be a node id`, { field });
  return value;
}
