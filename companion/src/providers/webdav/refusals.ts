import { FsError } from 'fs-picker/protocol';
import { ProviderRefusal } from '../provider.ts';

/*
 * What a WebDAV status means, as the seam's error wrapper (provider-errors.ts) should read it. Most
 * pass as they are: 401 connect again, 403 forbidden, 404 not found, 413, 429, 507 no room, 5xx the
 * server's trouble. Two mean something else in RFC 4918 than the wrapper assumes: 409 is "a parent
 * collection is missing" (not a name clash: the folder went away, so 404), and 423 is a lock someone
 * holds, said here in words.
 */
export function refusal(status: number, detail: string): Error {
  if (status === 409) return new ProviderRefusal(404, `409 (a parent collection is missing): ${detail}`);
  if (status === 423) return new FsError('FS_ERR_CONFLICT', 'This item is locked in WebDAV (someone has it open for editing); try again once they are done.', { cause: detail });
  return new ProviderRefusal(status, detail);
}

/** An error body, for the log: at most 4 KiB, never throws. */
export async function readDetail(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  return text.slice(0, 4096);
}
