import type { Adapter, AdapterPayload } from 'oidc-provider';

/** Models whose entries belong to a grant (revoking the grant removes them). */
const GRANTABLE = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest']);

/**
 * The identity service's storage: one in-memory map per service instance.
 *
 * oidc-provider ships a memory adapter, but its default storage is a module-wide LRU of 1,000 entries
 * shared by every Provider in the process (two sandboxes in one test run would see each other's
 * sessions, and a busy sandbox would silently evict live tokens). This one is per instance, unbounded
 * but swept of expired entries, and can drop every token at once for `expireAllTokens()`.
 */
export class IdentityStore {
  readonly #entries = new Map<string, { payload: AdapterPayload; expiresAt: number }>();
  /** grantId → keys of the tokens issued under that grant. */
  readonly #grants = new Map<string, Set<string>>();
  /** Session uid → session id. */
  readonly #sessionUids = new Map<string, string>();
  #writes = 0;

  /** The adapter factory for oidc-provider's `adapter` option. */
  readonly factory = (model: string): Adapter => new ModelAdapter(this, model);

  get(key: string): AdapterPayload | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.delete(key);
      return undefined;
    }
    return entry.payload;
  }

  set(key: string, payload: AdapterPayload, expiresInSeconds?: number): void {
    const previous = this.#entries.get(key);
    if (previous) this.#unindex(key, previous.payload);
    this.#entries.set(key, { payload, expiresAt: expiresInSeconds === undefined ? Infinity : Date.now() + expiresInSeconds * 1000 });
    if (payload.grantId && GRANTABLE.has(key.slice(0, key.indexOf(':')))) {
      let members = this.#grants.get(payload.grantId);
      if (!members) this.#grants.set(payload.grantId, (members = new Set()));
      members.add(key);
    }
    if (key.startsWith('Session:') && payload.uid) this.#sessionUids.set(payload.uid, key.slice('Session:'.length));
    if (++this.#writes % 500 === 0) this.#sweep();
  }

  delete(key: string): void {
    const entry = this.#entries.get(key);
    this.#entries.delete(key);
    if (entry) this.#unindex(key, entry.payload);
  }

  sessionIdForUid(uid: string): string | undefined {
    return this.#sessionUids.get(uid);
  }

  revokeGrant(grantId: string): void {
    const members = this.#grants.get(grantId);
    this.#grants.delete(grantId);
    for (const key of members ?? []) this.delete(key);
  }

  /** Forgets every access token and refresh token issued so far; later ones are unaffected. */
  dropTokens(): void {
    for (const key of [...this.#entries.keys()]) {
      if (key.startsWith('AccessToken:') || key.startsWith('RefreshToken:')) this.delete(key);
    }
  }

  /** Forgets the access tokens only, as their lifetime running out would: refresh tokens still work. */
  dropAccessTokens(): void {
    for (const key of [...this.#entries.keys()]) if (key.startsWith('AccessToken:')) this.delete(key);
  }

  #unindex(key: string, payload: AdapterPayload): void {
    if (payload.grantId) {
      const members = this.#grants.get(payload.grantId);
      members?.delete(key);
      if (members?.size === 0) this.#grants.delete(payload.grantId);
    }
    if (key.startsWith('Session:') && payload.uid && this.#sessionUids.get(payload.uid) === key.slice('Session:'.length)) {
      this.#sessionUids.delete(payload.uid);
    }
  }

  #sweep(): void {
    const now = Date.now();
    for (const [key, entry] of this.#entries) if (entry.expiresAt <= now) this.delete(key);
  }
}

class ModelAdapter implements Adapter {
  constructor(
    private readonly store: IdentityStore,
    private readonly model: string,
  ) {}

  #key(id: string): string {
    return `${this.model}:${id}`;
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    this.store.set(this.#key(id), payload, expiresIn);
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    return this.store.get(this.#key(id));
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    const id = this.store.sessionIdForUid(uid);
    return id === undefined ? undefined : this.store.get(this.#key(id));
  }

  async findByUserCode(_userCode: string): Promise<AdapterPayload | undefined> {
    return undefined; // The device flow is not enabled.
  }

  async consume(id: string): Promise<void> {
    const payload = this.store.get(this.#key(id));
    if (payload) payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id: string): Promise<void> {
    this.store.delete(this.#key(id));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    this.store.revokeGrant(grantId);
  }
}
