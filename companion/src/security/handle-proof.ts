import type { Context } from 'hono';
import { FsError, HANDLE_TOKEN_HEADER, type ParsedSecurityPolicy, type PolicyCall } from 'fs-picker/protocol';
import type { Companion } from '../context.ts';
import type { FileHandle } from '../files/handles.ts';

/** The calls that change or remove a handle's file: a link and the public key are not enough for them. */
export type ChangingCall = Extract<PolicyCall, 'write' | 'writeUrl' | 'remove'>;

/**
 * Checks that a call which changes or removes `handle` brings one proof beyond the link and the app key
 * (both public: the key is in every page, the link is meant to be shared):
 *
 *  - the handle token (`X-FS-Handle-Token`) the companion gave the browser that made the handle;
 *  - `Authorization: Bearer <session>` of the person whose grant a picked handle uses (a stored handle has
 *    no grant, so no session proves anything about it);
 *  - a signed policy, already checked by checkPolicy, whose `call` rule names this call explicitly. Its
 *    `handle` rule, when present, has been checked to name this handle; without one, the app's server has
 *    signed this call for any of its handles. A policy without a `call` rule (it allows every call) is
 *    not proof: such policies are handed to every page to store, and would let anyone holding a link
 *    change it.
 *
 * Without any: 403 FS_ERR_HANDLE_PROOF naming the three.
 */
export async function requireHandleProof(companion: Companion, c: Context, handle: FileHandle, call: ChangingCall, policy: ParsedSecurityPolicy | undefined): Promise<void> {
  if (policy?.call?.includes(call)) return;
  if (companion.handles.tokenMatches(handle, c.req.header(HANDLE_TOKEN_HEADER))) return;
  if (handle.kind === 'link' && handle.grantId !== undefined) {
    const session = /^Bearer\s+(\S+)$/i.exec(c.req.header('Authorization') ?? '')?.[1];
    if (session !== undefined && (await companion.sessions.grantIdOf(session, handle.appKey)) === handle.grantId) return;
  }
  const what = call === 'remove' ? 'Removing' : 'Writing to';
  const session = handle.kind === 'link' ? ', the session of the person who picked it ("Authorization: Bearer …")' : '';
  throw new FsError(
    'FS_ERR_HANDLE_PROOF',
    `${what} this file needs more than its link and the app key: the handle token the companion gave the page that made it ("${HANDLE_TOKEN_HEADER}")${session}, or a signed security policy whose "call" names "${call}".`,
    { field: 'handle' },
  );
}
