import { isFolder, type RepoNode } from '../repository/node.ts';
import type { SandboxState } from '../state.ts';
import { propertiesJson, type PropertiesOptions } from './properties.ts';
import { renditionsOf } from './renditions.ts';
import { isWorkingCopy, workingCopyOf } from './working-copies.ts';

export interface ObjectOptions extends PropertiesOptions {
  includeAllowableActions: boolean;
  renditionFilter?: string | undefined;
}

/**
 * An object as the browser binding writes it (CMIS 1.1 §5.2.4): its properties (or succinctProperties),
 * and on request its allowable actions and renditions.
 */
export function objectJson(state: SandboxState, userId: string, node: RepoNode, options: ObjectOptions): Record<string, unknown> {
  const json: Record<string, unknown> = { [options.succinct ? 'succinctProperties' : 'properties']: propertiesJson(state.repository, node, options) };
  if (options.includeAllowableActions) json.allowableActions = allowableActions(state, userId, node);
  const renditions = renditionsOf(state, node, options.renditionFilter);
  if (renditions.length > 0) json.renditions = renditions;
  return json;
}

/** The allowable actions of CMIS 1.1 §2.2.1.2.6 that the sandbox can answer, from the user's rights on the node. */
export function allowableActions({ repository }: SandboxState, userId: string, node: RepoNode): Record<string, boolean> {
  const write = repository.canWrite(userId, node);
  const folder = isFolder(node);
  const root = node.parentId === undefined;
  const workingCopy = isWorkingCopy(node);
  const checkedOut = !folder && workingCopyOf(repository, node) !== undefined;
  return {
    canGetProperties: true,
    canGetObjectParents: !root,
    canGetFolderParent: folder && !root,
    canGetChildren: folder,
    canCreateDocument: folder && write,
    canCreateFolder: folder && write,
    canUpdateProperties: write && !checkedOut,
    canDeleteObject: write && !root && !checkedOut,
    canGetContentStream: node.content !== undefined,
    canSetContentStream: !folder && write && !checkedOut,
    canGetRenditions: !folder,
    canCheckOut: !folder && write && !checkedOut && !workingCopy,
    canCancelCheckOut: workingCopy && write,
    canCheckIn: workingCopy && write,
    canGetAllVersions: !folder,
  };
}
