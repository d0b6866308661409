import { pipeline, Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { fileUrl, type FsBlob, FsError, type ParsedStoreOptions, type ParsedStoreToOptions, type ServiceId, type ParsedSecurityPolicy } from 'fs-picker/protocol';
import { AppRegistry } from '../apps/registry.ts';
import type { AppConfig } from '../config.ts';
import type { Companion } from '../context.ts';
import { handleTokensOf, type FileHandle, type HandleEvent } from '../files/handles.ts';
import { checkPolicySize } from '../security/policy.ts';
import { newToken } from '../security/secrets.ts';
import { checkLocalContainer, checkS3Choices } from './choices.ts';
import { LocalLocation } from './local.ts';
import { openQuotaMeter } from './quota.ts';
import { assertSafeKey, tooLarge, type ByteRange, type StorageLocation, type StoredObject } from './location.ts';
import { S3Location, type S3Config } from './s3.ts';

export type { ByteRange, StorageLocation, StoredObject } from './location.ts';
export { LocalLocation } from './local.ts';
export { S3Location } from './s3.ts';

/** The largest file the companion stores when neither the call nor a policy says less: 10 GiB. */
export const DEFAULT_MAX_STORE_SIZE = 10 * 1024 ** 3;

export type AnyStoreOptions = ParsedStoreOptions | ParsedStoreToOptions;

/** Where a store call writes: the location's container and the key prefix ('' or ending in '/'). */
export interface StoreTarget {
  location: StorageLocation;
  /** The storage path as a key prefix: '' for none, else ending in '/' ("uploads/"). */
  path: string;
}

/** Each app's own S3 settings as an S3Config, per database and app id; rebuilt when the settings change. */
const appS3 = new WeakMap<object, Map<string, { fingerprint: string; s3: S3Config }>>();

/**
 * The S3 settings a store for `appKey` uses: the app's own, as its owner saved them in the portal, else
 * the operator's `storage.s3` (undefined when neither). The same settings give the same object, so S3
 * clients (cached per settings object in s3.ts) are made once per app and again only after a change.
 */
export function s3ConfigOf(companion: Pick<Companion, 'config'> & Partial<Pick<Companion, 'db'>>, appKey: string | undefined): S3Config | undefined {
  const app = appKey === undefined ? undefined : registryOf(companion)?.get(appKey);
  const own = app?.storageSettings;
  if (!app || !own) return companion.config.storage.s3;
  let byApp = appS3.get(companion.db!);
  if (!byApp) appS3.set(companion.db!, (byApp = new Map<string, { fingerprint: string; s3: S3Config }>()));
  const s3: S3Config = {
    bucket: own.bucket,
    region: own.region,
    forcePathStyle: own.forcePathStyle,
    ...(own.endpoint === undefined ? {} : { endpoint: own.endpoint }),
    ...(own.accessKeyId === undefined || own.secretAccessKey === undefined ? {} : { accessKeyId: own.accessKeyId, secretAccessKey: own.secretAccessKey }),
  };
  const fingerprint = JSON.stringify([s3.endpoint, s3.bucket, s3.region, s3.forcePathStyle, s3.accessKeyId, s3.secretAccessKey]);
  const cached = byApp.get(app.id);
  if (cached?.fingerprint === fingerprint) return cached.s3;
  byApp.set(app.id, { fingerprint, s3 });
  return s3;
}

/** The app registry of the companion's database, when it has one (unit tests pass a bare config). */
function registryOf(companion: Partial<Pick<Companion, 'db'>>): AppRegistry | undefined {
  if (!companion.db) return undefined;
  try {
    return AppRegistry.of(companion.db);
  } catch {
    return undefined;
  }
}

/**
 * The container a call of `app` stores into, from its options: `location` 'local' (the default; with
 * `instances` "several", S3 is the default and 'local' is refused) or 'S3'
 * (the app's own S3 settings from the portal, else the companion's `storage.s3`; with neither a 400
 * naming the option), `container`, `path`. Only what configuration allows (choices.ts): an S3 bucket
 * of the app's settings (`bucket`, `containers`), a region of them (`region`, `regions`), `access`
 * "public" where the app has `allowPublicAccess`, a local folder of `storage.local.containers`.
 */
export function resolveTarget(companion: Companion, options: AnyStoreOptions, app: Pick<AppConfig, 'apiKey' | 'allowPublicAccess'>): StoreTarget {
  const path = normalisePath(options.path);
  // One of several instances stores to S3 only: its own disk is not where the others read.
  const several = companion.config.instances === 'several';
  if (several && options.location === 'local') {
    throw new FsError('FS_ERR_INVALID_OPTION', 'location "local" is not available: this companion runs as several instances, and a file on one instance\'s disk could not be read by the others; store with location "S3" (the default here)', { field: 'location' });
  }
  if (options.location === 'S3' || several) {
    const s3 = s3ConfigOf(companion, app.apiKey);
    if (!s3) {
      throw new FsError('FS_ERR_INVALID_OPTION', 'location "S3" is not configured on this companion (storage.s3); store with location "local" or ask the operator to configure S3', { field: 'location' });
    }
    checkS3Choices(s3, { allowPublicAccess: app.allowPublicAccess ?? false }, options);
    return { location: new S3Location(s3, { container: options.container, region: options.storeRegion, access: options.access }), path };
  }
  const local = new LocalLocation(companion.config.storage.local.root, options.container);
  checkLocalContainer(companion.config.storage.local, new LocalLocation(companion.config.storage.local.root).container, options.container);
  return { location: local, path };
}

/**
 * The location a stored handle lives in: for S3, its app's current S3 settings (else the operator's)
 * with the handle's own bucket.
 */
export function locationOf(companion: Companion, handle: Pick<FileHandle, 'location' | 'container'> & Partial<Pick<FileHandle, 'appKey'>>): StorageLocation {
  if (handle.location === 'S3') {
    const s3 = s3ConfigOf(companion, handle.appKey);
    if (!s3) throw new FsError('FS_ERR_NOT_FOUND', 'The storage this file was kept in is no longer configured.');
    return new S3Location(s3, { container: handle.container });
  }
  return new LocalLocation(companion.config.storage.local.root, handle.container);
}

/**
 * The content of a 'stored' handle, for GET /api/file/:handle. `stream` is a Node `Readable`
 * (`Readable.toWeb(stream)` makes a Response body of it). `size` is always the whole file's size; with
 * `range` (both ends included, within the file — check it against `handle.size` first, else
 * FS_ERR_INVALID_REQUEST) the stream holds only that range and `range` is echoed back. `contentType`
 * is the handle's mimetype.
 */
export async function openStored(companion: Companion, handle: FileHandle, range?: ByteRange): Promise<StoredObject & { contentType: string }> {
  if (handle.kind !== 'stored' || handle.key === undefined) throw new FsError('FS_ERR_NOT_FOUND', 'This file has no stored copy.');
  const object = await locationOf(companion, handle).get(handle.key, range);
  return { ...object, contentType: handle.mimetype || object.contentType || 'application/octet-stream' };
}

/**
 * The stored copy of a handle as a file on the companion's disk, when its location keeps it there, with
 * its size; undefined otherwise (S3, or not a stored handle). The size is the handle's (the write route
 * keeps it current), and whether the file is still there is left to its reader (sharp: "Input file is
 * missing"): a stat per conversion less. Only a handle without a size is looked at on disk.
 */
export async function storedFile(companion: Companion, handle: FileHandle): Promise<{ path: string; size: number } | undefined> {
  if (handle.kind !== 'stored' || handle.key === undefined) return undefined;
  const location = locationOf(companion, handle);
  const path = location.filePath?.(handle.key);
  if (path === undefined) return undefined;
  if (handle.size !== undefined) return { path, size: handle.size };
  const info = await location.head(handle.key);
  if (info === undefined) throw new FsError('FS_ERR_NOT_FOUND', 'The stored file is no longer there.');
  return { path, size: info.size };
}

/** Deletes the stored copy of a handle, if it has one and it is still there. */
export async function deleteStored(companion: Companion, handle: Pick<FileHandle, 'appKey' | 'kind' | 'location' | 'container' | 'key'>): Promise<void> {
  if (handle.kind !== 'stored' || handle.key === undefined) return;
  await locationOf(companion, handle).delete(handle.key);
}

export interface StoreInput {
  /** The content: a Node Readable or a web ReadableStream (a request body). */
  stream: Readable | ReadableStream<Uint8Array>;
  filename: string;
  mimetype: string;
  options: AnyStoreOptions;
  /** Where the content came from; sets the Blob's `source` and `client`. */
  source: ServiceId;
  /** The size announced up front (Content-Length), to refuse early. */
  declaredSize?: number;
  /** A limit from the call (e.g. the picker's `maxSize`); the server cap and the policy's also apply. */
  maxSize?: number;
  /** The checked security policy of the call: its maxSize/minSize apply. */
  policy?: ParsedSecurityPolicy;
  /** The Blob's `id` (its index within one pick); 0 by default. */
  id?: number;
  /** The webhook event written with the new handle (default `fp.upload`; a conversion passes `fp.converse`). */
  event?: HandleEvent;
}

/** A stored file's Blob and its handle's token (for the answer's `handleTokens`, never the Blob). */
export interface StoredBlob {
  blob: FsBlob;
  handleTokens: Record<string, string>;
}

/**
 * Streams content into storage and gives it a handle: the one path of store, storeUrl and
 * store-handle. Limits are enforced while streaming; a failed store leaves no file and no handle.
 */
export async function storeStream(companion: Companion, app: AppConfig, input: StoreInput): Promise<StoredBlob> {
  const { location, path } = resolveTarget(companion, input.options, app);
  const policyMax = input.policy?.maxSize;
  const maxSize = Math.min(DEFAULT_MAX_STORE_SIZE, input.maxSize ?? Infinity, policyMax ?? Infinity);
  const source = input.stream instanceof Readable ? input.stream : Readable.fromWeb(input.stream as WebReadableStream<Uint8Array>);
  const overLimit = () => (policyMax !== undefined && policyMax <= maxSize ? policyRefusal(input.policy, maxSize + 1) : tooLarge(maxSize));

  if (input.declaredSize !== undefined && input.declaredSize > maxSize) {
    source.destroy();
    throw overLimit();
  }
  // The app's storage quota (quota.ts): refused here when already over, else counted while streaming.
  // The source may fail while the quota is asked (a damaged body): its error is held until the pipeline listens.
  let failedEarly: Error | undefined;
  const holdError = (error: Error) => void (failedEarly ??= error);
  source.on('error', holdError);
  const quota = await openQuotaMeter(companion, app.apiKey, input.declaredSize).catch((error: unknown) => {
    source.destroy();
    throw error;
  });
  source.off('error', holdError);
  if (failedEarly !== undefined) {
    await quota.release();
    throw failedEarly;
  }
  const filename = input.filename;
  const key = `${path}${newToken(9)}_${keySafe(filename)}`;
  let size: number;
  try {
    ({ size } = await location.put(key, pipeline(source, quota.meter, () => undefined), { contentType: input.mimetype, maxSize }));
  } catch (error) {
    await quota.release();
    if (error instanceof FsError && error.code === 'FS_ERR_TOO_LARGE') throw overLimit();
    throw error;
  }
  try {
    checkPolicySize(input.policy, size);
    const handle = await companion.handles.create({
      appKey: app.apiKey,
      kind: 'stored',
      source: input.source,
      grantId: undefined,
      itemId: undefined,
      location: location.location,
      container: location.container,
      key,
      filename,
      mimetype: input.mimetype,
      size,
    }, { event: input.event });
    const blob: FsBlob = {
      url: fileUrl(companion.publicUrl, handle.handle),
      filename,
      mimetype: input.mimetype,
      size,
      key,
      container: location.container,
      ...(path === '' ? {} : { path }),
      client: companion.sources.clientOf(input.source),
      id: input.id ?? 0,
      // write() replaces a stored copy in place.
      isWriteable: true,
      handle: handle.handle,
      source: input.source,
    };
    return { blob, handleTokens: handleTokensOf([handle]) };
  } catch (error) {
    await location.delete(key).catch((cause: unknown) => companion.logger.warn({ err: cause, key }, 'could not remove a stored file after a failed store'));
    throw error;
  } finally {
    await quota.release();
  }
}

function policyRefusal(policy: ParsedSecurityPolicy | undefined, size: number): FsError {
  try {
    checkPolicySize(policy, size);
  } catch (error) {
    return error as FsError;
  }
  return tooLarge(size - 1);
}

/** `path` as a key prefix: no leading slash, one trailing slash, no empty or dot segments. */
export function normalisePath(path: string | undefined): string {
  const trimmed = (path ?? '').replace(/^\/+/, '').replace(/\/+$/, '');
  if (trimmed === '') return '';
  const prefix = `${trimmed.replace(/\/{2,}/g, '/')}/`;
  try {
    assertSafeKey(`${prefix}x`);
  } catch {
    throw new FsError('FS_ERR_INVALID_OPTION', `"path" must be a storage path such as "uploads/", got "${path?.slice(0, 80)}"`, { field: 'path' });
  }
  return prefix;
}

/** The file name as the last part of a key: no slashes or control characters, at most 200 characters. */
function keySafe(filename: string): string {
  const safe = [...filename].map((char) => (char === '/' || char === '\\' || char.charCodeAt(0) < 32 || char.charCodeAt(0) === 127 ? '_' : char)).join('');
  return (safe.replace(/^\.+/, '_') || 'file').slice(-200);
}
