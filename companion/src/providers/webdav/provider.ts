import { FsError, MAX_PAGE_SIZE } from 'fs-picker/protocol';
import type { AppLookup } from '../../apps/registry.ts';
import type { CompanionConfig } from '../../config.ts';
import type { Outbound } from '../../outbound/index.ts';
import { ProviderRefusal, type Provider, type SourceItem } from '../provider.ts';
import { WebdavClient, type DavTarget } from './client.ts';
import { authorizationOf, basicCredential, usernameOf } from './credentials.ts';
import { WebdavEndpoints } from './endpoint.ts';
import { decodeId, isSafeSegment, ROOT_ID, segmentHash, type DavPath } from './item-ids.ts';
import { crumbsOf, rootNameOf, toSourceItem } from './items.ts';
import { freeName, namesStartingWith, pageOf, sortItems } from './listing.ts';

export interface WebdavProviderOptions {
  /** The apps' `webdav.url` (see endpoint.ts). */
  config: CompanionConfig;
  /** The registered apps (the portal's); by default the configuration's. */
  apps?: AppLookup;
  /** The companion's one way out: every call to a WebDAV server goes through it. */
  outbound: Outbound;
}

const notAFolder = () => new FsError('FS_ERR_INVALID_REQUEST', 'folderId: this is a file, not a folder.', { field: 'folderId' });

/**
 * A WebDAV server (RFC 4918: Apache mod_dav, Nextcloud, SabreDAV, IIS, …) as a source of the picker,
 * at the app's `webdav.url`. People sign in with the companion's password form; their Basic credential
 * is the grant (credentials.ts). Items are paths, written as ids (item-ids.ts).
 *
 * - list: one PROPFIND Depth: 1 per page, ordered and paged here (listing.ts).
 * - search: walking the tree would be a PROPFIND per folder and RFC 5323 SEARCH is rare (Apache has
 *   none), so it is a name-prefix match over one folder's listing: the folder asked for, or the root.
 * - refresh: a credential does not expire, so refreshing is checking it again (PROPFIND Depth: 0 on the
 *   root); a 401 means the password changed, and the person is asked to connect again.
 * - create: PUT with If-None-Match: * (a name taken meanwhile is a 409 on `filename`); writeVersion: PUT
 *   with the entity tag a PROPFIND just saw, so a file changed in between is not overwritten.
 */
