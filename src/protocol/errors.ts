/**
 * The one registry of error codes shared by the companion and the browser.
 *
 * Each code has the HTTP status the companion answers with and the filepicker v2 `FPError` number the
 * v2 global reports, so both faces of the API stay consistent. Codes are stable: add, never rename.
 */
export const ERRORS = {
  FS_ERR_INVALID_OPTION: { status: 400, fpCode: 400, summary: 'An option is missing, unknown or of the wrong type.' },
  FS_ERR_INVALID_REQUEST: { status: 400, fpCode: 400, summary: 'The request is malformed.' },
  FS_ERR_UNKNOWN_API_KEY: { status: 403, fpCode: 403, summary: 'No app has this API key.' },
  FS_ERR_ORIGIN_NOT_ALLOWED: { status: 403, fpCode: 403, summary: 'This page’s origin is not allowed for the app.' },
  FS_ERR_NOT_CONNECTED: { status: 401, fpCode: 403, summary: 'Connect to the source first.' },
  FS_ERR_RECONNECT: { status: 401, fpCode: 403, summary: 'The connection to the source expired; connect again.' },
  FS_ERR_CONNECT_DENIED: { status: 403, fpCode: 403, summary: 'Access to the source was refused during sign-in.' },
  FS_ERR_CONNECT_EXPIRED: { status: 400, fpCode: 400, summary: 'The sign-in attempt expired or was already used; start again.' },
  FS_ERR_CONNECT_FAILED: { status: 502, fpCode: 502, summary: 'Signing in to the source did not succeed.' },
  FS_ERR_FORBIDDEN: { status: 403, fpCode: 403, summary: 'You may not do this in the source.' },
  FS_ERR_POLICY: { status: 403, fpCode: 403, summary: 'The security policy does not allow this call.' },
  FS_ERR_HANDLE_PROOF: { status: 403, fpCode: 403, summary: 'Writing or removing a file needs its handle token, its owner’s session or a signed policy for the call.' },
  FS_ERR_POLICY_REQUIRED: { status: 403, fpCode: 400, summary: 'This app requires a signed security policy (policy and signature) with each call.' },
  FS_ERR_URL_REFUSED: { status: 403, fpCode: 403, summary: 'The companion does not fetch from this address.' },
  FS_ERR_NOT_FOUND: { status: 404, fpCode: 404, summary: 'Not found.' },
  FS_ERR_CONFLICT: { status: 409, fpCode: 409, summary: 'Something with that name already exists.' },
  FS_ERR_TOO_LARGE: { status: 413, fpCode: 413, summary: 'The file (or the request) is larger than allowed.' },
  FS_ERR_RATE_LIMITED: { status: 429, fpCode: 429, summary: 'Too many requests; try again shortly.' },
  FS_ERR_QUOTA: { status: 507, fpCode: 413, summary: 'The app has used all the storage the companion allows it.' },
  FS_ERR_BUSY: { status: 503, fpCode: 503, summary: 'The companion is busy with other work; try again shortly (see Retry-After).' },
  FS_ERR_UPSTREAM: { status: 502, fpCode: 502, summary: 'The source did not answer as expected.' },
  FS_ERR_NETWORK: { status: 0, fpCode: 0, summary: 'The companion server could not be reached.' },
  FS_ERR_PICKER_CLOSED: { status: 0, fpCode: 101, summary: 'The picker was closed before a file was chosen.' },
  FS_ERR_EXPORT_CLOSED: { status: 0, fpCode: 131, summary: 'The save dialog was closed before the file was saved.' },
  FS_ERR_INTERNAL: { status: 500, fpCode: 500, summary: 'Something went wrong on the companion server.' },
} as const satisfies Record<string, { status: number; fpCode: number; summary: string }>;

export type ErrorCode = keyof typeof ERRORS;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERRORS, value);
}

/** The JSON body of every error the companion sends. `message` is for people; `code` is for programs. */
export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    /** The option or field that was wrong, when one was. */
    field?: string;
  };
}

/** The longest message a companion's answer may put in front of people. */
const MAX_MESSAGE_LENGTH = 500;

/** An error with a stable code, thrown on both sides and carried over the wire as {@link ErrorBody}. */
export class FsError extends Error {
  override readonly name = 'FsError';
  readonly code: ErrorCode;
  readonly field: string | undefined;

  constructor(code: ErrorCode, message: string = ERRORS[code].summary, options: { field?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.field = options.field;
  }

  get status(): number {
    return ERRORS[this.code].status;
  }

  /** The filepicker v2 `FPError` number for this error. */
  get fpCode(): number {
    return ERRORS[this.code].fpCode;
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.field === undefined ? {} : { field: this.field }) } };
  }

  /** Rebuilds the error from a companion answer; anything unexpected becomes `FS_ERR_UPSTREAM`. */
  static fromBody(body: unknown, fallback: ErrorCode = 'FS_ERR_UPSTREAM'): FsError {
    const error = (body as Partial<ErrorBody> | null)?.error;
    if (error && isErrorCode(error.code) && typeof error.message === 'string') {
      // A blank message would show people nothing: the code's own summary says what happened. One past
      // any message of ours is cut: the dialog shows it whole.
      const message = error.message.trim() === '' ? ERRORS[error.code].summary : error.message.length > MAX_MESSAGE_LENGTH ? `${error.message.slice(0, MAX_MESSAGE_LENGTH)}…` : error.message;
      return new FsError(error.code, message, typeof error.field === 'string' ? { field: error.field } : {});
    }
    return new FsError(fallback);
  }
}
