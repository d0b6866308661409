import type { Query } from './client.ts';

/** A signed security policy (base64 JSON) and its hex HMAC-SHA256 signature, added to a call's query. */
export interface Security {
  policy: string;
  signature: string;
}

/** The `policy`/`signature` query parameters of `security`, if any. */
export function securityQuery(security: Security | undefined): Query {
  return security ? { policy: security.policy, signature: security.signature } : {};
}
