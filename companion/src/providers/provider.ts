import type { Readable } from 'node:stream';
import type { BrowseLocation, FolderInfo, SortDirection, SortKey } from 'fs-picker/protocol';
import type { AppConfig } from '../config.ts';
import type { Grant } from '../auth/grants.ts';
import type { FreshTokens } from '../auth/refresher.ts';
import type { OAuthSignIn } from './oauth-sign-in.ts';

/**
 * What every source the companion browses implements (Alfresco first; WebDAV and CMIS next). Routes,
 * picking, export, write-back and links are written once against this; nothing outside a provider's
 * folder knows its URLs, its JSON or the shape of its ids. A provider reports refusals by throwing
 * {@link ProviderRefusal} (its source's HTTP status); the registry wraps every provider in
 * `providerErrors`, which turns those into the error registry's codes with a message a person can act on.
 */
export interface Provider {
  /** The service id, as apps name it in `services` and Blobs carry it in `source` (e.g. "ALFRESCO"). */
  readonly id: string;
  /** The name people see, and Blobs carry in `client` (e.g. "Alfresco"). */
  readonly name: string;
  /** The most entries one `list` or `search` call may ask for. */
  readonly maxPageSize: number;

  /** Whether `id` could name an item of this source; anything else is refused before a call is made. */
  isItemId(id: string): boolean;
  /** A short description of the app's repository ("Alfresco Community 23.2.0"); throws when unreachable. */
  describe(app: SourceApp, signal?: AbortSignal): Promise<string>;

  /** How the app's people sign in: the OAuth redirect, or the companion's own password form. */
  signInOf(app: SourceApp): SignIn;
  /** Who the new tokens belong to, asked of the source right after signing in. */
  whoIs(app: SourceApp, tokens: SignedIn): Promise<SourceUser>;
  /** Who is signed in with this grant now (refreshed on the way when needed). */
  whoAmI(call: ProviderCall): Promise<SourceUser>;
  /**
   * New tokens for a grant whose access token has expired. A refusal is thrown as it came (the refresher
   * then asks the person to connect again); a source that cannot be reached is FS_ERR_UPSTREAM.
   */
  refresh(grant: Grant): Promise<FreshTokens>;
  /** Ends the grant at the source where it can be ended; the companion forgets the grant either way. */
  signOut(app: SourceApp, grant: Grant): Promise<void>;

  /** Where browsing can start. */
  locations(call: ProviderCall): Promise<BrowseLocation[]>;
  /** A folder and its breadcrumbs; refuses a file with FS_ERR_INVALID_REQUEST on `folderId`. */
  folder(call: ProviderCall, folderId: string): Promise<FolderInfo>;
  /** One page of a folder, folders first, then in the chosen order. */
  list(call: ProviderCall, folderId: string, page: PageRequest): Promise<ItemPage>;
  /** One page of the files and folders whose name starts with `q` (below `folderId` when given), by name. */
  search(call: ProviderCall, request: SearchRequest): Promise<ItemPage>;
  /** One file or folder. */
  stat(call: ProviderCall, itemId: string): Promise<SourceItem>;
  /** The item named `name` in a folder (as the source compares names), if there is one. */
  childNamed(call: ProviderCall, folderId: string, name: string): Promise<SourceItem | undefined>;

  /** A file's bytes, streamed: 200, 206 or 304 as the source answers a Range or If-None-Match; 416 too. */
  download(call: ProviderCall, itemId: string, request: ContentRequest): Promise<Content>;
  /** A small preview image of a file (or the source's placeholder for its type). */
  thumbnail(call: ProviderCall, itemId: string): Promise<Content>;
  /** A new file in a folder, streamed in; `autoRename` takes the next free name when the name is taken. */
  create(call: ProviderCall, folderId: string, content: NewContent, options: { autoRename: boolean }): Promise<SourceItem>;
  /** The content as a new version of a file; its name and history stay. */
  writeVersion(call: ProviderCall, itemId: string, content: NewContent): Promise<SourceItem>;
  /** Deletes an item for good (to undo a create whose follow-up failed). */
  remove(call: ProviderCall, itemId: string): Promise<void>;
}

