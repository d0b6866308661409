import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ApiError } from '../api/api-error.ts';
import { RepoError, type RepoErrorKind } from '../repository/repository.ts';

/** The exceptions of CMIS 1.1 §2.2.1.4, with the HTTP status the browser binding gives each (§5.2.10, as AtomPub's §3.2.4). */
const STATUS = {
  invalidArgument: 400,
  filterNotValid: 400,
  objectNotFound: 404,
  permissionDenied: 403,
  streamNotSupported: 403,
  notSupported: 405,
  constraint: 409,
  contentAlreadyExists: 409,
  nameConstraintViolation: 409,
  updateConflict: 409,
  versioning: 409,
  runtime: 500,
  storage: 500,
} as const satisfies Record<string, ContentfulStatusCode>;

export type CmisException = keyof typeof STATUS;

/** A refusal the binding answers with `{ exception, message }` and the exception's status. */
export class CmisError extends Error {
  constructor(
    readonly exception: CmisException,
    message: string,
  ) {
    super(message);
  }

  get status(): ContentfulStatusCode {
    return STATUS[this.exception];
  }
}

// How Alfresco's CMIS layer words the repository's refusals: a taken name is contentAlreadyExists there
// (AlfrescoCmisServiceImpl catches FileExistsException so), a name it cannot store nameConstraintViolation.
const BY_KIND: Record<RepoErrorKind, CmisException> = {
  duplicate: 'contentAlreadyExists',
  exists: 'contentAlreadyExists',
  'invalid-name': 'nameConstraintViolation',
  'not-found': 'objectNotFound',
  forbidden: 'permissionDenied',
  'not-a-folder': 'invalidArgument',
  'not-a-file': 'constraint',
};

const BY_STATUS: Record<number, CmisException> = { 400: 'invalidArgument', 403: 'permissionDenied', 404: 'objectNotFound', 409: 'constraint', 422: 'nameConstraintViolation' };

/** The binding's error handler: every refusal in CMIS's words, anything unexpected as `runtime`. */
export function cmisErrorHandler(error: Error, c: Context): Response {
  const refusal =
    error instanceof CmisError
      ? error
      : error instanceof RepoError
        ? new CmisError(BY_KIND[error.kind], error.message)
        : error instanceof ApiError
          ? new CmisError(BY_STATUS[error.status] ?? 'runtime', error.message)
          : undefined;
  if (!refusal) console.error('sandbox: unexpected CMIS error', error);
  const { exception, message, status } = refusal ?? new CmisError('runtime', 'An unexpected error occurred');
  return c.json({ exception, message }, status);
}
