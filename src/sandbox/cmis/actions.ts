import type { Context } from 'hono';
import { mimeTypeOf } from '../content/index.ts';
import { isFolder, type RepoNode, type StoredContent } from '../repository/node.ts';
import { CmisError } from './cmis-error.ts';
import { objectOfCall, objectUrlOf, type CmisCall } from './cmis-call.ts';
import type { ActionForm, Upload } from './action-form.ts';
import { queryResults } from './selectors.ts';
import { cancelCheckOut, checkIn, checkOut, isWorkingCopy, workingCopyOf } from './working-copies.ts';

/**
 * The changes of the browser binding (CMIS 1.1 §5.4.3–5.4.4, one `cmisaction` each, POSTed to the object
 * URL, or to the repository URL for a query). Those that make an object answer 201 with it and its URL
 * in Location; delete and cancelCheckOut answer 200 with no body.
 */
export async function runAction(c: Context, call: CmisCall, form: ActionForm, target: RepoNode | undefined): Promise<Response> {
  const action = call.params.get('cmisaction');
  if (action === 'query') return c.json(queryResults(call, call.params.get('statement') ?? call.params.get('q')));
  if (!target) throw new CmisError(action ? 'notSupported' : 'invalidArgument', action ? `The action ${action} needs an object URL (objectId)` : 'The cmisaction is missing');
  switch (action) {
    case 'createDocument':
      return created(c, call, await createDocument(call, form, target));
    case 'createFolder':
      return created(c, call, createFolder(call, form, target));
    case 'checkOut':
      return created(c, call, await checkOut(call.state.repository, writable(call, target), call.userId));
    case 'checkIn':
      return created(c, call, await checkInWith(call, form, target));
    case 'cancelCheckOut':
      await cancelCheckOut(call.state.repository, workingCopyFor(call, target), call.userId);
      return c.body(null, 200);
    case 'setContent':
      return created(c, call, await setContent(call, form, target));
    case 'delete':
      await deleteObject(call, target);
      return c.body(null, 200);
    default:
      throw new CmisError('notSupported', `The action ${action ?? ''} is not supported here`);
  }
}

function created(c: Context, call: CmisCall, node: RepoNode): Response {
  return c.json(objectOfCall(call, node), 201, { Location: objectUrlOf(call, node) });
}

const DOCUMENT_TYPES = new Set(['cmis:document', 'D:cm:content']);
const FOLDER_TYPES = new Set(['cmis:folder', 'F:cm:folder']);
// What a picker sets; other properties of the content model are not settable in the sandbox.
const SETTABLE = { 'cmis:description': 'cm:description', 'cm:description': 'cm:description', 'cm:title': 'cm:title' } as Record<string, string>;
const CONTROL = new Set(['cmis:name', 'cmis:objectTypeId', 'cmis:secondaryObjectTypeIds']);

interface NewObject {
  name: string;
  properties: Record<string, unknown>;
  aspectNames: string[];
}

/** cmis:name, cmis:objectTypeId (one of `types`) and the settable properties of the form. */
function newObject(form: ActionForm, types: ReadonlySet<string>): NewObject {
  const given = form.properties();
  const name = given['cmis:name'];
  if (typeof name !== 'string' || name === '') throw new CmisError('invalidArgument', 'The property cmis:name is required');
  const type = given['cmis:objectTypeId'];
  if (typeof type !== 'string' || !types.has(type)) throw new CmisError('constraint', `The type ${String(type)} cannot be created here: use ${[...types].join(' or ')}`);
  const properties: Record<string, unknown> = {};
  for (const [id, value] of Object.entries(given)) {
    if (CONTROL.has(id)) continue;
    if (!SETTABLE[id]) throw new CmisError('constraint', `The property ${id} cannot be set here`);
    properties[SETTABLE[id]] = value;
  }
  const titled = Object.keys(properties).length > 0 ? ['cm:titled'] : [];
  return { name, properties, aspectNames: ['cm:auditable', ...titled] };
}

function writable(call: CmisCall, node: RepoNode): RepoNode {
  if (!call.state.repository.canWrite(call.userId, node)) throw new CmisError('permissionDenied', `Permission denied: ${node.name}`);
  return node;
}

function folderOf(call: CmisCall, target: RepoNode): RepoNode {
  if (!isFolder(target)) throw new CmisError('invalidArgument', `Not a folder: ${target.id}`);
  return writable(call, target);
}

/** The upload as stored content: its declared type, or the name's when it declared none. */
function storedContent(upload: Upload, name: string): StoredContent {
  const guessed = mimeTypeOf(name);
  const declared = upload.mimeType && upload.mimeType !== 'application/octet-stream' ? upload.mimeType : undefined;
  return { mimeType: declared ?? guessed.mimeType, mimeTypeName: declared && declared !== guessed.mimeType ? declared : guessed.mimeTypeName, sizeInBytes: upload.size, encoding: 'UTF-8', contentId: upload.contentId };
}

