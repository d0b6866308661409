import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { msg, str } from '@lit/localize';
import type { CompanionClient } from '../../api/transport/client.ts';
import { storeFile } from '../../api/transport/store.ts';
import type { PickerConfig } from '../../core/picker-state.ts';
import {
  cancelled,
  cancelledAll,
  emptyQueue,
  enqueue,
  failed,
  milestone,
  nextQueued,
  progressed,
  removed,
  results,
  retried,
  started,
  succeeded,
  totals,
  type UploadItem,
  type UploadQueue,
} from '../../core/upload-queue.ts';
import type { FsErrorDetail } from '../../events/fs-error.ts';
import type { FsUploadProgressDetail } from '../../events/fs-upload-progress.ts';
import type { FsBlob } from '../../protocol/blob.ts';
import { FsError } from '../../protocol/errors.ts';
import { fileLimits } from './upload-limits.ts';
import { retryRefusal, settledMessage } from './upload-messages.ts';

/** Uploads that run at the same time; the rest wait their turn. */
const PARALLEL_UPLOADS = 3;

/** What the runner reads from its host, and what it tells it. */
export interface UploadRunnerOptions {
  client(): CompanionClient | undefined;
  config(): PickerConfig | undefined;
  /** Says something in the view's live region. */
  announce(text: string): void;
  /** Bytes went out: the host fires `fs-upload-progress`. */
  progressed(detail: FsUploadProgressDetail): void;
  /** An upload failed: the host fires `fs-error`. */
  failed(detail: FsErrorDetail): void;
  /** The pick is complete: the host fires `fs-pick` with these blobs. */
  picked(blobs: FsBlob[]): void;
}

/**
 * Runs the uploads of the accepted files: at most PARALLEL_UPLOADS at a time to the companion's
 * storage, with progress (announced at milestones), Cancel, Cancel all, Retry and Remove, and the
 * pick once the batch is used (or, without `multiple`, once its one file is up). The queue it keeps
 * is what the view renders; each change re-renders the host.
 */
export class UploadRunner implements ReactiveController {
  #queue: UploadQueue<File, FsBlob> = emptyQueue();
  readonly #uploads = new Map<number, AbortController>();
  /** The last progress milestone announced, so each is said once. */
  #milestone = 0;
  /** The pick was fired; new files or a retry start another. */
  #finished = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: UploadRunnerOptions,
  ) {
    host.addController(this);
  }

  get queue(): UploadQueue<File, FsBlob> {
    return this.#queue;
  }

  /** The view is gone (the picker closed, or another source was chosen): what runs stops, and what waits never starts. */
  hostDisconnected(): void {
    for (const upload of this.#uploads.values()) upload.abort();
    this.#uploads.clear();
    this.#set(cancelledAll(this.#queue));
  }

  /** Queues accepted files (call `pump` to start them). */
  enqueue(files: readonly File[]): void {
    this.#finished = false;
    this.#set(enqueue(this.#queue, files));
    if (files.length > 0 && totals(this.#queue).active === files.length) this.#milestone = 0;
  }

  /** Starts queued files while fewer than PARALLEL_UPLOADS run. */
  pump(): void {
    const client = this.options.client();
    if (!client) return;
    while (this.#uploads.size < PARALLEL_UPLOADS) {
      const item = nextQueued(this.#queue);
      if (!item) break;
      this.#start(client, item);
    }
  }

  cancel(id: number): void {
    this.#uploads.get(id)?.abort();
    this.#uploads.delete(id);
    this.#set(cancelled(this.#queue, id));
    this.pump();
    this.#settled();
  }

  cancelAll(): void {
    for (const upload of this.#uploads.values()) upload.abort();
    this.#uploads.clear();
    this.#set(cancelledAll(this.#queue));
    this.options.announce(msg('Uploads cancelled.'));
  }

  /** Uploads a failed or cancelled file again, unless that would go over `max-files`. */
  retry(id: number): void {
    const { maxFiles } = fileLimits(this.options.config());
    if (totals(this.#queue).files >= maxFiles) {
      this.options.announce(retryRefusal(maxFiles));
      return;
    }
    this.#finished = false;
    this.#set(retried(this.#queue, id));
    this.pump();
  }

  remove(id: number): void {
    this.#set(removed(this.#queue, id));
  }

  /** Fires the pick with the uploaded files, once. */
  finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    const blobs = results(this.#queue).map((blob, index) => ({ ...blob, id: index }));
    this.options.picked(blobs);
  }

  /** Like a reactive property: a changed queue re-renders the host. */
  #set(queue: UploadQueue<File, FsBlob>): void {
    if (queue === this.#queue) return;
    this.#queue = queue;
    this.host.requestUpdate();
  }

  #start(client: CompanionClient, item: UploadItem<File, FsBlob>): void {
    const { id } = item;
    const abort = new AbortController();
    this.#uploads.set(id, abort);
    this.#set(started(this.#queue, id));
    const maxSize = this.options.config()?.maxSize ?? 0;
    storeFile(client, item.file, {
      maxSize: maxSize > 0 ? maxSize : undefined,
      signal: abort.signal,
      onProgress: (sent) => this.#progress(id, sent),
    })
      .then(
        (blob) => {
          this.#set(succeeded(this.#queue, id, blob));
          this.#progress(id, item.size);
        },
        (error: unknown) => {
          if (abort.signal.aborted) return;
          const fsError = error instanceof FsError ? error : new FsError('FS_ERR_INTERNAL', msg('The upload failed.'));
          this.#set(failed(this.#queue, id, fsError.message));
          this.options.failed({ code: fsError.code, message: fsError.message });
        },
      )
      .finally(() => {
        if (this.#uploads.get(id) === abort) this.#uploads.delete(id);
        this.pump();
        this.#settled();
      });
  }

  #progress(id: number, sent: number): void {
    this.#set(progressed(this.#queue, id, sent));
    const item = this.#queue.items.find((candidate) => candidate.id === id);
    if (!item) return;
    const sum = totals(this.#queue);
    this.options.progressed({ filename: item.name, sent: item.sent, total: item.size, totalSent: sum.sent, totalBytes: sum.bytes });
    const reached = milestone(sum.fraction);
    if (reached > this.#milestone && reached < 100 && sum.active > 0) {
      this.#milestone = reached;
      this.options.announce(msg(str`Uploaded ${reached}%`));
    }
  }

  /** After an upload ends: announce the outcome once all have, and finish a single pick. */
  #settled(): void {
    const sum = totals(this.#queue);
    if (sum.active > 0 || sum.done + sum.failed === 0) return;
    this.#milestone = 100;
    this.options.announce(settledMessage(sum));
    if (!this.options.config()?.multiple && sum.done === 1 && sum.failed === 0) this.finish();
  }
}
