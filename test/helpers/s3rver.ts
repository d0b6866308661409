import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { startLocalS3 } from '../../src/dev/s3rver.ts';

export const S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface TestS3 {
  endpoint: string;
  /** A client for the test's own checks (path style, s3rver's credentials). */
  client: S3Client;
  /** Creates a bucket (names need at least 3 characters). */
  createBucket(name: string): Promise<void>;
  /** The companion's `storage.s3` for `bucket`. */
  config(bucket: string): { bucket: string; endpoint: string; forcePathStyle: true; accessKeyId: string; secretAccessKey: string };
  close(): Promise<void>;
}

/** s3rver on 127.0.0.1 at a free port (the stack's own, with its one default bucket), removed on close. */
export async function startS3rver(): Promise<TestS3> {
  const server = await startLocalS3();
  const { endpoint } = server;
  const client = new S3Client({
    region: 'us-east-1',
    endpoint,
    forcePathStyle: true,
    // A copy: the SDK marks the credentials object it is given.
    credentials: { ...S3_CREDENTIALS },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return {
    endpoint,
    client,
    async createBucket(name) {
      await client.send(new CreateBucketCommand({ Bucket: name }));
    },
    config: (bucket) => ({ bucket, endpoint, forcePathStyle: true, ...S3_CREDENTIALS }),
    async close() {
      client.destroy();
      await server.close();
    },
  };
}
