import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CompanionConfig } from '../config.ts';
import { s3Client } from '../storage/s3.ts';

/**
 * Why the storage stores go to cannot take a file now, or undefined when it can: the local folder must
 * be writable where stores default to it (instances "one"), and the operator's S3 bucket must answer
 * HeadBucket when one is configured. An app's own S3 settings (the portal's) are its owner's and not
 * checked: one app's wrong bucket does not take the companion out of the load balancer. The reason is
 * short and says nothing of the settings (the bucket name, the endpoint): /readyz is public.
 */
export async function storageProblem(config: CompanionConfig, signal: AbortSignal): Promise<string | undefined> {
  if (config.instances === 'one') {
    const root = resolve(config.storage.local.root);
    try {
      // A store would create it too (local.ts); a folder that cannot be made or written is the problem.
      await mkdir(root, { recursive: true });
      await access(root, constants.W_OK);
    } catch {
      return 'the local storage folder is not writable';
    }
  }
  const s3 = config.storage.s3;
  if (s3 !== undefined) {
    const { HeadBucketCommand } = await import('@aws-sdk/client-s3');
    try {
      await (await s3Client(s3)).send(new HeadBucketCommand({ Bucket: s3.bucket }), { abortSignal: signal });
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      return status === undefined ? 'the S3 bucket cannot be reached' : `the S3 bucket answered HTTP ${status}`;
    }
  }
  return undefined;
}
