import { virtualizerRef, type VirtualizerHostElement } from '@lit-labs/virtualizer/virtualize.js';
import { ROW_HEIGHT, TILE_HEIGHT } from './browser-items.ts';

/**
 * The rendered item area in the host's shadow root: what the keyboard needs to know of its layout,
 * scrolling an item into view, its focus, and the virtualizer's scrolling ancestor.
 */
export class ItemArea {
  readonly #attached = new WeakSet<Element>();

  constructor(private readonly host: { readonly renderRoot: HTMLElement | DocumentFragment }) {}

  listbox(): (HTMLElement & VirtualizerHostElement) | null {
    return this.host.renderRoot.querySelector<HTMLElement & VirtualizerHostElement>('[role="listbox"]');
  }

  #scroller(): HTMLElement | null {
    return this.host.renderRoot.querySelector<HTMLElement>('.scroller');
  }

  /** Items per row: 1 in the list; in the grid, the rendered tiles that share the first one's top. */
  columns(grid: boolean): number {
    if (!grid) return 1;
    const tiles = [...this.host.renderRoot.querySelectorAll<HTMLElement>('[role="option"]')];
    const tops = tiles.map((tile) => Math.round(tile.getBoundingClientRect().top));
    const first = Math.min(...tops);
    return Math.max(1, tops.filter((top) => Math.abs(top - first) < 2).length);
  }

  /** Rows that fit in the scroller, for PageUp/PageDown. */
  rowsPerPage(grid: boolean): number {
    return Math.max(1, Math.floor((this.#scroller()?.clientHeight ?? 0) / (grid ? TILE_HEIGHT : ROW_HEIGHT)));
  }

  /** Scrolls item `index` into view, which also makes the virtualizer render it. */
  reveal(index: number): void {
    const listbox = this.listbox();
    const option = this.host.renderRoot.querySelector<HTMLElement>(`#item-${index}`);
    if (option) option.scrollIntoView({ block: 'nearest' });
    else listbox?.[virtualizerRef]?.element(index)?.scrollIntoView({ block: 'nearest' });
  }

  /** The listbox has the focus. */
  focused(): boolean {
    const listbox = this.listbox();
    const root = this.host.renderRoot;
    return listbox !== null && root instanceof ShadowRoot && root.activeElement === listbox;
  }

  /**
   * The virtualize directive connects its virtualizer while lit still holds the new listbox in a
   * detached fragment, so it finds no scrolling ancestor and follows the window instead. Once the
   * listbox is in the document, connect it again so it follows `.scroller`.
   */
  attachVirtualizer(): void {
    const listbox = this.listbox();
    if (!listbox || this.#attached.has(listbox) || !listbox.isConnected) return;
    const virtualizer = listbox[virtualizerRef];
    if (!virtualizer) return;
    this.#attached.add(listbox);
    virtualizer.disconnected();
    virtualizer.connected();
  }
}
