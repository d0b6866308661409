import type { Readable } from 'node:stream';
import { FsError } from 'fs-picker/protocol';

/**
 * Watches the body of a file coming from a source while it is copied (pickAndStore, convert), so that a
 * failure of the copy can be told apart from a storage failure. A source that breaks off mid-body
 * (a dropped connection, a truncated answer) surfaces as whatever the copying stream threw, a raw
 * socket or parser error that would otherwise be a 500; it is the source's fault, and the person can
 * simply try again.
 */
export function watchSourceBody(body: Readable, sourceName: string): { failure(error: unknown): unknown } {
  let broke: unknown;
  // Our own refusals (too large, over quota) reach the body too, when the copy destroys it: they stay as they are.
  body.once('error', (error) => void (broke ??= error));
  return {
    failure(error) {
      if (error instanceof FsError || broke === undefined || broke instanceof FsError) return error;
      return new FsError('FS_ERR_UPSTREAM', `${sourceName} stopped sending the file before it was complete; try again.`, { cause: broke });
    },
  };
}
