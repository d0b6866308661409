import type { Context } from 'hono';
import { alfrescoError, type ErrorStatus } from '../errors.ts';
import { RepoError, type RepoErrorKind } from '../repository/repository.ts';

/** A refusal that the sandbox's error handler answers with Alfresco's error JSON. */
export class ApiError extends Error {
  constructor(
    readonly status: ErrorStatus,
    readonly errorKey: string,
    message: string,
  ) {
    super(message);
  }
}

export const invalidArgument = (message: string): ApiError => new ApiError(400, 'framework.exception.InvalidArgument', message);
export const notFound = (id: string): ApiError => new ApiError(404, 'framework.exception.EntityNotFound', `The entity with id: ${id} was not found`);
export const permissionDenied = (): ApiError => new ApiError(403, 'framework.exception.PermissionDenied', 'Permission was denied');

const BY_KIND: Record<RepoErrorKind, (message: string) => ApiError> = {
  // The official 409 uses the message itself as the error key.
  duplicate: (message) => new ApiError(409, message, message),
  exists: (message) => new ApiError(409, 'framework.exception.ConstraintViolated', message),
  'invalid-name': (message) => new ApiError(422, 'framework.exception.InvalidArgument', message),
  'not-found': (message) => new ApiError(404, 'framework.exception.EntityNotFound', message),
  forbidden: () => permissionDenied(),
  'not-a-folder': invalidArgument,
  'not-a-file': invalidArgument,
};

/** The sandbox's error handler: refusals as Alfresco words them, anything else as a 500 with a log id. */
export function sandboxErrorHandler(error: Error, c: Context): Response {
  const refusal = error instanceof RepoError ? BY_KIND[error.kind](error.message) : error;
  if (refusal instanceof ApiError) return alfrescoError(c, refusal.status, refusal.errorKey, refusal.message);
  console.error('sandbox: unexpected error', error);
  return alfrescoError(c, 500, 'framework.exception.ApiDefault', 'An unexpected error occurred');
}
