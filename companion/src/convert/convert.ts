import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Sharp } from 'sharp';
import { fileUrl, HANDLE_PATTERN, FsError, isHttpUrl, type ConvertedBlob, type ParsedConvertRequestOptions, type ParsedConvertStoreOptions, type ServiceId, type ParsedSecurityPolicy } from 'fs-picker/protocol';
import type { AppConfig } from '../config.ts';
import type { Companion } from '../context.ts';
import { handleTokensOf, type FileHandle } from '../files/handles.ts';
import { linkOf } from '../files/link.ts';
import { watchSourceBody } from '../files/source-body.ts';
import { checkPolicySize } from '../security/policy.ts';
import { newToken } from '../security/secrets.ts';
import type { SafeFetchOptions } from '../outbound/index.ts';
import { DEFAULT_MAX_STORE_SIZE, openStored, storedFile, type StoreTarget } from '../storage/index.ts';
import { SizeLimit, tooLarge } from '../storage/location.ts';
import { assertRoomFor } from '../storage/quota.ts';
import { converseEvent } from '../webhooks/events.ts';
import { DEFAULT_DOCUMENT_LIMITS, isOffice, isPdf, officeToPdf, renderPdfPage, type DocumentLimits } from './document.ts';
import { applyWatermark, checkOutputSize, checkSupported, DEFAULT_MAX_INPUT_PIXELS, FORMAT_EXTENSIONS, IMAGE_ONLY_OPTIONS, imageError, imagePipeline, imagePlan, type ImagePlan } from './image.ts';
import { findTool, type ToolLookup } from './tools.ts';

/** What an embedding server (or a test) may change; production uses the defaults. */
export interface ConvertSettings {
  /** How soffice, pdfinfo and pdftoppm are found (default: on PATH). */
  tools?: ToolLookup;
  /** The most pixels an input image (or watermark) may have; default 100 megapixels. */
  maxInputPixels?: number;
  /** The largest source file read, in bytes; default 256 MiB. */
  maxInputBytes?: number;
  /** The largest watermark image read, in bytes; default 20 MiB. */
  maxWatermarkBytes?: number;
  documents?: Partial<DocumentLimits>;
  /** The fetch of a watermark given as a public URL (tests replace DNS and the address check). */
  fetch?: Pick<SafeFetchOptions, 'resolve' | 'isAllowed' | 'timeoutMs' | 'maxRedirects'>;
}

export const DEFAULT_MAX_INPUT_BYTES = 256 * 1024 ** 2;
const DEFAULT_MAX_WATERMARK_BYTES = 20 * 1024 ** 2;

export interface ConvertInput {
  /** The source file (already checked to belong to `app`). */
  source: FileHandle;
  options: ParsedConvertRequestOptions;
  store: ParsedConvertStoreOptions;
  /** Where the result goes (from `resolveTarget` in storage/index.ts; the route resolves it first to check the policy). */
  target: StoreTarget;
  /** The checked security policy: its maxSize/minSize apply to the result. */
  policy?: ParsedSecurityPolicy;
  signal?: AbortSignal;
}

type SourceKind = 'image' | 'pdf' | 'office';

/** What the source is, from its MIME type and name. */
export function sourceKind(filename: string, mimetype: string): SourceKind | undefined {
  if (isPdf(filename, mimetype)) return 'pdf';
  if (isOffice(filename, mimetype)) return 'office';
  if (mimetype.toLowerCase().startsWith('image/') || /\.(jpe?g|png|webp|avif|gif|tiff?|svg|heic|heif)$/i.test(filename)) return 'image';
  return undefined;
}

/**
 * Converts the file behind `input.source` as `input.options` say, stores the result in `input.target`
 * and gives it a handle, written with its `fp.converse` event in one transaction. The result is written
 * atomically by the storage location; if anything after that fails, the stored object is deleted, so a
 * failed conversion leaves no file, no handle and no event.
 */
/** The new file's Blob and its handle's token (the answer's `handleTokens`, never inside the Blob). */
export interface ConvertResult {
  blob: ConvertedBlob;
  handleTokens: Record<string, string>;
}

