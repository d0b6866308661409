/**
 * The state of a batch of local uploads, as pure functions over an immutable list: each file's status
 * and bytes sent, and the batch's totals. The view owns the XHRs; this only records what happened.
 */

export type UploadStatus = 'queued' | 'uploading' | 'done' | 'failed' | 'cancelled';

export interface UploadItem<F = unknown, R = unknown> {
  /** Unique within the queue, stable across retries. */
  id: number;
  file: F;
  name: string;
  size: number;
  status: UploadStatus;
  /** Bytes sent so far (0 again after a retry). */
  sent: number;
  /** The companion's answer once done. */
  result?: R;
  /** Why it failed. */
  error?: string;
}

export interface UploadQueue<F = unknown, R = unknown> {
  items: ReadonlyArray<UploadItem<F, R>>;
  nextId: number;
}

export interface UploadTotals {
  /** Bytes sent over the files that count (not failed, not cancelled). */
  sent: number;
  /** Bytes to send over the files that count. */
  bytes: number;
  /** Files that count. */
  files: number;
  done: number;
  failed: number;
  cancelled: number;
  /** Queued or uploading. */
  active: number;
  /** 0..1 over the bytes that count; 1 when nothing counts. */
  fraction: number;
}

export function emptyQueue<F = unknown, R = unknown>(): UploadQueue<F, R> {
  return { items: [], nextId: 1 };
}

/** Adds files (queued) at the end, in order. */
export function enqueue<F extends { name: string; size: number }, R>(queue: UploadQueue<F, R>, files: readonly F[]): UploadQueue<F, R> {
  const added = files.map((file, index): UploadItem<F, R> => ({ id: queue.nextId + index, file, name: file.name, size: file.size, status: 'queued', sent: 0 }));
  return { items: [...queue.items, ...added], nextId: queue.nextId + files.length };
}

function update<F, R>(queue: UploadQueue<F, R>, id: number, change: (item: UploadItem<F, R>) => UploadItem<F, R> | undefined): UploadQueue<F, R> {
  let changed = false;
  const items = queue.items.map((item) => {
    if (item.id !== id) return item;
    const next = change(item);
    if (!next || next === item) return item;
    changed = true;
    return next;
  });
  return changed ? { ...queue, items } : queue;
}

const isActive = (status: UploadStatus) => status === 'queued' || status === 'uploading';

export function started<F, R>(queue: UploadQueue<F, R>, id: number): UploadQueue<F, R> {
  return update(queue, id, (item) => (item.status === 'queued' ? { ...item, status: 'uploading', sent: 0 } : undefined));
}

/** Bytes went out; never goes backwards, never past the size. */
export function progressed<F, R>(queue: UploadQueue<F, R>, id: number, sent: number): UploadQueue<F, R> {
  return update(queue, id, (item) => {
    if (item.status !== 'uploading') return undefined;
    const next = Math.min(Math.max(item.sent, sent), item.size);
    return next === item.sent ? undefined : { ...item, sent: next };
  });
}

export function succeeded<F, R>(queue: UploadQueue<F, R>, id: number, result: R): UploadQueue<F, R> {
  return update(queue, id, (item) => (isActive(item.status) ? { ...item, status: 'done', sent: item.size, result, error: undefined } : undefined));
}

export function failed<F, R>(queue: UploadQueue<F, R>, id: number, error: string): UploadQueue<F, R> {
  return update(queue, id, (item) => (isActive(item.status) ? { ...item, status: 'failed', error } : undefined));
}

/** Cancels one file that is still queued or uploading. */
export function cancelled<F, R>(queue: UploadQueue<F, R>, id: number): UploadQueue<F, R> {
  return update(queue, id, (item) => (isActive(item.status) ? { ...item, status: 'cancelled' } : undefined));
}

/** Cancels every file that is still queued or uploading. */
export function cancelledAll<F, R>(queue: UploadQueue<F, R>): UploadQueue<F, R> {
  return queue.items.reduce((next, item) => cancelled(next, item.id), queue);
}

/** A failed or cancelled file goes back in the queue, from byte 0. */
export function retried<F, R>(queue: UploadQueue<F, R>, id: number): UploadQueue<F, R> {
  return update(queue, id, (item) => {
    if (item.status !== 'failed' && item.status !== 'cancelled') return undefined;
    const { error: _error, ...rest } = item;
    return { ...rest, status: 'queued', sent: 0 };
  });
}

/** Takes a file out of the list altogether (not while it is uploading). */
export function removed<F, R>(queue: UploadQueue<F, R>, id: number): UploadQueue<F, R> {
  const items = queue.items.filter((item) => item.id !== id || isActive(item.status));
  return items.length === queue.items.length ? queue : { ...queue, items };
}

export function totals(queue: UploadQueue): UploadTotals {
  const result: UploadTotals = { sent: 0, bytes: 0, files: 0, done: 0, failed: 0, cancelled: 0, active: 0, fraction: 1 };
  for (const item of queue.items) {
    if (item.status === 'failed') result.failed += 1;
    else if (item.status === 'cancelled') result.cancelled += 1;
    else {
      result.files += 1;
      result.sent += item.sent;
      result.bytes += item.size;
      if (item.status === 'done') result.done += 1;
      else result.active += 1;
    }
  }
  result.fraction = result.bytes === 0 ? (result.active === 0 ? 1 : 0) : result.sent / result.bytes;
  return result;
}

/** The next file to start, if any. */
export function nextQueued<F, R>(queue: UploadQueue<F, R>): UploadItem<F, R> | undefined {
  return queue.items.find((item) => item.status === 'queued');
}

/** The results of the finished files, in the order they were added. */
export function results<F, R>(queue: UploadQueue<F, R>): R[] {
  return queue.items.flatMap((item) => (item.status === 'done' && item.result !== undefined ? [item.result] : []));
}

/** Whether every file has settled and at least one is done: the batch can be used. */
export function isComplete(queue: UploadQueue): boolean {
  const t = totals(queue);
  return t.active === 0 && t.done > 0;
}

/**
 * The milestone (0, 25, 50, 75, 100) that `fraction` has reached, to announce progress politely
 * rather than at every percent.
 */
export function milestone(fraction: number): number {
  return Math.min(100, Math.floor((Math.max(0, fraction) * 100) / 25) * 25);
}
