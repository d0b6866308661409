import { FsError } from 'fs-picker/protocol';
import type { AppConfig } from '../../config.ts';
import type { Outbound } from '../../outbound/index.ts';
import { ProviderRefusal, type Content } from '../provider.ts';
import { answerText } from '../bodies.ts';

/** An app's CMIS endpoint, as the configuration and the portal give it. */
export type CmisSettings = NonNullable<AppConfig['cmis']>;

/** What the provider needs of the repository info (CMIS 1.1 §2.1.1, §5.3.1). */
export interface CmisRepository {
  repositoryId: string;
  repositoryUrl: string;
  rootFolderUrl: string;
  rootFolderId: string;
  vendorName: string;
  productName: string;
  productVersion: string;
}

/** Where a call goes and as whom. */
export interface CmisTarget {
  settings: CmisSettings;
  authorization: string;
}

const REPOSITORY_TTL_MS = 10 * 60_000;

/**
 * The browser binding over the companion's outbound: the service document (cached a while per binding
 * and repository), JSON reads and form actions, and content as streams. A refusal is thrown as a
 * ProviderRefusal with the binding's status and its `{ exception, message }` as the detail (logs only).
 */
export class CmisClient {
  readonly #repositories = new Map<string, { at: number; repository: Promise<CmisRepository> }>();

  constructor(readonly outbound: Outbound) {}

  /** The repository the settings name (`repositoryId`), else the binding's first. */
  repository(target: CmisTarget, signal?: AbortSignal): Promise<CmisRepository> {
    const key = `${target.settings.url} ${target.settings.repositoryId ?? ''}`;
    const cached = this.#repositories.get(key);
    if (cached && Date.now() - cached.at < REPOSITORY_TTL_MS) return cached.repository;
    const repository = this.verify(target, signal);
    this.#repositories.set(key, { at: Date.now(), repository });
    repository.catch(() => this.#repositories.delete(key));
    return repository;
  }

  /** Reads the service document (§5.3.1) as the target's person, uncached: how a sign-in is checked. */
  async verify(target: CmisTarget, signal?: AbortSignal): Promise<CmisRepository> {
    return pickRepository(await this.json(new URL(target.settings.url), target, { signal }), target.settings);
  }

  /** A GET, or a POST of `form` (urlencoded, §5.4.4), answered with JSON. */
  async json<T>(url: URL, { authorization }: CmisTarget, { form, signal }: { form?: Record<string, string>; signal?: AbortSignal | undefined } = {}): Promise<T> {
    const response = await this.outbound.fetch(url, {
      method: form ? 'POST' : 'GET',
      headers: { ...(authorization ? { Authorization: authorization } : {}), Accept: 'application/json', ...(form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}) },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
      ...(signal ? { signal } : {}),
    });
    if (!response.ok) throw new ProviderRefusal(response.status, await response.text().catch(() => ''));
    const body = await response.text();
    return (body ? JSON.parse(body) : undefined) as T;
  }

  /** Content as a Node stream (the outbound's relay); 206, 304 and 416 come back to be forwarded. */
  async stream(url: URL, { authorization }: CmisTarget, { method, headers, signal }: { method: 'GET' | 'HEAD'; headers: Record<string, string>; signal?: AbortSignal | undefined }): Promise<Content> {
    const response = await this.outbound.stream(url, { method, headers: { ...headers, Authorization: authorization }, ...(signal ? { signal } : {}) });
    if ((response.status >= 200 && response.status < 300) || response.status === 304 || response.status === 416) return response;
    throw new ProviderRefusal(response.status, await answerText(response.body));
  }
}

function pickRepository(infos: Record<string, Partial<CmisRepository>>, settings: CmisSettings): CmisRepository {
  const info = settings.repositoryId === undefined ? Object.values(infos ?? {})[0] : infos?.[settings.repositoryId];
  if (!info?.repositoryId || !info.rootFolderUrl || !info.repositoryUrl || !info.rootFolderId) {
    throw new FsError('FS_ERR_UPSTREAM', settings.repositoryId === undefined ? 'The CMIS service document lists no repository.' : `The CMIS service document has no repository "${settings.repositoryId}".`);
  }
  return {
    repositoryId: info.repositoryId,
    repositoryUrl: info.repositoryUrl,
    rootFolderUrl: info.rootFolderUrl,
    rootFolderId: info.rootFolderId,
    vendorName: info.vendorName ?? '',
    productName: info.productName ?? 'CMIS repository',
    productVersion: info.productVersion ?? '',
  };
}

