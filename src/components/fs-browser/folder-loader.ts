import type { ReactiveControllerHost } from 'lit';
import { initialState, Task, TaskStatus } from '@lit/task';
import { listFolder, searchItems } from '../../api/transport/browse.ts';
import type { CompanionClient } from '../../api/transport/client.ts';
import { appendPage, BROWSE_PAGE_SIZE, MORE_PAGE_SIZE, startListing, wantsMore, type Listing } from '../../core/listing.ts';
import { HOME_FOLDER_ID, type BrowseItem, type FolderInfo, type SortDirection, type SortKey } from '../../protocol/browse.ts';
import type { RepositoryId } from '../../protocol/services.ts';
import { sortOption } from './sorts.ts';

export { BROWSE_PAGE_SIZE, MORE_PAGE_SIZE };
/** Where browsing starts when the store names no folder. */
/** Where browsing starts. */
export const DEFAULT_FOLDER = HOME_FOLDER_ID;

/** What was loaded, and the request that loaded it (for its further pages). */
export interface Loaded {
  kind: 'folder' | 'search';
  listing: Listing;
  query: string;
  request: { folderId: string; sort: SortKey; direction: SortDirection; accept: string[]; searchIn: string | undefined };
}

/** The first page's inputs: client, session, folder, sort value, accept (joined), query, folder searched. */
type FirstPageArgs = readonly [CompanionClient | undefined, string | undefined, string, string, string, string, string | undefined];

/** What the loader reads from its host, and what it tells it. */
export interface FolderLoaderOptions {
  client(): CompanionClient | undefined;
  /** The repository browsed, and the session of it. */
  source(): RepositoryId;
  session(): string | undefined;
  /** The folder to list. */
  folderId(): string;
  /** The sort menu's value (see sorts.ts). */
  sort(): string;
  accept(): readonly string[];
  /** The search to run; '' lists the folder. */
  query(): string;
  /** The folder being shown: a search looks inside it, and its results keep it as their folder. */
  folder(): FolderInfo | null | undefined;
  /** The first page of a folder or a search was asked for (`search`: a search). */
  loading(search: boolean): void;
  /** The first page of a folder or a search arrived. */
  shown(loaded: Loaded): void;
  /** A further page arrived; `count` items are loaded now. */
  grew(count: number): void;
  /** A page could not be loaded. */
  failed(error: unknown): void;
}

/**
 * Loads what the browser shows: the first page of the folder or search (again whenever one of its
 * inputs changes, aborting the previous request), then further pages as the person scrolls near the
 * end. A late page for the previous folder or search is dropped.
 */
export class FolderLoader {
  #loaded: Loaded | undefined;
  #more: AbortController | undefined;
  #moreFailed = false;
  #lastVisible = 0;

  readonly #first: Task<FirstPageArgs, Loaded | typeof initialState>;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: FolderLoaderOptions,
  ) {
    this.#first = new Task(host, {
      task: async ([client, session, folderId, sort, accept, query, searchIn], { signal }): Promise<Loaded | typeof initialState> => {
        this.#more?.abort();
        this.#more = undefined;
        if (!client || !session) return initialState;
        options.loading(Boolean(query));
        const acceptList = accept ? accept.split(',') : [];
        const option = sortOption(sort);
        const request = { folderId, sort: option.sort, direction: option.direction, accept: acceptList, searchIn };
        if (query) {
          const page = await searchItems(client, query, { source: options.source(), session, signal, folderId: searchIn, accept: acceptList, pageSize: BROWSE_PAGE_SIZE });
          return { kind: 'search', listing: startListing(page, options.folder() ?? null), query, request };
        }
        const page = await listFolder(client, folderId, { source: options.source(), session, signal, sort: option.sort, direction: option.direction, accept: acceptList, pageSize: BROWSE_PAGE_SIZE });
        return { kind: 'folder', listing: startListing(page, page.folder), query: '', request };
      },
      args: () =>
        [
          options.client(),
          options.session(),
          options.folderId(),
          options.sort(),
          options.accept().join(','),
          options.query(),
          options.query() ? options.folder()?.id : undefined,
        ] as const,
      onComplete: (loaded) => this.#shown(loaded),
      onError: (error) => options.failed(error),
    });
  }

  get status(): TaskStatus {
    return this.#first.status;
  }

  /** Why the first page failed. */
  get error(): unknown {
    return this.#first.error;
  }

  /** The last folder or search loaded (kept while the next one loads). */
  get loaded(): Loaded | undefined {
    return this.#loaded;
  }

  /** The items shown: none until the first page is in. */
  get items(): BrowseItem[] {
    return this.#first.status === TaskStatus.COMPLETE ? (this.#loaded?.listing.items ?? []) : [];
  }

  /** A further page is on its way. */
  get loadingMore(): boolean {
    return this.#more !== undefined;
  }

  /** The last further page failed (scrolling does not retry; `loadMore` does). */
  get moreFailed(): boolean {
    return this.#moreFailed;
  }

  /** Loads the first page again. */
  retry(): void {
    void this.#first.run();
  }

  /** The virtualizer rendered up to item `last`: near the end, the next page is asked for. */
  rangeChanged(last: number): void {
    this.#lastVisible = last;
    if (this.#loaded && !this.#moreFailed && wantsMore(this.#loaded.listing, last)) void this.loadMore();
  }

  #shown(loaded: Loaded | typeof initialState): void {
    if (loaded === initialState) return;
    this.#loaded = loaded;
    this.#moreFailed = false;
    this.options.shown(loaded);
  }

  /** Asks for the page after the last one loaded, unless one is on its way or there is none. */
  async loadMore(): Promise<void> {
    const loaded = this.#loaded;
    const cursor = loaded?.listing.nextCursor;
    const client = this.options.client();
    const session = this.options.session();
    if (!loaded || !cursor || !client || !session || this.#more || this.#first.status !== TaskStatus.COMPLETE) return;
    const abort = new AbortController();
    this.#more = abort;
    this.#moreFailed = false;
    this.host.requestUpdate();
    const { folderId, sort, direction, accept, searchIn } = loaded.request;
    try {
      const page =
        loaded.kind === 'search'
          ? await searchItems(client, loaded.query, { source: this.options.source(), session, signal: abort.signal, cursor, folderId: searchIn, accept, pageSize: MORE_PAGE_SIZE })
          : await listFolder(client, folderId, { source: this.options.source(), session, signal: abort.signal, cursor, sort, direction, accept, pageSize: MORE_PAGE_SIZE });
      if (abort.signal.aborted || this.#loaded !== loaded) return;
      this.#loaded = { ...loaded, listing: appendPage(loaded.listing, cursor, page) };
      this.options.grew(this.#loaded.listing.items.length);
    } catch (error) {
      if (abort.signal.aborted) return;
      this.#moreFailed = true;
      this.options.failed(error);
    } finally {
      if (this.#more === abort) this.#more = undefined;
      this.host.requestUpdate();
    }
    // The person may already be at the new end.
    if (!abort.signal.aborted && this.#loaded && wantsMore(this.#loaded.listing, this.#lastVisible)) void this.loadMore();
  }
}
