import * as v from 'valibot';
import { FsError } from './errors.ts';
import { SERVICE_IDS, type ServiceId } from './services.ts';
import { describeValue } from './validate.ts';

/**
 * A picked, stored, converted or exported file: filepicker v2's Blob (notes §c.1) plus `handle` and
 * `source`. Every verb that takes a file accepts this record or its `url` (see {@link toHandle}).
 */
export interface FsBlob {
  /** The distributable link, `<companion>/api/file/<handle>`; later verbs take it in place of the Blob. */
  url: string;
  /** The file's name, e.g. "report.pdf". */
  filename: string;
  /** The file's MIME type, e.g. "application/pdf". */
  mimetype: string;
  /** Size in bytes. */
  size: number;
  /** The object key in the storage location, once the file was stored (pickAndStore, store, convert). */
  key?: string;
  /** The bucket or storage container the file was stored in. */
  container?: string;
  /** The file's path: in the storage when stored, else in the source (e.g. the Alfresco folder path). */
  path?: string;
  /** The source's display name, as in webhooks: "Alfresco", "Computer". */
  client: string;
  /** The file's index within one pick (0, 1, …), to tell several picked files apart. */
  id: number;
  /** Whether `write` may overwrite the file (it is written back to its source). */
  isWriteable: boolean;
  /** The companion's opaque file handle; the last segment of `url`. */
  handle: string;
  /** The service the file came from, e.g. 'ALFRESCO'. */
  source: ServiceId;
  /** True for the result of `convert`. */
  converted?: boolean;
}

/** Where the companion serves files: `<companion>${FILE_ROUTE}<handle>`. */
export const FILE_ROUTE = '/api/file/';

/**
 * What a handle may look like: URL-safe characters (RFC 3986 unreserved), not starting with a dot, so a
 * handle is one path segment that never needs escaping and can never be "." or "..".
 */
export const HANDLE_PATTERN = /^[A-Za-z0-9_~-][A-Za-z0-9._~-]{0,255}$/;

export function isHandle(value: unknown): value is string {
  return typeof value === 'string' && HANDLE_PATTERN.test(value);
}

/** A file handle in a request (store-handle, convert, export's `handle` source) or a Blob. */
export const HandleSchema = v.pipe(v.string('must be a string'), v.regex(HANDLE_PATTERN, 'must be a file handle'));

const nonNegativeInt = (message: string) => v.pipe(v.number(message), v.integer(message), v.minValue(0, message));

/**
 * The runtime check of a Blob from the wire. Unknown fields are dropped rather than refused, so a browser
 * keeps working against a newer companion that sends more.
 */
export const BlobSchema = v.object({
  url: v.pipe(v.string('must be a string'), v.url('must be an absolute URL')),
  filename: v.string('must be a string'),
  mimetype: v.string('must be a string'),
  size: nonNegativeInt('must be a whole number of bytes'),
  key: v.optional(v.string('must be a string')),
  container: v.optional(v.string('must be a string')),
  path: v.optional(v.string('must be a string')),
  client: v.string('must be a string'),
  id: nonNegativeInt('must be a whole number from 0'),
  isWriteable: v.boolean('must be true or false'),
  handle: HandleSchema,
  source: v.picklist(SERVICE_IDS, 'must be a service id'),
  converted: v.optional(v.boolean('must be true or false')),
}) satisfies v.GenericSchema<unknown, FsBlob>;

/** The distributable link of `handle` on the companion at `companion` (its base URL). */
export function fileUrl(companion: string, handle: string): string {
  if (!isHandle(handle)) throw new FsError('FS_ERR_INVALID_REQUEST', `not a file handle: ${describeValue(handle)}`);
  return `${companion.replace(/\/+$/, '')}${FILE_ROUTE}${handle}`;
}

/** The handle in a companion file URL (absolute or relative, query and hash ignored), if it is one. */
function handleFromUrl(url: string): string | undefined {
  let pathname: string;
  try {
    pathname = new URL(url, 'http://relative.invalid').pathname;
  } catch {
    return undefined;
  }
  const match = /\/api\/file\/([^/]+)\/?$/.exec(pathname);
  if (match?.[1] === undefined) return undefined;
  try {
    const handle = decodeURIComponent(match[1]);
    return isHandle(handle) ? handle : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The handle of a file given as v2 lets every verb take it: a Blob, a companion file URL
 * (`…/api/file/HANDLE`, optionally with a query), or a bare handle. Throws `FS_ERR_INVALID_OPTION`
 * with `field: 'input'` otherwise; `verb` prefixes the message ("convert: …").
 */
export function toHandle(input: FsBlob | string, verb?: string): string {
  const prefix = verb === undefined ? '' : `${verb}: `;
  const fail = (message: string) => new FsError('FS_ERR_INVALID_OPTION', `${prefix}${message}`, { field: 'input' });
  const expected = 'a Blob, a companion file URL (…/api/file/HANDLE) or a file handle';

  if (typeof input === 'string') {
    const text = input.trim();
    if (HANDLE_PATTERN.test(text)) return text;
    if (text.includes('/')) {
      const handle = handleFromUrl(text);
      if (handle !== undefined) return handle;
      throw fail(
        `${describeValue(input)} is not a companion file URL (…/api/file/HANDLE); ` +
          'to use a file from elsewhere, store it first with storeUrl',
      );
    }
    throw fail(`expected ${expected}, got ${describeValue(input)}`);
  }
  if (typeof input === 'object' && input !== null) {
    // Blob-like objects from v2 code may carry only `url`.
    const { handle, url } = input as Partial<Record<'handle' | 'url', unknown>>;
    if (isHandle(handle)) return handle;
    const fromUrl = typeof url === 'string' ? handleFromUrl(url) : undefined;
    if (fromUrl !== undefined) return fromUrl;
    throw fail(`the Blob has neither a valid "handle" nor a companion file "url" (…/api/file/HANDLE)`);
  }
  throw fail(`expected ${expected}, got ${describeValue(input)}`);
}