export async function convertFile(companion: Companion, app: AppConfig, input: ConvertInput, settings: ConvertSettings = {}): Promise<ConvertResult> {
  const { source, options } = input;
  checkSupported(options);
  const maxOutputPixels = companion.config.limits.convertPixels;
  checkOutputSize(options, maxOutputPixels);
  const kind = sourceKind(source.filename, source.mimetype);
  const maxPixels = settings.maxInputPixels ?? DEFAULT_MAX_INPUT_PIXELS;
  const limits: DocumentLimits = { ...DEFAULT_DOCUMENT_LIMITS, officeQueue: companion.config.limits.officeQueue, ...settings.documents };
  const tools = settings.tools ?? {};
  const maxInputBytes = settings.maxInputBytes ?? DEFAULT_MAX_INPUT_BYTES;

  if (kind === undefined) {
    throw new FsError('FS_ERR_INVALID_REQUEST', `convert: "${source.filename}" (${source.mimetype}) cannot be converted; the companion converts images, PDFs and office documents.`, { field: 'handle' });
  }
  if (options.format === 'pdf') {
    if (kind !== 'office') {
      throw new FsError('FS_ERR_INVALID_OPTION', `convert: option "format" "pdf" applies to office documents (docx, xlsx, pptx, odt, …); "${source.filename}" is ${kind === 'pdf' ? 'already a PDF' : 'an image'}`, { field: 'format' });
    }
    const imageOnly = IMAGE_ONLY_OPTIONS.find((key) => options[key] !== undefined) ?? (options.page === undefined ? undefined : 'page');
    if (imageOnly !== undefined) throw new FsError('FS_ERR_INVALID_OPTION', `convert: option "${imageOnly}" does not apply to format "pdf"`, { field: imageOnly });
  } else if (kind === 'image' && options.page !== undefined) {
    throw new FsError('FS_ERR_INVALID_OPTION', 'convert: option "page" applies to PDFs and office documents, not images', { field: 'page' });
  } else if (kind !== 'image' && options.format === undefined) {
    throw new FsError('FS_ERR_INVALID_OPTION', `convert: option "format" is needed for a document: "pdf" (office documents) or an image format with "page"`, { field: 'format' });
  }

  // Missing programs are reported before anything is read.
  if (kind === 'office') await findTool('soffice', tools);
  if (kind !== 'image' && options.format !== 'pdf') await Promise.all([findTool('pdfinfo', tools), findTool('pdftoppm', tools)]);

  const watermark = options.watermark === undefined ? undefined : await readWatermark(companion, app, options.watermark, settings);
  const plan: ImagePlan | undefined = options.format === 'pdf' ? undefined : imagePlan(options, kind === 'image' ? source.mimetype : 'image/png');
  const mimetype = plan?.mimetype ?? 'application/pdf';
  const filename = input.store.filename ?? renamed(source.filename, plan?.extension ?? FORMAT_EXTENSIONS.pdf!);

  /** Watermarks the converted image when asked and stores it; sharp's errors become ours. */
  const storeImage = async (image: Sharp, onError?: () => void): Promise<ConvertResult> => {
    try {
      const content: Readable = watermark === undefined ? image : Readable.from([await failedWithInput(image, applyWatermark(image, watermark, options, plan!, maxPixels))]);
      return await storeResult(companion, app, input, { content, filename, mimetype });
    } catch (error) {
      onError?.();
      throw imageError(error, maxPixels);
    }
  };

  // A stored copy on the companion's disk is read by sharp in place, with no stream in between.
  const file = kind === 'image' ? await storedFile(companion, source) : undefined;
  if (file !== undefined) {
    if (file.size > maxInputBytes) throw tooLarge(maxInputBytes);
    return storeImage(await imagePipeline(options, plan!, { maxPixels, maxOutputPixels, encode: watermark === undefined, input: file.path, sourceMimetype: source.mimetype }));
  }

  const raw = await openSource(companion, source, input.signal);
  // A picked file whose source breaks off mid-body is the source's failure (502), not ours.
  const sourceBody = source.kind === 'stored' ? undefined : watchSourceBody(raw, companion.sources.clientOf(source.source));
  return convertStream(raw, kind).catch((error: unknown) => {
    throw sourceBody ? sourceBody.failure(error) : error;
  });

  /** The rest, for content streamed from storage or from the source. */
  async function convertStream(raw: Readable, kind: SourceKind): Promise<ConvertResult> {
    const limited = raw.pipe(new SizeLimit(maxInputBytes));
    // Errors travel downstream by hand (pipe() does not forward them); whoever reads last reports them.
    raw.on('error', (error) => limited.destroy(error));

    if (kind === 'image') {
      const image = await imagePipeline(options, plan!, { maxPixels, maxOutputPixels, encode: watermark === undefined, sourceMimetype: source.mimetype });
      limited.on('error', (error) => image.destroy(error));
      // The storage's pipeline (or toBuffer for a watermark) reports the error; this keeps a late one from being unhandled.
      image.on('error', () => undefined);
      limited.pipe(image);
      return storeImage(image, () => raw.destroy());
    }

    const workDir = await mkdtemp(join(tmpdir(), 'fs-convert-'));
    try {
      const inputFile = join(workDir, `source${documentExtension(source.filename, source.mimetype, kind)}`);
      await pipeline(limited, createWriteStream(inputFile)).catch((error: unknown) => {
        raw.destroy();
        throw error;
      });
      const pdf = kind === 'office' ? await officeToPdf(inputFile, workDir, tools, limits, input.signal) : inputFile;
      if (options.format === 'pdf') return await storeResult(companion, app, input, { content: createReadStream(pdf), filename, mimetype });
      const page = await renderPdfPage(pdf, options.page ?? 1, workDir, tools, limits);
      return await storeImage(await imagePipeline(options, plan!, { maxPixels, maxOutputPixels, encode: watermark === undefined, input: page }));
    } finally {
      await rm(workDir, { recursive: true, force: true }).catch((error: unknown) => companion.logger.warn({ err: error, workDir }, 'could not remove a conversion folder'));
    }
  }
}

