import { Hono, type Context } from 'hono';
import { Readable } from 'node:stream';
import type { AuthEnv } from '../auth/authenticate.ts';
import { mimeTypeOf } from '../content/index.ts';
import { FOLDER_TYPES, type RepoNode, type StoredContent } from '../repository/node.ts';
import { RepoError } from '../repository/repository.ts';
import type { SandboxState } from '../state.ts';
import { invalidArgument, permissionDenied } from './api-error.ts';
import { booleanParam, csv } from './list-params.ts';
import { nodeEntry } from './node-entry.ts';
import { readMultipart } from './read-multipart.ts';
import { resolveNode } from './resolve.ts';

// Multipart fields that steer the upload; any other field with a prefix (cm:title) becomes a property.
const CONTROL_FIELDS = new Set(['filedata', 'name', 'nodeType', 'relativePath', 'autoRename', 'overwrite', 'majorVersion', 'versioningEnabled', 'comment', 'renditions', 'aspectnames', 'aspectNames']);

// The content model of the sandbox: what a picker creates. A real repository also knows custom types.
const KNOWN_TYPES = new Set(['cm:content', 'cm:folder']);

interface CreateRequest {
  name: string;
  nodeType: string;
  relativePath?: string;
  properties: Record<string, unknown>;
  aspectNames: string[];
  autoRename: boolean;
  overwrite: boolean;
  /** Undefined for an unversioned create (JSON); the first version label otherwise. */
  majorVersion?: boolean;
  content?: StoredContent;
  renditions: string[];
}

/** `POST nodes/{id}/children` (multipart upload or JSON) and `PUT nodes/{id}/content` (a new version). */
export function createNodeRoutes(state: SandboxState): Hono<AuthEnv> {
  const { repository } = state;

  const create = async (c: Context<AuthEnv>, parent: RepoNode, request: CreateRequest): Promise<RepoNode> => {
    const userId = c.get('user').id;
    const folder = request.relativePath ? repository.ensureFolders(parent, request.relativePath, userId) : parent;
    if (!repository.canWrite(userId, folder)) throw permissionDenied();
    const existing = repository.childByName(folder.id, request.name);
    if (existing && request.overwrite && !request.autoRename) {
      if (!existing.content || !request.content || !existing.aspectNames.includes('cm:versionable')) {
        throw new RepoError('duplicate', `Duplicate child name not allowed: ${request.name}`);
      }
      return repository.updateContent(existing, request.content, userId, { majorVersion: request.majorVersion ?? false });
    }
    const name = request.autoRename ? repository.uniqueName(folder.id, request.name) : request.name;
    const versioned = request.majorVersion !== undefined && request.content !== undefined;
    const node = repository.create(folder, {
      name,
      nodeType: request.nodeType,
      by: userId,
      aspectNames: [...new Set(['cm:auditable', ...(versioned ? ['cm:versionable'] : []), ...request.aspectNames])],
      properties: { ...request.properties, ...(versioned ? { 'cm:versionLabel': request.majorVersion ? '1.0' : '0.1', 'cm:versionType': request.majorVersion ? 'MAJOR' : 'MINOR' } : {}) },
      ...(request.content ? { content: request.content } : {}),
    });
    for (const id of request.renditions) state.renditions.request(node, id);
    return node;
  };

  const respond = (c: Context<AuthEnv>, node: RepoNode, status: 200 | 201) =>
    c.json({ entry: nodeEntry(repository, node, c.get('user').id, { include: csv(c.req.queries('include')), fields: csv(c.req.queries('fields')), withAspectsAndProperties: true }) }, status);

  return new Hono<AuthEnv>()
    .post('/:nodeId/children', async (c) => {
      const parent = resolveNode(c, state, { relativePath: '' });
      const contentType = c.req.header('Content-Type') ?? '';
      if (contentType.startsWith('multipart/form-data')) {
        const upload = await readMultipart(c.req.raw, repository.content);
        try {
          return respond(c, await create(c, parent, multipartRequest(c, upload)), 201);
        } catch (error) {
          if (upload.file) await repository.content.delete(upload.file.contentId);
          throw error;
        }
      }
      const body: unknown = await c.req.json().catch(() => {
        throw invalidArgument('The request body is not valid JSON');
      });
      const createFromJson = async (item: unknown): Promise<RepoNode> => {
        const request = jsonRequest(c, item);
        if (FOLDER_TYPES.has(request.nodeType)) return create(c, parent, request);
        // A JSON create of a file type makes an empty file.
        const empty = await repository.content.put(Buffer.alloc(0));
        return create(c, parent, { ...request, content: { ...mimeTypeOf(request.name), encoding: 'UTF-8', sizeInBytes: 0, contentId: empty.contentId } });
      };
      if (Array.isArray(body)) {
        const nodes: RepoNode[] = [];
        for (const item of body) nodes.push(await createFromJson(item));
        const userId = c.get('user').id;
        return c.json({ list: { pagination: { count: nodes.length, hasMoreItems: false, totalItems: nodes.length, skipCount: 0, maxItems: nodes.length }, entries: nodes.map((node) => ({ entry: nodeEntry(repository, node, userId) })) } }, 201);
      }
      return respond(c, await createFromJson(body), 201);
    })
    .put('/:nodeId/content', async (c) => {
      const node = resolveNode(c, state, { relativePath: '' });
      const userId = c.get('user').id;
      if (!node.content) throw invalidArgument(`NodeId ${node.id} does not represent a file`);
      if (!repository.canWrite(userId, node)) throw permissionDenied();
      const stored = await repository.content.put(c.req.raw.body ? Readable.fromWeb(c.req.raw.body as import('node:stream/web').ReadableStream) : Buffer.alloc(0));
      const name = c.req.query('name') ?? node.name;
      const declared = (c.req.header('Content-Type') ?? '').split(';')[0]!.trim();
      const type = declared && declared !== 'application/octet-stream' ? { mimeType: declared, mimeTypeName: mimeTypeOf(name).mimeTypeName } : mimeTypeOf(name);
      try {
        await repository.updateContent(node, { ...type, encoding: 'UTF-8', sizeInBytes: stored.size, contentId: stored.contentId }, userId, {
          majorVersion: booleanParam(c.req.query('majorVersion'), 'majorVersion', false),
          name,
        });
      } catch (error) {
        await repository.content.delete(stored.contentId);
        throw error;
      }
      return respond(c, node, 200);
    });
}

