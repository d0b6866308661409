/*
 * A WebDAV grant's access token is the person's Basic credential (RFC 7617: base64 of "user:password",
 * in UTF-8). WebDAV servers take nothing else from a client without their own login API, so the
 * companion keeps it as it keeps any token: sealed in the grants table (GrantStore), opened in memory
 * for a call, never sent to the browser. Signing out forgets it; changing the password at the server
 * ends it (the next call is a 401, and the picker asks to connect again).
 */

export function basicCredential(username: string, password: string): string {
  return Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
}

export const authorizationOf = (credential: string): string => `Basic ${credential}`;

/** The user name a credential was made for. */
export function usernameOf(credential: string): string {
  const decoded = Buffer.from(credential, 'base64').toString('utf8');
  return decoded.slice(0, Math.max(0, decoded.indexOf(':')));
}
