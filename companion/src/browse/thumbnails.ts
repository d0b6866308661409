import { FsError, API_KEY_PARAM } from 'fs-picker/protocol';
import type { Grant } from '../auth/grants.ts';
import type { Companion } from '../context.ts';
import { Signer } from './signing.ts';

/** How long a thumbnail URL stays good: at least this long after it was made. */
export const THUMBNAIL_TTL_S = 600;
// Expiries are rounded up to this step, so two listings a minute apart give the same URL and the
// browser's cache serves the second (a URL is good for 10 to 15 minutes).
const STEP_S = 300;

const signers = new WeakMap<Companion, Signer>();
function signerOf(companion: Companion): Signer {
  let signer = signers.get(companion);
  if (!signer) signers.set(companion, (signer = new Signer(companion.config.encryptionKey, 'thumbnail')));
  return signer;
}

/**
 * A thumbnail URL an `<img>` can load without headers:
 * `/api/<source>/thumbnails/:itemId?key=…&grant=…&exp=…&sig=…`, where `sig` is an HMAC-SHA256 (see
 * signing.ts for the key) of grant id, app key, expiry and item id. It names the grant, not the
 * session: it gives only this item's thumbnail, only until `exp`.
 */
export function thumbnailUrlMaker(companion: Companion, grant: Grant, segment: string, now = Date.now()): (itemId: string) => string {
  const exp = String(Math.ceil((now / 1000 + THUMBNAIL_TTL_S) / STEP_S) * STEP_S);
  const base = `${companion.publicUrl}/api/${segment}/thumbnails/`;
  // Everything but the node id and the signature is the same for the whole listing (a page has up to 1,000).
  const query = new URLSearchParams({ [API_KEY_PARAM]: grant.appKey, grant: grant.id, exp }).toString();
  const sign = signerOf(companion).signing(grant.id, grant.appKey, exp);
  return (itemId) => `${base}${encodeURIComponent(itemId)}?${query}&sig=${sign(itemId)}`;
}

/** Checks a thumbnail URL's signature and expiry; returns the grant id and the seconds it has left. */
export function verifyThumbnail(companion: Companion, appKey: string, itemId: string, query: (name: string) => string | undefined, now = Date.now()): { grantId: string; secondsLeft: number } {
  const [grantId, exp, sig] = [query('grant'), query('exp'), query('sig')];
  const refused = new FsError('FS_ERR_FORBIDDEN', 'This thumbnail link is not valid; reload the folder to get a fresh one.');
  if (!grantId || !exp || !sig || !/^\d{1,12}$/.test(exp)) throw refused;
  if (!signerOf(companion).verify(sig, grantId, appKey, exp, itemId)) throw refused;
  const secondsLeft = Number(exp) - Math.floor(now / 1000);
  if (secondsLeft <= 0) throw new FsError('FS_ERR_FORBIDDEN', 'This thumbnail link has expired; reload the folder to get a fresh one.');
  return { grantId, secondsLeft };
}
