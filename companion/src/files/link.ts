import type { FsBlob } from 'fs-picker/protocol';
import type { Grant } from '../auth/grants.ts';
import type { Companion } from '../context.ts';
import type { Provider, SourceItem } from '../providers/provider.ts';
import type { FileHandle } from './handles.ts';

/** What a link handle points at: the source, the picking person's grant, and the item. */
export interface Link {
  provider: Provider;
  grant: Grant;
  itemId: string;
}

/** The source, grant and item behind a link handle; undefined when its owner is no longer connected. */
export async function linkOf(companion: Companion, handle: FileHandle): Promise<Link | undefined> {
  const grant = handle.grantId === undefined ? undefined : await companion.grants.get(handle.grantId);
  if (!grant || handle.itemId === undefined) return undefined;
  return { provider: companion.sources.of(handle.source), grant, itemId: handle.itemId };
}

/** The Blob of a file at a source, served at `url` through `handle`. */
export function sourceBlob(provider: Provider, item: SourceItem, { url, handle, id }: { url: string; handle: string; id: number }): FsBlob {
  return {
    url,
    filename: item.name,
    mimetype: item.mimetype,
    size: item.size,
    ...(item.path === undefined ? {} : { path: item.path }),
    client: provider.name,
    id,
    isWriteable: item.canWrite,
    handle,
    source: provider.id as FsBlob['source'],
  };
}
