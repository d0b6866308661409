import * as v from 'valibot';
import { HandleSchema, type FsBlob } from './blob.ts';
import { ConvertOptionsSchema, type ConvertOptions, type ParsedConvertOptions } from './convert-options.ts';
import { FsError } from './errors.ts';
import { FilenameSchema } from './filename.ts';
import type { WithHandleTokens } from './handle-token.ts';
import { optionRules } from './option-rules.ts';
import { compact } from './option-values.ts';
import { StoreToObject, storeContainerRule, withContainer } from './options.ts';
import { parseOptions } from './validate.ts';

/*
 * The convert endpoint of the companion (under /api, needs the app key; no session — the handle is the
 * capability, as for /api/store-handle):
 *
 *   POST /api/convert?key=APIKEY[&policy=&signature=]
 *        Content-Type: application/json
 *        body: ConvertRequest  { "handle": "…", "options"?: ConvertRequestOptions, "storeOptions"?: ConvertStoreOptions }
 *   → 200 ConvertResponse      { "blob": ConvertedBlob }   (a NEW stored file; the source handle stays)
 *   → 400 FS_ERR_INVALID_OPTION  a bad option or field, or an unknown one; `field` names it ("width",
 *                                "crop", "storeOptions.location", "handle", …)
 *   → 400 FS_ERR_INVALID_REQUEST the body is not a JSON object, or the source cannot be read as its type
 *   → 413 FS_ERR_TOO_LARGE       the body is over the companion's JSON limit (limits.jsonBodyBytes)
 *   → 403 FS_ERR_POLICY          the app's security policy does not allow `convert` (on this handle)
 *   → 404 FS_ERR_NOT_FOUND       no such handle for this app
 *   → 401 FS_ERR_NOT_CONNECTED   the handle is an Alfresco link whose picker is no longer connected
 *   → 413 FS_ERR_TOO_LARGE       the source is over the byte cap, or an image over the pixel cap (a
 *                                decompression bomb), or a document page too large to render
 *   → 500 FS_ERR_INTERNAL        a conversion tool (LibreOffice, poppler) is not installed: the message
 *                                names the Debian package to install; or a tool failed or timed out
 *
 * What is converted:
 *   image → image   sharp: every image option below; `format` jpg/png/webp/avif (default: the input's
 *                   format when sharp can write it, else png).
 *   office → pdf    `{ "format": "pdf" }` on a docx/xlsx/pptx/odt/ods/odp/doc/xls/ppt/rtf: LibreOffice headless.
 *   document → image `{ "format": "png", "page": 2 }` on a PDF or an office document: that page (default
 *                   1) rendered by poppler's pdftoppm at 150 dpi, then through the same image options.
 *
 * The result is stored (atomically: nothing stays behind on failure) in `storeOptions.location` (or
 * v2's `storeLocation` among the options), else the companion's default storage, and gets a handle
 * written in one transaction with its `fp.converse` webhook event. The Blob has `converted: true`,
 * `key`, `container` and `client` of the source ("Alfresco", "Computer", "URL").
 *
 * Semantics of the image options (filepicker v2's convert, notes/pickers-landscape.md §c.2):
 *   width/height (or w/h)  target box; with only one, the other follows the aspect ratio
 *   fit    clip (default)  fit inside the box, keep the ratio (may enlarge)      = sharp `inside`
 *          max            as clip, but never enlarge                           = sharp `inside` + withoutEnlargement
 *          crop           fill the box exactly, cut what sticks out (see align) = sharp `cover`
 *          scale          stretch to the box exactly                           = sharp `fill`
 *   align  top, bottom, left, right, center (default) — what `fit: crop` keeps. `faces` is refused
 *          (FS_ERR_INVALID_OPTION, field "align"): the companion has no face detection.
 *   crop   [x, y, w, h] pixels; applied after resizing (in the resized image's pixels) unless
 *          `crop_first: true` (then in the source image's pixels, before resizing). A rectangle outside
 *          the image is FS_ERR_INVALID_OPTION naming "crop".
 *   rotate degrees clockwise (any angle; the corners are filled transparent, or white for jpg), or
 *          "exif" to turn the image upright by its EXIF orientation. Applied first, before crop and resize.
 *   filter blur | sharpen, with blurAmount / sharpenAmount 1–20 (default 2); blurAmount alone means blur,
 *          sharpenAmount alone means sharpen. Blur is a Gaussian blur of sigma = blurAmount; sharpen is an
 *          unsharp mask of sigma = sharpenAmount / 2.
 *   quality 1–100 for jpg, webp, avif (and png when `compress` makes it a palette image).
 *   compress smaller output: mozjpeg for jpg, palette + level 9 for png, more effort for webp/avif.
 *   exif   keep the metadata (default: stripped).
 *   watermark  a companion file URL or handle, or a public http(s) URL, of an image drawn over the
 *          result; watermark_size is a percentage of the watermark's own size (default 100; shrunk to fit
 *          inside the result in any case), watermark_position e.g. "bottom,right" (default "middle,center").
 *   text, text_*: accepted by the schema (v2 code sends them) but refused with FS_ERR_INVALID_OPTION.
 *   page   see documents above. secure, cloudinaryUploadPreset: accepted, no effect.
 */

