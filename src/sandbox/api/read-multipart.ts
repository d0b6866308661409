import busboy from 'busboy';
import { Readable } from 'node:stream';
import type { ContentStore } from '../repository/content-store.ts';
import { invalidArgument } from './api-error.ts';

export interface MultipartUpload {
  fields: Map<string, string>;
  /** The `filedata` part, already streamed into the content store. */
  file?: { filename: string; mimeType: string; contentId: string; size: number };
}

/**
 * Reads a multipart body as js-api and curl send it: text fields in any order around the `filedata` part.
 * The file streams straight into the content store; if the body breaks off, what was stored is removed.
 */
export async function readMultipart(request: Request, store: ContentStore): Promise<MultipartUpload> {
  const contentType = request.headers.get('Content-Type') ?? '';
  if (!request.body) throw invalidArgument('The multipart body is empty');
  const fields = new Map<string, string>();
  let filePart: Promise<MultipartUpload['file']> | undefined;

  await new Promise<void>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: { 'content-type': contentType }, defParamCharset: 'utf8' });
    } catch (error) {
      reject(invalidArgument(`Could not read the multipart body: ${(error as Error).message}`));
      return;
    }
    parser.on('field', (name, value) => fields.set(name, value));
    parser.on('file', (name, stream, info) => {
      if (name !== 'filedata' || filePart) {
        stream.resume();
        return;
      }
      filePart = store.put(stream).then(({ contentId, size }) => ({ filename: info.filename ?? '', mimeType: info.mimeType, contentId, size }));
      filePart.catch(reject);
    });
    parser.on('close', resolve);
    parser.on('error', (error: Error) => reject(invalidArgument(`Could not read the multipart body: ${error.message}`)));
    // A body that breaks off (the client died) must fail the file part too, or its half-written content
    // would stay in the store with the request hanging; Alfresco rolls such an upload back.
    Readable.fromWeb(request.body as import('node:stream/web').ReadableStream)
      .on('error', (error: Error) => {
        parser.destroy(error);
        reject(error);
      })
      .pipe(parser);
  }).catch(async (error: unknown) => {
    const stored = await filePart?.catch(() => undefined);
    if (stored) await store.delete(stored.contentId);
    throw error;
  });

  const file = await filePart;
  return file ? { fields, file } : { fields };
}
