import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { createTypeAhead } from '../core/type-ahead.ts';

export interface KeyboardGridOptions {
  /** How many items there are. */
  count(): number;
  /** Items per row: 1 in a list. */
  columns(): number;
  /** Rows that fit in the viewport, for PageUp/PageDown. */
  rowsPerPage(): number;
  /** Right-to-left: Left and Right swap. */
  isRtl(): boolean;
  /** The items' names, for type-ahead. */
  names(): readonly string[];
  /** The active item moved to `index` (the host renders it and scrolls it into view); `extend` is Shift held. */
  moved(index: number, extend: boolean): void;
  /** Enter on the active item. */
  open(index: number): void;
  /** Space on the active item. */
  toggle(index: number): void;
  /** Backspace or Alt+Up. */
  parent(): void;
  /** Ctrl/Cmd+A. */
  selectAll(): void;
}

/**
 * Keyboard behaviour of a one-tab-stop list or grid (used with `aria-activedescendant`): arrows (Left
 * and Right mirrored in right-to-left), Home/End, PageUp/PageDown, type-ahead, Enter, Space, Backspace,
 * Alt+Up and Ctrl/Cmd+A. It keeps the active index; the host wires `keydown` to `handleKeydown` and
 * renders the active item. Escape is left alone (the dialog closes on it).
 */
export class KeyboardGrid implements ReactiveController {
  #active = 0;
  readonly #typeAhead = createTypeAhead();

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: KeyboardGridOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  /** The active item's index (clamped to the items there are; 0 when there are none). */
  get active(): number {
    return Math.max(0, Math.min(this.#active, this.options.count() - 1));
  }

  /** Makes `index` active without telling the host (e.g. after a click, or 0 in a new folder). */
  setActive(index: number): void {
    this.#active = Math.max(0, index);
    this.#typeAhead.reset();
    this.host.requestUpdate();
  }

  readonly handleKeydown = (event: KeyboardEvent): void => {
    const count = this.options.count();
    const { key } = event;
    const command = event.ctrlKey || event.metaKey;
    if (key === 'Escape' || (count === 0 && key !== 'Backspace' && !(event.altKey && key === 'ArrowUp'))) return;
    const columns = Math.max(1, this.options.columns());
    const active = this.active;
    const forward = this.options.isRtl() ? -1 : 1;
    let target: number | undefined;

    if (event.altKey && key === 'ArrowUp') {
      this.options.parent();
    } else if (key === 'Backspace') {
      this.options.parent();
    } else if (command && key.toLowerCase() === 'a') {
      this.options.selectAll();
    } else if (key === 'ArrowDown') {
      target = active + columns;
    } else if (key === 'ArrowUp') {
      target = active - columns;
    } else if (key === 'ArrowRight' && columns > 1) {
      target = active + forward;
    } else if (key === 'ArrowLeft' && columns > 1) {
      target = active - forward;
    } else if (key === 'Home') {
      target = 0;
    } else if (key === 'End') {
      target = count - 1;
    } else if (key === 'PageDown') {
      target = active + columns * Math.max(1, this.options.rowsPerPage() - 1);
    } else if (key === 'PageUp') {
      target = active - columns * Math.max(1, this.options.rowsPerPage() - 1);
    } else if (key === 'Enter') {
      this.options.open(active);
    } else if (key === ' ' && !this.#typeAhead.typing(event.timeStamp)) {
      this.options.toggle(active);
    } else if (key.length === 1 && !command && !event.altKey) {
      const found = this.#typeAhead.type(key, this.options.names(), active, event.timeStamp);
      if (found >= 0) this.#move(found, false);
    } else {
      return;
    }
    event.preventDefault();
    if (target !== undefined) this.#move(Math.max(0, Math.min(count - 1, target)), event.shiftKey);
  };

  #move(index: number, extend: boolean): void {
    this.#active = index;
    this.host.requestUpdate();
    this.options.moved(index, extend);
  }
}
