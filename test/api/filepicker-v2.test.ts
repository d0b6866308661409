import { expect, waitUntil } from '@open-wc/testing';
import '../../src/filepicker.ts';
import { dialogElement } from '../../src/api/picker-dialog.ts';
import type { FPError } from '../../src/api/fp-error.ts';
import type { FilepickerGlobal } from '../../src/filepicker.ts';
import type { FsBlob } from '../../src/protocol/blob.ts';
import { stackUrls } from '../helpers/stack.ts';

/** What one callback-form call did: the value given to onSuccess, or the FPError given to onError. */
interface Outcome<T> {
  result?: T;
  error?: FPError;
  progress: number[];
}

/** Calls `verb` v2-style with `args`, then onSuccess, onError, onProgress; resolves with what was called back. */
function call<T = unknown>(verb: keyof FilepickerGlobal, ...args: unknown[]): Promise<Outcome<T>> {
  return new Promise((resolve) => {
    const progress: number[] = [];
    const verbs = window.filepicker as unknown as Record<string, (...all: unknown[]) => void>;
    verbs[verb]!(
      ...args,
      (result: T) => resolve({ result, progress }),
      (error: FPError) => resolve({ error, progress }),
      (percent: number) => progress.push(percent),
    );
  });
}

/** The My Computer view of the picker the dialog verbs opened. */
async function uploadView() {
  await waitUntil(() => dialogElement()?.isOpen && dialogElement()?.shadowRoot?.querySelector('fs-upload'), 'the picker did not show My Computer', { timeout: 5000 });
  await dialogElement()!.updateComplete;
  const upload = dialogElement()!.shadowRoot!.querySelector('fs-upload')!;
  await upload.updateComplete;
  return upload;
}

