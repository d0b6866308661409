import { FsError } from 'fs-picker/protocol';
import type { Grant } from '../../auth/grants.ts';
import type { Outbound } from '../../outbound/index.ts';
import type { Content, NewContent } from '../provider.ts';
import { authorizationOf } from './credentials.ts';
import type { WebdavEndpoints } from './endpoint.ts';
import type { DavPath } from './item-ids.ts';
import { MultistatusError, parseMultistatus, type DavResource } from './multistatus.ts';
import { refusal, readDetail } from './refusals.ts';
import { putStream, type PutConditions } from './upload.ts';
import { pathOfHref, urlOf } from './urls.ts';

/** Where a call goes and as whom: the app's WebDAV root and the person's Authorization header. */
export interface DavTarget {
  root: URL;
  authorization: string;
  signal?: AbortSignal | undefined;
}

/** A resource of a PROPFIND answer with its path below the root. */
export interface FoundResource {
  path: DavPath;
  resource: DavResource;
}

/** The properties every listing and stat asks for; `current-user-privilege-set` only ACL servers (RFC 3744) answer. */
const PROPFIND_BODY =
  '<?xml version="1.0" encoding="utf-8"?>\n' +
  '<D:propfind xmlns:D="DAV:"><D:prop>' +
  '<D:resourcetype/><D:displayname/><D:getcontentlength/><D:getcontenttype/><D:getlastmodified/><D:getetag/><D:current-user-privilege-set/>' +
  '</D:prop></D:propfind>';

/** A folder's answer is metadata, not content: one beyond this is refused rather than held. */
const MAX_MULTISTATUS_BYTES = 32 * 1024 * 1024;

/**
 * The WebDAV calls (RFC 4918) of the provider, each through the companion's Outbound: PROPFIND, GET/HEAD
 * (streamed), PUT (streamed), DELETE, OPTIONS. A status that is not the expected one is thrown as a
 * refusal (refusals.ts); a server that cannot be reached is the Outbound's FS_ERR_UPSTREAM.
 */
export class WebdavClient {
  constructor(
    readonly endpoints: WebdavEndpoints,
    private readonly outbound: Outbound,
  ) {}

  /** The app's root and the grant's credential. */
  targetOf(grant: Grant, signal?: AbortSignal): DavTarget {
    return { root: this.endpoints.ofKey(grant.appKey), authorization: authorizationOf(grant.accessToken), signal };
  }

  /** PROPFIND at `path` (Depth 0: the resource; 1: it and its children), every resource with its path. */
  async propfind(target: DavTarget, path: DavPath, depth: 0 | 1, { collection = false } = {}): Promise<FoundResource[]> {
    const url = urlOf(target.root, path, { collection });
    const response = await this.outbound.fetch(url, {
      method: 'PROPFIND',
      headers: { Authorization: target.authorization, Depth: String(depth), 'Content-Type': 'application/xml; charset=utf-8', Accept: 'application/xml, text/xml' },
      body: PROPFIND_BODY,
      ...(target.signal ? { signal: target.signal } : {}),
    });
    if (response.status !== 207) throw refusal(response.status, await readDetail(response));
    const xml = await readCapped(response, MAX_MULTISTATUS_BYTES);
    let resources: DavResource[];
    try {
      resources = parseMultistatus(xml);
    } catch (error) {
      if (!(error instanceof MultistatusError)) throw error;
      throw new FsError('FS_ERR_UPSTREAM', `The WebDAV server at ${url.origin} answered a PROPFIND with something other than a multistatus.`, { cause: error });
    }
    return resources.flatMap((resource) => {
      const found = pathOfHref(target.root, resource.href);
      return found ? [{ path: found, resource }] : [];
    });
  }

  /** GET or HEAD, streamed; 2xx, 304 and 416 come back for the caller to pass on. */
  async content(target: DavTarget, path: DavPath, { method, headers }: { method: 'GET' | 'HEAD'; headers: Record<string, string> }): Promise<Content> {
    const response = await this.outbound.stream(urlOf(target.root, path), { method, headers: { ...headers, Authorization: target.authorization }, ...(target.signal ? { signal: target.signal } : {}) });
    if ((response.status >= 200 && response.status < 300) || response.status === 304 || response.status === 416) return response;
    const detail = await readStreamDetail(response.body);
    throw refusal(response.status, detail);
  }

  /** PUT, the body streamed in; answers the status when it is 2xx or 412 (a condition that failed), throws otherwise. */
  async put(target: DavTarget, path: DavPath, content: NewContent, conditions: PutConditions): Promise<number> {
    const { status, detail } = await putStream(this.outbound, urlOf(target.root, path), target.authorization, content, conditions);
    if ((status >= 200 && status < 300) || status === 412) return status;
    throw await this.#writeRefusal(target, status, detail);
  }

  /** DELETE; a resource already gone is what was asked. */
  async delete(target: DavTarget, path: DavPath): Promise<void> {
    const response = await this.outbound.fetch(urlOf(target.root, path), { method: 'DELETE', headers: { Authorization: target.authorization }, ...(target.signal ? { signal: target.signal } : {}) });
    if ((response.status >= 200 && response.status < 300) || response.status === 404) {
      await response.body?.cancel();
      return;
    }
    throw await this.#writeRefusal(target, response.status, await readDetail(response));
  }

  /**
   * Some servers (webdav-server, for one) answer 401 rather than 403 to a person who is signed in but
   * may not change something. A 401 to a write whose credential still opens the root is that: 403, not
   * "connect again", which would not help.
   */
  async #writeRefusal(target: DavTarget, status: number, detail: string): Promise<Error> {
    if (status !== 401) return refusal(status, detail);
    const holds = await this.propfind(target, [], 0, { collection: true }).then(() => true, () => false);
    return holds ? refusal(403, `401 with a credential that still opens the root: ${detail}`) : refusal(401, detail);
  }

  /** OPTIONS without credentials, for whether the server answers at all: its status. */
  async options(root: URL, signal?: AbortSignal): Promise<number> {
    const response = await this.outbound.fetch(root, { method: 'OPTIONS', ...(signal ? { signal } : {}) });
    await response.body?.cancel();
    return response.status;
  }
}

/** A body as text, refused past `max` bytes. */
async function readCapped(response: Response, max: number): Promise<string> {
  const tooLarge = () => new FsError('FS_ERR_UPSTREAM', `The WebDAV server's answer is larger than the ${max / 1024 / 1024} MiB a folder listing may be.`);
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    size += read.value.length;
    if (size > max) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(read.value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A streamed error body, for the log: at most 4 KiB, never throws. */
async function readStreamDetail(body: AsyncIterable<Buffer> & { destroy(): void }): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      if (size < 4096) chunks.push(chunk);
      size += chunk.length;
      if (size > 65_536) break;
    }
  } catch {
    // The detail is only for logs.
  }
  body.destroy();
  return Buffer.concat(chunks).subarray(0, 4096).toString('utf8');
}
