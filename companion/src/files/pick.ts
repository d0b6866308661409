import { fileUrl, type FsBlob, matchesAccept, FsError, type PickResponse } from 'fs-picker/protocol';
import type { Grant } from '../auth/grants.ts';
import type { Companion } from '../context.ts';
import { itemIdOf } from '../providers/item-id.ts';
import type { Provider, ProviderCall, SourceItem } from '../providers/provider.ts';
import { handleTokensOf, linkHandle } from './handles.ts';
import { sourceBlob } from './link.ts';

export interface PickInput {
  itemIds: string[];
  maxFiles: number;
  accept: string[];
}

export interface PickProgress {
  /** Files taken so far. */
  found: number;
  /** Entries looked at in folders so far. */
  scanned: number;
}

/** Source calls one pick makes at a time: a pick of thousands of ids must not be thousands of parallel requests. */
export const PICK_CONCURRENCY = 4;

/**
 * The picked items themselves, read before anything is streamed so a bad id is a plain HTTP error: at
 * most `maxFiles` of them (each picked item is at least one file, or a folder; the ones past `maxFiles`
 * could only make the answer longer than it may be, and pickFiles says `truncated`), PICK_CONCURRENCY
 * at a time, in the order picked.
 */
export async function resolvePicked(provider: Provider, call: ProviderCall, { itemIds, accept, maxFiles }: PickInput): Promise<SourceItem[]> {
  const unique = [...new Set(itemIds)].slice(0, maxFiles).map((id) => itemIdOf(provider, id, 'itemIds'));
  const items = await mapInTurn(unique, PICK_CONCURRENCY, (id) => provider.stat(call, id));
  for (const item of items) {
    if (!item.isFolder && !item.isFile) throw new FsError('FS_ERR_INVALID_OPTION', `itemIds: "${item.name}" is neither a file nor a folder`, { field: 'itemIds' });
    if (item.isFile && !matchesAccept(accept, item.name, item.mimetype)) {
      throw new FsError('FS_ERR_INVALID_OPTION', `itemIds: "${item.name}" (${item.mimetype}) is not one of the accepted types: ${accept.join(', ')}`, { field: 'itemIds' });
    }
  }
  return items;
}

/**
 * Files for the picked items: files as they are, folders expanded depth first (each folder's files in
 * name order, then its subfolders), page by page (the source's largest page), filtered by `accept`, at most
 * `maxFiles` in all. Finding one more than `maxFiles` stops the walk with `truncated: true`. A file met
 * twice (picked and inside a picked folder) is taken once. Then one handle (and one fp.upload event) per file.
 */
export async function pickFiles(
  companion: Companion,
  provider: Provider,
  call: ProviderCall & { grant: Grant },
  input: PickInput,
  picked: SourceItem[],
  onProgress: (progress: PickProgress) => void = () => {},
): Promise<PickResponse> {
  const taken: Array<{ item: SourceItem; path: string | undefined }> = [];
  const seen = new Set<string>();
  let scanned = 0;
  // resolvePicked reads at most maxFiles of the picked ids; more were picked than may be answered.
  let truncated = new Set(input.itemIds).size > picked.length;

  /** Takes a file; false when it is one too many. */
  const take = (item: SourceItem, path: string | undefined): boolean => {
    if (seen.has(item.id)) return true;
    if (taken.length >= input.maxFiles) {
      truncated = true;
      return false;
    }
    seen.add(item.id);
    taken.push({ item, path });
    return true;
  };

  walk: for (const item of picked) {
    if (!item.isFolder) {
      if (!take(item, item.path)) break;
      continue;
    }
    const stack: Array<{ id: string; path: string | undefined }> = [{ id: item.id, path: item.path }];
    const visited = new Set<string>();
    while (stack.length > 0) {
      const folder = stack.pop()!;
      if (visited.has(folder.id)) continue; // secondary children can make cycles
      visited.add(folder.id);
      const subfolders: typeof stack = [];
      for (let skip = 0; ; ) {
        const page = await provider.list(call, folder.id, { skip, max: provider.maxPageSize, sort: 'name', direction: 'asc' });
        for (const entry of page.entries) {
          scanned++;
          const path = folder.path === undefined ? undefined : `${folder.path}/${entry.name}`;
          if (entry.isFolder) subfolders.push({ id: entry.id, path });
          else if (entry.isFile && matchesAccept(input.accept, entry.name, entry.mimetype) && !take(entry, path)) break walk;
        }
        onProgress({ found: taken.length, scanned });
        skip += page.entries.length;
        if (!page.hasMore || page.entries.length === 0) break;
      }
      stack.push(...subfolders.reverse());
    }
  }

  // All handles of the pick in one transaction, each with its fp.upload event (one per picked file,
  // as filepicker v2 sent one per file): the whole pick is recorded, or none of it.
  const handles = await companion.handles.createMany(taken.map(({ item }) => linkHandle(call.grant, item)));
  const blobs: FsBlob[] = taken.map(({ item, path }, index) => {
    const handle = handles[index]!.handle;
    const blob = sourceBlob(provider, item, { url: fileUrl(companion.publicUrl, handle), handle, id: index });
    return path === undefined ? blob : { ...blob, path };
  });
  return { blobs, truncated, handleTokens: handleTokensOf(handles) };
}

/** `task` over `items`, at most `limit` at a time; the results in the order of `items`. The first failure fails the whole. */
async function mapInTurn<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await task(items[index]!);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
