import type { PasswordResult } from '../provider.ts';
import type { CmisClient, CmisSettings } from './client.ts';
import { authorizationOf, tokenOf, type Credential } from './credentials.ts';

/**
 * Signing in to a CMIS repository through the companion's password form. `password`: the user name and
 * password are checked with Basic against the service document and kept as the credential (the browser
 * binding has nothing else). `alfresco`: Alfresco's CMIS, whose people sign in with an Alfresco ticket
 * (POST tickets of the REST API at the binding's origin), as the Alfresco provider's ticket sign-in does;
 * the password then goes no further than that request. (The Alfresco provider's own ticket code is not
 * imported: nothing outside its folder may, test/boundaries/providers.test.ts.)
 */

const TICKETS_PATH = '/alfresco/api/-default-/public/authentication/versions/1/tickets';

export async function signIn(client: CmisClient, settings: CmisSettings, username: string, password: string): Promise<PasswordResult> {
  const credential = settings.signIn === 'alfresco' ? await alfrescoTicket(client, settings, username, password) : ({ scheme: 'basic', user: username, password } as const);
  if ('ok' in credential) return credential;
  try {
    await client.verify({ settings, authorization: authorizationOf(credential) });
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    return { ok: false, reason: status === 401 || status === 403 ? 'refused' : 'unavailable' };
  }
  return { ok: true, tokens: { kind: 'ticket', accessToken: tokenOf(credential), refreshToken: undefined, expiresAt: undefined } };
}

async function alfrescoTicket(client: CmisClient, settings: CmisSettings, userId: string, password: string): Promise<Credential | Extract<PasswordResult, { ok: false }>> {
  let response: Response;
  try {
    response = await client.outbound.fetch(new URL(TICKETS_PATH, settings.url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ userId, password }),
    });
  } catch {
    return { ok: false, reason: 'unavailable' };
  }
  // Alfresco answers 403 for a failed login, 400 for a missing field.
  if (!response.ok) {
    await response.body?.cancel();
    return { ok: false, reason: [400, 401, 403].includes(response.status) ? 'refused' : 'unavailable' };
  }
  const body = (await response.json().catch(() => ({}))) as { entry?: { id?: unknown; userId?: unknown } };
  if (typeof body.entry?.id !== 'string' || body.entry.id === '') return { ok: false, reason: 'unavailable' };
  return { scheme: 'alfresco-ticket', user: typeof body.entry.userId === 'string' ? body.entry.userId : userId, ticket: body.entry.id };
}

/** Ends an Alfresco ticket (DELETE tickets/-me-); a Basic credential has nothing to end. */
export async function signOut(client: CmisClient, settings: CmisSettings, credential: Credential): Promise<void> {
  if (credential.scheme !== 'alfresco-ticket') return;
  const response = await client.outbound.fetch(new URL(`${TICKETS_PATH}/-me-`, settings.url), { method: 'DELETE', headers: { Authorization: authorizationOf(credential) } });
  await response.body?.cancel();
}
