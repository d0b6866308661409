import * as v from 'valibot';
import type { ConnectedUser } from '../../protocol/connect.ts';
import { FsError } from '../../protocol/errors.ts';
import type { CompanionClient } from './client.ts';

/** The answer of `GET /api/session`. */
export const SessionResponseSchema = v.object({
  user: v.object({ id: v.string(), name: v.string() }),
  source: v.string(),
});

/**
 * Who the session belongs to, asked of the source through the companion (`GET /api/session`). Throws the
 * companion's FsError: `FS_ERR_NOT_CONNECTED` when the session is unknown or was signed out,
 * `FS_ERR_RECONNECT` when the source no longer honours the grant.
 */
export async function whoAmI(client: CompanionClient, session: string, signal?: AbortSignal): Promise<ConnectedUser> {
  const { user } = await client.request('/api/session', SessionResponseSchema, { session, signal });
  return { id: user.id, name: user.name };
}

/** Whether an error means the session is gone for good (signed out, unknown, or no longer honoured). */
export function isSessionGone(error: unknown): boolean {
  return error instanceof FsError && (error.code === 'FS_ERR_NOT_CONNECTED' || error.code === 'FS_ERR_RECONNECT');
}

/**
 * Signs out (`DELETE /api/session`): the companion revokes what the source lets it revoke and forgets the
 * grant. A session that is already gone counts as signed out; any other failure is thrown.
 */
export async function signOut(client: CompanionClient, session: string, signal?: AbortSignal): Promise<void> {
  try {
    await client.send('/api/session', { method: 'DELETE', session, signal });
  } catch (error) {
    if (!isSessionGone(error)) throw error;
  }
}
