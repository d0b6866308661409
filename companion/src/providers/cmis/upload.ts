import type { IncomingMessage } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { Outbound } from '../../outbound/index.ts';
import { ProviderRefusal, type NewContent } from '../provider.ts';
import { answerBody, answerText, sendCounted } from '../bodies.ts';

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

  const response = await sendCounted(outbound.request(url, { method: 'POST', headers }), content, { head, tail, source: `The CMIS repository at ${url.origin}` });
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
