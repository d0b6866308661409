import type { IncomingMessage } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Grant } from '../../auth/grants.ts';
import type { TokenRefresher } from '../../auth/refresher.ts';
import type { Outbound } from '../../outbound/index.ts';
import { ProviderRefusal } from '../provider.ts';
import { answerBody, answerText, sendCounted } from '../bodies.ts';
import type { AlfrescoNode } from './adapter.ts';
import { CORE_PATH } from './client.ts';

/**
 * Streaming uploads into Alfresco: `POST nodes/{folder}/children` (multipart/form-data, a new file) and
 * `PUT nodes/{id}/content` (a new version). The bytes are piped from `stream` into the request as they
 * arrive, never held whole. When `stream` fails or ends short of `size`, the request is destroyed before
 * the multipart body is closed, so Alfresco never sees a complete upload and creates no node. `stream`
 * itself is not destroyed here: what happens to the rest of it is the caller's choice.
 *
 * Not through AlfrescoClient.request: a streamed body cannot be sent twice, so there is no retry after a
 * 401; the grant is refreshed up front instead (and a 401 becomes FS_ERR_RECONNECT).
 */

export interface UploadSource {
  stream: Readable;
  filename: string;
  /** The new content's type; empty to let Alfresco guess from the name. */
  mimetype: string;
  /** The size when known (sent as Content-Length, and checked); otherwise the body is chunked. */
  size?: number;
}

export interface UploadTarget {
  repositoryUrl: string;
  refresher: TokenRefresher;
  /**
   * The way the upload leaves: its answer must start within the outbound's `answerMs` after the last
   * byte went out; the body itself may take as long as it takes.
   */
  outbound: Outbound;
}

const INCLUDE = 'allowableOperations,path';

/** A new file in `folderId`; `autoRename` gives it the next free name when the name is taken. */
export async function createFile(target: UploadTarget, grant: Grant, folderId: string, source: UploadSource, { autoRename }: { autoRename: boolean }): Promise<AlfrescoNode> {
  const boundary = `----fs-picker-${randomBytes(12).toString('hex')}`;
  const field = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const head = Buffer.from(
    field('name', source.filename) +
      field('nodeType', 'cm:content') +
      field('autoRename', String(autoRename)) +
      `--${boundary}\r\nContent-Disposition: form-data; name="filedata"; filename="${quoted(source.filename)}"; filename*=UTF-8''${encodeURIComponent(source.filename)}\r\n` +
      `Content-Type: ${source.mimetype || 'application/octet-stream'}\r\n\r\n`,
    'utf8',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8');
  const path = `${CORE_PATH}/nodes/${encodeURIComponent(folderId)}/children?include=${INCLUDE}&autoRename=${autoRename}`;
  return send(target, grant, 'POST', path, {
    contentType: `multipart/form-data; boundary=${boundary}`,
    head,
    source,
    tail,
    expect: 201,
  });
}

/** The bytes as a new (minor) version of the file `nodeId`; its name and history stay. */
export async function updateContent(target: UploadTarget, grant: Grant, nodeId: string, source: UploadSource): Promise<AlfrescoNode> {
  const path = `${CORE_PATH}/nodes/${encodeURIComponent(nodeId)}/content?include=${INCLUDE}&majorVersion=false`;
  return send(target, grant, 'PUT', path, {
    contentType: source.mimetype || 'application/octet-stream',
    head: Buffer.alloc(0),
    source,
    tail: Buffer.alloc(0),
    expect: 200,
  });
}

/** Deletes a node for good (used to undo a create whose follow-up failed). Never throws. */
export async function deleteNode(target: UploadTarget, grant: Grant, nodeId: string): Promise<void> {
  try {
    const current = await target.refresher.fresh(grant);
    const url = new URL(`${CORE_PATH}/nodes/${encodeURIComponent(nodeId)}?permanent=true`, target.repositoryUrl);
    const response = await target.outbound.fetch(url, { method: 'DELETE', headers: { Authorization: authorization(current) } });
    await response.body?.cancel();
  } catch {
    // Best effort: the caller is already reporting the failure that led here.
  }
}

function authorization(grant: Grant): string {
  return grant.kind === 'oauth' ? `Bearer ${grant.accessToken}` : `Basic ${Buffer.from(`ROLE_TICKET:${grant.accessToken}`).toString('base64')}`;
}

function quoted(name: string): string {
  // Non-ASCII goes in filename*; the plain parameter keeps printable ASCII only.
  return name.replace(/[^\x20-\x7e]|["\\]/g, '_');
}

async function send(
  target: UploadTarget,
  grant: Grant,
  method: 'POST' | 'PUT',
  path: string,
  { contentType, head, source, tail, expect }: { contentType: string; head: Buffer; source: UploadSource; tail: Buffer; expect: number },
): Promise<AlfrescoNode> {
  const current = await target.refresher.fresh(grant);
  const url = new URL(path, target.repositoryUrl);
  const headers: Record<string, string> = { Authorization: authorization(current), 'Content-Type': contentType, Accept: 'application/json' };
  if (source.size !== undefined) headers['Content-Length'] = String(head.length + source.size + tail.length);
  const response = await sendCounted(target.outbound.request(url, { method, headers }), source, { head, tail, source: `Alfresco at ${url.origin}` });
  if (response.statusCode !== expect) return refuse(response);
  const body = await answerBody(response);
  return (JSON.parse(body) as { entry: AlfrescoNode }).entry;
}

/** Alfresco's refusal, for the provider's error wrapper; a name clash concerns the filename. */
async function refuse(response: IncomingMessage): Promise<never> {
  const detail = await answerText(response);
  const status = response.statusCode ?? 0;
  throw new ProviderRefusal(status === 422 ? 400 : status, detail, status === 409 ? 'filename' : undefined);
}

