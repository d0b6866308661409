import { FsError, type StoreAccess } from 'fs-picker/protocol';
import type { AppConfig, CompanionConfig } from '../config.ts';
import type { S3Config } from './s3.ts';

/*
 * What a store call may choose. The S3 credentials are the operator's (or the app owner's), so a caller
 * naming any bucket, asking for a public ACL or any region string would use them as it likes (and every
 * region string used to make an S3 client kept forever). Only what configuration lists is allowed.
 */

export interface StoreChoices {
  container?: string | undefined;
  storeRegion?: string | undefined;
  access?: StoreAccess | undefined;
}

/** The buckets a call may name with these S3 settings: the configured bucket and `containers`. */
export function allowedBuckets(s3: S3Config): string[] {
  return [s3.bucket, ...(s3.containers ?? []).filter((bucket) => bucket !== s3.bucket)];
}

/** The regions a call may name: the configured region and `regions`. */
export function allowedRegions(s3: S3Config): string[] {
  return [s3.region, ...(s3.regions ?? []).filter((region) => region !== s3.region)];
}

/** Refuses an S3 bucket, region or public ACL that configuration does not allow (400, naming the option). */
export function checkS3Choices(s3: S3Config, app: Pick<AppConfig, 'allowPublicAccess'>, choices: StoreChoices): void {
  const buckets = allowedBuckets(s3);
  if (choices.container !== undefined && !buckets.includes(choices.container)) {
    throw new FsError('FS_ERR_INVALID_OPTION', `"container" must be one of this app's S3 buckets: ${list(buckets)}; got "${choices.container.slice(0, 80)}"`, { field: 'container' });
  }
  const regions = allowedRegions(s3);
  if (choices.storeRegion !== undefined && !regions.includes(choices.storeRegion)) {
    throw new FsError('FS_ERR_INVALID_OPTION', `"storeRegion" must be one of the configured S3 regions: ${list(regions)}; got "${choices.storeRegion.slice(0, 40)}"`, { field: 'storeRegion' });
  }
  if (choices.access === 'public' && !app.allowPublicAccess) {
    throw new FsError('FS_ERR_INVALID_OPTION', '"access" "public" is not allowed for this app (its owner can allow it with allowPublicAccess); store with access "private"', { field: 'access' });
  }
}

/** Refuses a local container (subfolder) that `storage.local.containers` does not list. */
export function checkLocalContainer(local: CompanionConfig['storage']['local'], rootName: string, container: string | undefined): void {
  if (container === undefined || container === rootName) return;
  const allowed = local.containers ?? [];
  if (!allowed.includes(container)) {
    const choices = [rootName, ...allowed];
    throw new FsError('FS_ERR_INVALID_OPTION', `"container" must be one of the companion's storage folders: ${list(choices)}; got "${container.slice(0, 80)}"`, { field: 'container' });
  }
}

function list(names: string[]): string {
  return names.map((name) => `"${name}"`).join(', ');
}
