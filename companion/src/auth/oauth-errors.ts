import * as oidc from 'openid-client';
import { FsError } from 'fs-picker/protocol';

/** A short description of an OAuth failure for logs: never tokens, only codes and the server's description. */
export function describeOAuthError(error: unknown): { kind: 'refused' | 'unreachable' | 'invalid'; error?: string; description?: string } {
  if (error instanceof oidc.ResponseBodyError) {
    return { kind: error.status >= 500 ? 'unreachable' : 'refused', error: error.error, ...(error.error_description ? { description: error.error_description } : {}) };
  }
  if (error instanceof oidc.AuthorizationResponseError) return { kind: 'refused', error: error.error, ...(error.error_description ? { description: error.error_description } : {}) };
  if (error instanceof FsError) return { kind: error.code === 'FS_ERR_UPSTREAM' ? 'unreachable' : 'invalid', error: error.code };
  const cause = (error as { cause?: unknown } | null)?.cause;
  if (error instanceof TypeError && (error.message === 'fetch failed' || cause instanceof Error)) return { kind: 'unreachable', error: error.message };
  return { kind: 'invalid', error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
}
