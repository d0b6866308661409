import type { BrowseItem, FolderInfo } from '../protocol/browse.ts';

/** Items asked for first: a few screenfuls, small enough to answer fast. */
export const BROWSE_PAGE_SIZE = 100;
/**
 * Items asked for each time the person scrolls near the end: larger, because reaching the end of a
 * 10,000-item folder 100 at a time took 100 round trips (bench:folder).
 */
export const MORE_PAGE_SIZE = 500;

/**
 * A folder listing or search results built up page by page. Pages come with the cursor they were asked
 * for; a page for any other cursor (a late answer, or one asked twice) is ignored, so pages never
 * repeat or land in the wrong listing.
 */
export interface Listing {
  /** The folder shown; for search results, the folder searched in (null when unknown). */
  folder: FolderInfo | null;
  items: BrowseItem[];
  /** The cursor of the next page; undefined when everything is loaded. */
  nextCursor: string | undefined;
}

export interface Page {
  items: BrowseItem[];
  nextCursor?: string | undefined;
}

export function startListing(page: Page, folder: FolderInfo | null): Listing {
  return { folder, items: dedupe([], page.items), nextCursor: page.nextCursor };
}

/** Appends the page that was asked for with `cursor`; any other page leaves the listing as it is. */
export function appendPage(listing: Listing, cursor: string, page: Page): Listing {
  if (listing.nextCursor === undefined || listing.nextCursor !== cursor) return listing;
  return { ...listing, items: dedupe(listing.items, page.items), nextCursor: page.nextCursor };
}

/** Whether the next page should load: there is one, and the last visible item is within `margin` of the end. */
export function wantsMore(listing: Listing, lastVisible: number, margin = 40): boolean {
  return listing.nextCursor !== undefined && lastVisible >= listing.items.length - 1 - margin;
}

function dedupe(existing: BrowseItem[], incoming: BrowseItem[]): BrowseItem[] {
  const seen = new Set(existing.map((item) => item.id));
  const added = incoming.filter((item) => (seen.has(item.id) ? false : (seen.add(item.id), true)));
  return added.length === 0 ? existing : [...existing, ...added];
}
