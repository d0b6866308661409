/**
 * The filepicker v2 compatible global, for pages that load fs-picker with a `<script>` tag:
 *
 *   <script src="https://files.example.com/filepicker.js" data-server="https://files.example.com"></script>
 *   <script>
 *     filepicker.setKey('APP_KEY');
 *     filepicker.pick({ mimetypes: ['image/*'], services: ['ALFRESCO'] }, (blob) => show(blob.url), (error) => console.log(error.code));
 *   </script>
 *
 * The companion URL comes from `filepicker.setServer(url)`, else the script tag's `data-server`, else the
 * origin the script was loaded from. Loading the script twice keeps the first global.
 *
 * Every verb has v2's callback form (notes/pickers-landscape.md §c.2): the arguments in brackets may be
 * left out, and the first function given is `onSuccess`.
 *
 *   pick([options], onSuccess(Blob), [onError(FPError)], [onProgress(percent)])
 *   pickMultiple([options], onSuccess(Blob[]), [onError], [onProgress])
 *   pickFolder([options], onSuccess(Blob[]), [onError], [onProgress])
 *   pickAndStore(pickOptions, storeOptions, onSuccess(Blob[]), [onError], [onProgress])
 *   exportFile(input, [options], onSuccess(Blob), [onError], [onProgress])
 *   convert(blob, options, [storeOptions], onSuccess(Blob), [onError], [onProgress])
 *   store(input, [options], onSuccess(Blob), [onError], [onProgress])
 *   storeUrl(url, [options], onSuccess(Blob), [onError], [onProgress])
 *   read(blob, [options], onSuccess(data), [onError], [onProgress])
 *   stat(blob, [options], onSuccess(metadata), [onError])
 *   write(blob, data, [options], onSuccess(Blob), [onError], [onProgress])
 *   writeUrl(blob, url, [options], onSuccess(Blob), [onError], [onProgress])
 *   remove(blob, [options], onSuccess(), [onError])
 *   logout([options], onSuccess(), [onError])
 *
 * Failures go to `onError` as `FPError`s with v2's numeric codes (see api/fp-error.ts): 101 picker
 * closed, 131 export dialog closed, 141–143 convert, 151–153 store, 161–163 stat, 171–173 remove,
 * 400 a bad option (the message names it), 403 not allowed. Bad options are reported the same way, never
 * thrown. Without `onError` the error is written to the console. Progress is a whole percentage.
 */
import type { Progress, VerbCall } from './api/call.ts';
import { createClient, type FsClient } from './api/create-client.ts';
import { FPError, toFPError, type FPVerb } from './api/fp-error.ts';
import { SERVICE_IDS, type ServiceId } from './protocol/services.ts';

export { FPError } from './api/fp-error.ts';

type Callback = (...args: never[]) => unknown;
export type OnSuccess<T> = (result: T) => void;
export type OnError = (error: FPError) => void;
export type OnProgress = (percent: number) => void;

/** A verb in v2's callback form: any leading values, then onSuccess, onError, onProgress. */
type CallbackVerb = (...args: unknown[]) => void;

export interface FilepickerGlobal {
  /** v2's service names, usable in the `services` option: `filepicker.SERVICES.ALFRESCO`. */
  readonly SERVICES: Readonly<Record<ServiceId, ServiceId>>;
  /** v2's error class: `error instanceof filepicker.FPError`, `error.code`. */
  readonly FPError: typeof FPError;
  setKey(apiKey: string): void;
  setServer(url: string): void;
  /** The API key and companion URL that calls will use. */
  readonly config: Readonly<{ apiKey: string | undefined; server: string }>;
  pick: CallbackVerb;
  pickMultiple: CallbackVerb;
  pickFolder: CallbackVerb;
  pickAndStore: CallbackVerb;
  exportFile: CallbackVerb;
  convert: CallbackVerb;
  store: CallbackVerb;
  storeUrl: CallbackVerb;
  read: CallbackVerb;
  stat: CallbackVerb;
  write: CallbackVerb;
  writeUrl: CallbackVerb;
  remove: CallbackVerb;
  logout: CallbackVerb;
}

declare global {
  interface Window {
    filepicker?: FilepickerGlobal;
  }
}

function defaultServer(): string {
  const script = document.currentScript as HTMLScriptElement | null;
  if (script?.dataset.server) return script.dataset.server.replace(/\/+$/, '');
  // In the single-file build import.meta.url is empty: the script tag's src (or the page) is the origin.
  return new URL(script?.src || import.meta.url || location.href, location.href).origin;
}

/**
 * How each verb's arguments split: `required` leading values (always taken, even when undefined),
 * `optional` values that may be left out (v2's bracketed options), then the callbacks.
 */
interface Shape {
  required: number;
  optional: number;
}

