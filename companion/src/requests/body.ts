import type { Context } from 'hono';
import type * as v from 'valibot';
import { describeValue, FsError } from 'fs-picker/protocol';
import { checkFields, checkInput } from './check.ts';
import { contentLength } from './headers.ts';
import { jsonBodyLimitOf } from './limit.ts';

/**
 * Reads the request body as a JSON object, within the Context's limit, and checks it with `schema`. An
 * empty (or blank) body is `undefined`, which a schema may accept. Error codes: check.ts.
 */
export async function readJson<S extends v.GenericSchema>(c: Context, schema: S, verb?: string): Promise<v.InferOutput<S>> {
  return checkInput(schema, await readJsonValue(c, verb), verb);
}

/** Like `readJson`, but names every field at fault (`FieldsError`), for forms that mark each one. */
export async function readJsonFields<S extends v.GenericSchema>(c: Context, schema: S): Promise<v.InferOutput<S>> {
  return checkFields(schema, await readJsonValue(c));
}

/** The body parsed as a JSON object (or `undefined` when empty), unchecked: for a caller that reports every field, as the portal does. */
export async function readJsonValue(c: Context, verb?: string): Promise<unknown> {
  const prefix = verb === undefined ? '' : `${verb}: `;
  const bytes = await readLimited(c, jsonBodyLimitOf(c));
  let value: unknown;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    if (text.trim() === '') return undefined;
    value = JSON.parse(text);
  } catch {
    throw new FsError('FS_ERR_INVALID_REQUEST', `${prefix}the request body must be JSON.`, { field: 'body' });
  }
  // valibot takes an array for an object; every body the companion reads is an object.
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FsError('FS_ERR_INVALID_REQUEST', `${prefix}the request body must be a JSON object, got ${describeValue(value)}.`, { field: 'body' });
  }
  return value;
}

/**
 * The raw body, counted while it is read: a declared Content-Length over the limit is refused before any
 * byte is read, and a body that goes over is refused at the chunk that crosses it.
 */
async function readLimited(c: Context, limit: number): Promise<Uint8Array> {
  const declared = contentLength(c.req.header('Content-Length'));
  if (declared !== undefined && declared > limit) throw tooLarge(c, limit);
  const body = c.req.raw.body;
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) throw tooLarge(c, limit);
      chunks.push(value);
    }
  } finally {
    // Released, not cancelled: cancelling would destroy the socket before the 413 could be sent.
    reader.releaseLock();
  }
  return Buffer.concat(chunks);
}

function tooLarge(c: Context, limit: number): FsError {
  // The rest of the body is never read: the answer closes the connection instead of draining it.
  c.header('Connection', 'close');
  return new FsError('FS_ERR_TOO_LARGE', `The request body is larger than the companion accepts for JSON (${limit} bytes, limits.jsonBodyBytes).`);
}
