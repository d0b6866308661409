import { html, LitElement, nothing, svg } from 'lit';
import { ContextConsumer } from '@lit/context';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import type { CompanionClient } from '../../api/client.ts';
import { storeFile } from '../../api/store.ts';
import { Announcer } from '../../controllers/announcer.ts';
import { clientContext } from '../../controllers/context.ts';
import { StoreController } from '../../controllers/store-controller.ts';
import { checkFiles, type Rejection } from '../../core/file-checks.ts';
import { formatBytes } from '../../core/format.ts';
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
import { FsErrorEvent } from '../../events/fs-error.ts';
import { FsPickEvent } from '../../events/fs-pick.ts';
import { FsUploadProgressEvent } from '../../events/fs-upload-progress.ts';
import type { FsBlob } from '../../protocol/blob.ts';
import { FsError } from '../../protocol/errors.ts';
import { buttonStyles } from '../../styles/buttons.ts';
import { baseStyles } from '../../styles/tokens.ts';
import { uploadStyles } from './fs-upload.styles.ts';
import { activeLocale } from '../../locales/localization.ts';

/** Uploads that run at the same time; the rest wait their turn. */
const PARALLEL_UPLOADS = 3;

const uploadIcon = svg`<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 16V4M7 9l5-5 5 5M4 16v3a1 1 0 0 0 1 1h14a1 1 0 0 0 1-1v-3"/></svg>`;

/**
 * My Computer: files from the person's device, chosen with the button, dropped on the drop zone or
 * pasted (Ctrl+V / Cmd+V while the view has focus). Files the picker's `accept`, `max-size` or
 * `max-files` rule out are named with the reason and not uploaded; the others go to the companion's
 * storage (`POST /api/store`) with per-file and total progress, Cancel, Cancel all and Retry.
 * With `multiple` the person confirms with "Use N files"; otherwise the one upload finishes the pick.
 *
 * @summary Upload files from the computer: drop zone, file button, paste, progress.
 * @fires fs-upload-progress - Bytes went out; `detail` has the file's and the batch's counts.
 * @fires fs-pick - The uploaded files' Blob records (client "Computer"), in the order chosen.
 * @fires fs-error - An upload failed; the file's row shows the message and a Retry button.
 * @csspart drop-zone - The area files can be dropped on.
 * @csspart choose-button - The "Choose files" button.
 * @csspart rejected - The list of files that were not added, with the reasons.
 * @csspart uploads - The uploads: total progress and one row per file.
 * @csspart total-progress - The progress bar over all files.
 * @csspart file - One file's row.
 * @csspart file-progress - One file's progress bar.
 * @csspart use-button - "Use N files".
 * @cssproperty [--fs-color-border-strong=#8a93a6] - The drop zone's dashed border.
 * @cssproperty [--fs-color-drop-over=accent at 10%] - The drop zone's background while files are dragged over it.
 * @cssproperty [--fs-color-accent=#2457c5] - The action button and the drop zone's border while dragging.
 * @cssproperty [--fs-color-danger=#b3261e] - Failures and refusals.
 */
export class FsUpload extends LitElement {
  static override styles = [baseStyles, buttonStyles, uploadStyles];
  static override properties = {
    client: { attribute: false },
    queue: { state: true },
    rejected: { state: true },
    dragOver: { state: true },
  };

  /** The companion client; taken from the enclosing `<fs-picker>` unless set directly. */
  declare client: CompanionClient | undefined;
  declare private queue: UploadQueue<File, FsBlob>;
  declare private rejected: Rejection<File>[];
  declare private dragOver: boolean;

  readonly #config = new StoreController(this, (state) => state.config);
  readonly #announcer = new Announcer(this);
  readonly #uploads = new Map<number, AbortController>();
  #milestone = 0;
  #finished = false;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.client = undefined;
    this.queue = emptyQueue();
    this.rejected = [];
    this.dragOver = false;
    new ContextConsumer(this, {
      context: clientContext,
      subscribe: true,
      callback: (client) => {
        this.client = client;
      },
    });
    // Paste reaches the host from whatever has focus inside the view.
    this.addEventListener('paste', (event) => this.#onPaste(event));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const upload of this.#uploads.values()) upload.abort();
    this.#uploads.clear();
  }

