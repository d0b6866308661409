import { Readable } from 'node:stream';

export type CmisJs = (typeof import('cmis/dist/cmis.js'))['cmis'];

interface FormDataStream {
  getHeaders(): Record<string, string>;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  resume(): unknown;
}

/**
 * CmisJS (npm `cmis`), the independent client the sandbox's CMIS binding is checked with. It was written
 * for node-fetch 1 and the form-data package: importing it puts form-data@1 in `globalThis.FormData` for
 * good, and its multipart bodies are that package's old-style streams, which the platform's fetch would
 * send as "[object FormData]". So this wraps `globalThis.fetch` once: such a body is sent as its bytes,
 * with its own boundary header; every other call is the platform's fetch unchanged. Contents must be
 * given to CmisJS as Buffers (it hands strings to form-data as Blobs, which that version cannot read).
 * Import this only in a test process of its own (node:test runs each file in one).
 */
export async function loadCmisJs(): Promise<CmisJs> {
  const platformFetch = globalThis.fetch;
  const { cmis } = await import('cmis/dist/cmis.js');
  globalThis.fetch = async (input, init) => {
    const body = init?.body as unknown;
    if (!isFormDataStream(body)) return platformFetch(input, init);
    const headers = new Headers(init!.headers);
    for (const [name, value] of Object.entries(body.getHeaders())) headers.set(name, value);
    return platformFetch(input, { ...init, headers, body: new Uint8Array(await bytesOf(body)) });
  };
  return cmis;
}

function isFormDataStream(body: unknown): body is FormDataStream {
  return typeof body === 'object' && body !== null && typeof (body as Partial<FormDataStream>).getHeaders === 'function' && !(body instanceof Readable);
}

function bytesOf(form: FormDataStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    form.on('data', (chunk) => chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk))));
    form.on('end', () => resolve(Buffer.concat(chunks)));
    form.on('error', reject);
    form.resume();
  });
}
