import { fileUrl, type FsBlob, FsError, type ConflictMode } from 'fs-picker/protocol';
import type { Grant } from '../auth/grants.ts';
import type { Companion } from '../context.ts';
import { linkHandle } from '../files/handles.ts';
import { canWrite, displayPath, mimetypeOf, toBlob, type AlfrescoNode } from '../providers/alfresco/adapter.ts';
import { CORE_PATH } from '../providers/alfresco/client.ts';
import * as alfresco from '../providers/alfresco/index.ts';
import { exportEvent } from '../webhooks/events.ts';
import { createFile, deleteNode, updateContent, type UploadSource, type UploadTarget } from '../providers/alfresco/upload.ts';

/** A source to export: what the upload reads, and what to do with the rest of it when the upload fails. */
export interface ExportSource extends UploadSource {
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
 * Saves a file into an Alfresco folder as the person behind `grant` and returns its Blob.
 *
 * Everything that can be refused is checked before `open` is called (so a URL is not fetched, nor a body
 * read, for nothing): the folder exists, is a folder and the person may create in it; under `fail` the
 * name is free; under `replace` the existing item is a file the person may update. Then the content is
 * streamed in with `open()`'s stream. A race (someone takes the name between the check and the upload)
 * still ends as 409 from Alfresco. The new file gets a handle like a picked one (a link read with this
 * grant) and, in the same transaction, the `fp.export` webhook event; if that fails, a newly created node
 * is deleted again so nothing half-done stays behind.
 */
export async function exportFile(companion: Companion, grant: Grant, target: ExportTarget, open: () => Promise<ExportSource>): Promise<FsBlob> {
  const folder = await alfresco.getNode(companion.alfresco, grant, target.folderId, 'allowableOperations,path');
  if (!folder.isFolder) throw new FsError('FS_ERR_INVALID_OPTION', `folderId: "${folder.name}" is not a folder.`, { field: 'folderId' });
  if (!canWrite(folder)) throw new FsError('FS_ERR_FORBIDDEN', `You may not save files in "${folder.name}". Choose another folder.`, { field: 'folderId' });

  const existing = target.conflict === 'rename' ? undefined : await childNamed(companion, grant, folder.id, target.filename);
  if (existing && target.conflict === 'fail') {
    throw new FsError('FS_ERR_CONFLICT', `A ${existing.isFolder ? 'folder' : 'file'} named "${existing.name}" already exists in "${folder.name}".`, { field: 'filename' });
  }
  if (existing?.isFolder) throw new FsError('FS_ERR_CONFLICT', `"${existing.name}" in "${folder.name}" is a folder; a file cannot replace it.`, { field: 'filename' });
  if (existing && !canWrite(existing)) throw new FsError('FS_ERR_FORBIDDEN', `You may not change "${existing.name}" in "${folder.name}".`, { field: 'filename' });

  const upload: UploadTarget = { repositoryUrl: companion.alfresco.repositoryUrlOf(grant), refresher: companion.refresher };
  const source = await open();
  let node: AlfrescoNode;
  try {
    node = existing
      ? await updateContent(upload, grant, existing.id, { ...source, filename: existing.name })
      : await createFile(upload, grant, folder.id, { ...source, filename: target.filename }, { autoRename: target.conflict === 'rename' });
  } catch (error) {
    (source.discard ?? (() => source.stream.destroy()))();
    throw error;
  }

  try {
    const event = ({ handle }: { handle: string }) =>
      exportEvent({ source: target.sourceUrl, filename: node.name, created: new Date(node.modifiedAt), url: fileUrl(companion.publicUrl, handle) });
    const handle = await companion.handles.create(linkHandle(grant, { id: node.id, name: node.name, mimetype: mimetypeOf(node), size: node.content?.sizeInBytes ?? 0 }), { event });
    return toBlob(node, { url: fileUrl(companion.publicUrl, handle.handle), handle: handle.handle, id: 0, path: displayPath(node) });
  } catch (error) {
    if (!existing) await deleteNode(upload, grant, node.id);
    throw error;
  }
}

/** The child of `folderId` named `name` (Alfresco compares names without case), if there is one. */
async function childNamed(companion: Companion, grant: Grant, folderId: string, name: string): Promise<AlfrescoNode | undefined> {
  const search = new URLSearchParams({ relativePath: name, include: 'allowableOperations' });
  try {
    const { entry } = await companion.alfresco.json<{ entry: AlfrescoNode }>(grant, `${CORE_PATH}/nodes/${encodeURIComponent(folderId)}?${search}`);
    return entry;
  } catch (error) {
    if (error instanceof FsError && error.code === 'FS_ERR_NOT_FOUND') return undefined;
    throw error;
  }
}
