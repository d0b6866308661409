import * as v from 'valibot';
import { FsError } from 'fs-picker/protocol';
import type { Companion } from '../context.ts';
import type { ItemPage, SourceItem } from '../providers/provider.ts';
import { Signer } from './signing.ts';

/** One upstream page: entries from `skip` on, and whether the source has more after them. */
export type FetchPage = (skip: number, max: number) => Promise<ItemPage>;

/**
 * How many upstream pages one request may read while looking for matches (up to 1,000 entries each). A page
 * is filled unless a folder holds more than this many non-matching entries in a row; then the page comes
 * back short, with a cursor that carries on where the scan stopped, rather than holding the request.
 */
export const MAX_UPSTREAM_CALLS = 50;

export interface FilledPage {
  items: SourceItem[];
  /** Upstream position of the next entry to show; undefined when the list has ended. */
  next: number | undefined;
  upstreamCalls: number;
}

/**
 * Fills one page of `pageSize` entries that pass `keep`, reading upstream pages from `start` for as long
 * as it takes, and gives the cursor position of the next page, if there is one.
 *
 * Without a filter every entry is shown: it asks upstream for exactly the page, and upstream's
 * `hasMore` says whether a next page exists. With one, matches may be rare: it reads big pages (up
 * to the source's `maxPageSize`) and, when the page is full, reads on to the next entry that passes, so `next`
 * points at a real match: a cursor is only given when there is something to show, and never leads to an
 * empty page.
 */
export async function fillPage(
  fetchPage: FetchPage,
  { start, pageSize, maxPageSize }: { start: number; pageSize: number; maxPageSize: number },
  keep: (item: SourceItem) => boolean,
  filtering: boolean,
): Promise<FilledPage> {
  const items: SourceItem[] = [];
  let skip = start;
  let calls = 0;
  for (;;) {
    if (calls >= MAX_UPSTREAM_CALLS) return { items, next: skip, upstreamCalls: calls };
    const wanted = filtering ? (calls === 0 ? Math.max(100, 2 * pageSize) : maxPageSize) : pageSize - items.length;
    const { entries, hasMore } = await fetchPage(skip, Math.min(maxPageSize, wanted));
    calls++;
    for (const [index, item] of entries.entries()) {
      if (!keep(item)) continue;
      if (items.length === pageSize) return { items, next: skip + index, upstreamCalls: calls };
      items.push(item);
    }
    skip += entries.length;
    if (!hasMore || entries.length === 0) return { items, next: undefined, upstreamCalls: calls };
    if (!filtering && items.length === pageSize) return { items, next: skip, upstreamCalls: calls };
  }
}

/** What a cursor is bound to: the same listing (or search), order and filter. */
export interface CursorScope {
  kind: 'folder' | 'search';
  target: string;
  sort: string;
  accept: readonly string[];
  grantId: string;
}

const CursorPayload = v.object({ v: v.literal(1), o: v.pipe(v.number(), v.integer(), v.minValue(0)), h: v.string() });

const signers = new WeakMap<Companion, Signer>();
function signerOf(companion: Companion): Signer {
  let signer = signers.get(companion);
  if (!signer) signers.set(companion, (signer = new Signer(companion.config.encryptionKey, 'cursor')));
  return signer;
}

const scopeKey = (scope: CursorScope) => JSON.stringify([scope.kind, scope.target, scope.sort, scope.accept, scope.grantId]);

/**
 * Cursors are `base64url(JSON {v, o: upstream offset, h: scope signature}).signature`: opaque to the
 * browser, signed so a tampered one is refused, and bound to the listing, sort, filter and person they
 * were made for (a cursor of another folder or order is a 400, not a wrong page).
 */
export function encodeCursor(companion: Companion, scope: CursorScope, offset: number): string {
  const signer = signerOf(companion);
  const body = Buffer.from(JSON.stringify({ v: 1, o: offset, h: signer.sign('scope', scopeKey(scope)).slice(0, 16) })).toString('base64url');
  return `${body}.${signer.sign('cursor', body)}`;
}

export function decodeCursor(companion: Companion, scope: CursorScope, cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const signer = signerOf(companion);
  const bad = (why: string) => new FsError('FS_ERR_INVALID_REQUEST', `cursor ${why}; start again from the first page.`, { field: 'cursor' });
  const [body, signature, ...rest] = cursor.split('.');
  if (!body || !signature || rest.length > 0 || !signer.verify(signature, 'cursor', body)) throw bad('is not one this companion gave out');
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    throw bad('is not one this companion gave out');
  }
  const parsed = v.safeParse(CursorPayload, payload);
  if (!parsed.success) throw bad('is not one this companion gave out');
  if (parsed.output.h !== signer.sign('scope', scopeKey(scope)).slice(0, 16)) throw bad('belongs to another listing, order or filter');
  return parsed.output.o;
}