  /** Adds files as if the person had chosen them: checked, then uploaded. Returns the refusals. */
  add(files: Iterable<File>): Rejection<File>[] {
    const config = this.#config.value;
    const multiple = config?.multiple ?? false;
    const limits = { accept: config?.accept ?? [], maxSize: config?.maxSize ?? 0, maxFiles: multiple ? Math.max(1, config?.maxFiles ?? 1) : 1 };
    const list = [...files];
    if (list.length === 0) return [];
    this.#finished = false;
    const { accepted, rejected } = checkFiles(list, limits, totals(this.queue).files);
    this.rejected = rejected;
    this.queue = enqueue(this.queue, accepted);
    if (accepted.length > 0 && totals(this.queue).active === accepted.length) this.#milestone = 0;
    const parts = [accepted.length === 1 ? msg('1 file added.') : msg(str`${accepted.length} files added.`)];
    if (rejected.length > 0) parts.push(rejected.length === 1 ? msg(str`${rejected[0]!.file.name} was not added.`) : msg(str`${rejected.length} files were not added.`));
    this.#announcer.announce(parts.join(' '));
    this.#pump();
    return rejected;
  }

  protected override render() {
    const items = this.queue.items;
    return html`${this.#renderDropZone()} ${this.#renderRejected()} ${items.length > 0 ? this.#renderUploads(items) : nothing} ${this.#renderFooter()}
    ${this.#announcer.region()}`;
  }

