import { createHash } from 'node:crypto';
import { RENDITIONS, type RenditionId } from '../renditions/renditions.ts';
import type { RepoNode } from '../repository/node.ts';
import type { SandboxState } from '../state.ts';

/**
 * The renditions CMIS shows of a document (CMIS 1.1 §2.1.4.2; JSON §5.2.8): the ones the repository has
 * made, doclib as the `cmis:thumbnail` kind as Alfresco maps it. A stream id is opaque to clients; here,
 * as in Alfresco, it looks like the node ref of the rendition's own node.
 */

const KINDS: Partial<Record<RenditionId, string>> = { doclib: 'cmis:thumbnail', imgpreview: 'alf:imgpreview' };

export interface RenditionJson {
  streamId: string;
  mimeType: string;
  kind: string;
  title: string;
  height: number;
  width: number;
  renditionDocumentId: string;
}

/** The renditions `filter` asks for: `*`, or a comma list of kinds and mimetypes (`image/*`); `cmis:none` for none. */
export function renditionsOf({ renditions }: SandboxState, node: RepoNode, filter: string | undefined): RenditionJson[] {
  if (!filter || filter === 'cmis:none' || !node.content) return [];
  const terms = filter.split(',').map((term) => term.trim()).filter(Boolean);
  return (Object.keys(KINDS) as RenditionId[])
    .filter((id) => renditions.isCreated(node, id))
    .map((id) => renditionJson(node, id))
    .filter((rendition) => terms.some((term) => term === '*' || term === rendition.kind || mimeTypeMatches(term, rendition.mimeType)));
}

/** The rendition behind a stream id the listing gave out; undefined when it is none of the node's. */
export function renditionOfStream({ renditions }: SandboxState, node: RepoNode, streamId: string): RenditionId | undefined {
  return (Object.keys(KINDS) as RenditionId[]).find((id) => renditions.isCreated(node, id) && renditionJson(node, id).streamId === streamId);
}

function renditionJson(node: RepoNode, id: RenditionId): RenditionJson {
  const documentId = renditionNodeId(node.id, id);
  const { mimeType, size } = RENDITIONS[id];
  return { streamId: `workspace://SpacesStore/${documentId}`, mimeType, kind: KINDS[id]!, title: id, height: size, width: size, renditionDocumentId: documentId };
}

function mimeTypeMatches(term: string, mimeType: string): boolean {
  return term.endsWith('/*') ? mimeType.startsWith(term.slice(0, -1)) : term === mimeType;
}

/** A stable uuid-shaped id for the rendition, derived from the node and the rendition's name. */
function renditionNodeId(nodeId: string, id: RenditionId): string {
  const hex = createHash('sha1').update(`${nodeId}/${id}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