const SHAPES: Record<Exclude<FPVerb, never>, Shape> = {
  pick: { required: 0, optional: 1 },
  pickMultiple: { required: 0, optional: 1 },
  pickFolder: { required: 0, optional: 1 },
  pickAndStore: { required: 0, optional: 2 },
  exportFile: { required: 1, optional: 1 },
  convert: { required: 1, optional: 2 },
  store: { required: 1, optional: 1 },
  storeUrl: { required: 1, optional: 1 },
  read: { required: 1, optional: 1 },
  stat: { required: 1, optional: 1 },
  write: { required: 2, optional: 1 },
  writeUrl: { required: 2, optional: 1 },
  remove: { required: 1, optional: 1 },
  logout: { required: 0, optional: 1 },
};

/** Splits v2-style arguments into values and callbacks: the first function after the required values is onSuccess. */
export function splitArguments(args: readonly unknown[], { required, optional }: Shape): { values: unknown[]; onSuccess?: Callback; onError?: Callback; onProgress?: Callback } {
  const values = args.slice(0, required);
  let index = required;
  while (index < args.length && index < required + optional && typeof args[index] !== 'function') values.push(args[index++]);
  while (values.length < required + optional) values.push(undefined);
  const [onSuccess, onError, onProgress] = args.slice(index).map((value) => (typeof value === 'function' ? (value as Callback) : undefined));
  return { values, ...(onSuccess ? { onSuccess } : {}), ...(onError ? { onError } : {}), ...(onProgress ? { onProgress } : {}) };
}

function createFilepicker(): FilepickerGlobal {
  const config = { apiKey: undefined as string | undefined, server: defaultServer() };

  const client = (verb: FPVerb): FsClient => {
    if (!config.apiKey) throw new FPError(400, `filepicker.${verb}: call filepicker.setKey('YOUR_API_KEY') first.`, { field: 'apiKey' });
    return createClient({ apiKey: config.apiKey, server: config.server });
  };

  /** One verb in callback form over the promise API. */
  const verb =
    (name: FPVerb, run: (api: FsClient, values: unknown[], call: VerbCall) => Promise<unknown>): CallbackVerb =>
    (...args) => {
      const { values, onSuccess, onError, onProgress } = splitArguments(args, SHAPES[name]);
      const report = (error: unknown) => {
        const fpError = toFPError(name, error);
        if (onError) (onError as OnError)(fpError);
        else console.error(`filepicker.${name}: ${fpError.toString()}`);
      };
      const progress = onProgress
        ? ({ loaded, total }: Progress) => {
            if (total > 0) (onProgress as OnProgress)(Math.min(100, Math.round((loaded / total) * 100)));
          }
        : undefined;
      let running: Promise<unknown>;
      try {
        running = run(client(name), values, progress ? { onProgress: progress } : {});
      } catch (error) {
        // Reported like every other failure: after the call returns, as v2's callbacks were.
        running = Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
      running.then((result) => (onSuccess as OnSuccess<unknown> | undefined)?.(result), report);
    };

  // v2's arguments are untyped (`as never`); the promise API checks each one and names what is wrong.
  return {
    SERVICES: Object.freeze(Object.fromEntries(SERVICE_IDS.map((id) => [id, id])) as Record<ServiceId, ServiceId>),
    FPError,
    setKey(apiKey) {
      if (typeof apiKey !== 'string' || apiKey.trim() === '') throw new TypeError('filepicker.setKey: the API key must be a non-empty string.');
      config.apiKey = apiKey.trim();
    },
    setServer(url) {
      if (typeof url !== 'string' || !URL.canParse(url)) throw new TypeError(`filepicker.setServer: "${String(url)}" is not a URL.`);
      config.server = new URL(url).href.replace(/\/+$/, '');
    },
    get config() {
      return { ...config };
    },
    pick: verb('pick', (api, [options], call) => api.pick(options as never, call)),
    pickMultiple: verb('pickMultiple', (api, [options], call) => api.pickMultiple(options as never, call)),
    pickFolder: verb('pickFolder', (api, [options], call) => api.pickFolder(options as never, call)),
    pickAndStore: verb('pickAndStore', (api, [pickOptions, storeOptions], call) => api.pickAndStore(pickOptions as never, storeOptions as never, call)),
    exportFile: verb('exportFile', (api, [input, options], call) => api.exportFile(input as never, options as never, call)),
    convert: verb('convert', (api, [input, options, storeOptions], call) => api.convert(input as never, options as never, storeOptions as never, call)),
    store: verb('store', (api, [input, options], call) => api.store(input as never, options as never, call)),
    storeUrl: verb('storeUrl', (api, [url, options], call) => api.storeUrl(url as never, options as never, call)),
    read: verb('read', (api, [input, options], call) => api.read(input as never, options as never, call)),
    stat: verb('stat', (api, [input, options], call) => api.stat(input as never, options as never, call)),
    write: verb('write', (api, [input, data, options], call) => api.write(input as never, data as never, options as never, call)),
    writeUrl: verb('writeUrl', (api, [input, url, options], call) => api.writeUrl(input as never, url as never, options as never, call)),
    remove: verb('remove', (api, [input, options], call) => api.remove(input as never, options as never, call)),
    logout: verb('logout', (api) => api.logout().then(() => undefined)),
  };
}

window.filepicker ??= createFilepicker();

export const filepicker: FilepickerGlobal = window.filepicker;
