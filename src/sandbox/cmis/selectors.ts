import type { Context } from 'hono';
import { sendBytes, sendFileContent } from '../api/send-content.ts';
import { RENDITIONS } from '../renditions/renditions.ts';
import { isFolder, type RepoNode } from '../repository/node.ts';
import { CmisError } from './cmis-error.ts';
import { objectOfCall, type CmisCall } from './cmis-call.ts';
import { allowableActions, objectJson } from './object-json.ts';
import { orderByOf, sortByProperties } from './order.ts';
import { propertiesJson } from './properties.ts';
import { runQuery } from './query/run.ts';
import { renditionOfStream, renditionsOf } from './renditions.ts';
import { isWorkingCopy, originalOf, workingCopyOf } from './working-copies.ts';

/**
 * The reads of an object URL (CMIS 1.1 §5.4.2, one `cmisselector` each). Without a selector a document
 * answers with its content and a folder with its children (§5.4.2, "default selector").
 */
export async function answerSelector(c: Context, call: CmisCall, node: RepoNode): Promise<Response> {
  const selector = call.params.get('cmisselector') ?? (isFolder(node) ? 'children' : 'content');
  switch (selector) {
    case 'object':
      return c.json(objectOfCall(call, node));
    case 'properties':
      return c.json(propertiesJson(call.state.repository, node, call.params.objectOptions()));
    case 'allowableActions':
      return c.json(allowableActions(call.state, call.userId, node));
    case 'renditions':
      return c.json(renditionsOf(call.state, node, call.params.get('renditionFilter') ?? '*'));
    case 'content':
      return content(c, call, node);
    case 'children':
      return c.json(children(call, node));
    case 'parents':
      return c.json(parents(call, node));
    case 'parent':
      return c.json(parent(call, node));
    case 'versions':
      return c.json(versions(call, node));
    default:
      throw new CmisError('notSupported', `The selector ${selector} is not supported on an object here`);
  }
}

/** §5.4.1 `cmisselector=query` and `cmisaction=query`: `{ results, hasMoreItems, numItems }`. */
export function queryResults(call: CmisCall, statement: string | undefined): Record<string, unknown> {
  if (!statement) throw new CmisError('invalidArgument', 'The query statement is missing (q or statement)');
  const { query, nodes } = runQuery(call.state, call.userId, statement);
  const { maxItems, skipCount } = call.params.paging();
  const page = nodes.slice(skipCount, skipCount + maxItems);
  // Query results carry the SELECT list's properties, keyed by their aliases (§2.1.14.2.2), not `filter`'s.
  const options = { ...call.params.objectOptions(), filter: undefined, select: query.select };
  return {
    results: page.map((node) => objectJson(call.state, call.userId, node, options)),
    hasMoreItems: skipCount + page.length < nodes.length,
    numItems: nodes.length,
  };
}

/** getChildren (§2.2.3.1): one page, in `orderBy`'s order (the folder's order without one). */
function children(call: CmisCall, folder: RepoNode): Record<string, unknown> {
  if (!isFolder(folder)) throw new CmisError('invalidArgument', `Not a folder: ${folder.id}`);
  const { repository } = call.state;
  const { maxItems, skipCount } = call.params.paging();
  const visible = repository.children(folder.id).filter((child) => repository.canRead(call.userId, child));
  const sorted = sortByProperties(repository, visible, orderByOf(call.params.get('orderBy')));
  const page = sorted.slice(skipCount, skipCount + maxItems);
  const withSegment = call.params.boolean('includePathSegment', false);
  return {
    objects: page.map((child) => ({ object: objectOfCall(call, child), ...(withSegment ? { pathSegment: child.name } : {}) })),
    hasMoreItems: skipCount + page.length < sorted.length,
    numItems: sorted.length,
  };
}

/** getObjectParents (§2.2.3.5): the one folder each object is filed in; none for the root. */
function parents(call: CmisCall, node: RepoNode): unknown[] {
  const folder = call.state.repository.parentOf(node);
  if (!folder || !call.state.repository.canRead(call.userId, folder)) return [];
  const withSegment = call.params.boolean('includeRelativePathSegment', false);
  return [{ object: objectOfCall(call, folder), ...(withSegment ? { relativePathSegment: node.name } : {}) }];
}

/** getFolderParent (§2.2.3.4). */
function parent(call: CmisCall, folder: RepoNode): Record<string, unknown> {
  if (!isFolder(folder)) throw new CmisError('invalidArgument', `Not a folder: ${folder.id}`);
  const above = call.state.repository.parentOf(folder);
  if (!above) throw new CmisError('invalidArgument', 'The root folder has no parent');
  if (!call.state.repository.canRead(call.userId, above)) throw new CmisError('permissionDenied', 'Permission denied on the parent folder');
  return objectOfCall(call, above);
}

/** getAllVersions (§2.2.7.6): the working copy first when there is one, then the versions kept (the latest). */
function versions(call: CmisCall, node: RepoNode): unknown[] {
  if (isFolder(node)) throw new CmisError('invalidArgument', `A folder has no versions: ${node.id}`);
  const { repository } = call.state;
  const latest = isWorkingCopy(node) ? originalOf(repository, node) : node;
  const workingCopy = latest && workingCopyOf(repository, latest);
  return [workingCopy, latest].filter((version) => version !== undefined).map((version) => objectOfCall(call, version));
}

/** getContentStream (§2.2.4.10): the document's bytes, or a rendition's by `streamId`; Range is honoured. */
async function content(c: Context, call: CmisCall, node: RepoNode): Promise<Response> {
  if (!node.content) throw new CmisError('constraint', `The object has no content stream: ${node.id}`);
  const streamId = call.params.get('streamId');
  if (streamId === undefined || streamId === '') return sendFileContent(c, call.state, node);
  const rendition = renditionOfStream(call.state, node, streamId);
  if (!rendition) throw new CmisError('objectNotFound', `No rendition with the stream id ${streamId}`);
  const { mimeType } = RENDITIONS[rendition];
  return sendBytes(c, { name: `${node.name}.${mimeType === 'image/png' ? 'png' : 'jpg'}`, mimeType, modifiedAt: node.modifiedAt, bytes: await call.state.renditions.bytes(node, rendition) });
}
