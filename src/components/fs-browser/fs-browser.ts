import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import { ContextConsumer } from '@lit/context';
import { msg, str } from '@lit/localize';
import { initialState, Task, TaskStatus } from '@lit/task';
import { virtualize, virtualizerRef, type VirtualizerHostElement } from '@lit-labs/virtualizer/virtualize.js';
import { grid } from '@lit-labs/virtualizer/layouts/grid.js';
import { flow } from '@lit-labs/virtualizer/layouts/flow.js';
import type { RangeChangedEvent } from '@lit-labs/virtualizer/events.js';
import { listFolder, listLocations, searchItems } from '../../api/browse.ts';
import type { CompanionClient } from '../../api/client.ts';
import { Announcer } from '../../controllers/announcer.ts';
import { clientContext } from '../../controllers/context.ts';
import { KeyboardGrid } from '../../controllers/keyboard-grid.ts';
import { StoreController } from '../../controllers/store-controller.ts';
import { formatBytes, formatDateTime } from '../../core/format.ts';
import { appendPage, startListing, wantsMore, type Listing } from '../../core/listing.ts';
import { dropLostConnection } from '../../controllers/popup-auth.ts';
import { navigated, type PickerState, type ViewMode } from '../../core/picker-state.ts';
import * as selections from '../../core/selection.ts';
import { FsErrorEvent } from '../../events/fs-error.ts';
import { FsNavigateEvent } from '../../events/fs-navigate.ts';
import { FsSelectionChangeEvent } from '../../events/fs-selection-change.ts';
import type { BrowseItem, BrowseLocation, Crumb, FolderInfo, SortDirection, SortKey } from '../../protocol/browse.ts';
import { FsError } from '../../protocol/errors.ts';
import { baseStyles } from '../../styles/tokens.ts';
import { browserStyles } from './fs-browser.styles.ts';
import { typeIcon } from './icons.ts';
import { activeLocale } from '../../locales/localization.ts';

/** Items asked for first: a few screenfuls, small enough to answer fast. */
export const BROWSE_PAGE_SIZE = 100;
/**
 * Items asked for each time the person scrolls near the end: larger, because reaching the end of a
 * 10,000-item folder 100 at a time took 100 round trips (bench:folder).
 */
export const MORE_PAGE_SIZE = 500;
/** Where browsing starts when the store names no folder. */
const DEFAULT_FOLDER = '-my-';
/** The list row's and grid tile's height in px: the virtualizer estimates with them before it measures. */
const ROW_HEIGHT = 44;
const TILE_HEIGHT = 168;

const SORTS: readonly { value: string; sort: SortKey; direction: SortDirection; label: () => string }[] = [
  { value: 'name-asc', sort: 'name', direction: 'asc', label: () => msg('Name (A to Z)') },
  { value: 'name-desc', sort: 'name', direction: 'desc', label: () => msg('Name (Z to A)') },
  { value: 'modified-desc', sort: 'modified', direction: 'desc', label: () => msg('Newest first') },
  { value: 'modified-asc', sort: 'modified', direction: 'asc', label: () => msg('Oldest first') },
  { value: 'size-desc', sort: 'size', direction: 'desc', label: () => msg('Largest first') },
  { value: 'size-asc', sort: 'size', direction: 'asc', label: () => msg('Smallest first') },
];

const LIST_LAYOUT = flow();
const GRID_LAYOUT = grid({ itemSize: { width: '144px', height: `${TILE_HEIGHT}px` }, gap: '8px', justify: 'start' });

/** What was loaded, and the request that loaded it (for its further pages). */
interface Loaded {
  kind: 'folder' | 'search';
  listing: Listing;
  query: string;
  request: { folderId: string; sort: SortKey; direction: SortDirection; accept: string[]; searchIn: string | undefined };
}