  #renderDropZone() {
    const config = this.#config.value;
    const multiple = config?.multiple ?? false;
    return html`<div
      part="drop-zone"
      class=${this.dragOver ? 'drop over' : 'drop'}
      @dragenter=${this.#onDragOver}
      @dragover=${this.#onDragOver}
      @dragleave=${this.#onDragLeave}
      @drop=${this.#onDrop}
    >
      ${uploadIcon}
      <p>${multiple ? msg('Drop files here, paste them, or') : msg('Drop a file here, paste it, or')}</p>
      <button part="choose-button" class="primary" type="button" aria-describedby="limits" @click=${this.#openChooser}>
        ${multiple ? msg('Choose files') : msg('Choose a file')}
      </button>
      <input
        type="file"
        hidden
        tabindex="-1"
        aria-hidden="true"
        ?multiple=${multiple}
        accept=${(config?.accept ?? []).join(',') || nothing}
        @change=${this.#onChosen}
      />
      <p id="limits" class="limits">${this.#limits()}</p>
    </div>`;
  }

  #limits(): string {
    const config = this.#config.value;
    const parts: string[] = [];
    if (config && config.accept.length > 0) parts.push(msg(str`Accepted: ${config.accept.join(', ')}.`));
    if (config && config.maxSize > 0) parts.push(msg(str`Up to ${formatBytes(config.maxSize, this.#locale())} each.`));
    if (config?.multiple && config.maxFiles > 1) parts.push(msg(str`At most ${config.maxFiles} files.`));
    return parts.join(' ');
  }

  #renderRejected() {
    if (this.rejected.length === 0) return nothing;
    return html`<div part="rejected" class="rejected" role="alert">
      <p>${this.rejected.length === 1 ? msg('This file was not added:') : msg('These files were not added:')}</p>
      <ul>
        ${this.rejected.map((rejection) => html`<li><strong>${rejection.file.name}</strong>: ${this.#reason(rejection)}</li>`)}
      </ul>
    </div>`;
  }

  #reason({ kind, file }: Rejection<File>): string {
    const config = this.#config.value;
    const locale = this.#locale();
    switch (kind) {
      case 'accept':
        return msg(str`not an accepted type (accepted: ${config?.accept.join(', ') ?? ''})`);
      case 'maxSize':
        return msg(str`larger than ${formatBytes(config?.maxSize ?? 0, locale)} (it is ${formatBytes(file.size, locale)})`);
      case 'maxFiles': {
        const max = config?.multiple ? (config.maxFiles ?? 1) : 1;
        return max === 1 ? msg('only 1 file can be chosen') : msg(str`at most ${max} files can be chosen`);
      }
      default:
        return msg('it cannot be uploaded');
    }
  }

  #renderUploads(items: ReadonlyArray<UploadItem<File, FsBlob>>) {
    const sum = totals(this.queue);
    const locale = this.#locale();
    return html`<section part="uploads" aria-labelledby="uploads-title">
      <h3 id="uploads-title" class="visually-hidden">${msg('Uploads')}</h3>
      <div class="total">
        <progress part="total-progress" aria-label=${msg('All uploads')} max=${Math.max(1, sum.bytes)} value=${sum.bytes === 0 ? (sum.active ? 0 : 1) : sum.sent}></progress>
        <span class="muted">
          ${msg(str`${sum.done} of ${sum.files} files, ${formatBytes(sum.sent, locale)} of ${formatBytes(sum.bytes, locale)}`)}
        </span>
        ${sum.active > 0 ? html`<button type="button" data-action="cancel-all" @click=${this.#cancelAll}>${msg('Cancel all')}</button>` : nothing}
      </div>
      <ul class="files">
        ${items.map((item) => this.#renderItem(item))}
      </ul>
    </section>`;
  }

  #renderItem(item: UploadItem<File, FsBlob>) {
    const active = item.status === 'queued' || item.status === 'uploading';
    const percent = item.size === 0 ? 0 : Math.min(99, Math.round((item.sent / item.size) * 100));
    const status = {
      queued: msg('Waiting'),
      uploading: msg(str`${percent}%`),
      done: msg('Uploaded'),
      failed: msg(str`Failed: ${item.error ?? ''}`),
      cancelled: msg('Cancelled'),
    }[item.status];
    return html`<li part="file" class="file" data-status=${item.status} data-id=${item.id}>
      <span class="name" title=${item.name}>${item.name}</span>
      <span class="muted">${formatBytes(item.size, this.#locale())}</span>
      ${item.status === 'failed' || item.status === 'cancelled'
        ? nothing
        : html`<progress part="file-progress" aria-label=${item.name} max=${Math.max(1, item.size)} value=${item.size === 0 ? (item.status === 'done' ? 1 : 0) : item.sent}></progress>`}
      <span class="status">${status}</span>
      <span class="buttons">
        ${active
          ? html`<button type="button" data-action="cancel" aria-label=${msg(str`Cancel ${item.name}`)} @click=${() => this.#cancel(item.id)}>${msg('Cancel')}</button>`
          : nothing}
        ${item.status === 'failed' || item.status === 'cancelled'
          ? html`<button type="button" data-action="retry" aria-label=${msg(str`Retry ${item.name}`)} @click=${() => this.#retry(item.id)}>${msg('Retry')}</button>`
          : nothing}
        ${active
          ? nothing
          : html`<button type="button" data-action="remove" aria-label=${msg(str`Remove ${item.name}`)} @click=${() => this.#remove(item.id)}>${msg('Remove')}</button>`}
      </span>
    </li>`;
  }

  #renderFooter() {
    const config = this.#config.value;
    if (!config?.multiple) return nothing;
    const sum = totals(this.queue);
    if (sum.files === 0 && this.queue.items.length === 0) return nothing;
    const blocker = this.#blocker();
    return html`<div class="footer">
      ${blocker ? html`<p id="use-reason" class="muted">${blocker}</p>` : nothing}
      <button
        part="use-button"
        class="primary"
        type="button"
        aria-disabled=${blocker ? 'true' : 'false'}
        aria-describedby=${blocker ? 'use-reason' : nothing}
        @click=${this.#use}
      >
        ${sum.done === 1 ? msg('Use 1 file') : msg(str`Use ${sum.done} files`)}
      </button>
    </div>`;
  }

  /** Why "Use N files" cannot be pressed yet. */
  #blocker(): string | undefined {
    const config = this.#config.value;
    const sum = totals(this.queue);
    const minFiles = Math.max(1, config?.minFiles ?? 1);
    if (sum.active > 0) return msg('Wait for the uploads to finish.');
    if (sum.done < minFiles) return minFiles === 1 ? msg('Upload a file first.') : msg(str`Choose at least ${minFiles} files`);
    return undefined;
  }

  #locale(): string | undefined {
    return activeLocale();
  }

  #openChooser(): void {
    this.renderRoot.querySelector<HTMLInputElement>('input[type="file"]')?.click();
  }

  #onChosen(event: Event): void {
    const input = event.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    // Cleared so that choosing the same file again is a change too.
    input.value = '';
    this.add(files);
  }

  #onDragOver(event: DragEvent): void {
    if (!event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    this.dragOver = true;
  }

  #onDragLeave(event: DragEvent): void {
    const zone = event.currentTarget as HTMLElement;
    if (event.relatedTarget instanceof Node && zone.contains(event.relatedTarget)) return;
    this.dragOver = false;
  }

  #onDrop(event: DragEvent): void {
    event.preventDefault();
    this.dragOver = false;
    this.add(event.dataTransfer?.files ?? []);
  }

  #onPaste(event: ClipboardEvent): void {
    const files = [...(event.clipboardData?.files ?? [])];
    if (files.length === 0) return;
    event.preventDefault();
    this.add(files);
  }

  /** Starts queued files while fewer than PARALLEL_UPLOADS run. */
  #pump(): void {
    const client = this.client;
    if (!client) return;
    while (this.#uploads.size < PARALLEL_UPLOADS) {
      const item = nextQueued(this.queue);
      if (!item) break;
      this.#start(client, item);
    }
  }

  #start(client: CompanionClient, item: UploadItem<File, FsBlob>): void {
    const { id } = item;
    const abort = new AbortController();
    this.#uploads.set(id, abort);
    this.queue = started(this.queue, id);
    const maxSize = this.#config.value?.maxSize ?? 0;
    storeFile(client, item.file, {
      maxSize: maxSize > 0 ? maxSize : undefined,
      signal: abort.signal,
      onProgress: (sent) => this.#progress(id, sent),
    })
      .then(
        (blob) => {
          this.queue = succeeded(this.queue, id, blob);
          this.#progress(id, item.size);
        },
        (error: unknown) => {
          if (abort.signal.aborted) return;
          const fsError = error instanceof FsError ? error : new FsError('FS_ERR_INTERNAL', msg('The upload failed.'));
          this.queue = failed(this.queue, id, fsError.message);
          this.dispatchEvent(new FsErrorEvent({ code: fsError.code, message: fsError.message }));
        },
      )
      .finally(() => {
        if (this.#uploads.get(id) === abort) this.#uploads.delete(id);
        this.#pump();
        this.#settled();
      });
  }

  #progress(id: number, sent: number): void {
    this.queue = progressed(this.queue, id, sent);
    const item = this.queue.items.find((candidate) => candidate.id === id);
    if (!item) return;
    const sum = totals(this.queue);
    this.dispatchEvent(new FsUploadProgressEvent({ filename: item.name, sent: item.sent, total: item.size, totalSent: sum.sent, totalBytes: sum.bytes }));
    const reached = milestone(sum.fraction);
    if (reached > this.#milestone && reached < 100 && sum.active > 0) {
      this.#milestone = reached;
      this.#announcer.announce(msg(str`Uploaded ${reached}%`));
    }
  }

  /** After an upload ends: announce the outcome once all have, and finish a single pick. */
  #settled(): void {
    const sum = totals(this.queue);
    if (sum.active > 0 || sum.done + sum.failed === 0) return;
    this.#milestone = 100;
    const done = sum.done === 1 ? msg('1 file uploaded.') : msg(str`${sum.done} files uploaded.`);
    this.#announcer.announce(sum.failed > 0 ? `${done} ${sum.failed === 1 ? msg('1 failed.') : msg(str`${sum.failed} failed.`)}` : done);
    if (!this.#config.value?.multiple && sum.done === 1 && sum.failed === 0) this.#finish();
  }

  #cancel(id: number): void {
    this.#uploads.get(id)?.abort();
    this.#uploads.delete(id);
    this.queue = cancelled(this.queue, id);
    this.#pump();
    this.#settled();
  }

  #cancelAll(): void {
    for (const upload of this.#uploads.values()) upload.abort();
    this.#uploads.clear();
    this.queue = cancelledAll(this.queue);
    this.#announcer.announce(msg('Uploads cancelled.'));
  }

  #retry(id: number): void {
    const config = this.#config.value;
    const multiple = config?.multiple ?? false;
    const maxFiles = multiple ? Math.max(1, config?.maxFiles ?? 1) : 1;
    if (totals(this.queue).files >= maxFiles) {
      this.#announcer.announce(maxFiles === 1 ? msg('Only 1 file can be chosen; remove the other first.') : msg(str`At most ${maxFiles} files can be chosen; remove one first.`));
      return;
    }
    this.#finished = false;
    this.queue = retried(this.queue, id);
    this.#pump();
  }

  #remove(id: number): void {
    this.queue = removed(this.queue, id);
    // Focus would be lost with the row; the file button is the natural next step.
    this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[part="choose-button"]')?.focus(), () => {});
  }

  #use(): void {
    if (this.#blocker()) return;
    this.#finish();
  }

  #finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    const blobs = results(this.queue).map((blob, index) => ({ ...blob, id: index }));
    this.dispatchEvent(new FsPickEvent({ blobs }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fs-upload': FsUpload;
  }
}
