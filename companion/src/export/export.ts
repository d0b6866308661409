import { fileUrl, type FsBlob, FsError, type ConflictMode } from 'fs-picker/protocol';
import type { Grant } from '../auth/grants.ts';
import type { Companion } from '../context.ts';
import { handleTokensOf, linkHandle } from '../files/handles.ts';
import { sourceBlob } from '../files/link.ts';
import { itemIdOf } from '../providers/item-id.ts';
import type { NewContent, SourceItem } from '../providers/provider.ts';
import { exportEvent } from '../webhooks/events.ts';

/** A source to export: what the upload reads, and what to do with the rest of it when the upload fails. */
export interface ExportSource extends NewContent {
  /** Destroys the stream by default; a request body is drained instead, so the error answer still reaches the page. */
  discard?: () => void;
}

export interface ExportTarget {
  folderId: string;
  filename: string;
  conflict: ConflictMode;
  /** What was exported, for the `fp.export` webhook's `text.source`: the input's URL ('' for bytes sent by the page). */
  sourceUrl: string;
}

/**
 * Saves a file into a folder of the grant's source as the person behind `grant` and returns its Blob.
 *
 * Everything that can be refused is checked before `open` is called (so a URL is not fetched, nor a body
 * read, for nothing): the folder exists, is a folder and the person may create in it; under `fail` the
 * name is free; under `replace` the existing item is a file the person may update. Then the content is
 * streamed in with `open()`'s stream. A race (someone takes the name between the check and the upload)
 * still ends as 409 from the source. The new file gets a handle like a picked one (a link read with this
 * grant) and, in the same transaction, the `fp.export` webhook event; if that fails, a newly created node
 * is deleted again so nothing half-done stays behind.
 */
export async function exportFile(companion: Companion, grant: Grant, target: ExportTarget, open: () => Promise<ExportSource>): Promise<{ blob: FsBlob; handleTokens: Record<string, string> }> {
  const provider = companion.sources.of(grant.source);
  const call = { grant };
  const folder = await provider.stat(call, itemIdOf(provider, target.folderId, 'folderId'));
  if (!folder.isFolder) throw new FsError('FS_ERR_INVALID_OPTION', `folderId: "${folder.name}" is not a folder.`, { field: 'folderId' });
  if (!folder.canWrite) throw new FsError('FS_ERR_FORBIDDEN', `You may not save files in "${folder.name}". Choose another folder.`, { field: 'folderId' });

  const existing = target.conflict === 'rename' ? undefined : await provider.childNamed(call, folder.id, target.filename);
  if (existing && target.conflict === 'fail') {
    throw new FsError('FS_ERR_CONFLICT', `A ${existing.isFolder ? 'folder' : 'file'} named "${existing.name}" already exists in "${folder.name}".`, { field: 'filename' });
  }
  if (existing?.isFolder) throw new FsError('FS_ERR_CONFLICT', `"${existing.name}" in "${folder.name}" is a folder; a file cannot replace it.`, { field: 'filename' });
  if (existing && !existing.canWrite) throw new FsError('FS_ERR_FORBIDDEN', `You may not change "${existing.name}" in "${folder.name}".`, { field: 'filename' });

  const source = await open();
  let item: SourceItem;
  try {
    item = existing
      ? await provider.writeVersion(call, existing.id, { ...source, filename: existing.name })
      : await provider.create(call, folder.id, { ...source, filename: target.filename }, { autoRename: target.conflict === 'rename' });
  } catch (error) {
    (source.discard ?? (() => source.stream.destroy()))();
    throw error;
  }

  try {
    const event = ({ handle }: { handle: string }) =>
      exportEvent({ source: target.sourceUrl, client: provider.name, filename: item.name, created: new Date(item.modified), url: fileUrl(companion.publicUrl, handle) });
    const handle = await companion.handles.create(linkHandle(grant, item), { event });
    return { blob: sourceBlob(provider, item, { url: fileUrl(companion.publicUrl, handle.handle), handle: handle.handle, id: 0 }), handleTokens: handleTokensOf([handle]) };
  } catch (error) {
    // Best effort: the failure that led here is what the caller reports.
    if (!existing) await provider.remove(call, item.id).catch(() => undefined);
    throw error;
  }
}
