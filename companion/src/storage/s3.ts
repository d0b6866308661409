import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { FsError, type StoreAccess } from 'fs-picker/protocol';
import type { CompanionConfig } from '../config.ts';
import { collectSpentChunks } from '../spent-chunks.ts';
import { assertRange, assertSafeKey, SizeLimit, type ByteRange, type PutOptions, type StorageLocation, type StoredObject } from './location.ts';

export type S3Config = NonNullable<CompanionConfig['storage']['s3']>;

/** S3 bucket names: 3–63 lower-case letters, digits, dots and hyphens, starting and ending alphanumeric. */
export const BUCKET_PATTERN = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Multipart parts: S3's minimum of 5 MiB, 4 in flight, so memory stays near 20 MiB per upload. */
const PART_SIZE = 5 * 1024 * 1024;
const QUEUE_SIZE = 4;

// The AWS SDK costs tens of megabytes once loaded; a companion that never stores to S3 never loads it.
const sdk = () => import('@aws-sdk/client-s3');

const clients = new WeakMap<S3Config, Map<string, S3Client>>();

/**
 * One client per configuration and region, made on first use. Only the configuration's regions: the
 * cache then holds at most that many clients per configuration, whatever callers send.
 */
export async function s3Client(config: S3Config, region = config.region): Promise<S3Client> {
  if (region !== config.region && !(config.regions ?? []).includes(region)) {
    throw new FsError('FS_ERR_INVALID_OPTION', `"storeRegion" "${region.slice(0, 40)}" is not one of the configured S3 regions`, { field: 'storeRegion' });
  }
  const { S3Client } = await sdk();
  let byRegion = clients.get(config);
  if (!byRegion) clients.set(config, (byRegion = new Map<string, S3Client>()));
  let client = byRegion.get(region);
  if (!client) {
    const options: S3ClientConfig = {
      region,
      forcePathStyle: config.forcePathStyle,
      followRegionRedirects: true,
      ...(config.endpoint === undefined
        ? {}
        : // S3-compatible servers (s3rver, older MinIO) do not all take the SDK's default checksums.
          { endpoint: config.endpoint, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' }),
      ...(config.accessKeyId !== undefined && config.secretAccessKey !== undefined
        ? { credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey } }
        : {}),
    };
    client = new S3Client(options);
    byRegion.set(region, client);
  }
  return client;
}

/** An S3 bucket (the container; the configured bucket unless the call names another). */
export class S3Location implements StorageLocation {
  readonly location = 'S3' as const;
  readonly container: string;
  readonly #client: () => Promise<S3Client>;
  readonly #access: StoreAccess | undefined;

  constructor(config: S3Config, { container, region, access }: { container?: string; region?: string; access?: StoreAccess } = {}) {
    const bucket = container ?? config.bucket;
    if (!BUCKET_PATTERN.test(bucket)) {
      throw new FsError('FS_ERR_INVALID_OPTION', `"container" must be an S3 bucket name (3–63 lower-case letters, digits, "." and "-"), got "${bucket.slice(0, 80)}"`, { field: 'container' });
    }
    this.container = bucket;
    this.#client = () => s3Client(config, region);
    this.#access = access;
  }

  async put(key: string, stream: Readable, { contentType, maxSize }: PutOptions): Promise<{ size: number }> {
    assertSafeKey(key);
    const limit = new SizeLimit(maxSize);
    // Errors reach the upload through the limiter, which it reads.
    stream.once('error', (error) => limit.destroy(error));
    const { Upload } = await import('@aws-sdk/lib-storage');
    const upload = new Upload({
      client: await this.#client(),
      params: { Bucket: this.container, Key: key, Body: collectSpentChunks(stream).pipe(limit), ContentType: contentType, ...(this.#access === 'public' ? { ACL: 'public-read' as const } : {}) },
      partSize: PART_SIZE,
      queueSize: QUEUE_SIZE,
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (error) {
      stream.destroy();
      // A failed multipart upload is aborted by lib-storage; a single PUT never completed. Belt and braces:
      await this.delete(key).catch(() => undefined);
      if (limit.errored) throw limit.errored;
      throw s3Error(error, 'store the file');
    }
    return { size: limit.bytes };
  }

  async get(key: string, range?: ByteRange): Promise<StoredObject> {
    assertSafeKey(key);
    if (range !== undefined) {
      const info = await this.head(key);
      if (!info) throw new FsError('FS_ERR_NOT_FOUND', 'The stored file is no longer there.');
      assertRange(range, info.size);
    }
    try {
      const { GetObjectCommand } = await sdk();
      const answer = await (await this.#client()).send(new GetObjectCommand({ Bucket: this.container, Key: key, ...(range === undefined ? {} : { Range: `bytes=${range.start}-${range.end}` }) }));
      const total = range === undefined ? answer.ContentLength : Number(/\/(\d+)$/.exec(answer.ContentRange ?? '')?.[1]);
      return { stream: answer.Body as Readable, size: total ?? 0, contentType: answer.ContentType, ...(answer.ETag ? { version: answer.ETag.replaceAll('"', '') } : {}), ...(range === undefined ? {} : { range }) };
    } catch (error) {
      throw s3Error(error, 'read the stored file');
    }
  }

  async head(key: string): Promise<{ size: number; contentType: string | undefined } | undefined> {
    assertSafeKey(key);
    try {
      const { HeadObjectCommand } = await sdk();
      const answer = await (await this.#client()).send(new HeadObjectCommand({ Bucket: this.container, Key: key }));
      return { size: answer.ContentLength ?? 0, contentType: answer.ContentType };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw s3Error(error, 'read the stored file');
    }
  }

  async delete(key: string): Promise<void> {
    assertSafeKey(key);
    try {
      const { DeleteObjectCommand } = await sdk();
      await (await this.#client()).send(new DeleteObjectCommand({ Bucket: this.container, Key: key }));
    } catch (error) {
      if (!isNotFound(error)) throw s3Error(error, 'delete the stored file');
    }
  }
}

function isNotFound(error: unknown): boolean {
  const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return name === 'NotFound' || name === 'NoSuchKey' || $metadata?.httpStatusCode === 404;
}

/** S3's refusals as our codes; S3's own text stays in `cause`. */
function s3Error(error: unknown, what: string): FsError {
  if (error instanceof FsError) return error;
  const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  if (name === 'NoSuchBucket') return new FsError('FS_ERR_NOT_FOUND', 'The S3 bucket does not exist.', { cause: error });
  if (isNotFound(error)) return new FsError('FS_ERR_NOT_FOUND', 'The stored file is no longer there.', { cause: error });
  if ($metadata?.httpStatusCode === 403) return new FsError('FS_ERR_FORBIDDEN', `The companion may not ${what} in this S3 bucket.`, { cause: error });
  return new FsError('FS_ERR_UPSTREAM', `S3 could not ${what}; try again later.`, { cause: error });
}