export function webdavProvider({ config, apps, outbound }: WebdavProviderOptions): Provider {
  const lookup: AppLookup = apps ?? { get: (apiKey) => config.apps.find((app) => app.apiKey === apiKey) };
  const client = new WebdavClient(new WebdavEndpoints(lookup), outbound);

  /** The path behind an id; hashed ids are found level by level (item-ids.ts). */
  const pathOf = async (target: DavTarget, id: string): Promise<DavPath> => {
    const decoded = decodeId(id);
    if (!decoded) throw new ProviderRefusal(404, `not a WebDAV item id: ${id}`);
    if (decoded.kind === 'path') return decoded.path;
    let path = decoded.prefix;
    for (const hash of decoded.hashes) {
      const children = await client.propfind(target, path, 1, { collection: true });
      const next = children.find((child) => child.path.length === path.length + 1 && segmentHash(child.path.at(-1)!).equals(hash));
      if (!next) throw new ProviderRefusal(404, `nothing below /${path.join('/')} matches the id ${id}`);
      path = next.path;
    }
    return path;
  };
  const itemAt = async (target: DavTarget, path: DavPath): Promise<SourceItem> => {
    const found = (await client.propfind(target, path, 0, { collection: path.length === 0 })).find((entry) => entry.path.length === path.length);
    const item = found && toSourceItem(found.resource, path, rootNameOf(target.root));
    if (!item) throw new FsError('FS_ERR_UPSTREAM', 'The WebDAV server did not describe the item it was asked about.');
    return item;
  };
  /** The folder's children as items, in no order; a file is refused as a folder. */
  const childrenOf = async (target: DavTarget, path: DavPath): Promise<SourceItem[]> => {
    const found = await client.propfind(target, path, 1, { collection: true });
    const self = found.find((entry) => entry.path.length === path.length);
    if (self && !self.resource.isCollection) throw notAFolder();
    return found.flatMap((entry) => (entry.path.length === path.length + 1 ? (toSourceItem(entry.resource, entry.path, rootNameOf(target.root)) ?? []) : []));
  };
  const checkCredential = (target: DavTarget) => client.propfind(target, [], 0, { collection: true });

  return {
    id: 'WEBDAV',
    name: 'WebDAV',
    maxPageSize: MAX_PAGE_SIZE,
    isItemId: (id) => decodeId(id) !== undefined,

    async describe(app, signal) {
      const root = client.endpoints.of(app);
      // Without credentials: any answer (a 401 most often) says the server is there.
      const status = await client.options(root, signal);
      if (status >= 500) throw new ProviderRefusal(status, `OPTIONS ${root.href} answered ${status}`);
      return `WebDAV at ${root.host}${root.pathname === '/' ? '' : root.pathname.replace(/\/$/, '')}`;
    },

    signInOf: (app) => ({
      kind: 'password',
      keepsPassword: true,
      async signIn(username, password) {
        // A colon cannot be part of a Basic user name (RFC 7617).
        if (username.includes(':')) return { ok: false, reason: 'refused' };
        const credential = basicCredential(username, password);
        try {
          await checkCredential({ root: client.endpoints.of(app), authorization: authorizationOf(credential) });
        } catch (error) {
          // 403: the password is right but the root is closed to this person, who could browse nothing.
          const refused = error instanceof ProviderRefusal && (error.status === 401 || error.status === 403);
          return { ok: false, reason: refused ? 'refused' : 'unavailable' };
        }
        return { ok: true, tokens: { kind: 'ticket', accessToken: credential, refreshToken: undefined, expiresAt: undefined } };
      },
    }),
    whoIs: async (_app, tokens) => {
      const name = usernameOf(tokens.accessToken);
      return { id: name, name };
    },
    async whoAmI({ grant, signal }) {
      await checkCredential(client.targetOf(grant, signal));
      const name = usernameOf(grant.accessToken);
      return { id: name, name };
    },
    async refresh(grant) {
      await checkCredential(client.targetOf(grant));
      return { accessToken: grant.accessToken, refreshToken: undefined, expiresAt: undefined };
    },
    // Nothing to end at the server: the companion forgets the credential with the grant.
    signOut: async () => {},

    locations: async ({ grant }) => [{ kind: 'root', id: ROOT_ID, name: rootNameOf(client.targetOf(grant).root) }],
    async folder({ grant, signal }, folderId) {
      const target = client.targetOf(grant, signal);
      const path = await pathOf(target, folderId);
      const item = await itemAt(target, path);
      if (!item.isFolder) throw notAFolder();
      return { id: item.id, name: item.name, path: crumbsOf(path, rootNameOf(target.root)), canWrite: item.canWrite };
    },
    async list({ grant, signal }, folderId, { skip, max, sort, direction }) {
      const target = client.targetOf(grant, signal);
      return pageOf(sortItems(await childrenOf(target, await pathOf(target, folderId)), sort, direction), skip, max);
    },
    async search({ grant, signal }, { q, folderId, skip, max }) {
      const target = client.targetOf(grant, signal);
      const path = folderId === undefined ? [] : await pathOf(target, folderId);
      return pageOf(sortItems(namesStartingWith(await childrenOf(target, path), q), 'name', 'asc'), skip, max);
    },
    async stat({ grant, signal }, itemId) {
      const target = client.targetOf(grant, signal);
      return itemAt(target, await pathOf(target, itemId));
    },
    async childNamed({ grant, signal }, folderId, name) {
      if (!isSafeSegment(name)) return undefined;
      const target = client.targetOf(grant, signal);
      const path = [...(await pathOf(target, folderId)), name];
      return itemAt(target, path).catch((error: unknown) => {
        if (error instanceof ProviderRefusal && error.status === 404) return undefined;
        throw error;
      });
    },

    async download({ grant, signal }, itemId, { method, headers = {} }) {
      const target = client.targetOf(grant, signal);
      const path = await pathOf(target, itemId);
      const content = await client.content(target, path, { method, headers });
      // Some servers (webdav-server) answer a Range with "bytes a-b/*"; players need the whole size to seek.
      const range = content.headers.get('Content-Range');
      if (content.status === 206 && range?.endsWith('/*')) content.headers.set('Content-Range', `${range.slice(0, -1)}${(await itemAt(target, path)).size}`);
      return content;
    },
    thumbnail: () => Promise.reject(new ProviderRefusal(404, 'WebDAV has no thumbnails')),
    async create({ grant, signal }, folderId, content, { autoRename }) {
      const target = client.targetOf(grant, signal);
      const folder = await pathOf(target, folderId);
      if (!isSafeSegment(content.filename)) throw new FsError('FS_ERR_INVALID_OPTION', 'filename: must be a name, not a path.', { field: 'filename' });
      // The body can be sent once only, so the free name is chosen before sending, from the folder's listing.
      const name = autoRename ? freeName(content.filename, new Set((await childrenOf(target, folder)).map((child) => child.name))) : content.filename;
      const path = [...folder, name];
      const status = await client.put(target, path, content, { ifNoneMatch: '*' });
      if (status === 412) throw new ProviderRefusal(409, `PUT If-None-Match: * on /${path.join('/')}: the name is taken`, 'filename');
      return itemAt(target, path);
    },
    async writeVersion({ grant, signal }, itemId, content) {
      const target = client.targetOf(grant, signal);
      const path = await pathOf(target, itemId);
      const [found] = await client.propfind(target, path, 0);
      if (!found || found.resource.isCollection) throw new FsError('FS_ERR_INVALID_REQUEST', 'This is a folder, not a file: it has no content to replace.');
      const etag = found.resource.etag;
      const status = await client.put(target, path, content, etag === undefined ? {} : { ifMatch: etag });
      if (status === 412) {
        throw new FsError('FS_ERR_CONFLICT', `"${path.at(-1)!}" was changed in WebDAV while the new version was being saved, so nothing was written. Open it again to see the latest version.`, { cause: `If-Match ${etag} failed` });
      }
      return itemAt(target, path);
    },
    async remove({ grant, signal }, itemId) {
      const target = client.targetOf(grant, signal);
      await client.delete(target, await pathOf(target, itemId));
    },
  };
}
