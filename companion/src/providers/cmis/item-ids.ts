import { FsError, ITEM_ID_PATTERN } from 'fs-picker/protocol';

/**
 * The picker's item ids (`[A-Za-z0-9_-]{1,128}`) for CMIS ids, which hold `;`, `.` and `:` (Alfresco's
 * `<uuid>;1.0`, `workspace://SpacesStore/<uuid>`): the base64url of the id's UTF-8 bytes, so any id of
 * up to 96 bytes fits, and decoding gives it back exactly. A document is named by its version series id
 * (the id without its version label in Alfresco), so the id a page holds still reaches the document
 * after a new version is made.
 */

const MAX_BYTES = 96;

export function itemIdOf(cmisId: string): string {
  const bytes = Buffer.from(cmisId, 'utf8');
  if (bytes.length === 0 || bytes.length > MAX_BYTES) throw new FsError('FS_ERR_UPSTREAM', `The repository answered an object id the picker cannot carry (${bytes.length} bytes).`);
  return bytes.toString('base64url');
}

/** The CMIS id behind an item id; undefined when `itemId` could not have come from {@link itemIdOf}. */
export function cmisIdOf(itemId: string): string | undefined {
  if (!ITEM_ID_PATTERN.test(itemId) || itemId.length % 4 === 1) return undefined;
  const id = Buffer.from(itemId, 'base64url').toString('utf8');
  return id !== '' && itemIdOf(id) === itemId ? id : undefined;
}
