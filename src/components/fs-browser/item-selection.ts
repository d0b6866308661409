import type { ReactiveControllerHost } from 'lit';
import type { PickerConfig } from '../../core/picker-state.ts';
import * as selections from '../../core/selection.ts';
import type { BrowseItem } from '../../protocol/browse.ts';
import { refusalMessage } from './messages.ts';

/** What the selection reads from its host, and what it asks of it. */
export interface ItemSelectionOptions {
  /** The items shown, in order. */
  items(): BrowseItem[];
  config(): PickerConfig | undefined;
  /** The current selection (the store's). */
  selection(): BrowseItem[];
  /** The selection becomes `selection`: the host stores it, announces it and fires the event. */
  select(selection: BrowseItem[]): void;
  /** A folder that cannot be chosen opens on a click. */
  open(id: string): void;
  /** A click makes the item active for the keyboard. */
  activate(index: number): void;
}

/**
 * What clicks and keys do to the selection: select one, toggle (Ctrl/Cmd, the check box, Space),
 * extend from the anchor (Shift), select all; and the notice that says why a change was refused.
 * In export mode files are shown but not chosen.
 */
export class ItemSelection {
  /** Where a Shift range starts: the last item clicked, toggled or moved to without Shift. */
  #anchor = 0;
  #notice = '';

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: ItemSelectionOptions,
  ) {}

  /** Why the last change was refused; '' when it was not. */
  get notice(): string {
    return this.#notice;
  }

  clearNotice(): void {
    this.#notice = '';
  }

  /** A new folder or search: ranges start at its first item. */
  resetAnchor(): void {
    this.#anchor = 0;
  }

  /** The keyboard moved to `index`; with Shift (`extend`) the range from the anchor is selected. */
  moved(index: number, extend: boolean): void {
    const config = this.options.config();
    if (extend && config && config.mode !== 'export') this.#apply(selections.selectRange(this.options.selection(), this.options.items(), this.#anchor, index, config));
    else this.#anchor = index;
  }

  toggle(index: number): void {
    const item = this.options.items()[index];
    const config = this.options.config();
    if (!item || !config) return;
    this.#anchor = index;
    this.#apply(selections.toggle(this.options.selection(), item, config));
  }

  selectAll(): void {
    const config = this.options.config();
    if (config) this.#apply(selections.selectAll(this.options.selection(), this.options.items(), config));
  }

  clicked(event: MouseEvent, index: number): void {
    const item = this.options.items()[index];
    const config = this.options.config();
    if (!item || !config) return;
    this.options.activate(index);
    const check = (event.target as Element).closest('.check');
    if (event.shiftKey && config.mode !== 'export') {
      this.#apply(selections.selectRange(this.options.selection(), this.options.items(), this.#anchor, index, config));
      return;
    }
    if (event.ctrlKey || event.metaKey || check) return this.toggle(index);
    this.#anchor = index;
    if (item.isFolder && !selections.isSelectable(item, config)) return this.options.open(item.id);
    if (config.mode === 'export') return;
    this.#apply(selections.selectOnly(this.options.selection(), item, config));
  }

  doubleClicked(index: number): void {
    const item = this.options.items()[index];
    const config = this.options.config();
    if (!item || !config) return;
    if (item.isFolder) return this.options.open(item.id);
    if (config.mode !== 'export') this.#apply(selections.add(this.options.selection(), item, config));
  }

  #apply(result: selections.SelectionResult): void {
    if (result.refused) {
      this.#notice = refusalMessage(result.refused, this.options.config()?.mode);
      this.host.requestUpdate();
      return;
    }
    this.#notice = '';
    if (result.selection === this.options.selection()) return this.host.requestUpdate();
    this.options.select(result.selection);
  }
}
