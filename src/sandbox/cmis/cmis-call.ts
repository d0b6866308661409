import type { RepoNode } from '../repository/node.ts';
import type { SandboxState } from '../state.ts';
import { objectJson } from './object-json.ts';
import { objectIdOf } from './object-ids.ts';
import type { Params } from './params.ts';

/** One call of the binding: who makes it, its parameters, and the binding's URL as the caller reached it. */
export interface CmisCall {
  state: SandboxState;
  userId: string;
  params: Params;
  /** e.g. http://127.0.0.1:8180/alfresco/api/-default-/public/cmis/versions/1.1/browser */
  bindingUrl: string;
}

/** The object URL of CMIS 1.1 §5.3.2: the root folder URL with the object's id. */
export function objectUrlOf(call: CmisCall, node: RepoNode): string {
  return `${call.bindingUrl}/root?objectId=${encodeURIComponent(objectIdOf(node))}`;
}

/** The node as the call asked objects to be written. */
export function objectOfCall(call: CmisCall, node: RepoNode): Record<string, unknown> {
  return objectJson(call.state, call.userId, node, call.params.objectOptions());
}