/**
 * Browses the connected Alfresco repository: locations, breadcrumbs, a list or grid of the folder's
 * items (virtualised, paged as the person scrolls), sort, search and selection. In export mode files are
 * shown but not selectable: the folder shown is where the file will be saved.
 *
 * @summary The folder browser: locations, breadcrumbs, list and grid, sort, search and selection.
 * @fires fs-navigate - Another folder is shown (after its first page loaded): `{folderId, name, path}`.
 * @fires fs-selection-change - The selection changed: `{selection}`.
 * @fires fs-error - A listing failed; on an ended connection the store is also signed out.
 * @csspart locations - The list of places to browse from (My Files, Shared Files, sites, Repository).
 * @csspart location - Each location's button.
 * @csspart toolbar - Search, sort and the list/grid switch.
 * @csspart search - The search form.
 * @csspart sort - The sort menu.
 * @csspart view-toggle - The list/grid buttons.
 * @csspart breadcrumbs - The folder's path.
 * @csspart crumb - Each breadcrumb's button.
 * @csspart notice - Why a selection was refused.
 * @csspart scroller - The scrolling box around the items.
 * @csspart items - The listbox of items.
 * @csspart item - Each item (a row in the list, a tile in the grid).
 * @csspart state - The loading, empty and error messages.
 * @cssproperty [--fs-browser-height=24rem] - Height of the scrolling item area.
 * @cssproperty [--fs-browser-sidebar-width=13rem] - Width of the locations column on wide layouts.
 * @cssproperty [--fs-browser-tile-width=9rem] - Width of a grid tile.
 * @cssproperty [--fs-color-selected=#dde6f8] - Background of selected items and the current location.
 * @cssproperty [--fs-color-hover=#eef1f6] - Background of an item under the pointer.
 * @cssproperty [--fs-color-border=#d5dae3] - Borders of fields and the item area.
 * @cssproperty [--fs-color-muted=#5b6474] - Secondary text (dates, sizes, empty states).
 * @cssproperty [--fs-color-accent=#2457c5] - Links and the selection check mark.
 * @cssproperty [--fs-color-surface=#ffffff] - Background of the item area and fields.
 * @cssproperty [--fs-color-warning=#8a4b00] - The refused-selection notice.
 * @cssproperty [--fs-color-danger=#a4262c] - Error messages.
 * @cssproperty [--fs-color-folder=#f2c14e] - Folder icon fill.
 */
export class FsBrowser extends LitElement {
  static override styles = [baseStyles, browserStyles];
  static override properties = { client: { attribute: false } };

  /** The companion client; taken from the enclosing `<fs-picker>` unless set directly. */
  declare client: CompanionClient | undefined;

  readonly #state = new StoreController<PickerState | undefined>(this, (state) => state);
  readonly #announcer = new Announcer(this);
  readonly #keys = new KeyboardGrid(this, {
    count: () => this.#items().length,
    columns: () => this.#columns(),
    rowsPerPage: () => Math.max(1, Math.floor((this.#scroller()?.clientHeight ?? 0) / (this.#viewMode() === 'grid' ? TILE_HEIGHT : ROW_HEIGHT))),
    isRtl: () => getComputedStyle(this).direction === 'rtl',
    names: () => this.#items().map((item) => item.name),
    moved: (index, extend) => this.#moved(index, extend),
    open: (index) => this.#enter(index),
    toggle: (index) => this.#toggle(index),
    parent: () => this.#openParent(),
    selectAll: () => this.#selectAll(),
  });

  #sort = 'name-asc';
  /** The search being shown; '' shows the folder. */
  #query = '';
  #loaded: Loaded | undefined;
  #more: AbortController | undefined;
  #moreFailed = false;
  #lastVisible = 0;
  #anchor = 0;
  #notice = '';
  /** The folder a location opened: breadcrumbs start there. */
  #rootId: string | undefined;
  #awaitingRoot = true;
  #navigatedTo: string | undefined;
  #refocus = false;
  readonly #brokenThumbnails = new Set<string>();
  readonly #attached = new WeakSet<Element>();

  readonly #locations = new Task(this, {
    task: async ([client, session], { signal }) => (client && session ? listLocations(client, { session, signal }) : initialState),
    args: () => [this.client, this.#session()] as const,
    onError: (error) => this.#failed(error),
  });

