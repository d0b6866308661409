import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { ContextConsumer } from '@lit/context';
import { msg, str } from '@lit/localize';
import { initialState, Task, TaskStatus } from '@lit/task';
import { listLocations } from '../../api/transport/browse.ts';
import type { CompanionClient } from '../../api/transport/client.ts';
import { Announcer } from '../../controllers/announcer.ts';
import { clientContext } from '../../controllers/context.ts';
import { KeyboardGrid } from '../../controllers/keyboard-grid.ts';
import { StoreController } from '../../controllers/store-controller.ts';
import { dropLostConnection } from '../../controllers/popup-auth.ts';
import { navigated, type PickerState, type ViewMode } from '../../core/picker-state.ts';
import { FsErrorEvent } from '../../events/fs-error.ts';
import { FsNavigateEvent } from '../../events/fs-navigate.ts';
import { FsSelectionChangeEvent } from '../../events/fs-selection-change.ts';
import type { BrowseItem } from '../../protocol/browse.ts';
import { FsError } from '../../protocol/errors.ts';
import { REPOSITORY_NAMES, type RepositoryId } from '../../protocol/services.ts';
import { baseStyles } from '../../styles/tokens.ts';
import { browserStyles } from './fs-browser.styles.ts';
import { CrumbsStart, renderCrumbs } from './browser-crumbs.ts';
import { renderContent } from './browser-items.ts';
import { renderLocations } from './browser-locations.ts';
import { renderToolbar } from './browser-toolbar.ts';
import { DEFAULT_FOLDER, FolderLoader, type Loaded } from './folder-loader.ts';
import { BrowseQuery } from './browse-query.ts';
import { ItemArea } from './item-area.ts';
import { ItemSelection } from './item-selection.ts';
import { emptyMessage } from './messages.ts';