export const CONVERT_ROUTE = '/api/convert';

/** The convert options the endpoint takes: {@link ConvertOptionsSchema} itself (its formats include `pdf`). */
export const ConvertRequestOptionsSchema = ConvertOptionsSchema;
/** `convert`'s options as the endpoint takes them: v2's conversion keys, with `format: 'pdf'` added. */
export type ConvertRequestOptions = ConvertOptions;
/** The options after parsing (aliases resolved, `crop` a rectangle). */
export type ParsedConvertRequestOptions = ParsedConvertOptions;

/** Where the result is stored: `convert`'s third argument (v2's storeOptions, as pickAndStore's) plus `filename`. */
export const ConvertStoreOptionsSchema = v.pipe(
  v.strictObject({
    ...StoreToObject.entries,
    /** The stored file's name; default: the source's name with the new format's extension. */
    filename: v.optional(FilenameSchema),
  }),
  optionRules<v.InferOutput<typeof StoreToObject> & { filename?: string | undefined }>(storeContainerRule),
  v.transform(withContainer),
);

export type ConvertStoreOptions = v.InferInput<typeof ConvertStoreOptionsSchema>;
export type ParsedConvertStoreOptions = v.InferOutput<typeof ConvertStoreOptionsSchema>;

export const ConvertRequestSchema = v.strictObject({
  /** The source file's handle (a picked Alfresco link or a stored file). */
  handle: HandleSchema,
  // Checked by parseConvertRequest, whose messages name the option and suggest the key meant.
  options: v.optional(v.unknown()),
  storeOptions: v.optional(v.unknown()),
});

/** The body of POST /api/convert. */
export type ConvertRequest = Omit<v.InferInput<typeof ConvertRequestSchema>, 'options' | 'storeOptions'> & {
  options?: ConvertRequestOptions;
  storeOptions?: ConvertStoreOptions;
};

/** The new file: a Blob of a stored copy, flagged as converted (v2's Blob `converted`). */
export type ConvertedBlob = FsBlob & { converted: true };

/** `handleTokens`: the new handle's token (src/protocol/handle-token.ts), for this browser only. */
export interface ConvertResponse extends WithHandleTokens {
  blob: ConvertedBlob;
}

/** v2's `store*` conversion keys and the storeOptions key each stands for. */
const STORE_KEYS = [
  ['storeLocation', 'location'],
  ['storePath', 'path'],
  ['storeContainer', 'container'],
  ['storeAccess', 'access'],
  ['storeRegion', 'storeRegion'],
] as const;

/**
 * Parses both halves of a convert call and merges v2's `store*` conversion keys into the store options.
 * A key given both ways (e.g. `storeLocation` and `storeOptions.location`) is an error naming both.
 * Throws FsError('FS_ERR_INVALID_OPTION') with `field` set; store option fields are "storeOptions.<key>".
 */
export function parseConvertRequest(options: unknown, storeOptions: unknown): { options: ParsedConvertRequestOptions; store: ParsedConvertStoreOptions } {
  const parsed = parseOptions('convert', ConvertRequestOptionsSchema, options);
  let store: ParsedConvertStoreOptions;
  try {
    store = parseOptions('convert storeOptions', ConvertStoreOptionsSchema, storeOptions);
  } catch (error) {
    if (error instanceof FsError && error.field !== undefined) throw new FsError(error.code, error.message, { field: `storeOptions.${error.field}` });
    throw error;
  }
  const merged: ParsedConvertStoreOptions = { ...store };
  for (const [optionKey, storeKey] of STORE_KEYS) {
    const value = parsed[optionKey];
    if (value === undefined) continue;
    if (store[storeKey] !== undefined) {
      throw new FsError('FS_ERR_INVALID_OPTION', `convert: give "${optionKey}" or storeOptions "${storeKey === 'container' ? 'container' : storeKey}", not both`, { field: optionKey });
    }
    (merged as Record<string, unknown>)[storeKey] = value;
  }
  return { options: parsed, store: compact(merged) };
}
