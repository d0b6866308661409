import type { SortDirection, SortKey } from 'fs-picker/protocol';
import type { ItemPage, SourceItem } from '../provider.ts';

/*
 * Paging, order, name search and free names over a folder's children. WebDAV has neither paging nor
 * ordering (RFC 4918's PROPFIND answers a whole folder at once), so each page is cut from a fresh
 * Depth: 1 answer: nothing is cached between requests, which keeps every page as current as the folder
 * and every companion instance alike, at the price of re-reading a big folder for each page of it.
 */

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });
/** Without `numeric`: a prefix "1" must not match a name starting "01". */
const prefixCollator = new Intl.Collator('en', { sensitivity: 'base' });

const COMPARE: Record<SortKey, (a: SourceItem, b: SourceItem) => number> = {
  name: (a, b) => collator.compare(a.name, b.name),
  size: (a, b) => a.size - b.size,
  modified: (a, b) => Date.parse(a.modified) - Date.parse(b.modified),
};

/** Folders first, then by `sort` in `direction`; equal keys by name, so a page boundary is stable. */
export function sortItems(items: readonly SourceItem[], sort: SortKey, direction: SortDirection): SourceItem[] {
  const sign = direction === 'desc' ? -1 : 1;
  return [...items].sort((a, b) => Number(b.isFolder) - Number(a.isFolder) || sign * COMPARE[sort](a, b) || collator.compare(a.name, b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function pageOf(items: readonly SourceItem[], skip: number, max: number): ItemPage {
  return { entries: items.slice(skip, skip + max), hasMore: skip + max < items.length };
}

/** The items whose name starts with `q`, case and accents aside ("resume" finds "Résumé 2026.txt"). */
export function namesStartingWith(items: readonly SourceItem[], q: string): SourceItem[] {
  const prefix = q.trim().normalize('NFC');
  return items.filter((item) => prefixCollator.compare(item.name.normalize('NFC').slice(0, prefix.length), prefix) === 0);
}

/** "report.pdf" → "report-1.pdf": the first name not in `taken`, numbered as Alfresco's autoRename numbers them. */
export function freeName(name: string, taken: ReadonlySet<string>): string {
  const dot = name.lastIndexOf('.');
  const [stem, extension] = dot <= 0 ? [name, ''] : [name.slice(0, dot), name.slice(dot)];
  let candidate = name;
  for (let n = 1; taken.has(candidate); n++) candidate = `${stem}-${n}${extension}`;
  return candidate;
}
