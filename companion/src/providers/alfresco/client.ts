import { AppRegistry } from '../../apps/registry.ts';
import type { Grant } from '../../auth/grants.ts';
import type { TokenRefresher } from '../../auth/refresher.ts';
import type { Readable } from 'node:stream';
import { ProviderRefusal } from '../provider.ts';
import { answerText } from '../bodies.ts';
import type { Outbound, UpstreamInit } from '../../outbound/index.ts';

/** A streamed answer whose body is a Node stream, for piping big content without web streams. */
export interface StreamedResponse {
  status: number;
  headers: Headers;
  body: Readable;
}

export const CORE_PATH = '/alfresco/api/-default-/public/alfresco/versions/1';
export const SEARCH_PATH = '/alfresco/api/-default-/public/search/versions/1';

/** An app's own repository URL by its API key; undefined when it uses the operator's. */
export type RepositoryLookup = (appKey: string) => string | undefined;

/**
 * Calls Alfresco's REST API as the person behind a grant: Bearer for OAuth grants, the ticket for ticket
 * grants. A 401 makes it refresh once (single-flight) and retry; a refusal is thrown as a ProviderRefusal
 * with Alfresco's status and text.
 *
 * Each call goes to the repository of the grant's app ({@link repositoryUrlOf}): the app's own when its
 * owner entered one in the portal, else `repositoryUrl` (the operator's). Read at every call, so a saved
 * change applies to the next request.
 */
export class AlfrescoClient {
  readonly #repositoryOf: RepositoryLookup;

  constructor(
    /** The operator's repository (`alfresco.repositoryUrl`), for apps without their own. */
    readonly repositoryUrl: string,
    private readonly refresher: TokenRefresher,
    /** By default the app registry of the refresher's database (the portal's settings). */
    repositoryOf: RepositoryLookup | undefined,
    /** Every call leaves through it (its limits, TLS and error mapping). */
    private readonly outbound: Outbound,
  ) {
    this.#repositoryOf = repositoryOf ?? ((appKey) => AppRegistry.of(refresher.grants.db).get(appKey)?.alfrescoSettings.repositoryUrl);
  }

  /** The base URL of the repository a grant's calls go to. */
  repositoryUrlOf(grant: Pick<Grant, 'appKey'>): string {
    return this.#repositoryOf(grant.appKey) ?? this.repositoryUrl;
  }

  /** A response with a 2xx status (or 304/206 when asked for); anything else is thrown as an FsError. */
  async request(grant: Grant, path: string, init: UpstreamInit = {}): Promise<Response> {
    return this.#request(grant, path, init, []);
  }

  /**
   * Like {@link request}, but for content: the statuses in `pass` (e.g. 416) come back as responses for
   * the caller to forward instead of being thrown.
   */
  async content(grant: Grant, path: string, init: UpstreamInit = {}, pass: readonly number[] = [416]): Promise<Response> {
    return this.#request(grant, path, init, pass);
  }

  /**
   * Content as a Node stream (the outbound's zero-copy `stream` rather than fetch): the distributable link
   * passes gigabytes on, and that client does it with a fraction of the CPU of fetch's web streams or
   * node:http. Same auth, refresh and refusal mapping as {@link request}; statuses in `pass` come back
   * for the caller to forward. The signal aborts the whole exchange, body included.
   */
  async stream(grant: Grant, path: string, { method = 'GET', headers = {}, signal }: { method?: 'GET' | 'HEAD'; headers?: Record<string, string>; signal?: AbortSignal }, pass: readonly number[] = [416]): Promise<StreamedResponse> {
    const send = (current: Grant) => this.#stream(current, path, method, headers, signal);
    let current = await this.refresher.fresh(grant);
    let response = await send(current);
    if (response.status === 401 && current.kind === 'oauth') {
      response.body.destroy();
      current = await this.refresher.refresh(current);
      response = await send(current);
    }
    if ((response.status >= 200 && response.status < 300) || response.status === 304 || pass.includes(response.status)) return response;
    const detail = await answerText(response.body);
    return this.#refuse(response.status, detail);
  }

  #stream(grant: Grant, path: string, method: 'GET' | 'HEAD', headers: Record<string, string>, signal: AbortSignal | undefined): Promise<StreamedResponse> {
    const url = new URL(path, this.repositoryUrlOf(grant));
    return this.outbound.stream(url, { method, headers: { ...headers, Authorization: this.#authorization(grant) }, ...(signal ? { signal } : {}) });
  }

  /** The provider's error wrapper says what a refusal means to a person (providers/provider-errors.ts). */
  #refuse(status: number, detail: string): never {
    throw new ProviderRefusal(status, detail);
  }

  #authorization(grant: Grant): string {
    return grant.kind === 'oauth' ? `Bearer ${grant.accessToken}` : `Basic ${Buffer.from(`ROLE_TICKET:${grant.accessToken}`).toString('base64')}`;
  }

  async #request(grant: Grant, path: string, init: UpstreamInit, pass: readonly number[]): Promise<Response> {
    let current = await this.refresher.fresh(grant);
    let response = await this.#send(current, path, init);
    if (response.status === 401 && current.kind === 'oauth') {
      await response.body?.cancel();
      current = await this.refresher.refresh(current);
      response = await this.#send(current, path, init);
    }
    if (response.ok || response.status === 304 || pass.includes(response.status)) return response;
    const detail = await response.text().catch(() => '');
    return this.#refuse(response.status, detail);
  }

  async json<T>(grant: Grant, path: string, init: UpstreamInit = {}): Promise<T> {
    const response = await this.request(grant, path, { ...init, headers: { Accept: 'application/json', ...(init.headers as Record<string, string> | undefined) } });
    return (await response.json()) as T;
  }

  #send(grant: Grant, path: string, init: UpstreamInit): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('Authorization', this.#authorization(grant));
    return this.outbound.fetch(new URL(path, this.repositoryUrlOf(grant)).href, { ...init, headers });
  }
}

