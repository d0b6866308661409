import type { ErrorCode } from './errors.ts';

/*
 * What the companion's sign-in popup tells the page that opened it, by postMessage to that page's exact
 * origin. The element matches `nonce` with the one it passed to /auth/alfresco/start.
 */

/** The person signed in to the source. */
export interface ConnectedUser {
  id: string;
  name: string;
}

/** Posted to the opener, at its exact origin, when the connection is made. */
export interface ConnectedMessage {
  type: 'fs-picker:connected';
  /** The `nonce` the element passed to /auth/alfresco/start. */
  nonce: string;
  /** The session token for `Authorization: Bearer …` on the companion's API. */
  session: string;
  user: ConnectedUser;
}

/** Posted to the opener, at its exact origin, when the sign-in failed or was refused. */
export interface ConnectFailedMessage {
  type: 'fs-picker:connect-failed';
  nonce: string;
  code: ErrorCode;
  /** For people: what happened and what to do. */
  message: string;
}

export type PopupMessage = ConnectedMessage | ConnectFailedMessage;
