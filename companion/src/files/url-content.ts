import { FsError } from 'fs-picker/protocol';
import type { Outbound, SafeFetchOptions, SafeResponse } from '../outbound/index.ts';

/**
 * GETs a URL a page handed over (storeUrl, writeUrl) through the outbound's SSRF-checked fetch and
 * keeps only a 2xx answer, whose body the caller streams. Anything else is refused here, naming `field`:
 * 404 and 410 as FS_ERR_NOT_FOUND, other statuses as FS_ERR_UPSTREAM; the refused body is destroyed, not left open.
 */
export async function fetchUrlContent(outbound: Outbound, url: string, options: SafeFetchOptions, field: string): Promise<SafeResponse> {
  const response = await outbound.fetchPublic(url, options);
  if (response.status < 200 || response.status > 299) {
    response.body.destroy();
    if (response.status === 404 || response.status === 410) throw new FsError('FS_ERR_NOT_FOUND', `Nothing was found at the URL (it answered ${response.status}).`, { field });
    throw new FsError('FS_ERR_UPSTREAM', `The URL answered ${response.status}.`, { field });
  }
  return response;
}