export { BROWSE_PAGE_SIZE, MORE_PAGE_SIZE } from './folder-loader.ts';

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
    columns: () => this.#area.columns(this.#viewMode() === 'grid'),
    rowsPerPage: () => this.#area.rowsPerPage(this.#viewMode() === 'grid'),
    isRtl: () => getComputedStyle(this).direction === 'rtl',
    names: () => this.#items().map((item) => item.name),
    moved: (index, extend) => {
      this.#area.reveal(index);
      this.#picking.moved(index, extend);
    },
    open: (index) => this.#enter(index),
    toggle: (index) => this.#picking.toggle(index),
    parent: () => this.#openParent(),
    selectAll: () => this.#picking.selectAll(),
  });

  readonly #query = new BrowseQuery(this, () => this.#picking.clearNotice());
  readonly #crumbsStart = new CrumbsStart();
  #navigatedTo: string | undefined;
  /** The listbox had the focus when another folder was opened: the new one gets it once shown. */
  #refocus = false;
  readonly #brokenThumbnails = new Set<string>();
  readonly #area = new ItemArea(this);

  readonly #locations = new Task(this, {
    task: async ([client, session], { signal }) => (client && session ? listLocations(client, { source: this.#source(), session, signal }) : initialState),
    args: () => [this.client, this.#session()] as const,
    onError: (error) => this.#failed(error),
  });

  readonly #loader = new FolderLoader(this, {
    client: () => this.client,
    source: () => this.#source(),
    session: () => this.#session(),
    folderId: () => this.#state.value?.folderId ?? DEFAULT_FOLDER,
    sort: () => this.#query.sort,
    accept: () => this.#state.value?.config.accept ?? [],
    query: () => this.#query.search,
    folder: () => this.#state.value?.folder,
    // Said in the region that is always there: a status born with its text is not read out.
    loading: (search) => this.#announcer.announce(search ? msg('Searching…') : msg('Loading…')),
    shown: (loaded) => this.#shown(loaded),
    grew: (count) => this.#announcer.announce(msg(str`Loaded ${count} items`)),
    failed: (error) => this.#failed(error),
  });

  readonly #picking = new ItemSelection(this, {
    items: () => this.#items(),
    config: () => this.#config(),
    selection: () => this.#selection(),
    select: (selection) => this.#select(selection),
    open: (id) => this.#open(id),
    activate: (index) => this.#keys.setActive(index),
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

  #source(): RepositoryId {
    return this.#state.value?.repository ?? 'ALFRESCO';
  }

  #config() {
    return this.#state.value?.config;
  }

  #viewMode(): ViewMode {
    return this.#state.value?.viewMode ?? 'list';
  }

  #items(): BrowseItem[] {
    return this.#loader.items;
  }

  #selection(): BrowseItem[] {
    return this.#state.value?.selection ?? [];
  }

  // ---- loading ----

  /** A folder's or search's first page is in: reset the keyboard, store the folder, fire and announce. */
  #shown(loaded: Loaded): void {
    this.#keys.setActive(0);
    this.#picking.resetAnchor();
    const { listing } = loaded;
    const count = listing.items.length;
    if (loaded.kind === 'folder' && listing.folder) {
      const folder = listing.folder;
      this.#crumbsStart.arrived(loaded.request.folderId, folder, this.#locations.value ?? []);
      this.#state.store?.setState({ folder });
      if (this.#navigatedTo !== folder.id) {
        this.#navigatedTo = folder.id;
        this.dispatchEvent(new FsNavigateEvent({ folderId: folder.id, name: folder.name, path: folder.path }));
      }
      this.#announcer.announce(count === 0 ? emptyMessage(loaded, this.#config()?.accept ?? []) : count === 1 ? msg('Loaded 1 item') : msg(str`Loaded ${count} items`));
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

  // ---- navigation ----

  /** Shows folder `id`; `fromLocation` makes it the start of the breadcrumbs. */
  #open(id: string, fromLocation = false): void {
    this.#refocus = this.#area.focused();
    if (fromLocation) this.#crumbsStart.reset();
    this.#query.clear();
    this.#picking.clearNotice();
    this.#state.store?.setState((state) => navigated(state, id));
    this.requestUpdate();
  }

  #openParent(): void {
    if (this.#query.search) return this.#query.clear();
    const folder = this.#state.value?.folder;
    if (!folder || this.#loader.status !== TaskStatus.COMPLETE) return;
    const crumbs = this.#crumbsStart.crumbs(folder, this.#locations.value ?? []);
    const parent = crumbs[crumbs.length - 2];
    if (parent) this.#open(parent.id);
  }

  #enter(index: number): void {
    const item = this.#items()[index];
    if (!item) return;
    if (item.isFolder) this.#open(item.id);
    else this.#picking.toggle(index);
  }

  // ---- selection ----

  /** Stores a changed selection, announces it and fires `fs-selection-change`. */
  #select(selection: BrowseItem[]): void {
    this.#state.store?.setState({ selection });
    const count = selection.length;
    this.#announcer.announce(count === 0 ? msg('Nothing selected') : msg(str`${count} selected`));
    this.dispatchEvent(new FsSelectionChangeEvent({ selection }));
  }

  // ---- view ----

  #setView(viewMode: ViewMode): void {
    this.#state.store?.setState({ viewMode });
  }

  #thumbnailFailed(id: string): void {
    this.#brokenThumbnails.add(id);
    this.requestUpdate();
  }

  // ---- rendering ----

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    this.#area.attachVirtualizer();
    if (this.#refocus && this.#loader.status === TaskStatus.COMPLETE) {
      const listbox = this.#area.listbox();
      if (listbox) {
        this.#refocus = false;
        listbox.focus();
      }
    }
  }

  protected override render() {
    if (!this.#session()) return html`<p class="state" part="state">${msg(str`Connect to ${REPOSITORY_NAMES[this.#source()]} to browse your files.`)}</p>`;
    return html`<div class="layout">
      ${this.#renderLocations()}
      <div class="main">
        ${this.#renderToolbar()} ${this.#renderCrumbs()}
        <p class="notice" part="notice" role="status" aria-live="polite">${this.#picking.notice}</p>
        ${this.#renderContent()}
      </div>
      ${this.#announcer.region()}
    </div>`;
  }

  #renderLocations() {
    return renderLocations({
      status: this.#locations.status,
      locations: this.#locations.value ?? [],
      requestedId: this.#state.value?.folderId ?? DEFAULT_FOLDER,
      rootId: this.#crumbsStart.id,
      folder: this.#state.value?.folder,
      retry: () => void this.#locations.run(),
      open: (id) => this.#open(id, true),
    });
  }

  #renderToolbar() {
    return renderToolbar({
      viewMode: this.#viewMode(),
      sort: this.#query.sort,
      searching: Boolean(this.#query.search),
      search: (event) => this.#query.submitted(event),
      searchInput: (event) => this.#query.input(event),
      sorted: (event) => this.#query.sorted(event),
      setView: (viewMode) => this.#setView(viewMode),
    });
  }

  #renderCrumbs() {
    const folder = this.#state.value?.folder;
    if (!folder) return nothing;
    return renderCrumbs({ crumbs: this.#crumbsStart.crumbs(folder, this.#locations.value ?? []), query: this.#query.search, open: (id) => this.#open(id) });
  }

  #renderContent() {
    return renderContent({
      loader: this.#loader,
      searching: Boolean(this.#query.search),
      viewMode: this.#viewMode(),
      active: this.#keys.active,
      config: this.#config(),
      selection: this.#selection(),
      brokenThumbnails: this.#brokenThumbnails,
      keydown: this.#keys.handleKeydown,
      focused: () => this.#area.reveal(this.#keys.active),
      clicked: (event, index) => this.#picking.clicked(event, index),
      doubleClicked: (index) => this.#picking.doubleClicked(index),
      thumbnailFailed: (id) => this.#thumbnailFailed(id),
    });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fs-browser': FsBrowser;
  }
}
