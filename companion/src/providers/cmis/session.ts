import type { Content, NewContent } from '../provider.ts';
import type { CmisClient, CmisRepository, CmisTarget } from './client.ts';
import type { CmisList, CmisObject } from './mapping.ts';
import { postContent } from './upload.ts';

/** How every object is asked for: succinct, with what the person may do and whether it has a thumbnail. */
const OBJECT_PARAMS = { succinct: 'true', includeAllowableActions: 'true', renditionFilter: 'cmis:thumbnail' };

/**
 * The browser binding's calls as one person, on the repository the app names (CMIS 1.1 §5.3 URLs:
 * objects at the root folder URL with `objectId`, or below it by path; queries at the repository URL).
 */
export class CmisSession {
  constructor(
    private readonly client: CmisClient,
    private readonly target: CmisTarget,
    private readonly signal?: AbortSignal,
  ) {}

  repository(): Promise<CmisRepository> {
    return this.client.repository(this.target, this.signal);
  }

  /** getObject (§5.4.2 `cmisselector=object`). */
  async object(objectId: string, params: Record<string, string> = {}): Promise<CmisObject> {
    return this.client.json(await this.#objectUrl(objectId, { cmisselector: 'object', ...OBJECT_PARAMS, ...params }), this.target, { signal: this.signal });
  }

  /** getObjectByPath: `path` from the root folder ("/Sites/x"). */
  async objectAt(path: string, params: Record<string, string> = {}): Promise<CmisObject> {
    const { rootFolderUrl } = await this.repository();
    const url = new URL(`${rootFolderUrl}${path.split('/').map(encodeURIComponent).join('/')}`);
    for (const [name, value] of Object.entries({ cmisselector: 'object', ...OBJECT_PARAMS, ...params })) url.searchParams.set(name, value);
    return this.client.json(url, this.target, { signal: this.signal });
  }

  /** getObjectParents (§5.4.2 `cmisselector=parents`). */
  async parents(objectId: string): Promise<Array<{ object: CmisObject }>> {
    return this.client.json(await this.#objectUrl(objectId, { cmisselector: 'parents', succinct: 'true', filter: 'cmis:objectId,cmis:name,cmis:path' }), this.target, { signal: this.signal });
  }

  /** query (§5.4.1 `cmisaction=query`), one page. */
  async query(statement: string, { skip, max }: { skip: number; max: number }): Promise<CmisList> {
    const { repositoryUrl } = await this.repository();
    const form = { cmisaction: 'query', statement, searchAllVersions: 'false', skipCount: String(skip), maxItems: String(max), ...OBJECT_PARAMS };
    return this.client.json(new URL(repositoryUrl), this.target, { form, signal: this.signal });
  }

  /** An action without content (checkOut, cancelCheckOut, delete) on an object. */
  async action<T = CmisObject>(objectId: string, fields: Record<string, string>): Promise<T> {
    return this.client.json(await this.#objectUrl(objectId), this.target, { form: { ...OBJECT_PARAMS, ...fields }, signal: this.signal });
  }

  /** An action with a content stream (createDocument, checkIn, setContent), streamed. */
  async actionWithContent(objectId: string, fields: Record<string, string>, content: NewContent): Promise<CmisObject> {
    return postContent(this.client.outbound, await this.#objectUrl(objectId), this.target.authorization, { ...OBJECT_PARAMS, ...fields }, content);
  }

  /** getContentStream (§5.4.2 `cmisselector=content`), of a rendition with `streamId`. */
  async content(objectId: string, { method, headers, streamId }: { method: 'GET' | 'HEAD'; headers: Record<string, string>; streamId?: string }): Promise<Content> {
    const url = await this.#objectUrl(objectId, { cmisselector: 'content', ...(streamId === undefined ? {} : { streamId }) });
    return this.client.stream(url, this.target, { method, headers, signal: this.signal });
  }

  async #objectUrl(objectId: string, params: Record<string, string> = {}): Promise<URL> {
    const url = new URL((await this.repository()).rootFolderUrl);
    url.searchParams.set('objectId', objectId);
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    return url;
  }
}
