import { fileUrl, type FsBlob, matchesAccept, FsError, type PickResponse } from 'fs-picker/protocol';
import type { Grant } from '../auth/grants.ts';
import type { Companion } from '../context.ts';
import { linkHandle } from './handles.ts';
import { displayPath, mimetypeOf, toBlob, type AlfrescoNode } from '../providers/alfresco/adapter.ts';
import * as alfresco from '../providers/alfresco/index.ts';

export interface PickInput {
  nodeIds: string[];
  maxFiles: number;
  accept: string[];
}

export interface PickProgress {
  /** Files taken so far. */
  found: number;
  /** Entries looked at in folders so far. */
  scanned: number;
}

/** The picked nodes themselves, read before anything is streamed so a bad id is a plain HTTP error. */
export async function resolvePicked(companion: Companion, grant: Grant, { nodeIds, accept }: PickInput): Promise<AlfrescoNode[]> {
  const unique = [...new Set(nodeIds)];
  const nodes = await Promise.all(unique.map((id) => alfresco.getNode(companion.alfresco, grant, id, 'allowableOperations,path')));
  for (const node of nodes) {
    if (!node.isFolder && !node.isFile) throw new FsError('FS_ERR_INVALID_OPTION', `nodeIds: "${node.name}" is neither a file nor a folder`, { field: 'nodeIds' });
    if (node.isFile && !matchesAccept(accept, node.name, mimetypeOf(node))) {
      throw new FsError('FS_ERR_INVALID_OPTION', `nodeIds: "${node.name}" (${mimetypeOf(node)}) is not one of the accepted types: ${accept.join(', ')}`, { field: 'nodeIds' });
    }
  }
  return nodes;
}

/**
 * Files for the picked nodes: files as they are, folders expanded depth first (each folder's files in
 * name order, then its subfolders), page by page (1,000 entries a call), filtered by `accept`, at most
 * `maxFiles` in all. Finding one more than `maxFiles` stops the walk with `truncated: true`. A file met
 * twice (picked and inside a picked folder) is taken once. Then one handle (and one fp.upload event) per file.
 */
export async function pickFiles(companion: Companion, grant: Grant, input: PickInput, picked: AlfrescoNode[], onProgress: (progress: PickProgress) => void = () => {}): Promise<PickResponse> {
  const taken: Array<{ node: AlfrescoNode; path: string | undefined }> = [];
  const seen = new Set<string>();
  let scanned = 0;
  let truncated = false;

  /** Takes a file; false when it is one too many. */
  const take = (node: AlfrescoNode, path: string | undefined): boolean => {
    if (seen.has(node.id)) return true;
    if (taken.length >= input.maxFiles) {
      truncated = true;
      return false;
    }
    seen.add(node.id);
    taken.push({ node, path });
    return true;
  };

  walk: for (const node of picked) {
    if (!node.isFolder) {
      if (!take(node, displayPath(node))) break;
      continue;
    }
    const stack: Array<{ id: string; path: string | undefined }> = [{ id: node.id, path: displayPath(node) }];
    const visited = new Set<string>();
    while (stack.length > 0) {
      const folder = stack.pop()!;
      if (visited.has(folder.id)) continue; // secondary children can make cycles
      visited.add(folder.id);
      const subfolders: typeof stack = [];
      for (let skipCount = 0; ; ) {
        const { list } = await alfresco.listChildren(companion.alfresco, grant, folder.id, { skipCount, maxItems: alfresco.UPSTREAM_MAX_ITEMS, orderBy: 'isFolder ASC,name ASC' });
        for (const { entry } of list.entries) {
          scanned++;
          const path = folder.path === undefined ? undefined : `${folder.path}/${entry.name}`;
          if (entry.isFolder) subfolders.push({ id: entry.id, path });
          else if (entry.isFile && matchesAccept(input.accept, entry.name, mimetypeOf(entry)) && !take(entry, path)) break walk;
        }
        onProgress({ found: taken.length, scanned });
        skipCount += list.entries.length;
        if (!list.pagination.hasMoreItems || list.entries.length === 0) break;
      }
      stack.push(...subfolders.reverse());
    }
  }

  // All handles of the pick in one transaction, each with its fp.upload event (one per picked file,
  // as filepicker v2 sent one per file): the whole pick is recorded, or none of it.
  const handles = await companion.handles.createMany(
    taken.map(({ node }) => linkHandle(grant, { id: node.id, name: node.name, mimetype: mimetypeOf(node), size: node.content?.sizeInBytes ?? 0 })),
  );
  const blobs: FsBlob[] = taken.map(({ node, path }, index) => {
    const handle = handles[index]!.handle;
    return toBlob(node, { url: fileUrl(companion.publicUrl, handle), handle, id: index, path });
  });
  return { blobs, truncated };
}
