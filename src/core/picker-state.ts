import type { BrowseItem, FolderInfo } from '../protocol/browse.ts';
import type { ConnectedUser } from '../protocol/connect.ts';
import { SERVICE_IDS, type ServiceId } from '../protocol/services.ts';

/** What the host page asked for; set by `<fs-picker>` from its attributes and `pick()`/`save()` options. */
export interface PickerConfig {
  /** `pick` chooses files; `export` chooses a folder to save into. */
  mode: 'pick' | 'export';
  /** MIME patterns and extensions, as in `protocol/browse.ts` (`image/*`, `.pdf`); empty accepts all. */
  accept: string[];
  multiple: boolean;
  /** Upper bound on the files one pick returns (1 when not `multiple`). */
  maxFiles: number;
  minFiles: number;
  /** Bytes; 0 means no limit. */
  maxSize: number;
  /** The sources to offer, in this order; empty offers every source the app has. */
  services: ServiceId[];
  /** Whether folders may be picked (the companion expands them). */
  folders: boolean;
  /** Export mode: the name to suggest, e.g. "report.pdf". */
  suggestedFilename: string;
  /** Export mode: the MIME type of what is saved, to give the name the right extension. */
  exportMimetype: string;
}

/** A signed-in connection to a repository source. */
export interface Connection {
  /** The companion session token, sent as `Authorization: Bearer …`. */
  session: string;
  user: ConnectedUser;
}

export type ViewMode = 'list' | 'grid';

/** Everything one picker knows; views read it from the store and change it through the functions below. */
export interface PickerState {
  open: boolean;
  /** The source the person is looking at, or null before they choose one. */
  currentService: ServiceId | null;
  config: PickerConfig;
  /** The Alfresco connection, or null when not signed in. */
  connection: Connection | null;
  /** The Alfresco folder being shown (an id or alias like `-my-`), or null for the default location. */
  folderId: string | null;
  /** What the companion said about that folder once it was listed (name, breadcrumbs, whether writable). */
  folder: FolderInfo | null;
  viewMode: ViewMode;
  /** Selected files and folders, in the order they were selected; kept across folders. */
  selection: BrowseItem[];
  /** Where a connection the source ended had got to, until that person connects again (see `connectionLost`). */
  resumable: Resumable | null;
}

/** The folder and selection of a lost connection, kept for the same person's reconnect. */
export interface Resumable {
  userId: string;
  folderId: string | null;
  selection: BrowseItem[];
}

export function defaultConfig(): PickerConfig {
  return { mode: 'pick', accept: [], multiple: false, maxFiles: 1, minFiles: 1, maxSize: 0, services: [], folders: false, suggestedFilename: '', exportMimetype: '' };
}

export function initialPickerState(): PickerState {
  return { open: false, currentService: null, config: defaultConfig(), connection: null, folderId: null, folder: null, viewMode: 'list', selection: [], resumable: null };
}

/**
 * Opening shows `openTo` when it names a source on offer, else the only source offered, else the one the
 * person was looking at, else Alfresco when still signed in to it (back where the person was).
 */
export function opened(state: PickerState, openTo: string): Partial<PickerState> {
  const { config, currentService, connection } = state;
  const signedIn = connection && offers(config.services, 'ALFRESCO') ? ('ALFRESCO' as const) : undefined;
  return { open: true, currentService: firstService(config.services, openTo) ?? currentService ?? signedIn ?? null };
}

/** `openTo` if it is a source on offer, else the only source offered. */
function firstService(services: ServiceId[], openTo: string): ServiceId | undefined {
  const wanted = openTo.toUpperCase();
  if ((SERVICE_IDS as readonly string[]).includes(wanted) && offers(services, wanted as ServiceId)) return wanted as ServiceId;
  return services.length === 1 ? services[0] : undefined;
}

/** Whether `service` is on offer (an empty list offers every source). */
const offers = (services: ServiceId[], service: ServiceId): boolean => services.length === 0 || services.includes(service);

export function chooseService(_state: PickerState, service: ServiceId): Partial<PickerState> {
  return { currentService: service };
}

/** Connecting again as the person whose connection was lost takes them back to their folder and selection. */
export function connected(state: PickerState, connection: Connection): Partial<PickerState> {
  const resumed = state.resumable?.userId === connection.user.id ? state.resumable : undefined;
  return { connection, resumable: null, ...(resumed ? { folderId: resumed.folderId, selection: resumed.selection } : {}) };
}

/** Signing out (or a grant that can no longer be refreshed) forgets the session, the folder and the selection. */
export function signedOut(_state: PickerState): Partial<PickerState> {
  return { connection: null, folderId: null, folder: null, selection: [] };
}

/**
 * The source or the companion ended the connection (expired, revoked): signed out as with `signedOut`, but
 * the folder and the selection are kept aside for that person, so reconnecting loses nothing. Another
 * person connecting starts afresh: they may not see the first one's files.
 */
export function connectionLost(state: PickerState): Partial<PickerState> {
  const userId = state.connection?.user.id;
  return { ...signedOut(state), resumable: userId ? { userId, folderId: state.folderId, selection: state.selection } : state.resumable };
}

export function navigated(_state: PickerState, folderId: string): Partial<PickerState> {
  return { folderId };
}
