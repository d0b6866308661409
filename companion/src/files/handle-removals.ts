import type { Companion } from '../context.ts';
import { PeriodicJob } from '../jobs/periodic-job.ts';
import { deleteStored } from '../storage/index.ts';

/** Removed handles finished per call at most. */
const BATCH_SIZE = 100;

/** How often the sweep retries stored copies whose deletion failed or was cut off. */
const SWEEP_EVERY_MS = 10 * 60_000;

/**
 * Deletes the stored copies of removed handles, then their rows; a copy that cannot be deleted now
 * (storage unreachable) keeps its row for the next try. Returns how many were finished.
 */
export async function finishRemovals(companion: Companion, signal?: AbortSignal): Promise<number> {
  let finished = 0;
  for (const removal of await companion.handles.pendingRemovals(BATCH_SIZE)) {
    if (signal?.aborted) break;
    try {
      await deleteStored(companion, removal);
      await companion.handles.forget(removal.handleHash);
      finished += 1;
    } catch (error) {
      companion.logger.warn({ err: error, appKey: removal.appKey }, 'files: could not delete the stored copy of a removed handle; trying again later');
    }
  }
  return finished;
}

/** Finishes removals a crash or a storage failure left half done: when the companion starts, then every 10 minutes. */
export function handleRemovalSweep(companion: Companion): PeriodicJob {
  return new PeriodicJob({ run: (signal) => finishRemovals(companion, signal), everyMs: SWEEP_EVERY_MS, logger: companion.logger, failure: 'files: could not finish removing handles', lock: { db: companion.db, name: 'handle removals' } });
}
