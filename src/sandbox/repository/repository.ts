import { randomBytes, randomUUID } from 'node:crypto';
import type { ContentStore } from './content-store.ts';
import { isFolder, type Access, type RepoNode, type StoredContent } from './node.ts';
import { findUser } from '../users.ts';

/** Why a change was refused; the REST layer turns each kind into Alfresco's status and error key. */
export type RepoErrorKind = 'duplicate' | 'invalid-name' | 'not-found' | 'forbidden' | 'not-a-folder' | 'not-a-file' | 'exists';

export class RepoError extends Error {
  constructor(
    readonly kind: RepoErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export interface SharedLink {
  id: string;
  nodeId: string;
  sharedBy: string;
  expiresAt?: Date;
}

export interface NewNode {
  name: string;
  nodeType: string;
  by: string;
  aspectNames?: string[];
  properties?: Record<string, unknown>;
  content?: StoredContent;
  access?: Access;
  /** Seeded nodes get ids derived from their path so links to them survive a restart. */
  id?: string;
  at?: Date;
}

// Alfresco's NodeBodyCreate pattern: none of * " < > \ / ? : | and no trailing dot or space.
const INVALID_NAME = /[*"<>\\/?:|]|[. ]$/;

/**
 * The sandbox's content model: nodes in a tree, their permissions, versions and shared links. It knows
 * nothing of HTTP; it refuses bad changes with RepoErrors and tells listeners after every change (that is
 * how `--data DIR` keeps a snapshot).
 */
export class Repository {
  readonly #nodes = new Map<string, RepoNode>();
  readonly #children = new Map<string, Map<string, string>>();
  readonly #sharedLinks = new Map<string, SharedLink>();
  readonly #listeners = new Set<() => void>();

  constructor(readonly content: ContentStore) {}

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get(id: string): RepoNode | undefined {
    return this.#nodes.get(id);
  }

  /** Every node, for snapshots. */
  all(): IterableIterator<RepoNode> {
    return this.#nodes.values();
  }

  children(id: string): RepoNode[] {
    return [...(this.#children.get(id)?.values() ?? [])].map((childId) => this.#nodes.get(childId)!);
  }

  childByName(parentId: string, name: string): RepoNode | undefined {
    const id = this.#children.get(parentId)?.get(name.toLowerCase());
    return id === undefined ? undefined : this.#nodes.get(id);
  }

  /** The node's ancestors from the root down to its parent. */
  ancestors(node: RepoNode): RepoNode[] {
    const chain: RepoNode[] = [];
    for (let parent = this.parentOf(node); parent; parent = this.parentOf(parent)) chain.unshift(parent);
    return chain;
  }

  parentOf(node: RepoNode): RepoNode | undefined {
    return node.parentId === undefined ? undefined : this.#nodes.get(node.parentId);
  }

  /** Follows a '/'-separated path of names below `from`; undefined when a step is missing. */
  resolve(from: RepoNode, relativePath: string): RepoNode | undefined {
    let node: RepoNode | undefined = from;
    for (const name of splitPath(relativePath)) node = node && this.childByName(node.id, name);
    return node;
  }

  canRead(userId: string, node: RepoNode): boolean {
    return this.#allowed(userId, node, 'read');
  }

  canWrite(userId: string, node: RepoNode): boolean {
    return this.#allowed(userId, node, 'write');
  }

  /** Adds a node under `parent` (undefined for the root). Names are unique per folder, case-insensitively. */
  create(parent: RepoNode | undefined, init: NewNode): RepoNode {
    if (parent && !isFolder(parent)) throw new RepoError('not-a-folder', `Could not find folder or not a folder: ${parent.id}`);
    checkName(init.name);
    if (parent && this.childByName(parent.id, init.name)) throw new RepoError('duplicate', `Duplicate child name not allowed: ${init.name}`);
    const at = init.at ?? new Date();
    const node: RepoNode = {
      id: init.id ?? randomUUID(),
      name: init.name,
      nodeType: init.nodeType,
      parentId: parent?.id,
      createdAt: at,
      createdBy: init.by,
      modifiedAt: at,
      modifiedBy: init.by,
      aspectNames: init.aspectNames ?? ['cm:auditable'],
      properties: init.properties ?? {},
      ...(init.content ? { content: init.content } : {}),
      ...(init.access ? { access: init.access } : {}),
    };
    this.insert(node);
    this.#changed();
    return node;
  }

  /** Puts a node in place without checks: for seeding and for loading a snapshot. */
  insert(node: RepoNode): void {
    this.#nodes.set(node.id, node);
    if (node.parentId === undefined) return;
    const siblings = this.#children.get(node.parentId) ?? new Map<string, string>();
    siblings.set(node.name.toLowerCase(), node.id);
    this.#children.set(node.parentId, siblings);
  }

  /** Creates the missing folders of `relativePath` under `parent` and returns the last one. */
  ensureFolders(parent: RepoNode, relativePath: string, by: string): RepoNode {
    let folder = parent;
    for (const name of splitPath(relativePath)) {
      const existing = this.childByName(folder.id, name);
      if (existing && !isFolder(existing)) throw new RepoError('not-a-folder', `${name} in the relative path is not a folder`);
      if (existing) {
        folder = existing;
        continue;
      }
      if (!this.canWrite(by, folder)) throw new RepoError('forbidden', 'Permission was denied');
      folder = this.create(folder, { name, nodeType: 'cm:folder', by });
    }
    return folder;
  }

  /** Alfresco's findUniqueName: name-1.ext, name-2.ext, … before the last dot. */
  uniqueName(parentId: string, name: string): string {
    if (!this.childByName(parentId, name)) return name;
    const dot = name.lastIndexOf('.');
    const [stem, extension] = dot < 0 ? [name, ''] : [name.slice(0, dot), name.slice(dot)];
    for (let counter = 1; ; counter += 1) {
      const candidate = `${stem}-${counter}${extension}`;
      if (!this.childByName(parentId, candidate)) return candidate;
    }
  }

  /** Replaces a file's bytes as a new version: minor by default, major when asked. */
  async updateContent(node: RepoNode, content: StoredContent, by: string, { majorVersion = false, name }: { majorVersion?: boolean; name?: string } = {}): Promise<RepoNode> {
    if (!node.content) throw new RepoError('not-a-file', `Node is not a file: ${node.id}`);
    if (name !== undefined && name !== node.name) this.rename(node, name);
    const previous = node.content.contentId;
    if (!node.aspectNames.includes('cm:versionable')) {
      node.aspectNames.push('cm:versionable');
      node.properties['cm:versionLabel'] = '1.0';
    }
    const label = node.properties['cm:versionLabel'];
    node.properties['cm:versionLabel'] = nextVersion(typeof label === 'string' ? label : '1.0', majorVersion);
    node.properties['cm:versionType'] = majorVersion ? 'MAJOR' : 'MINOR';
    node.content = content;
    node.modifiedAt = new Date();
    node.modifiedBy = by;
    // Older versions are not browsable through the picker's endpoints, so their bytes can go.
    await this.content.delete(previous);
    this.#changed();
    return node;
  }

  rename(node: RepoNode, name: string): void {
    checkName(name);
    if (node.parentId !== undefined) {
      const clash = this.childByName(node.parentId, name);
      if (clash && clash.id !== node.id) throw new RepoError('duplicate', `Duplicate child name not allowed: ${name}`);
      const siblings = this.#children.get(node.parentId)!;
      siblings.delete(node.name.toLowerCase());
      siblings.set(name.toLowerCase(), node.id);
    }
    node.name = name;
    this.#changed();
  }

  /** Deletes the node and everything below it, with their bytes and shared links. */
  async delete(node: RepoNode): Promise<void> {
    for (const child of this.children(node.id)) await this.delete(child);
    this.#children.delete(node.id);
    if (node.parentId !== undefined) this.#children.get(node.parentId)?.delete(node.name.toLowerCase());
    this.#nodes.delete(node.id);
    for (const link of this.#sharedLinks.values()) if (link.nodeId === node.id) this.#sharedLinks.delete(link.id);
    if (node.content) await this.content.delete(node.content.contentId);
    this.#changed();
  }

  shareLink(node: RepoNode, by: string, expiresAt?: Date): SharedLink {
    if (!node.content) throw new RepoError('not-a-file', `Only files can be shared: ${node.id}`);
    if (typeof node.properties['qshare:sharedId'] === 'string') throw new RepoError('exists', `Shared link already exists for nodeId ${node.id}`);
    const link: SharedLink = { id: randomBytes(16).toString('base64url'), nodeId: node.id, sharedBy: by, ...(expiresAt ? { expiresAt } : {}) };
    this.addSharedLink(link);
    this.#changed();
    return link;
  }

  addSharedLink(link: SharedLink): void {
    this.#sharedLinks.set(link.id, link);
    const node = this.#nodes.get(link.nodeId);
    if (!node) return;
    if (!node.aspectNames.includes('qshare:shared')) node.aspectNames.push('qshare:shared');
    node.properties['qshare:sharedId'] = link.id;
    node.properties['qshare:sharedBy'] = link.sharedBy;
  }

  sharedLink(id: string): SharedLink | undefined {
    const link = this.#sharedLinks.get(id);
    return link && (!link.expiresAt || link.expiresAt > new Date()) ? link : undefined;
  }

  sharedLinks(): SharedLink[] {
    return [...this.#sharedLinks.values()];
  }

  unshare(link: SharedLink): void {
    this.#sharedLinks.delete(link.id);
    const node = this.#nodes.get(link.nodeId);
    if (node) {
      node.aspectNames = node.aspectNames.filter((aspect) => aspect !== 'qshare:shared');
      delete node.properties['qshare:sharedId'];
      delete node.properties['qshare:sharedBy'];
    }
    this.#changed();
  }

  #allowed(userId: string, node: RepoNode, right: keyof Access): boolean {
    if (findUser(userId)?.isAdmin) return true;
    for (let current: RepoNode | undefined = node; current; current = this.parentOf(current)) {
      const rule = current.access?.[right];
      if (rule !== undefined) return rule === 'everyone' || rule.includes(userId);
    }
    // Company Home itself: everyone reads, only administrators write.
    return right === 'read';
  }

  #changed(): void {
    for (const listener of this.#listeners) listener();
  }
}

export function splitPath(relativePath: string): string[] {
  return relativePath.split('/').filter((part) => part !== '' && part !== '.');
}

function checkName(name: string): void {
  if (name.trim() === '' || INVALID_NAME.test(name)) throw new RepoError('invalid-name', `Name is not valid: ${name}`);
}

function nextVersion(label: string, major: boolean): string {
  const [majorPart = 1, minorPart = 0] = label.split('.').map(Number);
  return major ? `${majorPart + 1}.0` : `${majorPart}.${minorPart + 1}`;
}
