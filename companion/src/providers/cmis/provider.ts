import { FsError, HOME_FOLDER_ID, type BrowseLocation } from 'fs-picker/protocol';
import type { AppLookup } from '../../apps/registry.ts';
import type { Outbound } from '../../outbound/index.ts';
import { ProviderRefusal, type NewContent, type Provider, type ProviderCall, type SourceApp, type SourceItem } from '../provider.ts';
import { CmisClient, type CmisSettings } from './client.ts';
import { authorizationOf, credentialOf, type Credential } from './credentials.ts';
import { cmisIdOf, itemIdOf } from './item-ids.ts';
import { foldersThenDocuments } from './listing.ts';
import { ancestorPaths, isFolderObject, orderBy, seriesIdOf, thumbnailStreamOf, toCrumb, toSourceItem, type CmisObject } from './mapping.ts';
import { inFolderQuery, nameQuery } from './query.ts';
import { CmisSession } from './session.ts';
import { signIn, signOut } from './sign-in.ts';

export interface CmisProviderOptions {
  /** The apps, as the portal keeps them: each app's `cmis` endpoint. */
  apps: AppLookup;
  /** The companion's one way out: every call to the repository goes through it. */
  outbound: Outbound;
}

/** Refusals that mean "not for this person" where something is only offered, not asked for. */
const notOffered = (error: unknown): undefined => {
  if (error instanceof ProviderRefusal && (error.status === 403 || error.status === 404)) return undefined;
  throw error;
};

/** Only what a crumb or a path needs; no thumbnails. */
const BRIEF = { filter: 'cmis:objectId,cmis:name,cmis:baseTypeId,cmis:path,cmis:versionSeriesId', renditionFilter: 'cmis:none' };
/** Alfresco's findUniqueName stops somewhere too. */
const MAX_RENAMES = 100;

/**
 * A CMIS 1.1 repository, through its browser binding (CMIS 1.1 §5), as a source of the picker: the
 * app's `cmis` endpoint (url, repositoryId, signIn). Item ids are base64url CMIS ids (item-ids.ts),
 * documents by their version series; `-my-` is the person's Alfresco home on Alfresco's CMIS, the root
 * folder elsewhere. Listings put folders first with two typed queries (listing.ts); a new version is a
 * check-out and check-in where the document can be checked out, else setContentStream.
 */
