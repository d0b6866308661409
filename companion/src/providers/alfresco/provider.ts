import { FsError, ITEM_ID_PATTERN, type BrowseLocation } from 'fs-picker/protocol';
import type { AppLookup } from '../../apps/registry.ts';
import type { TokenRefresher } from '../../auth/refresher.ts';
import type { CompanionConfig } from '../../config.ts';
import type { Outbound } from '../../outbound/index.ts';
import type { OAuthSignIn } from '../oauth-sign-in.ts';
import { ProviderRefusal, type Provider, type ProviderCall, type SignIn, type SourceApp } from '../provider.ts';
import { authorizationFor, createTicket, deleteTicket, userOf, whoIs } from './account.ts';
import { childrenOrderBy, nameQuery, ORDER_FIELDS, toFolderInfo, toSourceItem, type AlfrescoNode, type AlfrescoPaging } from './adapter.ts';
import { AlfrescoClient, CORE_PATH } from './client.ts';
import { describeRepository } from './discovery.ts';
import * as alfresco from './index.ts';
import { alfrescoOAuth, alfrescoRefresh } from './oauth.ts';
import { alfrescoSiteOf } from './sites.ts';
import { createFile, deleteNode, updateContent, type UploadTarget } from './upload.ts';

export interface AlfrescoProviderOptions {
  config: CompanionConfig;
  /** How browsers reach the companion (the OAuth callback is under it). */
  publicUrl: string;
  refresher: TokenRefresher;
  /** The apps, with the repository their owners entered in the portal. */
  apps: AppLookup;
  /** The companion's one way out: every call to Alfresco and its identity service goes through it. */
  outbound: Outbound;
}

/** Refusals that mean "not for this person" where something is only offered, not asked for. */
const notOffered = (error: unknown): undefined => {
  if (error instanceof ProviderRefusal && (error.status === 403 || error.status === 404)) return undefined;
  throw error;
};

/** A page of nodes as items. */
function pageOf(list: AlfrescoPaging<AlfrescoNode>['list']) {
  return { entries: list.entries.map(({ entry }) => toSourceItem(entry)), hasMore: list.pagination.hasMoreItems };
}

