import type { SaveInput } from '../core/call-options.ts';
import type { FsBlob } from '../protocol/blob.ts';
import type { ConvertedBlob, ConvertRequestOptions, ConvertStoreOptions } from '../protocol/convert.ts';
import { FsError } from '../protocol/errors.ts';
import type { ExportFileOptions, PickOptions, StoreOptions, StoreToOptions } from '../protocol/options.ts';
import { isHttpUrl } from '../protocol/urls.ts';
import { describeValue } from '../protocol/validate.ts';
import type { WriteOptions, WriteUrlOptions } from '../protocol/write.ts';
import type { Security, VerbCall } from './call.ts';
import { convert } from './convert.ts';
import { exportFile } from './export-file.ts';
import { logout } from './logout.ts';
import { pick } from './pick.ts';
import { pickAndStore } from './pick-and-store.ts';
import { pickFolder } from './pick-folder.ts';
import { pickMultiple } from './pick-multiple.ts';
import { read, type ReadOptions } from './read.ts';
import { remove, type RemoveOptions } from './remove.ts';
import { stat, type StatOptions, type StatResult } from './stat.ts';
import { store, type StoreData } from './store.ts';
import { storeUrl } from './store-url.ts';
import { CompanionClient } from './transport/client.ts';
import { write, type WriteData } from './write.ts';
import { writeUrl } from './write-url.ts';

/*
 * The promise API. Two layers: `transport/` is the wire (the one HTTP client, `client.ts`, and one module
 * per companion call, the only place that names a URL; the views use it directly), and each other file here
 * is one verb (`pick.ts`, `store.ts`, …) over it: it checks its arguments once, under its own name, then
 * makes the calls. This file binds the verbs to one companion and app; src/filepicker.ts, the v2 global,
 * sits on top.
 */

export type { Progress, Security, VerbCall } from './call.ts';

export interface CreateClientOptions {
  /** The app's API key, as registered with the companion. */
  apiKey: string;
  /** The companion's base URL, e.g. `https://files.example.com`. */
  server: string;
  /** A signed security policy added to every call (a call's own `security` overrides it). */
  security?: Security;
}

/** A file as every verb takes it: a Blob record, its companion URL, or its handle. */
export type FileInput = FsBlob | string;

/**
 * The promise API: filepicker v2's verbs, each resolving with its result and rejecting with an FsError
 * (`code`, `message`, `field` naming a bad option). Every verb takes a last `call` argument with an
 * AbortSignal, a progress callback (where there is progress) and a per-call security policy.
 */
export interface FsClient {
  /** The HTTP client underneath (for the `<fs-picker>` element or direct calls). */
  readonly companion: CompanionClient;
  pick(options?: PickOptions, call?: VerbCall): Promise<FsBlob>;
  pickMultiple(options?: PickOptions, call?: VerbCall): Promise<FsBlob[]>;
  pickFolder(options?: PickOptions, call?: VerbCall): Promise<FsBlob[]>;
  pickAndStore(pickOptions?: PickOptions, storeOptions?: StoreToOptions, call?: VerbCall): Promise<FsBlob[]>;
  exportFile(input: SaveInput, options?: ExportFileOptions, call?: VerbCall): Promise<FsBlob>;
  convert(input: FileInput, options?: ConvertRequestOptions, storeOptions?: ConvertStoreOptions, call?: VerbCall): Promise<ConvertedBlob>;
  store(data: StoreData, options?: StoreOptions, call?: VerbCall): Promise<FsBlob>;
  storeUrl(url: string, options?: StoreOptions, call?: VerbCall): Promise<FsBlob>;
  read(input: FileInput, options?: ReadOptions & { asBlob?: false }, call?: VerbCall): Promise<string>;
  read(input: FileInput, options: ReadOptions & { asBlob: true }, call?: VerbCall): Promise<Blob>;
  read(input: FileInput, options?: ReadOptions, call?: VerbCall): Promise<string | Blob>;
  stat(input: FileInput, options?: StatOptions, call?: VerbCall): Promise<Partial<StatResult>>;
  write(input: FileInput, data: WriteData, options?: WriteOptions, call?: VerbCall): Promise<FsBlob>;
  writeUrl(input: FileInput, url: string, options?: WriteUrlOptions, call?: VerbCall): Promise<FsBlob>;
  remove(input: FileInput, options?: RemoveOptions, call?: VerbCall): Promise<void>;
  /** Signs out of Alfresco; resolves with whether there was a session to sign out. */
  logout(call?: VerbCall): Promise<boolean>;
}

