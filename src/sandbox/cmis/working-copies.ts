import type { RepoNode, StoredContent } from '../repository/node.ts';
import type { Repository } from '../repository/repository.ts';
import { findUser } from '../users.ts';
import { CmisError } from './cmis-error.ts';

/**
 * Check-out and check-in as Alfresco does them: the private working copy (PWC) is a node of its own in the
 * same folder, "name (Working Copy).ext", with the aspect cm:workingcopy; the original gets cm:checkedOut
 * and a read-only cm:lockable until the PWC is checked in (its content becomes the original's next
 * version) or the check-out is cancelled. Alfresco links the two with associations; the sandbox's nodes
 * have none, so the links are properties named after them.
 */

const WORKING_COPY = 'cm:workingcopy';
const CHECKED_OUT = 'cm:checkedOut';
const LOCKABLE = 'cm:lockable';
const LINK = 'cm:workingcopylink';
const ORIGINAL = 'cm:original';
const OWNER = 'cm:workingCopyOwner';

export function isWorkingCopy(node: RepoNode): boolean {
  return node.aspectNames.includes(WORKING_COPY);
}

export function workingCopyOf(repository: Repository, node: RepoNode): RepoNode | undefined {
  const id = node.properties[LINK];
  return typeof id === 'string' ? repository.get(id) : undefined;
}

export function originalOf(repository: Repository, workingCopy: RepoNode): RepoNode | undefined {
  const id = workingCopy.properties[ORIGINAL];
  return typeof id === 'string' ? repository.get(id) : undefined;
}

/** Who checked the node out (the PWC's owner), for cmis:versionSeriesCheckedOutBy. */
export function checkedOutBy(node: RepoNode): string | undefined {
  const owner = node.properties[OWNER] ?? node.properties['cm:lockOwner'];
  return typeof owner === 'string' ? owner : undefined;
}

/** Makes the PWC: a copy of the document's bytes next to it. */
export async function checkOut(repository: Repository, node: RepoNode, userId: string): Promise<RepoNode> {
  if (!node.content || isWorkingCopy(node)) throw new CmisError('constraint', `Only a document can be checked out: ${node.id}`);
  if (workingCopyOf(repository, node)) throw new CmisError('versioning', `The document is already checked out: ${node.name}`);
  const parent = repository.parentOf(node);
  if (!parent) throw new CmisError('constraint', `The document is in no folder: ${node.id}`);
  const copy = await repository.content.put(await repository.content.read(node.content.contentId));
  let workingCopy: RepoNode;
  try {
    workingCopy = repository.create(parent, {
      name: workingCopyName(node.name),
      nodeType: node.nodeType,
      by: userId,
      aspectNames: [...node.aspectNames.filter((aspect) => aspect !== 'cm:versionable'), WORKING_COPY],
      properties: { ...withoutVersion(node.properties), [ORIGINAL]: node.id, [OWNER]: userId, 'cm:workingCopyLabel': 'Working Copy' },
      content: { ...node.content, contentId: copy.contentId, sizeInBytes: copy.size },
    });
  } catch (error) {
    await repository.content.delete(copy.contentId);
    throw error;
  }
  // Marked after the create, which tells the snapshot: it is written a moment later, with these marks.
  node.aspectNames.push(CHECKED_OUT, LOCKABLE);
  Object.assign(node.properties, { [LINK]: workingCopy.id, 'cm:lockOwner': userId, 'cm:lockType': 'READ_ONLY_LOCK' });
  return workingCopy;
}

/**
 * The PWC's content (or `content`, when the check-in brings some) as the original's next version, minor
 * unless `major`; the PWC goes. Only the person who checked the document out (or an administrator) may.
 */
export async function checkIn(repository: Repository, workingCopy: RepoNode, userId: string, { content, major, name }: { content?: StoredContent; major: boolean; name?: string }): Promise<RepoNode> {
  const original = originalOfChecked(repository, workingCopy, userId);
  const next = content ?? workingCopy.content!;
  await repository.updateContent(original, next, userId, { majorVersion: major, ...(name === undefined || name === workingCopy.name ? {} : { name }) });
  // The bytes now belong to the original: the PWC must not take them with it.
  if (!content) delete workingCopy.content;
  unmark(original);
  await repository.delete(workingCopy);
  return original;
}

export async function cancelCheckOut(repository: Repository, workingCopy: RepoNode, userId: string): Promise<void> {
  const original = originalOfChecked(repository, workingCopy, userId);
  unmark(original);
  await repository.delete(workingCopy);
}

function originalOfChecked(repository: Repository, workingCopy: RepoNode, userId: string): RepoNode {
  if (!isWorkingCopy(workingCopy)) throw new CmisError('versioning', `The object is not a private working copy: ${workingCopy.id}`);
  const original = originalOf(repository, workingCopy);
  if (!original) throw new CmisError('objectNotFound', `The document of this working copy is gone: ${workingCopy.id}`);
  if (checkedOutBy(workingCopy) !== userId && !findUser(userId)?.isAdmin) throw new CmisError('permissionDenied', 'Only the person who checked the document out may check it in');
  return original;
}

function unmark(original: RepoNode): void {
  original.aspectNames = original.aspectNames.filter((aspect) => aspect !== CHECKED_OUT && aspect !== LOCKABLE);
  for (const property of [LINK, 'cm:lockOwner', 'cm:lockType']) delete original.properties[property];
}

function withoutVersion(properties: Record<string, unknown>): Record<string, unknown> {
  const { 'cm:versionLabel': _label, 'cm:versionType': _type, ...rest } = properties;
  return rest;
}

/** Alfresco's working copy label before the extension: "report (Working Copy).pdf". */
function workingCopyName(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? `${name} (Working Copy)` : `${name.slice(0, dot)} (Working Copy)${name.slice(dot)}`;
}
