import { pickCall, saveCall, type SaveInput } from '../core/call-options.ts';
import type { FsBlob } from '../protocol/blob.ts';
import type { ParsedExportFileOptions, ParsedPickOptions } from '../protocol/options.ts';
import { throwIfAborted, type VerbCall } from './call.ts';
import type { CompanionClient } from './transport/client.ts';

/*
 * The dialog verbs' one `<fs-picker>`: created on first use, appended to document.body and reused by every
 * later call (of any client; its api-key and server are set per call). The elements are registered by
 * src/define.ts, loaded with a dynamic import, so a page that only stores or reads files never loads them;
 * this module knows the element by its tag only. The verbs hand it their options already parsed
 * (`run(call)`), so they are checked once, under the verb's name.
 *
 * v2's `container` option: 'modal' (default) and 'window' open the modal dialog ('window' has no popup of
 * its own here: the modal is what a person can use on every device); the id of an element on the page
 * puts the picker inline inside that element for the call.
 */

/** `<fs-picker>`, by its tag (src/components/fs-picker/fs-picker.ts adds it to HTMLElementTagNameMap). */
type Picker = HTMLElementTagNameMap['fs-picker'];

let shared: Picker | undefined;
/** Settles once the last call's native `<dialog>` has had its `close` event (or soon after, if it never comes). */
let closing: Promise<void> = Promise.resolve();

async function pickerFor(client: CompanionClient, container: string | undefined): Promise<Picker> {
  await import('../define.ts');
  // A picker closed just before still has its native `close` event queued; let it pass first, or the
  // picker would take it for the close of the dialog this call reopens.
  await closing;
  shared ??= document.createElement('fs-picker');
  const picker = shared;
  picker.apiKey = client.apiKey;
  picker.server = client.server;
  const host = container && container !== 'modal' && container !== 'window' ? document.getElementById(container) : null;
  picker.display = host ? 'inline' : 'modal';
  const parent = host ?? document.body;
  if (picker.parentElement !== parent) parent.append(picker);
  return picker;
}

/** Runs one pick or save on the shared picker; an abort closes it and rejects with the signal's reason. */
async function run<T>(client: CompanionClient, container: string | undefined, call: VerbCall, start: (picker: Picker) => Promise<T>): Promise<T> {
  throwIfAborted(call.signal);
  const picker = await pickerFor(client, container);
  throwIfAborted(call.signal);
  const onProgress = (event: HTMLElementEventMap['fs-upload-progress']) => call.onProgress?.({ loaded: event.detail.totalSent, total: event.detail.totalBytes });
  picker.addEventListener('fs-upload-progress', onProgress);
  const { signal } = call;
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    if (!signal) return;
    onAbort = () => {
      reject(signal.reason instanceof Error ? signal.reason : new DOMException('The call was aborted.', 'AbortError'));
      picker.close();
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
  // After an abort the picker's own rejection (picker closed) is expected; the abort is what is reported.
  const settled = start(picker);
  settled.catch(() => undefined);
  try {
    return await Promise.race([settled, aborted]);
  } finally {
    closing = closed(picker);
    picker.removeEventListener('fs-upload-progress', onProgress);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}

/** Opens the picker for one pick; resolves with the picked Blob records (FS_ERR_PICKER_CLOSED when closed). */
export function pickInDialog(client: CompanionClient, options: ParsedPickOptions, call: VerbCall = {}): Promise<FsBlob[]> {
  return run(client, options.container, call, (picker) => picker.run(pickCall(options)));
}

/** Opens the picker in export mode; resolves with the saved file's Blob (FS_ERR_EXPORT_CLOSED when closed). */
export function saveInDialog(client: CompanionClient, input: SaveInput, options: ParsedExportFileOptions, call: VerbCall = {}): Promise<FsBlob> {
  return run(client, options.container, call, (picker) => picker.run(saveCall(input, options)));
}

/** Takes the shared picker off the page (after signing out, so the next dialog starts signed out). */
export function disposeDialog(): void {
  shared?.close();
  shared?.remove();
  shared = undefined;
}

/** The picker element the dialog verbs use, once one was made (for tests, and hosts that style it). */
export function dialogElement(): Picker | undefined {
  return shared;
}

/** When the picker's native dialog has fired `close` (at most 250 ms from now; at once when it is not open). */
function closed(picker: Picker): Promise<void> {
  const dialog = picker.shadowRoot?.querySelector('dialog');
  if (!dialog) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(done, 250);
    dialog.addEventListener('close', done, { once: true });
  });
}