/** An app as a provider sees it: its key, its OAuth application and, from the portal, its own repository. */
export type SourceApp = AppConfig & { alfrescoSettings?: { repositoryUrl?: string; issuer?: string } };

/** A call made as the person behind a grant. */
export interface ProviderCall {
  grant: Grant;
  signal?: AbortSignal | undefined;
}

/** A file or folder as every source describes it. */
export interface SourceItem {
  id: string;
  name: string;
  isFolder: boolean;
  /** A file with content; false for folders and for what is neither (Alfresco's links, for one). */
  isFile: boolean;
  /** The file's type; the protocol's folder type for folders. */
  mimetype: string;
  /** Bytes; 0 for folders. */
  size: number;
  /** ISO 8601 (UTC) time of the last change. */
  modified: string;
  /** A folder: the person may create files in it; a file: the person may change it. */
  canWrite: boolean;
  /** Where the item lives, as the source shows it ("/Company Home/Sites/x/a.pdf"), when it says. */
  path?: string;
  /** Whether {@link Provider.thumbnail} has something to show for it. */
  hasThumbnail: boolean;
}

export interface PageRequest {
  /** Entries to skip from the start of the list. */
  skip: number;
  /** At most this many entries (up to the provider's `maxPageSize`). */
  max: number;
  sort: SortKey;
  direction: SortDirection;
}

export interface SearchRequest {
  q: string;
  folderId?: string | undefined;
  skip: number;
  max: number;
}

/** One page as the source answered it, before the accept filter. */
export interface ItemPage {
  entries: SourceItem[];
  /** The source has entries after these. */
  hasMore: boolean;
}

export interface ContentRequest {
  method: 'GET' | 'HEAD';
  /** Request headers to pass on (Range, If-None-Match). */
  headers?: Record<string, string>;
}

/** A streamed answer: the body is a Node stream, never read whole. */
export interface Content {
  status: number;
  headers: Headers;
  body: Readable;
}

export interface NewContent {
  stream: Readable;
  filename: string;
  /** The content's type; empty to let the source guess from the name. */
  mimetype: string;
  /** The size when known; the upload fails when the stream ends short of it or goes past it. */
  size?: number;
}

/** Who a person is at the source, as the picker shows it. */
export interface SourceUser {
  id: string;
  name: string;
}

/** Tokens a sign-in ended with. */
export interface SignedIn {
  kind: Grant['kind'];
  accessToken: string;
  refreshToken: string | undefined;
  expiresAt: number | undefined;
}

/**
 * How people sign in to a source. `oauth`: the popup goes to the source's authorize endpoint and comes
 * back with a code. `password`: the companion's own form takes a user name and password, which go no
 * further than the source (an Alfresco ticket, WebDAV's basic auth).
 */
export type SignIn =
  | { kind: 'oauth'; oauth: OAuthSignIn }
  /**
   * `keepsPassword`: the source has no tokens of its own (WebDAV, CMIS with Basic), so the password itself
   * is the grant, kept sealed; the form tells the person so.
   */
  | { kind: 'password'; signIn: PasswordSignIn; keepsPassword?: boolean };

export type PasswordSignIn = (username: string, password: string) => Promise<PasswordResult>;
export type PasswordResult = { ok: true; tokens: SignedIn } | { ok: false; reason: 'refused' | 'unavailable' };

/** A refusal from a source, by the HTTP status it answered (or the closest one); the detail goes to logs only. */
export class ProviderRefusal extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    /** The field of the request it concerns, when one does (e.g. `filename` for a name clash). */
    readonly field?: string,
  ) {
    super(`the source answered ${status}`);
    this.name = 'ProviderRefusal';
  }
}
