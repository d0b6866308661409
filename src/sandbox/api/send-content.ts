import type { Context } from 'hono';
import { Readable } from 'node:stream';
import type { RepoNode } from '../repository/node.ts';
import type { SandboxState } from '../state.ts';
import { parseByteRange, type ByteRange } from '../../protocol/byte-range.ts';
import { booleanParam } from './list-params.ts';

export interface ContentToSend {
  name: string;
  mimeType: string;
  size: number;
  modifiedAt: Date;
  open(range?: ByteRange): Promise<Readable>;
}

// Types a browser can show inline; anything else is always sent as an attachment, as Alfresco does.
const PREVIEWABLE = /^(image\/|application\/pdf$|text\/plain$|video\/|audio\/)/;

/**
 * Streams file bytes the way Alfresco's content endpoints do: `attachment` (default true),
 * `If-Modified-Since` → 304, a single `Range` → 206 (416 when it cannot be satisfied), `Accept-Ranges`.
 */
export async function sendContent(c: Context, content: ContentToSend): Promise<Response> {
  const lastModified = new Date(Math.floor(content.modifiedAt.getTime() / 1000) * 1000);
  const headers: Record<string, string> = {
    'Content-Type': content.mimeType,
    'Accept-Ranges': 'bytes',
    'Last-Modified': lastModified.toUTCString(),
    'Cache-Control': 'no-cache',
    ETag: `"${lastModified.getTime().toString(16)}-${content.size.toString(16)}"`,
  };
  const attachment = booleanParam(c.req.query('attachment'), 'attachment', true) || !PREVIEWABLE.test(content.mimeType);
  headers['Content-Disposition'] = `${attachment ? 'attachment' : 'inline'}; filename="${asciiName(content.name)}"; filename*=UTF-8''${encodeURIComponent(content.name)}`;

  const since = Date.parse(c.req.header('If-Modified-Since') ?? '');
  if (!Number.isNaN(since) && lastModified.getTime() <= since) return new Response(null, { status: 304, headers });

  const rangeHeader = c.req.header('Range');
  if (rangeHeader !== undefined) {
    const range = parseByteRange(rangeHeader, content.size);
    if (range === 'unsatisfiable') return new Response(null, { status: 416, headers: { ...headers, 'Content-Range': `bytes */${content.size}` } });
    if (range) {
      const stream = await content.open(range);
      return new Response(toWebStream(stream), {
        status: 206,
        headers: { ...headers, 'Content-Range': `bytes ${range.start}-${range.end}/${content.size}`, 'Content-Length': String(range.end - range.start + 1) },
      });
    }
  }
  const body = c.req.method === 'HEAD' ? null : toWebStream(await content.open());
  return new Response(body, { status: 200, headers: { ...headers, 'Content-Length': String(content.size) } });
}

/** A file node's bytes from the content store, through the download fault switch. */
export function sendFileContent(c: Context, { repository, faults }: SandboxState, node: RepoNode): Promise<Response> {
  const content = node.content!;
  return sendContent(c, {
    name: node.name,
    mimeType: content.mimeType,
    size: content.sizeInBytes,
    modifiedAt: node.modifiedAt,
    open: async (range) => faults.download(await repository.content.read(content.contentId, range), range ? range.end - range.start + 1 : content.sizeInBytes),
  });
}

/** Bytes already in memory (a thumbnail, a placeholder), with the same Range and 304 handling. */
export function sendBytes(c: Context, { name, mimeType, modifiedAt, bytes }: { name: string; mimeType: string; modifiedAt: Date; bytes: Buffer }): Promise<Response> {
  return sendContent(c, {
    name,
    mimeType,
    size: bytes.length,
    modifiedAt,
    open: async (range) => Readable.from([range ? bytes.subarray(range.start, range.end + 1) : bytes]),
  });
}

function asciiName(name: string): string {
  return name.replace(/[^\x20-\x7e]|["\\]/g, '_');
}

/**
 * A web stream over a Node stream that errors when the Node stream breaks off. Node 20's Readable.toWeb
 * closes normally instead, which leaves a client waiting for bytes that never come; a broken download
 * must reset the connection.
 */
function toWebStream(stream: Readable): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      let settled = false;
      const fail = (error: Error) => {
        if (settled) return;
        settled = true;
        controller.error(error);
      };
      stream.on('data', (chunk: Buffer) => {
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 0) <= 0) stream.pause();
      });
      stream.once('end', () => {
        settled = true;
        controller.close();
      });
      stream.on('error', fail);
      stream.once('close', () => fail(new Error('the content stream closed before its end')));
    },
    pull() {
      stream.resume();
    },
    cancel(reason) {
      stream.destroy(reason instanceof Error ? reason : undefined);
    },
  });
}