  readonly #listing = new Task(this, {
    task: async ([client, session, folderId, sort, accept, query, searchIn], { signal }): Promise<Loaded | typeof initialState> => {
      this.#more?.abort();
      this.#more = undefined;
      if (!client || !session) return initialState;
      const acceptList = accept ? accept.split(',') : [];
      const option = SORTS.find((entry) => entry.value === sort) ?? SORTS[0]!;
      const request = { folderId, sort: option.sort, direction: option.direction, accept: acceptList, searchIn };
      if (query) {
        const page = await searchItems(client, query, { session, signal, folderId: searchIn, accept: acceptList, pageSize: BROWSE_PAGE_SIZE });
        return { kind: 'search', listing: startListing(page, this.#state.value?.folder ?? null), query, request };
      }
      const page = await listFolder(client, folderId, { session, signal, sort: option.sort, direction: option.direction, accept: acceptList, pageSize: BROWSE_PAGE_SIZE });
      return { kind: 'folder', listing: startListing(page, page.folder), query: '', request };
    },
    args: () =>
      [
        this.client,
        this.#session(),
        this.#state.value?.folderId ?? DEFAULT_FOLDER,
        this.#sort,
        (this.#state.value?.config.accept ?? []).join(','),
        this.#query,
        this.#query ? this.#state.value?.folder?.id : undefined,
      ] as const,
    onComplete: (loaded) => this.#shown(loaded),
    onError: (error) => this.#failed(error),
  });

  constructor() {
    super();
    this.client = undefined;
    new ContextConsumer(this, {
      context: clientContext,
      subscribe: true,
      callback: (client) => {
        this.client = client;
      },
    });
  }

  // ---- state helpers ----

  #session(): string | undefined {
    return this.#state.value?.connection?.session;
  }