/**
 * `createClient({ apiKey, server, security? })`: the promise API for one companion and app.
 *
 * ```ts
 * const client = createClient({ apiKey: 'APP_KEY', server: 'https://files.example.com' });
 * const blob = await client.pick({ mimetypes: ['image/*'] });
 * const small = await client.convert(blob, { width: 400, height: 400 }, { location: 'S3' });
 * ```
 *
 * The dialog verbs share one `<fs-picker>` on document.body, loaded on first use.
 */
export function createClient(options: CreateClientOptions): FsClient {
  const { apiKey, server, security } = checkClientOptions(options);
  const companion = new CompanionClient({ apiKey, server });
  const withSecurity = (call: VerbCall | undefined): VerbCall => ({ ...call, security: call?.security ?? security });

  return {
    companion,
    pick: (pickOptions, call) => pick(companion, pickOptions, withSecurity(call)),
    pickMultiple: (pickOptions, call) => pickMultiple(companion, pickOptions, withSecurity(call)),
    pickFolder: (pickOptions, call) => pickFolder(companion, pickOptions, withSecurity(call)),
    pickAndStore: (pickOptions, storeOptions, call) => pickAndStore(companion, pickOptions, storeOptions, withSecurity(call)),
    exportFile: (input, exportOptions, call) => exportFile(companion, input, exportOptions, withSecurity(call)),
    convert: (input, convertOptions, storeOptions, call) => convert(companion, input, convertOptions, storeOptions, withSecurity(call)),
    store: (data, storeOptions, call) => store(companion, data, storeOptions, withSecurity(call)),
    storeUrl: (url, storeOptions, call) => storeUrl(companion, url, storeOptions, withSecurity(call)),
    read: ((input: FileInput, readOptions?: ReadOptions, call?: VerbCall) => read(companion, input, readOptions, withSecurity(call))) as FsClient['read'],
    stat: (input, statOptions, call) => stat(companion, input, statOptions, withSecurity(call)),
    write: (input, data, writeOptions, call) => write(companion, input, data, writeOptions, withSecurity(call)),
    writeUrl: (input, url, writeOptions, call) => writeUrl(companion, input, url, writeOptions, withSecurity(call)),
    remove: (input, removeOptions, call) => remove(companion, input, removeOptions, withSecurity(call)),
    logout: (call) => logout(companion, withSecurity(call)),
  };
}

function checkClientOptions(options: unknown): CreateClientOptions {
  const fail = (field: string, message: string) => new FsError('FS_ERR_INVALID_OPTION', `createClient: ${message}`, { field });
  if (typeof options !== 'object' || options === null) throw fail('options', `options must be an object with apiKey and server, got ${describeValue(options)}`);
  const { apiKey, server, security, ...rest } = options as Partial<CreateClientOptions> & Record<string, unknown>;
  const unknown = Object.keys(rest)[0];
  if (unknown !== undefined) throw fail(unknown, `unknown option "${unknown}"`);
  if (typeof apiKey !== 'string' || apiKey.trim() === '') throw fail('apiKey', `option "apiKey" must be a non-empty string, got ${describeValue(apiKey)}`);
  if (typeof server !== 'string' || !isHttpUrl(server)) {
    throw fail('server', `option "server" must be the companion's http(s) URL, got ${describeValue(server)}`);
  }
  if (security !== undefined) {
    const { policy, signature } = security as Partial<Security>;
    if (typeof policy !== 'string' || policy === '') throw fail('security', 'option "security" must be { policy, signature } with a non-empty policy');
    if (typeof signature !== 'string' || signature === '') throw fail('security', 'option "security" must be { policy, signature } with a non-empty signature');
  }
  return { apiKey: apiKey.trim(), server, ...(security === undefined ? {} : { security }) };
}
