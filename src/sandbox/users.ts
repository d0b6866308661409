/** The people of the sandbox. Dev passwords only: `npm start` prints them. */
export interface SandboxUser {
  id: string;
  firstName: string;
  lastName?: string;
  displayName: string;
  email: string;
  password: string;
  isAdmin: boolean;
}

export const USERS: readonly SandboxUser[] = [
  { id: 'admin', firstName: 'Administrator', displayName: 'Administrator', email: 'admin@alfresco.com', password: 'admin', isAdmin: true },
  { id: 'mjackson', firstName: 'Mike', lastName: 'Jackson', displayName: 'Mike Jackson', email: 'mjackson@example.com', password: 'mjackson', isAdmin: false },
  { id: 'abeecher', firstName: 'Alice', lastName: 'Beecher', displayName: 'Alice Beecher', email: 'abeecher@example.com', password: 'abeecher', isAdmin: false },
];

export function findUser(id: string): SandboxUser | undefined {
  return USERS.find((user) => user.id === id);
}

/** Alfresco's UserInfo: who created or changed a node. */
export function userInfo(id: string): { id: string; displayName: string } {
  return { id, displayName: findUser(id)?.displayName ?? id };
}
