import { expect, fixture, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/define.ts';
import '../../src/views.ts';
import * as stories from '../../stories/fs-upload.stories.ts';
import { CompanionClient } from '../../src/api/transport/client.ts';
import type { FsUpload } from '../../src/components/fs-upload/fs-upload.ts';
import type { PickerState } from '../../src/core/picker-state.ts';
import type { Store } from '../../src/core/store.ts';
import type { FsPickEvent } from '../../src/events/fs-pick.ts';
import type { FsUploadProgressDetail, FsUploadProgressEvent } from '../../src/events/fs-upload-progress.ts';
import { FsError } from '../../src/protocol/errors.ts';
import { storeWith } from '../../stories/fixtures/context.ts';
import { fakeClient, mountView, sampleBlob, sampleFiles, uploadFailingClient, uploadingClient } from '../../stories/fixtures/uploads.ts';
import { stackUrls } from '../helpers/stack.ts';

async function render(client: CompanionClient, store: Store<PickerState>): Promise<FsUpload> {
  const mounted = mountView('fs-upload', { client, store });
  await fixture(mounted.context);
  return mounted.ready;
}

const $ = <E extends Element = HTMLElement>(view: FsUpload, selector: string) => view.shadowRoot!.querySelector<E>(selector);
const $$ = <E extends Element = HTMLElement>(view: FsUpload, selector: string) => [...view.shadowRoot!.querySelectorAll<E>(selector)];
const text = (element: Element | null) => element?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const rows = (view: FsUpload) => $$(view, '[part="file"]');
const row = (view: FsUpload, name: string) => rows(view).find((li) => text(li.querySelector('.name')) === name);

function transfer(files: File[]): DataTransfer {
  const data = new DataTransfer();
  for (const file of files) data.items.add(file);
  return data;
}

/** Chooses files through the view's file input, as the browser's file dialog would. */
function choose(view: FsUpload, files: File[]): void {
  const input = $<HTMLInputElement>(view, 'input[type="file"]')!;
  input.files = transfer(files).files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

async function bytesOf(url: string): Promise<number[]> {
  return [...new Uint8Array(await (await fetch(url)).arrayBuffer())];
}

async function fileBytes(file: File): Promise<number[]> {
  return [...new Uint8Array(await file.arrayBuffer())];
}

describe('<fs-upload> with the real companion', () => {
  let client: CompanionClient;

  before(async () => {
    const { companion, apiKey } = await stackUrls();
    client = new CompanionClient({ server: companion, apiKey });
  });

  it('uploads chosen files with progress; "Use 2 files" picks them in order and the links give the exact bytes', async () => {
    const view = await render(client, storeWith({ currentService: 'COMPUTER', config: { multiple: true, maxFiles: 5 } }));
    const input = $<HTMLInputElement>(view, 'input[type="file"]')!;
    expect(input.multiple).to.equal(true);
    const progress: FsUploadProgressDetail[] = [];
    view.addEventListener('fs-upload-progress', (event: FsUploadProgressEvent) => progress.push(event.detail));
    const files = sampleFiles();

    choose(view, files);

    await waitUntil(() => rows(view).every((li) => li.dataset.status === 'done') && rows(view).length === 2, 'the uploads did not finish', { timeout: 8000 });
    const totalBytes = files[0]!.size + files[1]!.size;
    expect(progress.length).to.be.greaterThan(0);
    expect(progress.at(-1)!.totalBytes).to.equal(totalBytes);
    expect(progress.some((detail) => detail.filename === 'data.bin' && detail.sent === 2048 && detail.total === 2048)).to.equal(true);
    expect($<HTMLProgressElement>(view, '[part="total-progress"]')!.value).to.equal(totalBytes);
    expect(text($(view, '[role="status"]'))).to.equal('2 files uploaded.');
    await expect(view).to.be.accessible();

    const use = $(view, '[part="use-button"]')!;
    expect(text(use)).to.equal('Use 2 files');
    const picked = oneEvent<FsPickEvent>(view, 'fs-pick');
    use.click();
    const { blobs } = (await picked).detail;

    expect(blobs.map((blob) => [blob.filename, blob.mimetype, blob.size, blob.client, blob.source, blob.id])).to.deep.equal([
      ['notes.txt', 'text/plain', files[0]!.size, 'Computer', 'COMPUTER', 0],
      ['data.bin', 'application/octet-stream', 2048, 'Computer', 'COMPUTER', 1],
    ]);
    expect(await bytesOf(blobs[0]!.url)).to.deep.equal(await fileBytes(files[0]!));
    expect(await bytesOf(blobs[1]!.url)).to.deep.equal(await fileBytes(files[1]!));
  });

  it('uploads a dropped file and, when not multiple, finishes with it', async () => {
    const view = await render(client, storeWith({ config: { multiple: false } }));
    const zone = $(view, '[part="drop-zone"]')!;
    const file = new File(['dropped bytes'], 'dropped.txt', { type: 'text/plain' });

    zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer([file]), bubbles: true, cancelable: true, composed: true }));
    await view.updateComplete;
    expect(zone.classList.contains('over')).to.equal(true);
    await expect(view).to.be.accessible();

    const picked = oneEvent<FsPickEvent>(view, 'fs-pick');
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer([file]), bubbles: true, cancelable: true, composed: true }));
    await view.updateComplete;
    expect(zone.classList.contains('over')).to.equal(false);

    const { blobs } = (await picked).detail;
    expect(blobs).to.have.length(1);
    expect(blobs[0]!.filename).to.equal('dropped.txt');
    expect(await bytesOf(blobs[0]!.url)).to.deep.equal(await fileBytes(file));
  });

  it('uploads pasted files', async () => {
    const view = await render(client, storeWith({ config: { multiple: true, maxFiles: 5 } }));
    const file = new File(['pasted'], 'pasted.txt', { type: 'text/plain' });
    $(view, '[part="choose-button"]')!.focus();

    $(view, '[part="choose-button"]')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer([file]), bubbles: true, cancelable: true, composed: true }));

    await waitUntil(() => row(view, 'pasted.txt')?.dataset.status === 'done', 'the pasted file was not uploaded');
  });

  it('cancels one of two uploads and picks the other', async () => {
    const view = await render(client, storeWith({ config: { multiple: true, maxFiles: 5 } }));
    const big = new File([new Uint8Array(48 * 1024 * 1024)], 'big.bin', { type: 'application/octet-stream' });
    const small = new File(['small'], 'small.txt', { type: 'text/plain' });

    choose(view, [big, small]);
    await view.updateComplete;
    row(view, 'big.bin')!.querySelector<HTMLButtonElement>('[data-action="cancel"]')!.click();

    await waitUntil(() => row(view, 'small.txt')?.dataset.status === 'done', 'the small file did not finish');
    expect(row(view, 'big.bin')!.dataset.status).to.equal('cancelled');
    expect(text(row(view, 'big.bin')!.querySelector('.status'))).to.equal('Cancelled');
    await expect(view).to.be.accessible();

    const picked = oneEvent<FsPickEvent>(view, 'fs-pick');
    $(view, '[part="use-button"]')!.click();
    expect((await picked).detail.blobs.map((blob) => blob.filename)).to.deep.equal(['small.txt']);
  });

  it('names the files refused by max-size or accept, and uploads only the rest', async () => {
    const view = await render(client, storeWith({ config: { multiple: true, maxFiles: 5, maxSize: 1000, accept: ['text/*', '.bin'] } }));
    const input = $<HTMLInputElement>(view, 'input[type="file"]')!;
    expect(input.accept).to.equal('text/*,.bin');
    const ok = new File(['fine'], 'fine.txt', { type: 'text/plain' });
    const large = new File([new Uint8Array(5000)], 'too-large.bin');
    const image = new File([new Uint8Array(10)], 'photo.png', { type: 'image/png' });

    choose(view, [ok, large, image]);
    await view.updateComplete;

    const rejected = $(view, '[part="rejected"]')!;
    expect(rejected.getAttribute('role')).to.equal('alert');
    expect(text(rejected)).to.contain('too-large.bin: larger than 1 kB (it is 5 kB)');
    expect(text(rejected)).to.contain('photo.png: not an accepted type (accepted: text/*, .bin)');
    expect(rows(view).map((li) => text(li.querySelector('.name')))).to.deep.equal(['fine.txt']);
    await waitUntil(() => row(view, 'fine.txt')?.dataset.status === 'done');
    await expect(view).to.be.accessible();
  });

  it('refuses files beyond max-files', async () => {
    const view = await render(client, storeWith({ config: { multiple: true, maxFiles: 1 } }));
    choose(view, sampleFiles());
    await view.updateComplete;
    expect(text($(view, '[part="rejected"]'))).to.contain('data.bin: only 1 file can be chosen');
    expect(rows(view)).to.have.length(1);
  });
});

