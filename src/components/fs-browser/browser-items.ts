import { html, nothing } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import { msg, str } from '@lit/localize';
import { TaskStatus } from '@lit/task';
import { virtualize } from '@lit-labs/virtualizer/virtualize.js';
import { grid } from '@lit-labs/virtualizer/layouts/grid.js';
import { flow } from '@lit-labs/virtualizer/layouts/flow.js';
import type { RangeChangedEvent } from '@lit-labs/virtualizer/events.js';
import type { ViewMode } from '../../core/picker-state.ts';
import type { BrowseItem } from '../../protocol/browse.ts';
import { FsError } from '../../protocol/errors.ts';
import { activeLocale } from '../../locales/localization.ts';
import type { FolderLoader } from './folder-loader.ts';
import { renderItem, type ItemContext } from './browser-item.ts';
import { emptyMessage } from './messages.ts';

/** The list row's and grid tile's height in px: the virtualizer estimates with them before it measures. */
export const ROW_HEIGHT = 44;
export const TILE_HEIGHT = 168;

const LIST_LAYOUT = flow();
const GRID_LAYOUT = grid({ itemSize: { width: '144px', height: `${TILE_HEIGHT}px` }, gap: '8px', justify: 'start' });

/** What the item area shows and does. */
export interface ItemsView extends Pick<ItemContext, 'config' | 'brokenThumbnails' | 'clicked' | 'doubleClicked' | 'thumbnailFailed'> {
  /** What was loaded, how loading stands, and the retries. */
  loader: Pick<FolderLoader, 'status' | 'error' | 'loaded' | 'loadingMore' | 'moreFailed' | 'retry' | 'loadMore' | 'rangeChanged'>;
  /** A search is loading rather than a folder. */
  searching: boolean;
  viewMode: ViewMode;
  /** The index of the keyboard's active item. */
  active: number;
  selection: readonly BrowseItem[];
  keydown: (event: KeyboardEvent) => void;
  /** The listbox got focus. */
  focused(): void;
}

/** The item area in each of its states: loading, error, empty, or the items. */
export function renderContent(view: ItemsView) {
  const { loader } = view;
  switch (loader.status) {
    case TaskStatus.INITIAL:
    case TaskStatus.PENDING:
      return html`<div class="scroller" part="scroller" aria-busy="true"><p class="state" part="state" role="status">${view.searching ? msg('Searching…') : msg('Loading…')}</p></div>`;
    case TaskStatus.ERROR: {
      const error = loader.error;
      const message = error instanceof FsError ? error.message : msg('The folder could not be loaded.');
      return html`<div class="scroller" part="scroller">
          <div class="state" part="state" role="alert">
            <p>${message}</p>
            <button @click=${() => loader.retry()}>${msg('Try again')}</button>
          </div>
        </div>`;
    }
    case TaskStatus.COMPLETE:
      return renderItems(view);
  }
}

/**
 * The items as a virtualised listbox with one tab stop (`aria-activedescendant`), and below it the
 * state of a further page (loading, or failed with a retry).
 */
function renderItems(view: ItemsView) {
  const { loader, config } = view;
  const loaded = loader.loaded;
  if (!loaded) return nothing;
  const { listing } = loaded;
  if (listing.items.length === 0) return html`<div class="scroller" part="scroller"><p class="state" part="state">${emptyMessage(loaded, config?.accept ?? [])}</p></div>`;
  const mode = view.viewMode;
  const active = view.active;
  const multiple = Boolean(config?.multiple) && config?.mode !== 'export';
  const label = loaded.kind === 'search' ? msg(str`Results for “${loaded.query}”`) : (listing.folder?.name ?? msg('Items'));
  const context: ItemContext = {
    active,
    selected: new Set(view.selection.map((item) => item.id)),
    total: listing.nextCursor === undefined ? listing.items.length : -1,
    multiple,
    config,
    lang: activeLocale(),
    brokenThumbnails: view.brokenThumbnails,
    clicked: view.clicked,
    doubleClicked: view.doubleClicked,
    thumbnailFailed: view.thumbnailFailed,
  };
  return html`<div class="scroller ${mode}" part="scroller">
      ${keyed(
        mode,
        html`<div
          role="listbox"
          part="items"
          tabindex="0"
          aria-label=${label}
          aria-multiselectable=${multiple ? 'true' : 'false'}
          aria-activedescendant="item-${active}"
          aria-busy=${loader.loadingMore ? 'true' : 'false'}
          @keydown=${view.keydown}
          @focus=${() => view.focused()}
          @rangeChanged=${(event: RangeChangedEvent) => loader.rangeChanged(event.last)}
        >
          ${virtualize({ items: listing.items, renderItem: (item: BrowseItem, index: number) => renderItem(item, index, context), layout: mode === 'grid' ? GRID_LAYOUT : LIST_LAYOUT, keyFunction: (item: BrowseItem) => item.id })}
        </div>`,
      )}
    </div>
    ${loader.loadingMore ? html`<p class="more" part="state">${msg('Loading more…')}</p>` : nothing}
    ${loader.moreFailed
      ? html`<p class="more" part="state" role="alert">${msg('More items could not be loaded.')} <button @click=${() => void loader.loadMore()}>${msg('Try again')}</button></p>`
      : nothing}`;
}
