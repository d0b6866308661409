import { findUser, USERS, type SandboxUser } from '../users.ts';

/** The REST API's Person entity. */
export function personEntity(user: SandboxUser): Record<string, unknown> {
  return {
    id: user.id,
    firstName: user.firstName,
    ...(user.lastName === undefined ? {} : { lastName: user.lastName }),
    displayName: user.displayName,
    email: user.email,
    enabled: true,
    emailNotificationsEnabled: true,
    company: {},
    capabilities: { isAdmin: user.isAdmin, isGuest: false, isMutable: true },
  };
}

/** A `personId` path parameter: `-me-` or a user name, which Alfresco matches case-insensitively. */
export function personOf(personId: string, me: SandboxUser): SandboxUser | undefined {
  if (personId === '-me-') return me;
  return findUser(personId) ?? USERS.find((user) => user.id.toLowerCase() === personId.toLowerCase());
}