function isSharp(content: Readable): content is Sharp {
  return typeof (content as Partial<Sharp>).toFile === 'function';
}

/**
 * `work` (sharp's toFile or toBuffer), or the failure of its input stream. sharp waits for a streamed
 * input to finish, and one destroyed midway (a source that broke off) never does: without this the
 * conversion would wait forever.
 */
function failedWithInput<T>(image: Readable, work: Promise<T>): Promise<T> {
  if (image.errored) return Promise.reject(image.errored);
  return new Promise<T>((resolve, reject) => {
    image.once('error', reject);
    work.then(resolve, reject).finally(() => image.off('error', reject));
  });
}

/** The source's bytes: from storage, or from its source with the picking person's grant. */
async function openSource(companion: Companion, handle: FileHandle, signal?: AbortSignal): Promise<Readable> {
  if (handle.kind === 'stored') return (await openStored(companion, handle)).stream;
  const link = await linkOf(companion, handle);
  if (!link) throw new FsError('FS_ERR_NOT_CONNECTED', `The person who picked this file is no longer connected to ${companion.sources.clientOf(handle.source)}; pick it again.`);
  return (await link.provider.download({ grant: link.grant, signal }, link.itemId, { method: 'GET' })).body;
}

/**
 * The watermark's bytes: a handle or companion file URL of this app, or a public http(s) URL fetched
 * with the SSRF-safe fetch. At most `maxWatermarkBytes`.
 */
async function readWatermark(companion: Companion, app: AppConfig, watermark: string, settings: ConvertSettings): Promise<Buffer> {
  const max = settings.maxWatermarkBytes ?? DEFAULT_MAX_WATERMARK_BYTES;
  const fail = (message: string, cause?: unknown) => new FsError('FS_ERR_INVALID_OPTION', `convert: option "watermark" ${message}`, { field: 'watermark', ...(cause === undefined ? {} : { cause }) });
  const handleName = companionHandle(companion.publicUrl, watermark);
  let stream: Readable;
  if (handleName !== undefined) {
    const handle = await companion.handles.get(handleName);
    if (!handle || handle.appKey !== app.apiKey) throw fail('names no file of this app');
    stream = await openSource(companion, handle);
  } else {
    if (!isHttpUrl(watermark)) throw fail(`must be a file handle, a companion file URL or an http(s) URL, got "${watermark.slice(0, 80)}"`);
    const response = await companion.outbound.fetchPublic(watermark, { ...settings.fetch, allowPrivate: app.allowPrivateUrls });
    if (response.status < 200 || response.status > 299) {
      response.body.destroy();
      throw fail(`could not be fetched (the URL answered ${response.status})`);
    }
    stream = response.body;
  }
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of stream.pipe(new SizeLimit(max))) chunks.push(chunk as Buffer);
  } catch (error) {
    stream.destroy();
    if (error instanceof FsError && error.code === 'FS_ERR_TOO_LARGE') throw new FsError('FS_ERR_TOO_LARGE', `convert: the watermark image is larger than ${max / 1024 ** 2} MiB.`, { field: 'watermark' });
    throw fail('could not be read', error);
  }
  return Buffer.concat(chunks);
}

