import { FsError } from 'fs-picker/protocol';
import { CORE_PATH } from './client.ts';
import type { Outbound } from '../../outbound/index.ts';

export const TICKETS_PATH = '/alfresco/api/-default-/public/authentication/versions/1/tickets';

/** Who a person is in Alfresco, as the picker shows it. */
export interface AlfrescoUser {
  id: string;
  name: string;
}

interface PersonEntry {
  entry?: { id?: unknown; displayName?: unknown; firstName?: unknown; lastName?: unknown };
}

/** The Authorization header for an access token or a ticket (js-api's `ROLE_TICKET:` form). */
export function authorizationFor(kind: 'oauth' | 'ticket', token: string): string {
  return kind === 'oauth' ? `Bearer ${token}` : `Basic ${Buffer.from(`ROLE_TICKET:${token}`).toString('base64')}`;
}

/** The person a Person entity (`people/-me-`) describes: its id, and the name Alfresco shows. */
export function userOf(body: PersonEntry): AlfrescoUser {
  const entry = body.entry ?? {};
  if (typeof entry.id !== 'string' || !entry.id) throw new FsError('FS_ERR_UPSTREAM', 'Alfresco did not say who is signed in.');
  const parts = [entry.firstName, entry.lastName].filter((part): part is string => typeof part === 'string' && part !== '');
  const name = typeof entry.displayName === 'string' && entry.displayName.trim() ? entry.displayName.trim() : parts.join(' ') || entry.id;
  return { id: entry.id, name };
}

/**
 * Asks the repository who the token or ticket belongs to (`GET people/-me-`): Alfresco's own user id, the
 * one its permissions use, whatever the identity service calls the person. A refusal is FS_ERR_CONNECT_FAILED.
 */
export async function whoIs(repositoryUrl: string, authorization: string, outbound: Outbound): Promise<AlfrescoUser> {
  const response = await outbound.fetch(new URL(`${CORE_PATH}/people/-me-`, repositoryUrl).href, { headers: { Authorization: authorization, Accept: 'application/json' } });
  if (!response.ok) {
    const detail = await response.text().catch(() => '');
    throw new FsError('FS_ERR_CONNECT_FAILED', 'Alfresco did not accept the sign-in. Ask your Alfresco administrator whether this repository trusts the identity service.', {
      cause: `people/-me- answered ${response.status}: ${detail.slice(0, 300)}`,
    });
  }
  return userOf((await response.json()) as PersonEntry);
}

export type TicketResult = { ok: true; ticket: string } | { ok: false; reason: 'refused' | 'unavailable' };

/** `POST tickets`: a ticket for the user's name and password, which go no further than this request. */
export async function createTicket(repositoryUrl: string, userId: string, password: string, outbound: Outbound): Promise<TicketResult> {
  let response: Response;
  try {
    response = await outbound.fetch(new URL(TICKETS_PATH, repositoryUrl).href, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ userId, password }),
    });
  } catch {
    return { ok: false, reason: 'unavailable' };
  }
  // Alfresco answers 403 for a failed login (and 400 when a field is missing).
  if (response.status === 400 || response.status === 401 || response.status === 403) {
    await response.body?.cancel();
    return { ok: false, reason: 'refused' };
  }
  if (!response.ok) {
    await response.body?.cancel();
    return { ok: false, reason: 'unavailable' };
  }
  const body = (await response.json().catch(() => ({}))) as { entry?: { id?: unknown } };
  return typeof body.entry?.id === 'string' && body.entry.id ? { ok: true, ticket: body.entry.id } : { ok: false, reason: 'unavailable' };
}

/** `DELETE tickets/-me-`: ends the ticket in Alfresco. */
export async function deleteTicket(repositoryUrl: string, ticket: string, outbound: Outbound): Promise<void> {
  const response = await outbound.fetch(new URL(`${TICKETS_PATH}/-me-`, repositoryUrl).href, { method: 'DELETE', headers: { Authorization: authorizationFor('ticket', ticket) } });
  await response.body?.cancel();
  // 401: the ticket had already ended, which is what was asked.
  if (!response.ok && response.status !== 401) throw new FsError('FS_ERR_UPSTREAM', `Alfresco answered ${response.status} when ending the ticket.`);
}