/** Alfresco (Content Services' public REST API v1) as a source of the picker. */
export function alfrescoProvider({ config, publicUrl, refresher, apps, outbound }: AlfrescoProviderOptions): Provider {
  const client = new AlfrescoClient(config.alfresco.repositoryUrl, refresher, undefined, outbound);
  const oauth = alfrescoOAuth(config, publicUrl, outbound);
  const repositoryOf = (app: SourceApp) => alfrescoSiteOf(config, app).repositoryUrl;
  const uploadTarget = ({ grant }: ProviderCall): UploadTarget => ({ repositoryUrl: client.repositoryUrlOf(grant), refresher, outbound });
  const oauthSignIn: OAuthSignIn = {
    isOidc: (app) => oauth.isOidc(app),
    authorizationUrl: (app, checks) => oauth.authorizationUrl(app, checks),
    exchange: async (app, search, checks) => ({ kind: 'oauth', ...(await oauth.exchange(app, search, checks)) }),
  };
  const withSignal = (signal: AbortSignal | undefined) => (signal ? { signal } : {});

  return {
    id: 'ALFRESCO',
    name: 'Alfresco',
    maxPageSize: alfresco.UPSTREAM_MAX_ITEMS,
    // Node ids and Alfresco's aliases (-my-, -shared-, -root-).
    isItemId: (id) => ITEM_ID_PATTERN.test(id),
    describe: (app, signal) => describeRepository(repositoryOf(app), signal, outbound),

    signInOf(app): SignIn {
      if (oauth.signInOf(app).type !== 'ticket') return { kind: 'oauth', oauth: oauthSignIn };
      return {
        kind: 'password',
        signIn: async (username, password) => {
          const result = await createTicket(repositoryOf(app), username, password, outbound);
          return result.ok ? { ok: true, tokens: { kind: 'ticket', accessToken: result.ticket, refreshToken: undefined, expiresAt: undefined } } : result;
        },
      };
    },
    whoIs: (app, tokens) => whoIs(repositoryOf(app), authorizationFor(tokens.kind, tokens.accessToken), outbound),
    whoAmI: async ({ grant }) => userOf(await client.json(grant, `${CORE_PATH}/people/-me-`)),
    refresh: alfrescoRefresh(config, publicUrl, apps, outbound),
    async signOut(app, grant) {
      if (grant.kind === 'ticket') await deleteTicket(client.repositoryUrlOf(grant), grant.accessToken, outbound);
      else if (oauth.signInOf(app).type !== 'ticket') await oauth.revoke(app, grant);
    },

    /** My Files, Shared Files, the person's sites (each opening its document library) and the repository root when readable. */
    async locations({ grant }) {
      const [sites, root] = await Promise.all([alfresco.mySites(client, grant), alfresco.getNode(client, grant, '-root-', 'allowableOperations').catch(notOffered)]);
      const libraries = await Promise.all(
        sites.map(async (membership): Promise<BrowseLocation | undefined> => {
          // A site without a document library (or one we may not open) is simply not offered.
          const folderId = await alfresco.documentLibraryOf(client, grant, membership.id).catch(notOffered);
          return folderId === undefined ? undefined : { kind: 'site', id: folderId, name: membership.site.title || membership.id, siteId: membership.id };
        }),
      );
      return [
        { kind: 'my', id: '-my-', name: 'My Files' },
        { kind: 'shared', id: '-shared-', name: 'Shared Files' },
        ...libraries.filter((location) => location !== undefined),
        ...(root ? [{ kind: 'root' as const, id: '-root-', name: 'Repository' }] : []),
      ];
    },
    async folder({ grant, signal }, folderId) {
      const node = await alfresco.getNode(client, grant, folderId, 'allowableOperations,path', withSignal(signal));
      if (!node.isFolder) throw new FsError('FS_ERR_INVALID_REQUEST', 'folderId: this is a file, not a folder.', { field: 'folderId' });
      return toFolderInfo(node);
    },
    async list({ grant, signal }, folderId, { skip, max, sort, direction }) {
      const { list } = await alfresco.listChildren(client, grant, folderId, { skipCount: skip, maxItems: max, orderBy: childrenOrderBy(sort, direction) }, withSignal(signal));
      return pageOf(list);
    },
    async search({ grant, signal }, { q, folderId, skip, max }) {
      // ANCESTOR needs a real node id; aliases (-my-) are resolved first.
      const ancestor = folderId === undefined ? undefined : (await alfresco.getNode(client, grant, folderId, 'allowableOperations', withSignal(signal))).id;
      const sort = [{ type: 'FIELD' as const, field: ORDER_FIELDS.name.search, ascending: true }];
      const { list } = await alfresco.search(client, grant, { query: nameQuery(q, ancestor), skipCount: skip, maxItems: max, sort }, withSignal(signal));
      return pageOf(list);
    },
    async stat({ grant, signal }, itemId) {
      return toSourceItem(await alfresco.getNode(client, grant, itemId, 'allowableOperations,path', withSignal(signal)));
    },
    async childNamed({ grant }, folderId, name) {
      const node = await alfresco.childNamed(client, grant, folderId, name).catch((error: unknown) => {
        if (error instanceof ProviderRefusal && error.status === 404) return undefined;
        throw error;
      });
      return node && toSourceItem(node);
    },
    download: ({ grant, signal }, itemId, { method, headers = {} }) => alfresco.contentStream(client, grant, itemId, { method, headers, ...withSignal(signal) }),
    thumbnail: ({ grant, signal }, itemId) => alfresco.thumbnailStream(client, grant, itemId, signal),
    create: async (call, folderId, content, { autoRename }) => toSourceItem(await createFile(uploadTarget(call), call.grant, folderId, content, { autoRename })),
    writeVersion: async (call, itemId, content) => toSourceItem(await updateContent(uploadTarget(call), call.grant, itemId, content)),
    remove: (call, itemId) => deleteNode(uploadTarget(call), call.grant, itemId),
  };
}
