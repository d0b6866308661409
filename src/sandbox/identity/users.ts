import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * A person who can sign in. `id` is the Alfresco user id and becomes the token's `sub`. The sandbox's
 * own user records (src/sandbox/users.ts) fit this shape as they are.
 */
export interface IdentityUser {
  id: string;
  displayName: string;
  password: string;
  email?: string;
  /** given_name / family_name; without them the display name is split at its first space. */
  firstName?: string;
  lastName?: string;
}

/** Looks users up the way Keycloak's login form does: by username (case-insensitive) or e-mail address. */
export class UserDirectory {
  readonly #byId = new Map<string, IdentityUser>();
  readonly #byLogin = new Map<string, IdentityUser>();

  constructor(users: readonly IdentityUser[]) {
    for (const user of users) {
      if (!user.id || typeof user.password !== 'string') throw new TypeError(`identity: user ${JSON.stringify(user.id)} needs an id and a password`);
      if (this.#byId.has(user.id)) throw new TypeError(`identity: user ${user.id} is listed twice`);
      this.#byId.set(user.id, user);
      this.#byLogin.set(user.id.toLowerCase(), user);
      if (user.email) this.#byLogin.set(user.email.toLowerCase(), user);
    }
  }

  byId(id: string): IdentityUser | undefined {
    return this.#byId.get(id);
  }

  /** The user whose username or e-mail is `login` and whose password is `password`, else undefined. */
  authenticate(login: string, password: string): IdentityUser | undefined {
    const user = this.#byLogin.get(login.trim().toLowerCase());
    // Compare digests so the comparison takes the same time whatever the lengths.
    const given = createHash('sha256').update(password).digest();
    const expected = createHash('sha256').update(user?.password ?? '\0no user\0').digest();
    return timingSafeEqual(given, expected) && user ? user : undefined;
  }

  /** OpenID Connect standard claims for a user, as Keycloak's default client scopes give them. */
  claims(user: IdentityUser): { sub: string; [claim: string]: string | boolean } {
    const space = user.displayName.indexOf(' ');
    const givenName = user.firstName ?? (space === -1 ? user.displayName : user.displayName.slice(0, space));
    const familyName = user.firstName !== undefined ? user.lastName : space === -1 ? undefined : user.displayName.slice(space + 1);
    return {
      sub: user.id,
      preferred_username: user.id,
      name: user.displayName,
      given_name: givenName,
      ...(familyName ? { family_name: familyName } : {}),
      ...(user.email ? { email: user.email, email_verified: true } : {}),
    };
  }
}
