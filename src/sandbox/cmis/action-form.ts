import busboy from 'busboy';
import { Readable } from 'node:stream';
import type { ContentStore } from '../repository/content-store.ts';
import { CmisError } from './cmis-error.ts';

/** The content part of an action's form, already in the content store. */
export interface Upload {
  filename: string;
  mimeType: string;
  contentId: string;
  size: number;
}

/**
 * The form of a browser binding action (CMIS 1.1 §5.4.4): `application/x-www-form-urlencoded`, or
 * `multipart/form-data` when it carries a content stream, which is its file part (whatever the part's
 * name; CmisJS calls it "content"). The bytes stream into the content store; an action that does not
 * `take()` them leaves them to {@link ActionForm.discard}.
 */
export class ActionForm {
  #upload: Upload | undefined;

  constructor(
    readonly fields: ReadonlyArray<[string, string]>,
    upload: Upload | undefined,
  ) {
    this.#upload = upload;
  }

  /** The content stream, now the caller's to keep or delete. */
  take(): Upload | undefined {
    const upload = this.#upload;
    this.#upload = undefined;
    return upload;
  }

  /** Deletes the content stream if no action took it. */
  async discard(store: ContentStore): Promise<void> {
    const upload = this.take();
    if (upload) await store.delete(upload.contentId);
  }

  /**
   * The properties of `propertyId[i]` / `propertyValue[i]` (or `propertyValue[i][j]` for a multi-valued
   * one), §5.4.4.3.8.
   */
  properties(): Record<string, string | string[]> {
    const ids = new Map<string, string>();
    const single = new Map<string, string>();
    const multi = new Map<string, string[]>();
    for (const [name, value] of this.fields) {
      const match = /^property(Id|Value)\[(\d+)\](?:\[(\d+)\])?$/i.exec(name);
      if (!match) continue;
      const [, kind, index, position] = match as unknown as [string, string, string, string | undefined];
      if (kind.toLowerCase() === 'id') ids.set(index, value);
      else if (position === undefined) single.set(index, value);
      else (multi.get(index) ?? multi.set(index, []).get(index)!)[Number(position)] = value;
    }
    return Object.fromEntries([...ids].map(([index, id]) => [id, multi.get(index) ?? single.get(index) ?? '']));
  }
}

export async function readActionForm(request: Request, store: ContentStore): Promise<ActionForm> {
  const contentType = request.headers.get('Content-Type') ?? '';
  if (!contentType.toLowerCase().startsWith('multipart/form-data')) {
    return new ActionForm([...new URLSearchParams(await request.text())], undefined);
  }
  if (!request.body) throw new CmisError('invalidArgument', 'The multipart body is empty');
  const fields: Array<[string, string]> = [];
  let stored: Promise<Upload> | undefined;
  await new Promise<void>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: { 'content-type': contentType }, defParamCharset: 'utf8' });
    } catch (error) {
      reject(new CmisError('invalidArgument', `Could not read the multipart body: ${(error as Error).message}`));
      return;
    }
    parser.on('field', (name, value) => fields.push([name, value]));
    parser.on('file', (_name, stream, info) => {
      if (stored) {
        stream.resume();
        return;
      }
      stored = store.put(stream).then(({ contentId, size }) => ({ filename: info.filename ?? '', mimeType: info.mimeType, contentId, size }));
      stored.catch(reject);
    });
    parser.on('close', resolve);
    parser.on('error', (error: Error) => reject(new CmisError('invalidArgument', `Could not read the multipart body: ${error.message}`)));
    // A body that breaks off must fail the stored part too, or half a file would stay in the store.
    Readable.fromWeb(request.body as import('node:stream/web').ReadableStream)
      .on('error', (error: Error) => {
        parser.destroy(error);
        reject(error);
      })
      .pipe(parser);
  }).catch(async (error: unknown) => {
    const upload = await stored?.catch(() => undefined);
    if (upload) await store.delete(upload.contentId);
    throw error;
  });
  return new ActionForm(fields, await stored);
}
