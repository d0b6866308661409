import { lstat, opendir, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { newToken } from '../security/secrets.ts';

/*
 * A local write fills a temporary file beside its target and renames it into place (local.ts). A
 * process that dies mid-write (SIGKILL, a crash, a power cut) cannot remove its temporary file, so the
 * next start sweeps them. The names can never be a stored key: a key's last part starts with a token
 * (storage/index.ts), never with a dot.
 */

const TOKEN_BYTES = 6;
/** ".<target name>.<8 base64url characters>.part" */
const TEMPORARY_NAME = /^\..+\.[A-Za-z0-9_-]{8}\.part$/;

/** A fresh temporary path for a write of `path`, in the same folder (so the rename stays atomic). */
export function temporaryPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${newToken(TOKEN_BYTES)}.part`);
}

export function isTemporaryName(name: string): boolean {
  return TEMPORARY_NAME.test(name);
}

/**
 * Removes the temporary files below `root` last changed before `before` (Unix ms): those of earlier
 * runs. A write of this run changes its file as it goes, so it is newer than the run's start and stays.
 * A local folder belongs to one companion (several instances share S3, not a folder).
 * Answers how many were removed. Symbolic links are not followed; a folder that vanishes meanwhile is skipped.
 */
export async function sweepTemporaryFiles(root: string, { before }: { before: number }): Promise<number> {
  let removed = 0;
  const folders = [root];
  for (let folder = folders.pop(); folder !== undefined; folder = folders.pop()) {
    let entries;
    try {
      entries = await opendir(folder);
    } catch (error) {
      if (isGone(error)) continue;
      throw error;
    }
    for await (const entry of entries) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) folders.push(path);
      else if (entry.isFile() && isTemporaryName(entry.name) && (await changedBefore(path, before))) {
        const gone = await unlink(path).then(
          () => true,
          (error: unknown) => {
            if (isGone(error)) return false;
            throw error;
          },
        );
        if (gone) removed++;
      }
    }
  }
  return removed;
}

async function changedBefore(path: string, before: number): Promise<boolean> {
  try {
    return (await lstat(path)).mtimeMs < before;
  } catch (error) {
    if (isGone(error)) return false;
    throw error;
  }
}

const isGone = (error: unknown) => ['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '');
