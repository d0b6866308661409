import { html, LitElement } from 'lit';
import { ContextConsumer } from '@lit/context';
import { updateWhenLocaleChanges } from '@lit/localize';
import type { CompanionClient } from '../../api/transport/client.ts';
import { Announcer } from '../../controllers/announcer.ts';
import { clientContext } from '../../controllers/context.ts';
import { StoreController } from '../../controllers/store-controller.ts';
import { checkFiles, type Rejection } from '../../core/file-checks.ts';
import { totals } from '../../core/upload-queue.ts';
import { FsErrorEvent } from '../../events/fs-error.ts';
import { FsPickEvent } from '../../events/fs-pick.ts';
import { FsUploadProgressEvent } from '../../events/fs-upload-progress.ts';
import { buttonStyles } from '../../styles/buttons.ts';
import { baseStyles } from '../../styles/tokens.ts';
import { uploadStyles } from './fs-upload.styles.ts';
import { FileIntake } from './file-intake.ts';
import { renderDropZone } from './upload-drop-zone.ts';
import { renderFooter } from './upload-footer.ts';
import { fileLimits } from './upload-limits.ts';
import { renderUploads } from './upload-list.ts';
import { addedMessage, limitsText, useBlocker } from './upload-messages.ts';
import { renderRejected } from './upload-rejected.ts';
import { UploadRunner } from './upload-runner.ts';

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
    rejected: { state: true },
  };

  /** The companion client; taken from the enclosing `<fs-picker>` unless set directly. */
  declare client: CompanionClient | undefined;
  declare private rejected: Rejection<File>[];

  readonly #config = new StoreController(this, (state) => state.config);
  readonly #announcer = new Announcer(this);

  readonly #uploads = new UploadRunner(this, {
    client: () => this.client,
    config: () => this.#config.value,
    announce: (text) => this.#announcer.announce(text),
    progressed: (detail) => this.dispatchEvent(new FsUploadProgressEvent(detail)),
    failed: (detail) => this.dispatchEvent(new FsErrorEvent(detail)),
    picked: (blobs) => this.dispatchEvent(new FsPickEvent({ blobs })),
  });

  readonly #intake = new FileIntake(this, {
    add: (files) => this.add(files),
    input: () => this.renderRoot.querySelector<HTMLInputElement>('input[type="file"]'),
  });

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.client = undefined;
    this.rejected = [];
    new ContextConsumer(this, {
      context: clientContext,
      subscribe: true,
      callback: (client) => {
        this.client = client;
      },
    });
    // Paste reaches the host from whatever has focus inside the view.
    this.addEventListener('paste', (event) => this.#intake.paste(event));
  }

  /** Adds files as if the person had chosen them: checked, then uploaded. Returns the refusals. */
  add(files: Iterable<File>): Rejection<File>[] {
    const list = [...files];
    if (list.length === 0) return [];
    const { accepted, rejected } = checkFiles(list, fileLimits(this.#config.value), totals(this.#uploads.queue).files);
    this.rejected = rejected;
    this.#uploads.enqueue(accepted);
    this.#announcer.announce(addedMessage(accepted.length, rejected));
    this.#uploads.pump();
    return rejected;
  }

  protected override render() {
    return html`${this.#renderDropZone()} ${renderRejected(this.rejected, this.#config.value)} ${this.#renderUploads()} ${this.#renderFooter()}
    ${this.#announcer.region()}`;
  }

  #renderDropZone() {
    const config = this.#config.value;
    return renderDropZone({ multiple: config?.multiple ?? false, accept: config?.accept ?? [], limits: limitsText(config), intake: this.#intake });
  }

  #renderUploads() {
    return renderUploads({
      queue: this.#uploads.queue,
      cancelAll: () => this.#uploads.cancelAll(),
      cancel: (id) => this.#uploads.cancel(id),
      retry: (id) => this.#uploads.retry(id),
      remove: (id) => this.#remove(id),
    });
  }

  #renderFooter() {
    const config = this.#config.value;
    return renderFooter({ multiple: config?.multiple ?? false, queue: this.#uploads.queue, blocker: this.#blocker(), use: () => this.#use() });
  }

  /** Why "Use N files" cannot be pressed yet. */
  #blocker(): string | undefined {
    return useBlocker(totals(this.#uploads.queue), this.#config.value);
  }

  #remove(id: number): void {
    this.#uploads.remove(id);
    // Focus would be lost with the row; the file button is the natural next step.
    this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[part="choose-button"]')?.focus(), () => {});
  }

  #use(): void {
    if (this.#blocker()) return;
    this.#uploads.finish();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fs-upload': FsUpload;
  }
}
