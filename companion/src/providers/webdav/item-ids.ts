import { createHash } from 'node:crypto';
import { HOME_FOLDER_ID, ITEM_ID_PATTERN } from 'fs-picker/protocol';

/*
 * Item ids for WebDAV: a path relative to the app's WebDAV root (its decoded segments), written in the
 * 64 characters the protocol allows (A-Z a-z 0-9 _ -, at most 128). Nothing is stored: an id means the
 * same on every instance and after a restart, and a picked file's link keeps working while the file
 * stays where it is (a move or rename at the source makes it a 404, as it should).
 *
 *   "p" + base64url(UTF-8 of "a/b/c.txt")     the whole path, when that fits in 128 characters
 *                                             (about 95 bytes of path); the root is "p".
 *   "h" + base64url(L, prefix, hashes)        longer paths: one byte L, then the first L bytes of the
 *                                             path (whole segments, as many as fit), then 6 bytes of
 *                                             SHA-256 for each segment after them.
 *
 * A hashed id is resolved by listing the folders below the prefix and taking, at each level, the child
 * whose name hashes alike: one PROPFIND per hashed segment, paid only by deep or long-named paths (48
 * bits per name make two siblings hashing alike a one in 10^14 chance for a folder of 10,000). A path
 * too deep for even that (more than 15 segments past what fits whole) gets no id and is not listed.
 * Every segment of a decoded id is checked: no "", ".", ".." or NUL, so no id reaches outside the root.
 */

/** A path below the WebDAV root, as its decoded segments; [] is the root. */
export type DavPath = readonly string[];

/** Either the whole path, or a prefix and the hashes of the segments after it (see the comment above). */
export type DecodedId = { kind: 'path'; path: DavPath } | { kind: 'hashed'; prefix: DavPath; hashes: readonly Buffer[] };

const MAX_BYTES = 95;
const HASH_BYTES = 6;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export const ROOT_ID = 'p';

/** The 6-byte hash a hashed id keeps of a segment's name. */
export const segmentHash = (name: string): Buffer => createHash('sha256').update(name, 'utf8').digest().subarray(0, HASH_BYTES);

/** Whether a segment may be part of a path below the root. */
export const isSafeSegment = (segment: string): boolean => segment !== '' && segment !== '.' && segment !== '..' && !segment.includes('/') && !segment.includes('\0');

/** The id of a path; undefined when the path is too deep even for a hashed id. */
export function idOf(path: DavPath): string | undefined {
  const whole = `p${Buffer.from(path.join('/'), 'utf8').toString('base64url')}`;
  if (whole.length <= 128) return whole;
  for (let kept = path.length - 1; kept >= 0; kept--) {
    const prefix = Buffer.from(path.slice(0, kept).join('/'), 'utf8');
    const hashed = path.length - kept;
    if (1 + prefix.length + hashed * HASH_BYTES > MAX_BYTES) continue;
    const bytes = Buffer.concat([Buffer.from([prefix.length]), prefix, ...path.slice(kept).map(segmentHash)]);
    return `h${bytes.toString('base64url')}`;
  }
  return undefined;
}

/** What an id says, or undefined when no path of ours could have made it (or it leaves the root). */
export function decodeId(id: string): DecodedId | undefined {
  // Where every source starts (the picker opens there): the app's WebDAV root.
  if (id === HOME_FOLDER_ID) return { kind: 'path', path: [] };
  if (!ITEM_ID_PATTERN.test(id)) return undefined;
  const bytes = strictBase64url(id.slice(1));
  if (!bytes) return undefined;
  if (id[0] === 'p') {
    const path = segmentsOf(bytes);
    return path && { kind: 'path', path };
  }
  if (id[0] !== 'h' || bytes.length < 1) return undefined;
  const length = bytes[0]!;
  const rest = bytes.length - 1 - length;
  if (rest <= 0 || rest % HASH_BYTES !== 0) return undefined;
  const prefix = segmentsOf(bytes.subarray(1, 1 + length));
  if (!prefix) return undefined;
  const hashes: Buffer[] = [];
  for (let at = 1 + length; at < bytes.length; at += HASH_BYTES) hashes.push(bytes.subarray(at, at + HASH_BYTES));
  return { kind: 'hashed', prefix, hashes };
}

/** The bytes of canonical base64url only (Node's decoder skips what it does not know; we refuse it). */
function strictBase64url(text: string): Buffer | undefined {
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}

function segmentsOf(bytes: Buffer): DavPath | undefined {
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
  if (text === '') return [];
  const segments = text.split('/');
  return segments.every(isSafeSegment) ? segments : undefined;
}