/** The handle in `value` when it is a bare handle or a file URL of this companion. */
function companionHandle(publicUrl: string, value: string): string | undefined {
  if (HANDLE_PATTERN.test(value)) return value;
  if (!URL.canParse(value)) return undefined;
  const url = new URL(value);
  if (url.origin !== new URL(publicUrl).origin) return undefined;
  const match = /\/api\/file\/([^/]+)\/?$/.exec(url.pathname);
  return match?.[1] !== undefined && HANDLE_PATTERN.test(match[1]) ? match[1] : undefined;
}

/** Stores the converted content atomically and makes its handle and fp.converse event. */
async function storeResult(companion: Companion, app: AppConfig, input: ConvertInput, result: { content: Readable; filename: string; mimetype: string }): Promise<ConvertResult> {
  const { location, path } = input.target;
  const maxSize = Math.min(DEFAULT_MAX_STORE_SIZE, input.policy?.maxSize ?? Infinity);
  const key = `${path}${newToken(9)}_${keySafe(result.filename)}`;
  const putOptions = { contentType: result.mimetype, maxSize };
  // The app's storage quota: refused before when already over, and after when the result takes it over.
  await assertRoomFor(companion, app.apiKey, 0);
  // sharp writes a file on the companion's disk itself, its bytes never passing through JavaScript
  // (bench/convert: ~1 ms of CPU less for a small image); anywhere else the result is streamed.
  const content = result.content;
  const { size } = isSharp(content) && location.writeFile ? await location.writeFile(key, (path) => failedWithInput(content, content.toFile(path)), putOptions) : await location.put(key, content, putOptions);
  try {
    checkPolicySize(input.policy, size);
    await assertRoomFor(companion, app.apiKey, size);
    const handle = await companion.handles.create(
      {
        appKey: app.apiKey,
        kind: 'stored',
        source: input.source.source,
        grantId: undefined,
        itemId: undefined,
        location: location.location,
        container: location.container,
        key,
        filename: result.filename,
        mimetype: result.mimetype,
        size,
      },
      {
        event: (created) =>
          converseEvent(
            companion.publicUrl,
            input.source,
            {
              handle: created.handle,
              filename: result.filename,
              mimetype: result.mimetype,
              size,
              key,
              container: location.container,
              ...(path === '' ? {} : { path }),
            },
            companion.sources.clientOf(input.source.source),
          ),
      },
    );
    const blob: ConvertedBlob = {
      url: fileUrl(companion.publicUrl, handle.handle),
      filename: result.filename,
      mimetype: result.mimetype,
      size,
      key,
      container: location.container,
      ...(path === '' ? {} : { path }),
      client: companion.sources.clientOf(input.source.source),
      id: 0,
      isWriteable: false,
      handle: handle.handle,
      source: input.source.source as ServiceId,
      converted: true,
    };
    return { blob, handleTokens: handleTokensOf([handle]) };
  } catch (error) {
    await location.delete(key).catch((cause: unknown) => companion.logger.warn({ err: cause, key }, 'could not remove a converted file after a failed convert'));
    throw error;
  }
}

/** `name` with its extension replaced by `extension` ("photo.JPG" → "photo.webp"). */
export function renamed(name: string, extension: string): string {
  const ext = extname(name);
  const stem = ext === '' || ext === name ? name : name.slice(0, -ext.length);
  return `${stem || 'converted'}${extension}`;
}

const OFFICE_EXTENSION_BY_TYPE: Record<string, string> = {
  'application/msword': '.doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': '.docx',
  'application/vnd.ms-excel': '.xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': '.xlsx',
  'application/vnd.ms-powerpoint': '.ppt',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': '.pptx',
  'application/vnd.oasis.opendocument.text': '.odt',
  'application/vnd.oasis.opendocument.spreadsheet': '.ods',
  'application/vnd.oasis.opendocument.presentation': '.odp',
};

/** A safe extension for the temporary copy (LibreOffice looks at it). */
function documentExtension(filename: string, mimetype: string, kind: SourceKind): string {
  if (kind === 'pdf') return '.pdf';
  const ext = extname(filename).toLowerCase();
  return OFFICE_EXTENSION_BY_TYPE[mimetype] ?? (/^\.[a-z0-9]{1,5}$/.test(ext) ? ext : '.bin');
}

/** The file name as the last part of a key: no slashes or control characters, at most 200 characters. */
function keySafe(filename: string): string {
  const safe = [...filename].map((char) => (char === '/' || char === '\\' || char.charCodeAt(0) < 32 || char.charCodeAt(0) === 127 ? '_' : char)).join('');
  return (safe.replace(/^\.+/, '_') || 'file').slice(-200);
}
