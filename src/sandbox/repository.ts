import { createHash } from 'node:crypto';
import { alfrescoDate } from './alfresco-date.ts';

export interface UserInfo {
  id: string;
  displayName: string;
}

export interface ContentInfo {
  mimeType: string;
  mimeTypeName: string;
  sizeInBytes: number;
  encoding: string;
}

/** A node as the sandbox keeps it; `toEntry` turns it into the REST API's Node entity. */
export interface RepoNode {
  id: string;
  name: string;
  nodeType: string;
  parentId: string | undefined;
  createdAt: Date;
  createdBy: UserInfo;
  modifiedAt: Date;
  modifiedBy: UserInfo;
  content?: ContentInfo;
}

/**
 * The sandbox's content tree, in memory. Ids are derived from the node's path so they stay the same
 * across restarts: a bookmarked folder in the demo still opens after `npm start` is run again.
 */
export class Repository {
  readonly #nodes = new Map<string, RepoNode>();
  readonly #children = new Map<string, string[]>();

  add(node: Omit<RepoNode, 'id'>, path: string): RepoNode {
    const stored = { ...node, id: stableId(path) };
    this.#nodes.set(stored.id, stored);
    if (stored.parentId !== undefined) {
      const siblings = this.#children.get(stored.parentId) ?? [];
      siblings.push(stored.id);
      this.#children.set(stored.parentId, siblings);
    }
    return stored;
  }

  get(id: string): RepoNode | undefined {
    return this.#nodes.get(id);
  }

  children(id: string): RepoNode[] {
    return (this.#children.get(id) ?? []).map((childId) => this.#nodes.get(childId)!);
  }

  /** Follows a slash-separated path of names below `fromId`. */
  resolve(fromId: string, relativePath: string): RepoNode | undefined {
    let node = this.get(fromId);
    for (const name of relativePath.split('/').filter(Boolean)) {
      node = node && this.children(node.id).find((child) => child.name === name);
    }
    return node;
  }
}

export function isFolder(node: RepoNode): boolean {
  return node.content === undefined;
}

/** The REST API's Node entity with the fields Alfresco returns when no `include` is given. */
export function toEntry(node: RepoNode): Record<string, unknown> {
  return {
    id: node.id,
    name: node.name,
    nodeType: node.nodeType,
    isFolder: isFolder(node),
    isFile: !isFolder(node),
    createdAt: alfrescoDate(node.createdAt),
    createdByUser: node.createdBy,
    modifiedAt: alfrescoDate(node.modifiedAt),
    modifiedByUser: node.modifiedBy,
    ...(node.parentId === undefined ? {} : { parentId: node.parentId }),
    ...(node.content === undefined ? {} : { content: node.content }),
  };
}

function stableId(path: string): string {
  const hex = createHash('sha1').update(`fs-picker-sandbox:${path}`).digest('hex');
  // Shaped like the version 4 UUIDs Alfresco hands out.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
