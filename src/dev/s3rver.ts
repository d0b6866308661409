import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close: () => Promise<void>;
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;

// s3rver is CommonJS without typings; this is the little of it the stack uses.
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass;

export interface LocalS3 {
  endpoint: string;
  bucket: string;
  close: () => Promise<void>;
}

/** An S3 endpoint on loopback (s3rver) with one bucket, its data in a temporary folder removed on close. */
export async function startLocalS3({ host = '127.0.0.1', port = 0, bucket = 'fs-picker' }: { host?: string; port?: number; bucket?: string } = {}): Promise<LocalS3> {
  const directory = await mkdtemp(join(tmpdir(), 'fs-picker-s3-'));
  const server = new S3rver({ address: host, port, directory, silent: true, configureBuckets: [{ name: bucket }] });
  const address = await server.run();
  return {
    endpoint: `http://${host}:${address.port}`,
    bucket,
    close: async () => {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