/** Query and form both count, as js-api sends autoRename in both. */
function multipartRequest(c: Context<AuthEnv>, { fields, file }: Awaited<ReturnType<typeof readMultipart>>): CreateRequest {
  const value = (name: string): string | undefined => fields.get(name) ?? c.req.query(name);
  const name = value('name') || file?.filename;
  if (!name) throw invalidArgument('Required property is missing: name (or a filedata part with a filename)');
  const declared = file?.mimeType && file.mimeType !== 'application/octet-stream' ? file.mimeType : undefined;
  const guessed = mimeTypeOf(name);
  const properties = Object.fromEntries([...fields].filter(([key]) => !CONTROL_FIELDS.has(key) && key.includes(':')));
  return {
    name,
    nodeType: knownType(value('nodeType') ?? 'cm:content'),
    ...(value('relativePath') ? { relativePath: value('relativePath') } : {}),
    properties,
    aspectNames: csv([value('aspectnames') ?? value('aspectNames') ?? '']),
    autoRename: booleanParam(value('autoRename'), 'autoRename', false),
    overwrite: booleanParam(value('overwrite'), 'overwrite', false),
    majorVersion: booleanParam(value('majorVersion'), 'majorVersion', true),
    ...(file
      ? { content: { mimeType: declared ?? guessed.mimeType, mimeTypeName: declared && declared !== guessed.mimeType ? declared : guessed.mimeTypeName, sizeInBytes: file.size, encoding: 'UTF-8', contentId: file.contentId } }
      : {}),
    renditions: csv([value('renditions') ?? '']),
  };
}

function knownType(nodeType: string): string {
  if (!KNOWN_TYPES.has(nodeType)) throw invalidArgument(`Type is not known to the content model: ${nodeType}`);
  return nodeType;
}

function jsonRequest(c: Context<AuthEnv>, body: unknown): CreateRequest {
  if (typeof body !== 'object' || body === null) throw invalidArgument('The request body must be a JSON object');
  const { name, nodeType, relativePath, properties, aspectNames } = body as Record<string, unknown>;
  if (typeof name !== 'string' || name === '') throw invalidArgument('Required property is missing: name');
  if (typeof nodeType !== 'string' || nodeType === '') throw invalidArgument('Required property is missing: nodeType');
  return {
    name,
    nodeType: knownType(nodeType),
    ...(typeof relativePath === 'string' ? { relativePath } : {}),
    properties: typeof properties === 'object' && properties !== null ? (properties as Record<string, unknown>) : {},
    aspectNames: Array.isArray(aspectNames) ? aspectNames.filter((aspect): aspect is string => typeof aspect === 'string') : [],
    autoRename: booleanParam(c.req.query('autoRename'), 'autoRename', false),
    overwrite: false,
    renditions: [],
  };
}
