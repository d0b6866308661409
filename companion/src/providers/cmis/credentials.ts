import { ProviderRefusal } from '../provider.ts';

/**
 * What a CMIS grant's access token holds (the grant store seals it): the user name and password for
 * Basic (the browser binding's own sign-in), or the person's Alfresco ticket, which Alfresco's CMIS
 * takes as Basic `ROLE_TICKET:<ticket>`. CMIS has no "who am I", so the user name is kept with it.
 */
export type Credential = { scheme: 'basic'; user: string; password: string } | { scheme: 'alfresco-ticket'; user: string; ticket: string };

export function tokenOf(credential: Credential): string {
  return JSON.stringify(credential);
}

/** The credential in a grant's access token; a token of another shape is a sign-in to do again (401). */
export function credentialOf(accessToken: string): Credential {
  let parsed: unknown;
  try {
    parsed = JSON.parse(accessToken);
  } catch {
    parsed = undefined;
  }
  const value = (parsed ?? {}) as Partial<Record<'scheme' | 'user' | 'password' | 'ticket', unknown>>;
  if (typeof value.user === 'string' && value.scheme === 'basic' && typeof value.password === 'string') return { scheme: 'basic', user: value.user, password: value.password };
  if (typeof value.user === 'string' && value.scheme === 'alfresco-ticket' && typeof value.ticket === 'string') return { scheme: 'alfresco-ticket', user: value.user, ticket: value.ticket };
  throw new ProviderRefusal(401, 'the grant holds no CMIS credential');
}

export function authorizationOf(credential: Credential): string {
  const pair = credential.scheme === 'basic' ? `${credential.user}:${credential.password}` : `ROLE_TICKET:${credential.ticket}`;
  return `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
}
