import { clearSavedState, readSavedState } from '../controllers/saved-state.ts';
import { throwIfAborted, type VerbCall } from './call.ts';
import { disposeDialog } from './picker-dialog.ts';
import type { CompanionClient } from './transport/client.ts';
import { signOut } from './transport/session.ts';
import { REPOSITORY_SERVICES } from '../protocol/services.ts';

/**
 * v2's `logout()`: signs the person out of every repository (Alfresco, WebDAV, CMIS) for this companion and app (`DELETE /api/session` with
 * the session the picker saved), forgets the saved session, folder and view, and takes the dialog verbs'
 * picker off the page so the next dialog starts signed out. Resolves with whether a session was signed out.
 */
export async function logout(client: CompanionClient, call: VerbCall = {}): Promise<boolean> {
  throwIfAborted(call.signal);
  const target = { server: client.server, apiKey: client.apiKey };
  let signedOut = false;
  for (const source of REPOSITORY_SERVICES) {
    const saved = await readSavedState(target, source);
    if (saved) await signOut(client, saved.session, call.signal);
    await clearSavedState(target, source);
    signedOut ||= saved !== undefined;
  }
  disposeDialog();
  return signedOut;
}
