import { FsError, POLICY_CALLS, SecurityPolicySchema, type ParsedSecurityPolicy, type PolicyCall, type SecurityPolicy } from 'fs-picker/protocol';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AppConfig } from '../config.ts';
import { checkWith } from '../requests/index.ts';

/*
 * Filestack-style security policies (notes/pickers-landscape.md §c.3 and "Test vectors"). An app's own
 * server signs what a page may do:
 *   policy    = base64(JSON {expiry, call?, handle?, url?, maxSize?, minSize?, path?, container?})
 *               standard base64 with padding, as filestack-js makes it; URL-safe base64 is accepted too
 *   signature = hex(HMAC-SHA256(appSecret, policy))   — over the policy string exactly as sent
 * and the page sends both as the `policy` and `signature` query parameters (v2's `constructSecurityQuery`).
 *
 * Rules, as Filestack applies them:
 *   expiry     unix seconds; at or after it the policy is refused
 *   call       the calls allowed; absent = every call except `exif`
 *   handle     calls that act on an existing file (remove, store-handle) may act on this handle only
 *   url        a regular expression the whole storeUrl URL must match
 *   path       a regular expression the whole storage path must match ("" when the call names none)
 *   container  a regular expression the whole container (bucket or local folder) must match
 *   maxSize / minSize  bounds, in bytes, of what is stored
 * A rule only applies to calls that carry what it restricts (a `url` rule does not stop `store`).
 */

/** What a call is about, for the rules to check. */
export interface PolicyRequest {
  call: PolicyCall;
  /** The existing file the call acts on. */
  handle?: string;
  /** The URL storeUrl fetches. */
  url?: string;
  /** The size of what is stored, when known up front. */
  size?: number;
  /** The storage path ("" for none). */
  path?: string;
  /** The container (bucket or local folder) stored into. */
  container?: string;
}

/** The policy the page signed, as JSON. The standard base64 a policy travels as. */
export function encodePolicy(policy: SecurityPolicy): string {
  return Buffer.from(JSON.stringify(policy), 'utf8').toString('base64');
}

/** Hex HMAC-SHA256 of the policy string with the app secret: what an app's server sends as `signature`. */
export function signPolicy(policy: string, appSecret: string): string {
  return createHmac('sha256', appSecret).update(policy, 'utf8').digest('hex');
}

/** Whether `signature` is the signature of `policy`, compared in constant time. */
export function verifySignature(policy: string, signature: string, appSecret: string): boolean {
  if (!/^[0-9a-f]{64}$/i.test(signature)) return false;
  return timingSafeEqual(Buffer.from(signature, 'hex'), createHmac('sha256', appSecret).update(policy, 'utf8').digest());
}

/** Decodes a policy string (standard or URL-safe base64 of JSON) and checks its rules' types. */
export function decodePolicy(policy: string): ParsedSecurityPolicy {
  const fail = (message: string) => new FsError('FS_ERR_POLICY', `The security policy ${message}.`, { field: 'policy' });
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(policy)) throw fail('is not base64');
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(policy.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8'));
  } catch {
    throw fail('is not base64 of a JSON object');
  }
  // A bad policy is a refused policy (403), not a bad option: same check, its own code.
  return checkWith(SecurityPolicySchema, json, ({ field, unknown, detail }) =>
    field === undefined ? fail('is not base64 of a JSON object with an "expiry"') : unknown ? fail(`has an unknown rule "${field}"`) : fail(`rule "${field}" ${detail}`),
  );
}

/**
 * Checks the `policy` and `signature` a call came with against the app and what the call does.
 * Without either, the call passes unless the app has `requirePolicy` (FS_ERR_POLICY_REQUIRED); a pair
 * that is given is always checked. Returns the policy (for the size rules a stream can only check as it
 * goes), or undefined when none was given. Every refusal is FS_ERR_POLICY naming the rule that failed.
 */
export function checkPolicy(app: AppConfig, request: PolicyRequest, policyParam?: string, signature?: string, now: number = Date.now()): ParsedSecurityPolicy | undefined {
  // '+' in a query string that was not percent-encoded arrives as a space; base64 has no spaces.
  const policyText = policyParam?.replace(/ /g, '+') || undefined;
  const signatureText = signature || undefined;
  if (policyText === undefined && signatureText === undefined) {
    if (app.requirePolicy) throw new FsError('FS_ERR_POLICY_REQUIRED', 'This app requires a signed security policy: add the "policy" and "signature" query parameters.');
    return undefined;
  }
  const refuse = (message: string, field = 'policy') => new FsError('FS_ERR_POLICY', message, { field });
  if (policyText === undefined || signatureText === undefined) throw refuse('Give both "policy" and "signature", not one of them.', policyText === undefined ? 'policy' : 'signature');
  if (app.appSecret === undefined) throw refuse('This app has no app secret, so its security policies cannot be checked.');
  if (!verifySignature(policyText, signatureText, app.appSecret)) {
    throw refuse('The signature does not match the policy (expected hex HMAC-SHA256 of the policy with the app secret).', 'signature');
  }
  const policy = decodePolicy(policyText);
  if (policy.expiry * 1000 <= now) throw refuse(`The security policy expired at ${new Date(policy.expiry * 1000).toISOString()} ("expiry").`);
  const calls = policy.call ?? POLICY_CALLS.filter((call) => call !== 'exif');
  if (!calls.includes(request.call)) throw refuse(`The security policy does not allow "${request.call}" ("call" allows ${calls.join(', ') || 'nothing'}).`);
  if (policy.handle !== undefined && request.handle !== undefined && policy.handle !== request.handle) {
    throw refuse(`The security policy is for another file ("handle" is ${policy.handle}).`);
  }
  if (policy.url !== undefined && request.url !== undefined && !matches(policy.url, request.url, 'url')) {
    throw refuse('The URL does not match the security policy’s "url" rule.');
  }
  if (policy.path !== undefined && request.path !== undefined && !matches(policy.path, request.path, 'path')) {
    throw refuse(`The storage path "${request.path}" does not match the security policy’s "path" rule.`);
  }
  if (policy.container !== undefined && request.container !== undefined && !matches(policy.container, request.container, 'container')) {
    throw refuse(`The container "${request.container}" does not match the security policy’s "container" rule.`);
  }
  if (request.size !== undefined) checkPolicySize(policy, request.size);
  return policy;
}

/** The size rules, for a size known once a stream has ended (or up front). */
export function checkPolicySize(policy: ParsedSecurityPolicy | undefined, size: number): void {
  if (policy?.maxSize !== undefined && size > policy.maxSize) {
    throw new FsError('FS_ERR_POLICY', `The file is larger than the security policy allows ("maxSize" is ${policy.maxSize} bytes).`, { field: 'policy' });
  }
  if (policy?.minSize !== undefined && size < policy.minSize) {
    throw new FsError('FS_ERR_POLICY', `The file is ${size} bytes, smaller than the security policy allows ("minSize" is ${policy.minSize} bytes).`, { field: 'policy' });
  }
}

/** A whole-string match of a policy's regular expression. */
function matches(pattern: string, value: string, rule: string): boolean {
  let regex: RegExp;
  try {
    regex = new RegExp(`^(?:${pattern})$`);
  } catch {
    throw new FsError('FS_ERR_POLICY', `The security policy’s "${rule}" rule is not a valid regular expression.`, { field: 'policy' });
  }
  return regex.test(value);
}
