import { FsError, type ErrorCode } from '../../../protocol/errors.ts';
import type { Grant } from '../../auth/grants.ts';
import type { TokenRefresher } from '../../auth/refresher.ts';
import { upstreamFetch, type UpstreamInit } from '../../upstream.ts';

export const CORE_PATH = '/alfresco/api/-default-/public/alfresco/versions/1';
export const SEARCH_PATH = '/alfresco/api/-default-/public/search/versions/1';

/** What Alfresco's refusals mean to a person using the picker. */
const REFUSALS: Record<number, { code: ErrorCode; message: string }> = {
  400: { code: 'FS_ERR_INVALID_REQUEST', message: 'Alfresco could not do this with what it was given.' },
  403: { code: 'FS_ERR_FORBIDDEN', message: 'Your Alfresco account may not do this here.' },
  404: { code: 'FS_ERR_NOT_FOUND', message: 'This item is no longer in Alfresco.' },
  409: { code: 'FS_ERR_CONFLICT', message: 'Something with that name is already there in Alfresco.' },
  413: { code: 'FS_ERR_TOO_LARGE', message: 'The file is larger than Alfresco accepts.' },
  429: { code: 'FS_ERR_RATE_LIMITED', message: 'Alfresco is busy; try again in a moment.' },
};

/**
 * Calls Alfresco's REST API as the person behind a grant: Bearer for OAuth grants, the ticket for ticket
 * grants. A 401 makes it refresh once (single-flight) and retry; Alfresco's other refusals become the
 * protocol's error codes with a message a person can act on (Alfresco's own text stays in `cause`).
 */
export class AlfrescoClient {
  constructor(
    readonly repositoryUrl: string,
    private readonly refresher: TokenRefresher,
  ) {}

  /** A response with a 2xx status (or 304/206 when asked for); anything else is thrown as an FsError. */
  async request(grant: Grant, path: string, init: UpstreamInit = {}): Promise<Response> {
    let current = await this.refresher.fresh(grant);
    let response = await this.#send(current, path, init);
    if (response.status === 401 && current.kind === 'oauth') {
      await response.body?.cancel();
      current = await this.refresher.refresh(current);
      response = await this.#send(current, path, init);
    }
    if (response.ok || response.status === 304) return response;
    const detail = await response.text().catch(() => '');
    if (response.status === 401) throw new FsError('FS_ERR_RECONNECT', 'The connection to Alfresco has expired. Connect again to continue.', { cause: detail });
    const refusal = REFUSALS[response.status] ?? { code: 'FS_ERR_UPSTREAM' as const, message: `Alfresco answered ${response.status}; try again later.` };
    throw new FsError(refusal.code, refusal.message, { cause: detail });
  }

  async json<T>(grant: Grant, path: string, init: UpstreamInit = {}): Promise<T> {
    const response = await this.request(grant, path, { ...init, headers: { Accept: 'application/json', ...(init.headers as Record<string, string> | undefined) } });
    return (await response.json()) as T;
  }

  #send(grant: Grant, path: string, init: UpstreamInit): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('Authorization', grant.kind === 'oauth' ? `Bearer ${grant.accessToken}` : `Basic ${Buffer.from(`ROLE_TICKET:${grant.accessToken}`).toString('base64')}`);
    return upstreamFetch(new URL(path, this.repositoryUrl).href, { ...init, headers });
  }
}
