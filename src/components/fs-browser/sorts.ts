import { msg } from '@lit/localize';
import type { SortDirection, SortKey } from '../../protocol/browse.ts';

/** One entry of the sort menu: its `<option>` value, what it asks the companion for, and its label. */
export interface SortOption {
  value: string;
  sort: SortKey;
  direction: SortDirection;
  label: () => string;
}

/** The sort menu, in the order shown; the first is the default. */
export const SORTS: readonly SortOption[] = [
  { value: 'name-asc', sort: 'name', direction: 'asc', label: () => msg('Name (A to Z)') },
  { value: 'name-desc', sort: 'name', direction: 'desc', label: () => msg('Name (Z to A)') },
  { value: 'modified-desc', sort: 'modified', direction: 'desc', label: () => msg('Newest first') },
  { value: 'modified-asc', sort: 'modified', direction: 'asc', label: () => msg('Oldest first') },
  { value: 'size-desc', sort: 'size', direction: 'desc', label: () => msg('Largest first') },
  { value: 'size-asc', sort: 'size', direction: 'asc', label: () => msg('Smallest first') },
];

/** The option with menu value `value`, or the default one. */
export function sortOption(value: string): SortOption {
  return SORTS.find((entry) => entry.value === value) ?? SORTS[0]!;
}
