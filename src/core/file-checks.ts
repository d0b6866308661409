import { matchesAccept } from '../protocol/browse.ts';
import { formatBytes } from './format.ts';

/** What the checks need of a local file (a `File` has all three). */
export interface LocalFileInfo {
  name: string;
  /** The browser's MIME type for it; "" when it does not know. */
  type: string;
  size: number;
}

export interface FileLimits {
  /** MIME patterns and extensions (`image/*`, `.pdf`); empty accepts all. */
  accept: readonly string[];
  /** Bytes; 0 means no limit. */
  maxSize: number;
  /** How many files one pick may hold in all. */
  maxFiles: number;
}

export type RejectionKind = 'accept' | 'maxSize' | 'maxFiles' | 'empty';

export interface Rejection<F extends LocalFileInfo = LocalFileInfo> {
  file: F;
  kind: RejectionKind;
  /** Why, in words a person can act on (English; views translate by `kind`). */
  reason: string;
}

export interface CheckResult<F extends LocalFileInfo = LocalFileInfo> {
  accepted: F[];
  rejected: Rejection<F>[];
}

/**
 * Sorts newly added local files into those that may be uploaded and those that may not, with the
 * reason: not one of the accepted types, larger than `maxSize`, or more than `maxFiles` counting the
 * `alreadyChosen` files. Order is kept; the first files win the `maxFiles` places.
 */
export function checkFiles<F extends LocalFileInfo>(files: readonly F[], limits: FileLimits, alreadyChosen = 0): CheckResult<F> {
  const accepted: F[] = [];
  const rejected: Rejection<F>[] = [];
  const places = Math.max(0, limits.maxFiles - alreadyChosen);
  for (const file of files) {
    const refusal = checkFile(file, limits);
    if (refusal) rejected.push({ file, ...refusal });
    else if (accepted.length >= places) rejected.push({ file, kind: 'maxFiles', reason: maxFilesReason(limits.maxFiles) });
    else accepted.push(file);
  }
  return { accepted, rejected };
}

/** Why one file may not be uploaded on its own merits (type, size), or undefined when it may. */
export function checkFile(file: LocalFileInfo, limits: Pick<FileLimits, 'accept' | 'maxSize'>): { kind: RejectionKind; reason: string } | undefined {
  if (!matchesAccept(limits.accept, file.name, file.type)) {
    return { kind: 'accept', reason: `Not an accepted type (accepted: ${limits.accept.join(', ')})` };
  }
  if (limits.maxSize > 0 && file.size > limits.maxSize) {
    return { kind: 'maxSize', reason: `Larger than ${formatBytes(limits.maxSize, 'en')} (it is ${formatBytes(file.size, 'en')})` };
  }
  return undefined;
}

function maxFilesReason(maxFiles: number): string {
  return maxFiles === 1 ? 'Only 1 file can be chosen' : `At most ${maxFiles} files can be chosen`;
}