  #config() {
    return this.#state.value?.config;
  }

  #viewMode(): ViewMode {
    return this.#state.value?.viewMode ?? 'list';
  }

  #items(): BrowseItem[] {
    return this.#listing.status === TaskStatus.COMPLETE ? (this.#loaded?.listing.items ?? []) : [];
  }

  #selection(): BrowseItem[] {
    return this.#state.value?.selection ?? [];
  }

  #listbox(): (HTMLElement & VirtualizerHostElement) | null {
    return this.renderRoot.querySelector<HTMLElement & VirtualizerHostElement>('[role="listbox"]');
  }

  #scroller(): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>('.scroller');
  }

  /** Items per row: 1 in the list; in the grid, the rendered tiles that share the first one's top. */
  #columns(): number {
    if (this.#viewMode() !== 'grid') return 1;
    const tiles = [...this.renderRoot.querySelectorAll<HTMLElement>('[role="option"]')];
    const tops = tiles.map((tile) => Math.round(tile.getBoundingClientRect().top));
    const first = Math.min(...tops);
    return Math.max(1, tops.filter((top) => Math.abs(top - first) < 2).length);
  }

  // ---- loading ----

  #shown(loaded: Loaded | typeof initialState): void {
    if (loaded === initialState) return;
    this.#loaded = loaded;
    this.#moreFailed = false;
    this.#keys.setActive(0);
    this.#anchor = 0;
    const { listing } = loaded;
    const count = listing.items.length;
    if (loaded.kind === 'folder' && listing.folder) {
      const folder = listing.folder;
      if (this.#awaitingRoot) {
        // A location (or the default one) starts the breadcrumbs; a folder restored from elsewhere shows its whole path.
        const requested = loaded.request.folderId;
        const fromLocation = requested === DEFAULT_FOLDER || (this.#locations.value ?? []).some((location) => location.id === requested);
        this.#rootId = fromLocation ? folder.id : undefined;
        this.#awaitingRoot = false;
      }
      this.#state.store?.setState({ folder });
      if (this.#navigatedTo !== folder.id) {
        this.#navigatedTo = folder.id;
        this.dispatchEvent(new FsNavigateEvent({ folderId: folder.id, name: folder.name, path: folder.path }));
      }
      this.#announcer.announce(count === 0 ? this.#emptyMessage(loaded) : count === 1 ? msg('Loaded 1 item') : msg(str`Loaded ${count} items`));
    } else {
      this.#announcer.announce(
        count === 1 ? msg(str`1 result for “${loaded.query}”`) : msg(str`${count} results for “${loaded.query}”`),
      );
    }
  }

  #failed(error: unknown): void {
    const { code, message } = error instanceof FsError ? error : new FsError('FS_ERR_INTERNAL');
    dropLostConnection(this.#state.store, code);
    this.dispatchEvent(new FsErrorEvent({ code, message }));
  }

  async #loadMore(): Promise<void> {
    const loaded = this.#loaded;
    const cursor = loaded?.listing.nextCursor;
    const client = this.client;
    const session = this.#session();
    if (!loaded || !cursor || !client || !session || this.#more || this.#listing.status !== TaskStatus.COMPLETE) return;
    const abort = new AbortController();
    this.#more = abort;
    this.#moreFailed = false;
    this.requestUpdate();
    const { folderId, sort, direction, accept, searchIn } = loaded.request;
    try {
      const page =
        loaded.kind === 'search'
          ? await searchItems(client, loaded.query, { session, signal: abort.signal, cursor, folderId: searchIn, accept, pageSize: MORE_PAGE_SIZE })
          : await listFolder(client, folderId, { session, signal: abort.signal, cursor, sort, direction, accept, pageSize: MORE_PAGE_SIZE });
      if (abort.signal.aborted || this.#loaded !== loaded) return;
      this.#loaded = { ...loaded, listing: appendPage(loaded.listing, cursor, page) };
      const count = this.#loaded.listing.items.length;
      this.#announcer.announce(msg(str`Loaded ${count} items`));
    } catch (error) {
      if (abort.signal.aborted) return;
      this.#moreFailed = true;
      this.#failed(error);
    } finally {
      if (this.#more === abort) this.#more = undefined;
      this.requestUpdate();
    }
    // The person may already be at the new end.
    if (!abort.signal.aborted && this.#loaded && wantsMore(this.#loaded.listing, this.#lastVisible)) void this.#loadMore();
  }

  #rangeChanged(event: RangeChangedEvent): void {
    this.#lastVisible = event.last;
    if (this.#loaded && !this.#moreFailed && wantsMore(this.#loaded.listing, event.last)) void this.#loadMore();
  }

  // ---- navigation ----

  /** Shows folder `id`; `fromLocation` makes it the start of the breadcrumbs. */
  #open(id: string, fromLocation = false): void {
    const listbox = this.#listbox();
    this.#refocus = listbox !== null && this.renderRoot instanceof ShadowRoot && this.renderRoot.activeElement === listbox;
    if (fromLocation) {
      this.#awaitingRoot = true;
      this.#rootId = undefined;
    }
    this.#query = '';
    this.#notice = '';
    const input = this.renderRoot.querySelector<HTMLInputElement>('input[type="search"]');
    if (input) input.value = '';
    this.#state.store?.setState((state) => navigated(state, id));
    this.requestUpdate();
  }

  /** The breadcrumbs shown: from the location that was opened (or the whole path when unknown). */
  #crumbs(folder: FolderInfo): Crumb[] {
    const locations = new Set((this.#locations.value ?? []).map((location) => location.id));
    let start = this.#rootId === undefined ? -1 : folder.path.findIndex((crumb) => crumb.id === this.#rootId);
    // Without a known start, begin at the deepest location (a site's library) on the path, if any.
    if (start < 0) start = folder.path.findLastIndex((crumb) => locations.has(crumb.id));
    return start >= 0 ? folder.path.slice(start) : folder.path;
  }

  #openParent(): void {
    if (this.#query) return this.#clearSearch();
    const folder = this.#state.value?.folder;
    if (!folder || this.#listing.status !== TaskStatus.COMPLETE) return;
    const crumbs = this.#crumbs(folder);
    const parent = crumbs[crumbs.length - 2];
    if (parent) this.#open(parent.id);
  }

  #enter(index: number): void {
    const item = this.#items()[index];
    if (!item) return;
    if (item.isFolder) this.#open(item.id);
    else this.#toggle(index);
  }

  // ---- selection ----

  #apply(result: selections.SelectionResult): void {
    if (result.refused) {
      this.#notice = this.#refusal(result.refused);
      this.requestUpdate();
      return;
    }
    this.#notice = '';
    if (result.selection === this.#selection()) return this.requestUpdate();
    this.#state.store?.setState({ selection: result.selection });
    const count = result.selection.length;
    this.#announcer.announce(count === 0 ? msg('Nothing selected') : msg(str`${count} selected`));
    this.dispatchEvent(new FsSelectionChangeEvent({ selection: result.selection }));
  }

  #refusal(refusal: selections.Refusal): string {
    const lang = activeLocale();
    switch (refusal.kind) {
      case 'max-files':
        return refusal.limit === 1 ? msg('You can choose only one file.') : msg(str`You can choose up to ${refusal.limit} files.`);
      case 'file-too-large':
        return msg(str`“${refusal.name}” is larger than the ${formatBytes(refusal.limit, lang)} limit.`);
      case 'total-too-large':
        return msg(str`Together these files are larger than the ${formatBytes(refusal.limit, lang)} limit.`);
      case 'not-selectable':
        return this.#config()?.mode === 'export' ? msg('Choose a folder to save into; files cannot be chosen here.') : msg(str`“${refusal.name}” cannot be chosen.`);
    }
  }

  #toggle(index: number): void {
    const item = this.#items()[index];
    const config = this.#config();
    if (!item || !config) return;
    this.#anchor = index;
    this.#apply(selections.toggle(this.#selection(), item, config));
  }

  #selectAll(): void {
    const config = this.#config();
    if (config) this.#apply(selections.selectAll(this.#selection(), this.#items(), config));
  }

  #moved(index: number, extend: boolean): void {
    this.#reveal(index);
    const config = this.#config();
    if (extend && config && config.mode !== 'export') this.#apply(selections.selectRange(this.#selection(), this.#items(), this.#anchor, index, config));
    else this.#anchor = index;
  }

  /** Scrolls item `index` into view, which also makes the virtualizer render it. */
  #reveal(index: number): void {
    const listbox = this.#listbox();
    const option = this.renderRoot.querySelector<HTMLElement>(`#item-${index}`);
    if (option) option.scrollIntoView({ block: 'nearest' });
    else listbox?.[virtualizerRef]?.element(index)?.scrollIntoView({ block: 'nearest' });
  }

  #clicked(event: MouseEvent, index: number): void {
    const item = this.#items()[index];
    const config = this.#config();
    if (!item || !config) return;
    this.#keys.setActive(index);
    const check = (event.target as Element).closest('.check');
    if (event.shiftKey && config.mode !== 'export') {
      this.#apply(selections.selectRange(this.#selection(), this.#items(), this.#anchor, index, config));
      return;
    }
    if (event.ctrlKey || event.metaKey || check) return this.#toggle(index);
    this.#anchor = index;
    if (item.isFolder && !selections.isSelectable(item, config)) return this.#open(item.id);
    if (config.mode === 'export') return;
    this.#apply(selections.selectOnly(this.#selection(), item, config));
  }

  #doubleClicked(index: number): void {
    const item = this.#items()[index];
    const config = this.#config();
    if (!item || !config) return;
    if (item.isFolder) return this.#open(item.id);
    if (config.mode !== 'export') this.#apply(selections.add(this.#selection(), item, config));
  }

  // ---- search, sort, view ----

  #search(event: Event): void {
    event.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>('input[type="search"]');
    const query = input?.value.trim() ?? '';
    if (query === this.#query) return;
    this.#query = query;
    this.#notice = '';
    this.requestUpdate();
  }

  #searchInput(event: Event): void {
    // Clearing the field (its × button, or deleting the text) shows the folder again.
    if ((event.target as HTMLInputElement).value === '' && this.#query) this.#clearSearch();
  }

  #clearSearch(): void {
    const input = this.renderRoot.querySelector<HTMLInputElement>('input[type="search"]');
    if (input) input.value = '';
    this.#query = '';
    this.requestUpdate();
  }

  #sorted(event: Event): void {
    this.#sort = (event.target as HTMLSelectElement).value;
    this.requestUpdate();
  }

  #setView(viewMode: ViewMode): void {
    this.#state.store?.setState({ viewMode });
  }

  // ---- rendering ----

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    this.#attachVirtualizer();
    if (this.#refocus && this.#listing.status === TaskStatus.COMPLETE) {
      const listbox = this.#listbox();
      if (listbox) {
        this.#refocus = false;
        listbox.focus();
      }
    }
  }

  /**
   * The virtualize directive connects its virtualizer while lit still holds the new listbox in a
   * detached fragment, so it finds no scrolling ancestor and follows the window instead. Once the
   * listbox is in the document, connect it again so it follows `.scroller`.
   */
  #attachVirtualizer(): void {
    const listbox = this.#listbox();
    if (!listbox || this.#attached.has(listbox) || !listbox.isConnected) return;
    const virtualizer = listbox[virtualizerRef];
    if (!virtualizer) return;
    this.#attached.add(listbox);
    virtualizer.disconnected();
    virtualizer.connected();
  }

  protected override render() {
    if (!this.#session()) return html`<p class="state" part="state">${msg('Connect to Alfresco to browse your files.')}</p>`;
    return html`<div class="layout">
      ${this.#renderLocations()}
      <div class="main">
        ${this.#renderToolbar()} ${this.#renderCrumbs()}
        <p class="notice" part="notice" role="status" aria-live="polite">${this.#notice}</p>
        ${this.#renderContent()}
      </div>
      ${this.#announcer.region()}
    </div>`;
  }

  #renderLocations() {
    const folder = this.#state.value?.folder;
    const requested = this.#state.value?.folderId ?? DEFAULT_FOLDER;
    const locations = this.#locations.value ?? [];
    const current = (location: BrowseLocation) => location.id === requested || location.id === this.#rootId || (folder?.path.some((crumb) => crumb.id === location.id) ?? false);
    const marked = locations.find(current);
    return html`<nav class="locations" aria-label=${msg('Locations')}>
      ${this.#locations.status === TaskStatus.ERROR
        ? html`<p class="state" role="alert">${msg('The locations could not be loaded.')} <button @click=${() => void this.#locations.run()}>${msg('Try again')}</button></p>`
        : html`<ul part="locations">
            ${locations.map(
              (location) => html`<li>
                <button part="location" data-location=${location.id} aria-current=${location === marked ? 'true' : 'false'} @click=${() => this.#open(location.id, true)}>
                  ${locationName(location)}
                </button>
              </li>`,
            )}
          </ul>`}
    </nav>`;
  }

  #renderToolbar() {
    const view = this.#viewMode();
    return html`<div class="toolbar" part="toolbar">
      <form class="search" part="search" role="search" @submit=${(event: Event) => this.#search(event)}>
        <input type="search" name="q" maxlength="200" aria-label=${msg('Search files and folders')} placeholder=${msg('Search')} @input=${(event: Event) => this.#searchInput(event)} />
        <button type="submit">${msg('Search')}</button>
      </form>
      <select part="sort" aria-label=${msg('Sort by')} .value=${this.#sort} @change=${(event: Event) => this.#sorted(event)} ?disabled=${Boolean(this.#query)}>
        ${SORTS.map((option) => html`<option value=${option.value} ?selected=${option.value === this.#sort}>${option.label()}</option>`)}
      </select>
      <div class="views" part="view-toggle" role="group" aria-label=${msg('View')}>
        <button class="tool" data-view="list" aria-pressed=${view === 'list' ? 'true' : 'false'} aria-label=${msg('List')} title=${msg('List')} @click=${() => this.#setView('list')}>
          <svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2"><path d="M4 6h16M4 12h16M4 18h16" /></svg>
        </button>
        <button class="tool" data-view="grid" aria-pressed=${view === 'grid' ? 'true' : 'false'} aria-label=${msg('Grid')} title=${msg('Grid')} @click=${() => this.#setView('grid')}>
          <svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2"><path d="M4 4h7v7H4zM13 4h7v7h-7zM4 13h7v7H4zM13 13h7v7h-7z" /></svg>
        </button>
      </div>
    </div>`;
  }

  #renderCrumbs() {
    const folder = this.#state.value?.folder;
    if (!folder) return nothing;
    const crumbs = this.#crumbs(folder);
    const searching = this.#query !== '';
    return html`<nav class="crumbs" aria-label=${msg('Breadcrumbs')}>
      <ol part="breadcrumbs">
        ${crumbs.map((crumb, index) => {
          const here = index === crumbs.length - 1 && !searching;
          return html`<li>
            <button part="crumb" data-crumb=${crumb.id} aria-current=${here ? 'location' : nothing} @click=${() => (here ? undefined : this.#open(crumb.id))}>${crumb.name}</button>
          </li>`;
        })}
        ${searching ? html`<li><span>${msg(str`Search: “${this.#query}”`)}</span></li>` : nothing}
      </ol>
    </nav>`;
  }

  #renderContent() {
    switch (this.#listing.status) {
      case TaskStatus.INITIAL:
      case TaskStatus.PENDING:
        return html`<div class="scroller" part="scroller"><p class="state" part="state" role="status">${this.#query ? msg('Searching…') : msg('Loading…')}</p></div>`;
      case TaskStatus.ERROR: {
        const error = this.#listing.error;
        const message = error instanceof FsError ? error.message : msg('The folder could not be loaded.');
        return html`<div class="scroller" part="scroller">
          <div class="state" part="state" role="alert">
            <p>${message}</p>
            <button @click=${() => void this.#listing.run()}>${msg('Try again')}</button>
          </div>
        </div>`;
      }
      case TaskStatus.COMPLETE:
        return this.#renderItems();
    }
  }

  #renderItems() {
    const loaded = this.#loaded;
    if (!loaded) return nothing;
    const { listing } = loaded;
    if (listing.items.length === 0) return html`<div class="scroller" part="scroller"><p class="state" part="state">${this.#emptyMessage(loaded)}</p></div>`;
    const view = this.#viewMode();
    const active = this.#keys.active;
    const config = this.#config();
    const selected = new Set(this.#selection().map((item) => item.id));
    const total = listing.nextCursor === undefined ? listing.items.length : -1;
    const multiple = Boolean(config?.multiple) && config?.mode !== 'export';
    const label = loaded.kind === 'search' ? msg(str`Results for “${loaded.query}”`) : (listing.folder?.name ?? msg('Items'));
    const lang = activeLocale();
    const renderItem = (item: BrowseItem, index: number) => {
      const selectable = config ? selections.isSelectable(item, config) : false;
      const disabled = !item.isFolder && !selectable;
      const thumbnail = item.thumbnailUrl && !this.#brokenThumbnails.has(item.id);
      return html`<div
        role="option"
        part="item"
        id="item-${index}"
        class="item ${index === active ? 'active' : ''}"
        data-id=${item.id}
        aria-selected=${selected.has(item.id) ? 'true' : 'false'}
        aria-disabled=${disabled ? 'true' : nothing}
        aria-setsize=${total}
        aria-posinset=${index + 1}
        @click=${(event: MouseEvent) => this.#clicked(event, index)}
        @dblclick=${() => this.#doubleClicked(index)}
      >
        ${multiple && selectable ? html`<span class="check" aria-hidden="true"></span>` : nothing}
        <span class="thumb">
          ${thumbnail
            ? html`<img src=${item.thumbnailUrl!} alt="" loading="lazy" decoding="async" @error=${() => this.#thumbnailFailed(item.id)} />`
            : typeIcon(item)}
        </span>
        <span class="name">${item.name}</span>
        <span class="meta modified">${formatDateTime(item.modified, lang)}</span>
        <span class="meta size">${item.isFolder ? msg('Folder') : formatBytes(item.size, lang)}</span>
      </div>`;
    };
    return html`<div class="scroller ${view}" part="scroller">
      ${keyed(
        view,
        html`<div
          role="listbox"
          part="items"
          tabindex="0"
          aria-label=${label}
          aria-multiselectable=${multiple ? 'true' : 'false'}
          aria-activedescendant="item-${active}"
          aria-busy=${this.#more ? 'true' : 'false'}
          @keydown=${this.#keys.handleKeydown}
          @focus=${() => this.#reveal(this.#keys.active)}
          @rangeChanged=${(event: RangeChangedEvent) => this.#rangeChanged(event)}
        >
          ${virtualize({ items: listing.items, renderItem, layout: view === 'grid' ? GRID_LAYOUT : LIST_LAYOUT, keyFunction: (item: BrowseItem) => item.id })}
        </div>`,
      )}
    </div>
    ${this.#more ? html`<p class="more" part="state">${msg('Loading more…')}</p>` : nothing}
    ${this.#moreFailed
      ? html`<p class="more" part="state" role="alert">${msg('More items could not be loaded.')} <button @click=${() => void this.#loadMore()}>${msg('Try again')}</button></p>`
      : nothing}`;
  }

  #emptyMessage(loaded: Loaded): string {
    if (loaded.kind === 'search') return msg(str`Nothing found for “${loaded.query}”.`);
    const accept = this.#config()?.accept ?? [];
    return accept.length > 0 ? msg(str`No files here match ${accept.join(', ')}.`) : msg('This folder is empty.');
  }

  #thumbnailFailed(id: string): void {
    this.#brokenThumbnails.add(id);
    this.requestUpdate();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fs-browser': FsBrowser;
  }
}

/** The fixed locations in the person's language; a site keeps its own title. */
function locationName(location: BrowseLocation): string {
  switch (location.kind) {
    case 'my':
      return msg('My Files');
    case 'shared':
      return msg('Shared Files');
    case 'root':
      return msg('Repository');
    default:
      return location.name;
  }
}