describe('<fs-upload> states the server cannot easily produce', () => {
  it('shows a failure with the message, and Retry uploads again', async () => {
    let calls = 0;
    const flaky = fakeClient({
      upload: async (_path, body, options) => {
        calls += 1;
        if (calls === 1) throw new FsError('FS_ERR_NETWORK', 'Could not reach the companion.');
        options.onProgress?.(body.size, body.size);
        return { blob: sampleBlob('notes.txt', 'text/plain', body.size, 0, 'COMPUTER') };
      },
    });
    const view = await render(flaky, storeWith({ config: { multiple: true, maxFiles: 5 } }));
    choose(view, sampleFiles().slice(0, 1));

    await waitUntil(() => row(view, 'notes.txt')?.dataset.status === 'failed');
    expect(text(row(view, 'notes.txt')!.querySelector('.status'))).to.equal('Failed: Could not reach the companion.');
    expect($(view, '[part="use-button"]')!.getAttribute('aria-disabled')).to.equal('true');
    await expect(view).to.be.accessible();

    row(view, 'notes.txt')!.querySelector<HTMLButtonElement>('[data-action="retry"]')!.click();

    await waitUntil(() => row(view, 'notes.txt')?.dataset.status === 'done');
    expect(calls).to.equal(2);
    expect($(view, '[part="use-button"]')!.getAttribute('aria-disabled')).to.equal('false');
  });

  it('shows per-file and total progress while uploading, and Cancel all stops every file', async () => {
    const view = await render(uploadingClient, storeWith({ config: { multiple: true, maxFiles: 5 } }));
    choose(view, sampleFiles());
    await view.updateComplete;

    const bars = $$<HTMLProgressElement>(view, '[part="file-progress"]');
    expect(bars.map((bar) => bar.getAttribute('aria-label'))).to.deep.equal(['notes.txt', 'data.bin']);
    expect(bars[1]!.value).to.equal(Math.round(2048 * 0.4));
    expect(text(row(view, 'data.bin')!.querySelector('.status'))).to.equal('40%');
    expect(text($(view, '[part="use-button"]'))).to.equal('Use 0 files');
    expect(text($(view, '[role="status"]')), 'milestones, not every percent').to.equal('Uploaded 25%');
    await expect(view).to.be.accessible();

    $<HTMLButtonElement>(view, '[data-action="cancel-all"]')!.click();
    await view.updateComplete;
    expect(rows(view).map((li) => li.dataset.status)).to.deep.equal(['cancelled', 'cancelled']);
  });

  it('removing the view stops its uploads, and the files still waiting are never sent', async () => {
    const started: string[] = [];
    const never = fakeClient({
      upload: (_path, body, options) => {
        started.push((body as File).name);
        return new Promise((_, reject) => options.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
      },
    });
    const view = await render(never, storeWith({ config: { multiple: true, maxFiles: 6 } }));
    const files = Array.from({ length: 5 }, (_, index) => new File([`file ${index}`], `file-${index}.txt`, { type: 'text/plain' }));
    choose(view, files);
    await waitUntil(() => started.length === 3);

    view.closest('fs-test-context')!.remove();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(started, 'three at a time, and none after the view went away').to.deep.equal(['file-0.txt', 'file-1.txt', 'file-2.txt']);
  });

  it('the file button is keyboard reachable and opens the file dialog', async () => {
    const view = await render(uploadFailingClient, storeWith({ config: { multiple: true, maxFiles: 5 } }));
    const input = $<HTMLInputElement>(view, 'input[type="file"]')!;
    let opened = 0;
    input.click = () => (opened += 1);

    await sendKeys({ press: 'Tab' });
    expect(view.shadowRoot!.activeElement).to.equal($(view, '[part="choose-button"]'));
    await sendKeys({ press: 'Enter' });

    expect(opened).to.equal(1);
    expect(text($(view, '[part="choose-button"]'))).to.equal('Choose files');
    await expect(view).to.be.accessible();
  });
});

describe('<fs-upload> stories', () => {
  it('every story renders and is accessible', async () => {
    const { default: _meta, ...all } = stories;
    for (const [name, story] of Object.entries(all)) {
      const render = (story as unknown as { render: (args: Record<string, never>) => HTMLElement }).render;
      const context = await fixture(render({}));
      const view = context.querySelector('fs-upload')!;
      await waitUntil(() => view.isConnected && view.shadowRoot, `${name} did not render`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      await view.updateComplete;
      expect(view.shadowRoot!.childElementCount, name).to.be.greaterThan(0);
      await expect(view).to.be.accessible();
    }
  });
});