describe('the filepicker v2 global in callback form', () => {
  const filepicker = () => window.filepicker!;

  it('asks for setKey before anything else', async () => {
    const { error } = await call('store', 'text');
    expect(error).to.be.instanceOf(filepicker().FPError);
    expect(error!.code).to.equal(400);
    expect(error!.message).to.contain('setKey');
  });

  it('has the service names and the FPError class', () => {
    expect(filepicker().SERVICES.ALFRESCO).to.equal('ALFRESCO');
    expect(filepicker().SERVICES.COMPUTER).to.equal('COMPUTER');
    expect(filepicker().SERVICES.URL).to.equal('URL');
    expect(new (filepicker().FPError)(101, 'closed').toString()).to.equal('FPError 101. closed');
  });

  describe('with a key and a server', () => {
    before(async () => {
      const { companion, apiKey } = await stackUrls();
      filepicker().setKey(apiKey);
      filepicker().setServer(companion);
    });

    afterEach(() => {
      dialogElement()?.close();
    });

    it('store → read → stat → write → writeUrl refusal → remove, with real bytes', async () => {
      const stored = await call<FsBlob>('store', new Blob(['v2 bytes'], { type: 'text/plain' }), { filename: 'v2.txt' });
      expect(stored.error).to.equal(undefined);
      const blob = stored.result!;
      expect(blob).to.include({ filename: 'v2.txt', mimetype: 'text/plain', size: 8 });
      expect(stored.progress.at(-1)).to.equal(100);

      expect((await call<string>('read', blob)).result).to.equal('v2 bytes');
      expect((await call<string>('read', blob.url, { base64encode: true })).result).to.equal(btoa('v2 bytes'));
      expect((await call('stat', blob, { size: true, filename: true })).result).to.deep.equal({ size: 8, filename: 'v2.txt' });

      const written = await call<FsBlob>('write', blob, 'rewritten by v2');
      expect(written.result).to.include({ handle: blob.handle, size: 15 });
      expect((await call<string>('read', blob)).result).to.equal('rewritten by v2');

      // Options may be left out: the first function is onSuccess.
      const removed = await call('remove', blob);
      expect(removed.error).to.equal(undefined);
      const again = await call('remove', blob);
      expect(again.error!.code).to.equal(171);
    });

    it('convert(blob, options, storeOptions, onSuccess, onError, onProgress) gives the converted Blob', async () => {
      const canvas = document.createElement('canvas');
      canvas.width = 64;
      canvas.height = 32;
      canvas.getContext('2d')!.fillRect(0, 0, 32, 32);
      const png = await new Promise<Blob>((resolve) => canvas.toBlob((blob) => resolve(blob!), 'image/png'));
      const { result: source } = await call<FsBlob>('store', png, { filename: 'wide.png', mimetype: 'image/png' });
      const { result, error, progress } = await call<FsBlob & { converted: boolean }>('convert', source, { width: 16, height: 16, fit: 'crop' }, { path: 'v2/' });
      expect(error).to.equal(undefined);
      expect(result).to.include({ converted: true });
      expect(result!.key).to.match(/^v2\//);
      expect(progress.at(-1)).to.equal(100);
      expect((await call('stat', result, { width: true, height: true })).result).to.deep.equal({ width: 16, height: 16 });
    });

    it('leaves out optional options: read(blob, onSuccess)', async () => {
      const { result: blob } = await call<FsBlob>('store', 'short form');
      const text = await new Promise<string>((resolve, reject) => filepicker().read(blob, resolve, reject));
      expect(text).to.equal('short form');
    });

    it('reports bad options to onError with the option named', async () => {
      const unknown = await call('store', 'x', { filname: 'a.txt' });
      expect(unknown.error!.code).to.equal(152);
      expect(unknown.error!.field).to.equal('filname');
      expect(unknown.error!.message).to.contain('unknown option "filname"');

      const both = await call('pick', { mimetype: 'image/*', extension: '.pdf' });
      expect(both.error!.code).to.equal(400);
      expect(both.error!.field).to.equal('extension');

      const convertBad = await call('convert', 'somehandle0000', { width: 'wide' });
      expect(convertBad.error!.code).to.equal(142);
      expect(convertBad.error!.field).to.equal('width');
    });

    it('gives each verb its v2 codes', async () => {
      expect((await call('convert', 'nosuchhandle0000', { width: 10 })).error!.code).to.equal(141);
      expect((await call('remove', 'nosuchhandle0000')).error!.code).to.equal(171);
      // A bad signature: not allowed, and the file stays.
      const { result: kept } = await call<FsBlob>('store', 'keep me');
      expect((await call('remove', kept, { policy: btoa('{"expiry":4102444800}'), signature: 'bad' })).error!.code).to.equal(403);
      expect((await call<string>('read', kept)).result).to.equal('keep me');
      expect((await call('store', 'x', { policy: 'p' })).error!.code).to.equal(152);
      // The dev app refuses loopback addresses: not allowed.
      expect((await call('storeUrl', 'http://127.0.0.1:9/x')).error!.code).to.equal(403);
      expect((await call('writeUrl', 'nosuchhandle0000', 'https://example.com/x')).error!.code).to.equal(121);
    });

    it('exportFile("") is a clear error', async () => {
      const { error } = await call('exportFile', '', { suggestedFilename: 'newFile' });
      expect(error!.code).to.equal(400);
      expect(error!.message).to.contain('exportFile');
      expect(error!.message).to.contain('empty string');
      expect(dialogElement()?.isOpen ?? false).to.equal(false);
    });

    it('pick with openTo COMPUTER: onSuccess gets the Blob of the added file, with progress', async () => {
      const picking = call<FsBlob>('pick', { services: ['COMPUTER'], openTo: 'COMPUTER' });
      (await uploadView()).add([new File(['from my computer'], 'mine.txt', { type: 'text/plain' })]);
      const { result, error, progress } = await picking;
      expect(error).to.equal(undefined);
      expect(result).to.include({ filename: 'mine.txt', size: 16, client: 'Computer' });
      expect(progress.at(-1)).to.equal(100);
      expect((await call<string>('read', result)).result).to.equal('from my computer');
    });

    it('closing the picker is FPError 101', async () => {
      const picking = call('pickMultiple', { services: ['COMPUTER'] , openTo: 'COMPUTER' });
      await uploadView();
      dialogElement()!.close();
      const { error } = await picking;
      expect(error!.code).to.equal(101);
      expect(error!.message).to.contain('closed');
    });

    it('closing the export dialog is FPError 131', async () => {
      const saving = call('exportFile', 'https://example.com/report.pdf', { suggestedFilename: 'newFile' });
      await waitUntil(() => dialogElement()?.isOpen, 'the save dialog did not open');
      dialogElement()!.close();
      expect((await saving).error!.code).to.equal(131);
    });

    it('logout calls back when signed out', async () => {
      const { error } = await call('logout');
      expect(error).to.equal(undefined);
    });

    it('loading the script twice keeps the first global', async () => {
      const first = window.filepicker;
      const again: string = '../../src/filepicker.ts?again';
      const second = (await import(again)) as { filepicker: unknown };
      expect(second.filepicker).to.equal(first);
      expect(window.filepicker).to.equal(first);
    });
  });
});