export function cmisProvider({ apps, outbound }: CmisProviderOptions): Provider {
  const client = new CmisClient(outbound);

  const settingsOf = (appKey: string, app?: SourceApp): CmisSettings => {
    // The app as the seam hands it over, else (a call with only a grant) as the registry has it now.
    const settings = app?.cmis ?? apps.get(appKey)?.cmis;
    if (!settings) throw new FsError('FS_ERR_CONNECT_FAILED', 'This app has no CMIS repository; its owner must enter its browser binding URL.');
    return settings;
  };
  const sessionOf = ({ grant, signal }: ProviderCall): { session: CmisSession; credential: Credential } => {
    const credential = credentialOf(grant.accessToken);
    return { session: new CmisSession(client, { settings: settingsOf(grant.appKey), authorization: authorizationOf(credential) }, signal), credential };
  };

  /** The CMIS id an item id names; `-my-` is looked up. */
  const resolve = async (session: CmisSession, credential: Credential, itemId: string): Promise<string> => {
    if (itemId === HOME_FOLDER_ID) return homeOf(session, credential);
    const id = cmisIdOf(itemId);
    if (id === undefined) throw new ProviderRefusal(404, `not an item id of this source: ${itemId}`);
    return id;
  };

  const stat = async (session: CmisSession, id: string): Promise<SourceItem> => {
    const [object, parents] = await Promise.all([session.object(id), session.parents(id).catch(() => [])]);
    const parentPath = parents[0]?.object.succinctProperties?.['cmis:path'];
    return toSourceItem(object, typeof parentPath === 'string' ? parentPath : undefined);
  };

  const folderPathOf = async (session: CmisSession, id: string): Promise<string> => {
    const folder = await session.object(id, BRIEF);
    const path = folder.succinctProperties?.['cmis:path'];
    if (!isFolderObject(folder) || typeof path !== 'string') throw new FsError('FS_ERR_INVALID_REQUEST', 'folderId: this is a file, not a folder.', { field: 'folderId' });
    return path;
  };

  const childAt = (session: CmisSession, folderPath: string, name: string): Promise<CmisObject | undefined> =>
    session.objectAt(`${folderPath.replace(/\/$/, '')}/${name}`, BRIEF).catch((error: unknown) => {
      if (error instanceof ProviderRefusal && error.status === 404) return undefined;
      throw error;
    });

  /** Alfresco's names for a taken one: name-1.ext, name-2.ext, … before the last dot. */
  const freeName = async (session: CmisSession, folderPath: string, name: string): Promise<string> => {
    const dot = name.lastIndexOf('.');
    const [stem, extension] = dot <= 0 ? [name, ''] : [name.slice(0, dot), name.slice(dot)];
    for (let counter = 0; counter <= MAX_RENAMES; counter += 1) {
      const candidate = counter === 0 ? name : `${stem}-${counter}${extension}`;
      if (!(await childAt(session, folderPath, candidate))) return candidate;
    }
    throw new ProviderRefusal(409, `no free name for ${name} after ${MAX_RENAMES} tries`, 'filename');
  };

  const newVersion = async (session: CmisSession, object: CmisObject, content: NewContent): Promise<void> => {
    const objectId = String(object.succinctProperties?.['cmis:objectId']);
    const actions = object.allowableActions ?? {};
    if (actions.canCheckOut) {
      const workingCopy = await session.action(objectId, { cmisaction: 'checkOut' });
      const workingCopyId = String(workingCopy.succinctProperties?.['cmis:objectId']);
      try {
        await session.actionWithContent(workingCopyId, { cmisaction: 'checkIn', major: 'false', checkinComment: 'Saved from the file picker' }, content);
      } catch (error) {
        // Nothing half-done stays behind: the document is not left checked out.
        await session.action(workingCopyId, { cmisaction: 'cancelCheckOut' }).catch(() => undefined);
        throw error;
      }
    } else if (actions.canSetContentStream) {
      await session.actionWithContent(objectId, { cmisaction: 'setContent', overwriteFlag: 'true' }, content);
    } else {
      throw new ProviderRefusal(403, `the document ${objectId} can be neither checked out nor have its content set`);
    }
  };

  return {
    id: 'CMIS',
    name: 'CMIS',
    maxPageSize: 1000,
    isItemId: (id) => id === HOME_FOLDER_ID || cmisIdOf(id) !== undefined,

    /** The product behind the binding, when it answers without a sign-in; Alfresco's does not, so its host then. */
    async describe(app, signal) {
      const settings = settingsOf(app.apiKey, app);
      try {
        const repository = await client.verify({ settings, authorization: '' }, signal);
        return `${repository.productName} ${repository.productVersion}`.trim();
      } catch (error) {
        if (error instanceof ProviderRefusal && (error.status === 401 || error.status === 403)) return `CMIS 1.1 at ${new URL(settings.url).host}`;
        throw error;
      }
    },

    signInOf: (app) => ({
      kind: 'password',
      // With Alfresco's sign-in the grant is a ticket; with Basic it is the password itself.
      keepsPassword: (app.cmis ?? apps.get(app.apiKey)?.cmis)?.signIn !== 'alfresco',
      signIn: (username, password) => signIn(client, settingsOf(app.apiKey, app), username, password),
    }),
    whoIs: async (_app, tokens) => {
      const { user } = credentialOf(tokens.accessToken);
      return { id: user, name: user };
    },
    async whoAmI({ grant, signal }) {
      const credential = credentialOf(grant.accessToken);
      await client.verify({ settings: settingsOf(grant.appKey), authorization: authorizationOf(credential) }, signal);
      return { id: credential.user, name: credential.user };
    },
    refresh: () => Promise.reject(new ProviderRefusal(401, 'a CMIS sign-in has nothing to refresh; sign in again')),
    signOut: (app, grant) => signOut(client, settingsOf(grant.appKey, app), credentialOf(grant.accessToken)),

    async locations(call) {
      const { session, credential } = sessionOf(call);
      const repository = await session.repository();
      const root: BrowseLocation = { kind: 'root', id: itemIdOf(repository.rootFolderId), name: 'Repository' };
      const home = repository.vendorName === 'Alfresco' ? await alfrescoHome(session, credential) : undefined;
      return home ? [{ kind: 'my', id: HOME_FOLDER_ID, name: 'My Files' }, root] : [root];
    },
    async folder(call, folderId) {
      const { session, credential } = sessionOf(call);
      const object = await session.object(await resolve(session, credential, folderId), BRIEF);
      const path = object.succinctProperties?.['cmis:path'];
      if (!isFolderObject(object) || typeof path !== 'string') throw new FsError('FS_ERR_INVALID_REQUEST', 'folderId: this is a file, not a folder.', { field: 'folderId' });
      // The ancestors by path, in parallel; one the person may not read is left out of the crumbs.
      const ancestors = await Promise.all(ancestorPaths(path).map((above) => session.objectAt(above, BRIEF).then(toCrumb, notOffered)));
      const crumbs = ancestors.filter((crumb) => crumb !== undefined);
      return { id: itemIdOf(seriesIdOf(object)), name: toCrumb(object).name, path: [...crumbs, toCrumb(object)], canWrite: object.allowableActions?.canCreateDocument === true };
    },
    async list(call, folderId, { skip, max, sort, direction }) {
      const { session, credential } = sessionOf(call);
      const id = await resolve(session, credential, folderId);
      // The name breaks ties, so pages of an order with many equal keys do not overlap.
      const statements = {
        folders: inFolderQuery('cmis:folder', id, `${orderBy(sort, direction, 'folder')}, cmis:name ASC`),
        documents: inFolderQuery('cmis:document', id, `${orderBy(sort, direction, 'document')}, cmis:name ASC`),
      };
      const { entries, hasMore } = await foldersThenDocuments(session, statements, { skip, max });
      return { entries: entries.map((object) => toSourceItem(object)), hasMore };
    },
    async search(call, { q, folderId, skip, max }) {
      const { session, credential } = sessionOf(call);
      const id = folderId === undefined ? undefined : await resolve(session, credential, folderId);
      const statements = { folders: nameQuery('cmis:folder', q, id), documents: nameQuery('cmis:document', q, id) };
      const { entries, hasMore } = await foldersThenDocuments(session, statements, { skip, max });
      return { entries: entries.map((object) => toSourceItem(object)), hasMore };
    },
    async stat(call, itemId) {
      const { session, credential } = sessionOf(call);
      return stat(session, await resolve(session, credential, itemId));
    },
    async childNamed(call, folderId, name) {
      const { session, credential } = sessionOf(call);
      if (name.includes('/')) return undefined;
      const folderPath = await folderPathOf(session, await resolve(session, credential, folderId));
      const child = await childAt(session, folderPath, name);
      return child && stat(session, seriesIdOf(child));
    },

    async download(call, itemId, { method, headers = {} }) {
      const { session, credential } = sessionOf(call);
      return session.content(await resolve(session, credential, itemId), { method, headers });
    },
    async thumbnail(call, itemId) {
      const { session, credential } = sessionOf(call);
      const id = await resolve(session, credential, itemId);
      const streamId = thumbnailStreamOf(await session.object(id, { filter: 'cmis:objectId' }));
      if (streamId === undefined) throw new ProviderRefusal(404, `no cmis:thumbnail rendition of ${id}`);
      return session.content(id, { method: 'GET', headers: {}, streamId });
    },
    async create(call, folderId, content, { autoRename }) {
      const { session, credential } = sessionOf(call);
      const folder = await resolve(session, credential, folderId);
      const name = autoRename ? await freeName(session, await folderPathOf(session, folder), content.filename) : content.filename;
      const fields = { cmisaction: 'createDocument', 'propertyId[0]': 'cmis:name', 'propertyValue[0]': name, 'propertyId[1]': 'cmis:objectTypeId', 'propertyValue[1]': 'cmis:document' };
      const created = await session.actionWithContent(folder, fields, { ...content, filename: name });
      // The create's answer need not carry allowable actions or renditions (OpenCMIS servers leave them out).
      return stat(session, seriesIdOf(created));
    },
    async writeVersion(call, itemId, content) {
      const { session, credential } = sessionOf(call);
      const id = await resolve(session, credential, itemId);
      const object = await session.object(id, { renditionFilter: 'cmis:none' });
      if (isFolderObject(object)) throw new ProviderRefusal(400, `a folder has no content to version: ${id}`);
      await newVersion(session, object, content);
      // The version series id names the new version now.
      return stat(session, id);
    },
    async remove(call, itemId) {
      const { session, credential } = sessionOf(call);
      await session.action<undefined>(await resolve(session, credential, itemId), { cmisaction: 'delete', allVersions: 'true' });
    },
  };
}

/** The person's home folder on Alfresco's CMIS (/User Homes/<user id>); undefined when it is not there. */
async function alfrescoHome(session: CmisSession, credential: Credential): Promise<CmisObject | undefined> {
  const home = await session.objectAt(`/User Homes/${credential.user}`, BRIEF).catch(notOffered);
  return home && isFolderObject(home) ? home : undefined;
}

/** `-my-`: the Alfresco home where there is one, else the repository's root folder. */
async function homeOf(session: CmisSession, credential: Credential): Promise<string> {
  const repository = await session.repository();
  const home = repository.vendorName === 'Alfresco' ? await alfrescoHome(session, credential) : undefined;
  return home ? seriesIdOf(home) : repository.rootFolderId;
}
