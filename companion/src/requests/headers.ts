import { concreteMimetype } from 'fs-picker/protocol';

/** A Content-Length header as a number; anything but plain digits counts as absent. */
export function contentLength(value: string | null | undefined): number | undefined {
  return value != null && /^\d{1,16}$/.test(value) ? Number(value) : undefined;
}

/**
 * A Content-Type worth keeping as a file's type: the protocol's concrete MIME type, parameters dropped.
 * multipart/* is a framing and application/octet-stream says nothing, so both count as absent (the
 * caller's default wins).
 */
export function concreteType(value: string | null | undefined): string | undefined {
  const type = value === null || value === undefined ? undefined : concreteMimetype(value.split(';')[0] ?? '');
  return type && !type.startsWith('multipart/') && type !== 'application/octet-stream' ? type : undefined;
}
