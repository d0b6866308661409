import { isFolder, type RepoNode } from '../repository/node.ts';

/** The part of Alfresco's type hierarchy the sandbox has: each type and its parent type. */
const PARENT_TYPE: Readonly<Record<string, string | undefined>> = {
  'sys:base': undefined,
  'cm:cmobject': 'sys:base',
  'cm:content': 'cm:cmobject',
  'cm:folder': 'cm:cmobject',
  'cm:systemfolder': 'cm:folder',
  'st:sites': 'cm:folder',
  'st:site': 'cm:folder',
  'app:filelink': 'cm:cmobject',
  'app:folderlink': 'cm:cmobject',
};

export function isKnownType(type: string): boolean {
  return Object.hasOwn(PARENT_TYPE, type);
}

/** TYPE semantics: the node's type is `type` or one of its subtypes. */
export function isOfType(node: RepoNode, type: string): boolean {
  if (node.nodeType === type) return true;
  // A type the sandbox does not know (made through the API) counts as a subtype of what it looks like.
  let current = isKnownType(node.nodeType) ? PARENT_TYPE[node.nodeType] : node.content ? 'cm:content' : isFolder(node) ? 'cm:folder' : 'cm:cmobject';
  for (; current !== undefined; current = PARENT_TYPE[current]) if (current === type) return true;
  return false;
}
