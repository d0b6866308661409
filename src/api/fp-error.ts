import { FsError, type ErrorCode } from '../protocol/errors.ts';

/**
 * filepicker v2's error: a numeric `code` (notes/pickers-landscape.md §c.2, `filepicker_debug.js`) and a
 * readable message. The fs-picker error it came from is kept as `fsCode`, `field` and `cause`.
 *
 *   101 the picker was closed · 115 read: not found · 118 read failed · 121–123 write · 131 the export
 *   dialog was closed · 141–143 convert (not found, bad parameters, failed) · 151–153 store (not reached,
 *   could not save, failed) · 161–163 stat · 171–173 remove (not found, not reached, failed) ·
 *   400 a bad option or request · 403 not allowed
 */
export class FPError extends Error {
  override readonly name = 'FPError';
  readonly code: number;
  /** The fs-picker error code (`FS_ERR_…`), when the error came from one. */
  readonly fsCode: ErrorCode | undefined;
  /** The option or field at fault, when there is one. */
  readonly field: string | undefined;

  constructor(code: number, message: string, options: { fsCode?: ErrorCode | undefined; field?: string | undefined; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.fsCode = options.fsCode;
    this.field = options.field;
  }

  /** v2 printed errors as "FPError 101. The user closed the picker…". */
  override toString(): string {
    return `FPError ${this.code}. ${this.message}`;
  }
}

/** The verbs whose failures have codes of their own in v2. */
export type FPVerb =
  | 'pick'
  | 'pickMultiple'
  | 'pickFolder'
  | 'pickAndStore'
  | 'exportFile'
  | 'convert'
  | 'store'
  | 'storeUrl'
  | 'read'
  | 'stat'
  | 'write'
  | 'writeUrl'
  | 'remove'
  | 'logout';

/** Per verb: the codes for not found, the store not reached, bad parameters (400 when v2 had none) and anything else. */
interface VerbCodes {
  notFound: number;
  unreachable: number;
  bad: number;
  other: number;
}

const VERB_CODES: Partial<Record<FPVerb, VerbCodes>> = {
  read: { notFound: 115, unreachable: 118, bad: 400, other: 118 },
  write: { notFound: 121, unreachable: 123, bad: 122, other: 123 },
  writeUrl: { notFound: 121, unreachable: 123, bad: 122, other: 123 },
  convert: { notFound: 141, unreachable: 143, bad: 142, other: 143 },
  store: { notFound: 152, unreachable: 151, bad: 152, other: 153 },
  storeUrl: { notFound: 152, unreachable: 151, bad: 152, other: 153 },
  pickAndStore: { notFound: 152, unreachable: 151, bad: 400, other: 153 },
  stat: { notFound: 161, unreachable: 162, bad: 400, other: 163 },
  remove: { notFound: 171, unreachable: 172, bad: 400, other: 173 },
};

/** Codes that mean "not allowed", whatever the verb (v2's 403). */
const NOT_ALLOWED = new Set<ErrorCode>(['FS_ERR_FORBIDDEN', 'FS_ERR_POLICY', 'FS_ERR_HANDLE_PROOF', 'FS_ERR_UNKNOWN_API_KEY', 'FS_ERR_ORIGIN_NOT_ALLOWED', 'FS_ERR_NOT_CONNECTED', 'FS_ERR_RECONNECT', 'FS_ERR_CONNECT_DENIED', 'FS_ERR_URL_REFUSED']);

/** The v2 code of `error` thrown by `verb`. */
export function fpCodeOf(verb: FPVerb, error: FsError): number {
  const { code } = error;
  if (code === 'FS_ERR_PICKER_CLOSED' || code === 'FS_ERR_EXPORT_CLOSED') return error.fpCode;
  if (NOT_ALLOWED.has(code)) return 403;
  if (code === 'FS_ERR_POLICY_REQUIRED') return 400;
  const codes = VERB_CODES[verb];
  if (!codes) return error.fpCode;
  switch (code) {
    case 'FS_ERR_NOT_FOUND':
      return codes.notFound;
    case 'FS_ERR_NETWORK':
      return codes.unreachable;
    case 'FS_ERR_INVALID_OPTION':
    case 'FS_ERR_INVALID_REQUEST':
    case 'FS_ERR_TOO_LARGE':
      return codes.bad;
    default:
      return codes.other;
  }
}

/** Any failure of `verb` as an FPError (an abort stays recognisable: fsCode undefined, name kept in the message). */
export function toFPError(verb: FPVerb, error: unknown): FPError {
  if (error instanceof FPError) return error;
  if (error instanceof FsError) return new FPError(fpCodeOf(verb, error), error.message, { fsCode: error.code, field: error.field, cause: error });
  if (error instanceof DOMException && error.name === 'AbortError') return new FPError(400, `${verb}: the call was aborted.`, { cause: error });
  const message = error instanceof Error ? error.message : String(error);
  return new FPError(VERB_CODES[verb]?.other ?? 500, `${verb}: ${message}`, { cause: error });
}