/** createDocument (§2.2.4.1) with `versioningState` major (the default, 1.0), minor (0.1), none or checkedout. */
async function createDocument(call: CmisCall, form: ActionForm, target: RepoNode): Promise<RepoNode> {
  const { repository, renditions } = call.state;
  const folder = folderOf(call, target);
  const wanted = newObject(form, DOCUMENT_TYPES);
  const state = call.params.get('versioningState') ?? 'major';
  if (!['none', 'major', 'minor', 'checkedout'].includes(state)) throw new CmisError('invalidArgument', `versioningState must be none, major, minor or checkedout: ${state}`);
  const upload = form.take() ?? { filename: wanted.name, mimeType: '', ...(await repository.content.put(Buffer.alloc(0))) };
  const versioned = state !== 'none';
  let node: RepoNode;
  try {
    node = repository.create(folder, {
      name: wanted.name,
      nodeType: 'cm:content',
      by: call.userId,
      aspectNames: [...wanted.aspectNames, ...(versioned ? ['cm:versionable'] : [])],
      properties: { ...wanted.properties, ...(versioned ? { 'cm:versionLabel': state === 'minor' ? '0.1' : '1.0', 'cm:versionType': state === 'minor' ? 'MINOR' : 'MAJOR' } : {}) },
      content: storedContent(upload, wanted.name),
    });
  } catch (error) {
    await repository.content.delete(upload.contentId);
    throw error;
  }
  // A stock repository makes the list thumbnail of every image it is given.
  renditions.request(node, 'doclib');
  return state === 'checkedout' ? checkOut(repository, node, call.userId) : node;
}

function createFolder(call: CmisCall, form: ActionForm, target: RepoNode): RepoNode {
  const folder = folderOf(call, target);
  const wanted = newObject(form, FOLDER_TYPES);
  return call.state.repository.create(folder, { name: wanted.name, nodeType: 'cm:folder', by: call.userId, aspectNames: wanted.aspectNames, properties: wanted.properties });
}

/** checkIn (§2.2.7.3): `major` defaults to true, as the spec says; a content part replaces the PWC's bytes. */
async function checkInWith(call: CmisCall, form: ActionForm, target: RepoNode): Promise<RepoNode> {
  const workingCopy = writable(call, target);
  if (!isWorkingCopy(workingCopy)) throw new CmisError('versioning', `Only a private working copy can be checked in: ${target.id}`);
  const name = form.properties()['cmis:name'];
  const upload = form.take();
  try {
    return await checkIn(call.state.repository, workingCopy, call.userId, {
      major: call.params.boolean('major', true),
      ...(upload ? { content: storedContent(upload, workingCopy.name) } : {}),
      ...(typeof name === 'string' && name !== '' ? { name } : {}),
    });
  } catch (error) {
    if (upload) await call.state.repository.content.delete(upload.contentId);
    throw error;
  }
}

/** The PWC to cancel: the one named, or the one of the document named. */
function workingCopyFor(call: CmisCall, target: RepoNode): RepoNode {
  const workingCopy = isWorkingCopy(target) ? target : workingCopyOf(call.state.repository, target);
  if (!workingCopy) throw new CmisError('versioning', `The document is not checked out: ${target.id}`);
  return writable(call, workingCopy);
}

/**
 * setContentStream (§2.2.4.16): on a document, its next (minor) version, as Alfresco makes one (1.0 →
 * 1.1); on a working copy, its bytes. `overwriteFlag` (default true) false refuses a document with content.
 */
async function setContent(call: CmisCall, form: ActionForm, target: RepoNode): Promise<RepoNode> {
  const { repository } = call.state;
  const node = writable(call, target);
  if (!node.content) throw new CmisError('constraint', `The object cannot have content: ${node.id}`);
  if (!isWorkingCopy(node) && workingCopyOf(repository, node)) throw new CmisError('versioning', `The document is checked out; change its working copy: ${node.name}`);
  if (!call.params.boolean('overwriteFlag', true)) throw new CmisError('contentAlreadyExists', `The document has content and overwriteFlag is false: ${node.name}`);
  const upload = form.take();
  if (!upload) throw new CmisError('invalidArgument', 'The content stream is missing');
  try {
    return await repository.updateContent(node, storedContent(upload, node.name), call.userId, { majorVersion: false });
  } catch (error) {
    await repository.content.delete(upload.contentId);
    throw error;
  }
}

/** deleteObject (§2.2.4.14): a folder must be empty; deleting a working copy cancels the check-out. */
async function deleteObject(call: CmisCall, target: RepoNode): Promise<void> {
  const { repository, ids } = call.state;
  const node = writable(call, target);
  const protectedIds = [ids.companyHome, ids.shared, ids.sites, ...Object.values(ids.userHomes)];
  if (protectedIds.includes(node.id)) throw new CmisError('permissionDenied', `This folder cannot be deleted: ${node.name}`);
  if (isWorkingCopy(node)) return cancelCheckOut(repository, node, call.userId);
  if (workingCopyOf(repository, node)) throw new CmisError('versioning', `The document is checked out: ${node.name}`);
  if (isFolder(node) && repository.children(node.id).length > 0) throw new CmisError('constraint', `The folder is not empty: ${node.name}`);
  await repository.delete(node);
}
