import type { IncomingMessage } from 'node:http';
import { randomBytes } from 'node:crypto';
import { finished } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FsError } from 'fs-picker/protocol';
import type { Outbound } from '../../outbound/index.ts';
import { ProviderRefusal, type NewContent } from '../provider.ts';
import { answerBody, answerText, CountBytes } from '../bodies.ts';

/**
 * An action with a content stream (createDocument, checkIn, setContent: CMIS 1.1 §5.4.4), as
 * multipart/form-data whose fields come first and whose file part is the content, piped from
 * `content.stream` as it arrives. When the stream fails or ends short of `content.size`, the request is
 * destroyed before the body is closed, so the repository never sees a whole form and makes nothing.
 * The stream itself is left to the caller, as the Alfresco provider leaves it.
 */
export async function postContent<T>(outbound: Outbound, url: URL, authorization: string, fields: Record<string, string>, content: NewContent): Promise<T> {
  const boundary = `----fs-picker-${randomBytes(12).toString('hex')}`;
  const field = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const head = Buffer.from(
    Object.entries(fields).map(([name, value]) => field(name, value)).join('') +
      `--${boundary}\r\nContent-Disposition: form-data; name="content"; filename="${asciiName(content.filename)}"; filename*=UTF-8''${encodeURIComponent(content.filename)}\r\n` +
      `Content-Type: ${content.mimetype || 'application/octet-stream'}\r\n\r\n`,
    'utf8',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8');
  const headers: Record<string, string> = { Authorization: authorization, 'Content-Type': `multipart/form-data; boundary=${boundary}`, Accept: 'application/json' };
  if (content.size !== undefined) headers['Content-Length'] = String(head.length + content.size + tail.length);

  const { request, response: answer } = outbound.request(url, { method: 'POST', headers });
  const counter = new CountBytes(content.size);
  const cleanup = finished(content.stream, { writable: false }, (error) => {
    if (error) counter.destroy(error);
  });
  content.stream.pipe(counter);
  // A refusal that comes before the whole body went (a 403, a 409) stops the sending.
  answer.then(
    (response) => {
      if ((response.statusCode ?? 0) >= 300) counter.destroy(new Error(`the repository answered ${response.statusCode ?? 0} while the file was being sent`));
    },
    () => {},
  );
  const detach = () => {
    content.stream.unpipe(counter);
    cleanup();
  };
  try {
    request.write(head);
    await pipeline(counter, request, { end: false });
    request.end(tail);
    detach();
  } catch (error) {
    detach();
    request.destroy();
    const early = await Promise.race([answer.catch(() => undefined), new Promise<undefined>((resolve) => setTimeout(resolve, 200))]);
    if (early && (early.statusCode ?? 0) >= 300) return refuse(early);
    if (error instanceof FsError) throw error;
    throw new FsError('FS_ERR_UPSTREAM', 'The file stopped arriving before it was complete; nothing was saved.', { cause: error });
  }
  let response: IncomingMessage;
  try {
    response = await answer;
  } catch (error) {
    request.destroy();
    throw new FsError('FS_ERR_UPSTREAM', `The CMIS repository at ${url.origin} did not answer the upload.`, { cause: error });
  }
  if ((response.statusCode ?? 0) >= 300) return refuse(response);
  return JSON.parse(await answerBody(response)) as T;
}

/** The repository's refusal; a 409 (a taken name: contentAlreadyExists, nameConstraintViolation) concerns the filename. */
async function refuse(response: IncomingMessage): Promise<never> {
  const detail = await answerText(response);
  const status = response.statusCode ?? 0;
  throw new ProviderRefusal(status, detail, status === 409 ? 'filename' : undefined);
}


function asciiName(name: string): string {
  // Non-ASCII goes in filename*; the plain parameter keeps printable ASCII only.
  return name.replace(/[^\x20-\x7e]|["\\]/g, '_');
}
