import type { BrowseItem, FolderInfo } from '../protocol/browse.ts';
import type { ConnectedUser } from '../protocol/connect.ts';
import { isRepository, SERVICE_IDS, type RepositoryId, type ServiceId } from '../protocol/services.ts';

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
export interface PickerState extends RepositoryView {
  open: boolean;
  /** The source the person is looking at, or null before they choose one. */
  currentService: ServiceId | null;
  config: PickerConfig;
  /**
   * The repository the connection, folder and selection are of: the one shown, or the last one shown while
   * the person is on My Computer or Link.
   */
  repository: RepositoryId;
  /** What the other repositories held when the person last left them, so coming back finds it all again. */
  others: Partial<Record<RepositoryId, RepositoryView>>;
  viewMode: ViewMode;
}

/**
 * What the picker holds for one repository. Each has its own: a session is of one source, and a pick is
 * made from one source, so the selection does not follow the person to another repository.
 */
export interface RepositoryView {
  /** The connection, or null when not signed in. */
  connection: Connection | null;
  /** The folder being shown (an id or alias like Alfresco's `-my-`), or null for the default location. */
  folderId: string | null;
  /** What the companion said about that folder once it was listed (name, breadcrumbs, whether writable). */
  folder: FolderInfo | null;
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

const emptyView = (): RepositoryView => ({ connection: null, folderId: null, folder: null, selection: [], resumable: null });

export function initialPickerState(): PickerState {
  return { open: false, currentService: null, config: defaultConfig(), repository: 'ALFRESCO', others: {}, ...emptyView(), viewMode: 'list' };
}

/**
 * Opening shows `openTo` when it names a source on offer, else the only source offered, else the one the
 * person was looking at, else the repository they are still signed in to (back where the person was).
 */
export function opened(state: PickerState, openTo: string): Partial<PickerState> {
  const { config, currentService, connection, repository } = state;
  const signedIn = connection && offers(config.services, repository) ? repository : undefined;
  // A source this call does not offer (a save after a pick from the device) is not where it opens.
  const current = currentService && offers(config.services, currentService) ? currentService : undefined;
  const service = firstService(config.services, openTo) ?? current ?? signedIn;
  return { open: true, ...(service ? chooseService(state, service) : { currentService: null }) };
}

/** `openTo` if it is a source on offer, else the only source offered. */
function firstService(services: ServiceId[], openTo: string): ServiceId | undefined {
  const wanted = openTo.toUpperCase();
  if ((SERVICE_IDS as readonly string[]).includes(wanted) && offers(services, wanted as ServiceId)) return wanted as ServiceId;
  return services.length === 1 ? services[0] : undefined;
}

/** Whether `service` is on offer (an empty list offers every source). */
const offers = (services: ServiceId[], service: ServiceId): boolean => services.length === 0 || services.includes(service);

/** Choosing another repository puts the current one's view aside and brings back what that one held. */
export function chooseService(state: PickerState, service: ServiceId): Partial<PickerState> {
  if (!isRepository(service) || service === state.repository) return { currentService: service };
  const { repository, connection, folderId, folder, selection, resumable, others } = state;
  const { [service]: kept, ...rest } = others;
  return { currentService: service, repository: service, ...(kept ?? emptyView()), others: { ...rest, [repository]: { connection, folderId, folder, selection, resumable } } };
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
