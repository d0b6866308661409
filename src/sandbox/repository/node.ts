/** What the sandbox keeps of a node; `api/node-entry.ts` turns it into the REST API's Node entity. */
export interface RepoNode {
  id: string;
  name: string;
  /** cm:folder, cm:content, st:site, st:sites, … */
  nodeType: string;
  parentId: string | undefined;
  createdAt: Date;
  createdBy: string;
  modifiedAt: Date;
  modifiedBy: string;
  aspectNames: string[];
  properties: Record<string, unknown>;
  /** Files only. */
  content?: StoredContent;
  /** Explicit permissions; a node without them inherits its parent's. */
  access?: Access;
}

export interface StoredContent {
  mimeType: string;
  mimeTypeName: string;
  sizeInBytes: number;
  encoding: string;
  /** Where the bytes are in the content store. */
  contentId: string;
}

/** User ids, or everyone. Alfresco's administrators may always do everything. */
export interface Access {
  read: 'everyone' | string[];
  write: 'everyone' | string[];
}

export const FOLDER_TYPES = new Set(['cm:folder', 'st:site', 'st:sites', 'cm:systemfolder']);

export function isFolder(node: RepoNode): boolean {
  return node.content === undefined && FOLDER_TYPES.has(node.nodeType);
}
