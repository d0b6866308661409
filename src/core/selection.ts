import type { BrowseItem } from '../protocol/browse.ts';
import type { PickerConfig } from './picker-state.ts';

/**
 * Selection in the folder browser: pure functions over (selection, items, config). Each returns the next
 * selection, or the unchanged selection with the reason it was refused; the view words the reason.
 * The selection is kept across folders: functions that work on "the items" (ranges, select all) only
 * touch the items of the folder being shown and leave the others selected.
 */

export type SelectionConfig = Pick<PickerConfig, 'mode' | 'multiple' | 'maxFiles' | 'maxSize' | 'folders'>;

/** Why a selection was refused. */
export type Refusal =
  | { kind: 'max-files'; limit: number }
  | { kind: 'file-too-large'; name: string; limit: number }
  | { kind: 'total-too-large'; limit: number }
  | { kind: 'not-selectable'; name: string };

export interface SelectionResult {
  selection: BrowseItem[];
  /** Set when the change was refused; `selection` is then the one passed in. */
  refused?: Refusal;
}

/** Whether the person may select `item` at all: never in export mode, folders only when allowed. */
export function isSelectable(item: BrowseItem, config: SelectionConfig): boolean {
  if (config.mode === 'export') return false;
  return item.isFolder ? config.folders : true;
}

export function isSelected(selection: readonly BrowseItem[], item: BrowseItem): boolean {
  return selection.some((selected) => selected.id === item.id);
}

/** Why `next` breaks the limits, if it does. */
export function checkLimits(next: readonly BrowseItem[], config: SelectionConfig): Refusal | undefined {
  const limit = config.multiple ? config.maxFiles : 1;
  if (limit > 0 && next.length > limit) return { kind: 'max-files', limit };
  if (config.maxSize > 0) {
    const large = next.find((item) => !item.isFolder && item.size > config.maxSize);
    if (large) return { kind: 'file-too-large', name: large.name, limit: config.maxSize };
    const total = next.reduce((sum, item) => sum + (item.isFolder ? 0 : item.size), 0);
    if (total > config.maxSize) return { kind: 'total-too-large', limit: config.maxSize };
  }
  return undefined;
}

function attempt(current: BrowseItem[], next: BrowseItem[], config: SelectionConfig): SelectionResult {
  const refused = checkLimits(next, config);
  return refused ? { selection: current, refused } : { selection: next };
}

function refuseUnselectable(current: BrowseItem[], item: BrowseItem): SelectionResult {
  return { selection: current, refused: { kind: 'not-selectable', name: item.name } };
}

/** A plain click: `item` alone is selected (items from other folders are let go as well). */
export function selectOnly(current: BrowseItem[], item: BrowseItem, config: SelectionConfig): SelectionResult {
  if (!isSelectable(item, config)) return refuseUnselectable(current, item);
  return attempt(current, [item], config);
}

/**
 * Ctrl/Cmd-click and Space: `item` in or out. With single selection, selecting replaces what was
 * selected before.
 */
export function toggle(current: BrowseItem[], item: BrowseItem, config: SelectionConfig): SelectionResult {
  if (isSelected(current, item)) return { selection: current.filter((selected) => selected.id !== item.id) };
  if (!isSelectable(item, config)) return refuseUnselectable(current, item);
  return attempt(current, config.multiple ? [...current, item] : [item], config);
}

/** Adds `item` unless it is already selected (opening a file with Enter or a double click). */
export function add(current: BrowseItem[], item: BrowseItem, config: SelectionConfig): SelectionResult {
  if (isSelected(current, item)) return { selection: current };
  return toggle(current, item, config);
}

/**
 * Shift-click and Shift+arrow: the selectable items from `anchor` to `target` (indexes into `items`)
 * become the folder's selection; what is selected in other folders stays.
 */
export function selectRange(current: BrowseItem[], items: readonly BrowseItem[], anchor: number, target: number, config: SelectionConfig): SelectionResult {
  const end = items[target];
  if (!end) return { selection: current };
  if (!config.multiple) return selectOnly(current, end, config);
  const [from, to] = anchor <= target ? [Math.max(0, anchor), target] : [target, Math.min(anchor, items.length - 1)];
  const range = items.slice(from, to + 1).filter((item) => isSelectable(item, config));
  const here = new Set(items.map((item) => item.id));
  const elsewhere = current.filter((item) => !here.has(item.id));
  return attempt(current, [...elsewhere, ...range], config);
}

/** Ctrl/Cmd+A: every file of the folder (what is loaded) joins the selection. */
export function selectAll(current: BrowseItem[], items: readonly BrowseItem[], config: SelectionConfig): SelectionResult {
  const files = items.filter((item) => !item.isFolder && isSelectable(item, config) && !isSelected(current, item));
  if (files.length === 0) return { selection: current };
  return attempt(current, [...current, ...files], config);
}

/** Total bytes of the selected files. */
export function totalSize(selection: readonly BrowseItem[]): number {
  return selection.reduce((sum, item) => sum + (item.isFolder ? 0 : item.size), 0);
}
