import { fileUrl, type WebhookAction } from 'fs-picker/protocol';
import type { FileHandle } from '../files/handles.ts';

export { WEBHOOK_ACTIONS, type WebhookAction } from 'fs-picker/protocol';

/**
 * `fp.upload`: a file became available through the companion — a pick (a symlink to the file in
 * Alfresco: one event per picked file), a pickAndStore copy, a local upload (`store`) or a `storeUrl`.
 * `key`, `container` and `status: "Stored"` are there only when a copy was stored.
 */
export interface UploadText {
  url: string;
  filename: string;
  mimetype: string;
  size: number;
  /** "Alfresco", "Computer" or "URL": where the file came from. */
  client: string;
  key?: string;
  container?: string;
  status?: 'Stored';
}

/** `fp.export`: a file was saved into a repository (exportFile). */
export interface ExportText {
  /** The input's URL (what was exported). */
  source: string;
  /** The repository it was saved into: "Alfresco", "WebDAV" or "CMIS". */
  client: string;
  /** The name it got there. */
  filename: string;
  /** When the new file was created, ISO 8601. */
  created: string;
  /** The distributable link of the new file. */
  url: string;
}

/** Where a converted file's source lives: our default storage, S3, or (a picked file's link) its repository's name: "Alfresco", "WebDAV", "CMIS". */
export type ConverseProvider = 'internal' | 'amazon' | (string & {});

/** `fp.converse`: a conversion stored a new file. `url` is the source's link, `link` the new file. */
export interface ConverseText {
  url: string;
  link: {
    url: string;
    handle: string;
    filename: string;
    mimetype: string;
    size: number;
    key?: string;
    container?: string;
    path?: string;
    /** Where the *source* file lives. */
    provider: ConverseProvider;
  };
}

/** `fp.delete`: a handle was removed (`remove`). */
export interface DeleteText {
  url: string;
}

/** `fp.dialog`: the picker opened for an app (POST /api/dialog). */
export interface DialogText {
  apikey: string;
  /** "open" (pick) or "export" (save to). */
  dialogType: 'open' | 'export';
  /** The page that opened it, when a browser said so. */
  origin?: string;
  services?: string[];
  accept?: string[];
}

export interface WebhookTexts {
  'fp.dialog': DialogText;
  'fp.upload': UploadText;
  'fp.export': ExportText;
  'fp.converse': ConverseText;
  'fp.delete': DeleteText;
}

/** What a webhook URL receives as the JSON body. */
export type WebhookEvent = {
  [A in WebhookAction]: { id: number; action: A; timestamp: number; text: WebhookTexts[A] };
}[WebhookAction];

/** An event about to be written: the action and its text. */
export type NewWebhookEvent = { [A in WebhookAction]: { action: A; text: WebhookTexts[A] } }[WebhookAction];

/** The `fp.upload` event for a new handle (a pick's symlink or a stored copy); `client` names its source ("Alfresco"). */
export function uploadEvent(publicUrl: string, handle: Pick<FileHandle, 'handle' | 'kind' | 'filename' | 'mimetype' | 'size' | 'key' | 'container'>, client: string): NewWebhookEvent {
  const text: UploadText = {
    url: fileUrl(publicUrl, handle.handle),
    filename: handle.filename,
    mimetype: handle.mimetype,
    size: handle.size ?? 0,
    client,
  };
  if (handle.kind === 'stored') Object.assign(text, { key: handle.key, container: handle.container, status: 'Stored' });
  return { action: 'fp.upload', text };
}

/** The `fp.delete` event for a removed handle. */
export function deleteEvent(publicUrl: string, handle: Pick<FileHandle, 'handle'>): NewWebhookEvent {
  return { action: 'fp.delete', text: { url: fileUrl(publicUrl, handle.handle) } };
}

/**
 * The `fp.export` event, for the export route: pass it to `handles.create(init, { event })` for the new
 * node's handle (or to `Webhooks.emit` in the same transaction), so the event is written with the handle.
 */
export function exportEvent(text: Omit<ExportText, 'created'> & { created: string | Date }): NewWebhookEvent {
  const created = text.created instanceof Date ? text.created.toISOString() : text.created;
  return { action: 'fp.export', text: { source: text.source, client: text.client, filename: text.filename, created, url: text.url } };
}

/** Where a conversion's source lives, from its handle; `sourceName` names a picked file's repository. */
export function providerOf(source: Pick<FileHandle, 'kind' | 'location' | 'source'>, sourceName: string): ConverseProvider {
  if (source.kind === 'link') return sourceName;
  return source.location === 'S3' ? 'amazon' : 'internal';
}

/**
 * The `fp.converse` event, for the convert route: `source` is the converted file's handle, `result` the
 * new stored file (its Blob fields). Write it with the new handle: `handles.create(init, { event })`.
 */
export function converseEvent(
  publicUrl: string,
  source: Pick<FileHandle, 'handle' | 'kind' | 'location' | 'source'>,
  result: { handle: string; filename: string; mimetype: string; size: number; key?: string; container?: string; path?: string },
  /** The name of the repository a picked source came from ("Alfresco"). */
  sourceName: string,
): NewWebhookEvent {
  const link: ConverseText['link'] = { url: fileUrl(publicUrl, result.handle), handle: result.handle, filename: result.filename, mimetype: result.mimetype, size: result.size, provider: providerOf(source, sourceName) };
  if (result.key !== undefined) link.key = result.key;
  if (result.container !== undefined) link.container = result.container;
  if (result.path !== undefined) link.path = result.path;
  return { action: 'fp.converse', text: { url: fileUrl(publicUrl, source.handle), link } };
}

/** The body as sent, byte for byte the same on every attempt. */
export function eventBody(id: number, action: WebhookAction, timestamp: number, textJson: string): string {
  return `{"id":${id},"action":${JSON.stringify(action)},"timestamp":${timestamp},"text":${textJson}}`;
}
