import type { FitEnum, Sharp } from 'sharp';
import { FsError, MAX_CONVERT_SIDE, type ConvertAlign, type ConvertFormat, type ConvertFit, type ParsedConvertRequestOptions } from 'fs-picker/protocol';
import { loadSharp } from '../sharp.ts';

/*
 * Image conversion with sharp: one pipeline per call (rotate → crop if crop_first → resize → crop →
 * filter → encode), plus a second pass only for a watermark (it needs the result's size). The semantics
 * of each option are documented in src/protocol/convert.ts.
 */

/** Decompression bombs: images with more pixels than this are refused (a 6000×4000 photo is 24 MP). */
export const DEFAULT_MAX_INPUT_PIXELS = 100_000_000;

/** The most pixels a result may have (width × height), unless the operator says otherwise (limits.convertPixels). */
export const DEFAULT_MAX_OUTPUT_PIXELS = 40_000_000;

/**
 * Refuses, before any work, a `width` × `height` over the pixel budget: a 1×1 image made 10,000×10,000
 * and watermarked would take 400 MB of memory for nothing.
 */
export function checkOutputSize(options: Pick<ParsedConvertRequestOptions, 'width' | 'height'>, maxOutputPixels = DEFAULT_MAX_OUTPUT_PIXELS): void {
  const { width, height } = options;
  if (width === undefined || height === undefined || width * height <= maxOutputPixels) return;
  throw new FsError(
    'FS_ERR_INVALID_OPTION',
    `convert: options "width" × "height" (${width} × ${height}) make ${Math.round((width * height) / 1e6)} megapixels; at most ${maxOutputPixels / 1e6} megapixels are converted`,
    { field: 'height' },
  );
}

/** Formats sharp can write that a result may keep when `format` is not given. */
const KEEPABLE = new Set(['jpeg', 'png', 'webp', 'avif', 'gif', 'tiff']);

export const FORMAT_MIMETYPES: Record<string, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  avif: 'image/avif',
  gif: 'image/gif',
  tiff: 'image/tiff',
  pdf: 'application/pdf',
};

export const FORMAT_EXTENSIONS: Record<string, string> = { jpeg: '.jpg', png: '.png', webp: '.webp', avif: '.avif', gif: '.gif', tiff: '.tif', pdf: '.pdf' };

/** sharp's name of an output format. */
export function sharpFormat(format: ConvertFormat): 'jpeg' | 'png' | 'webp' | 'avif' {
  return format === 'jpg' ? 'jpeg' : format;
}

/** The input format sharp would keep, from the source's MIME type; png when sharp cannot write it. */
export function keptFormat(mimetype: string): string {
  const [type, sub = ''] = mimetype.toLowerCase().split('/');
  const name = sub === 'jpg' || sub === 'pjpeg' ? 'jpeg' : sub;
  return type === 'image' && KEEPABLE.has(name) ? name : 'png';
}

const FITS: Record<ConvertFit, keyof FitEnum> = { clip: 'inside', max: 'inside', crop: 'cover', scale: 'fill' };
const POSITIONS: Record<Exclude<ConvertAlign, 'faces'>, string> = { top: 'top', bottom: 'bottom', left: 'left', right: 'right', center: 'centre' };

/** The options that only make sense for an image result. */
export const IMAGE_ONLY_OPTIONS = [
  'width',
  'height',
  'fit',
  'align',
  'crop',
  'crop_first',
  'quality',
  'rotate',
  'filter',
  'blurAmount',
  'sharpenAmount',
  'compress',
  'watermark',
  'watermark_size',
  'watermark_position',
  'exif',
] as const;

/** Refuses what the companion cannot do honestly, naming the option. */
export function checkSupported(options: ParsedConvertRequestOptions): void {
  if (options.align === 'faces') {
    throw new FsError('FS_ERR_INVALID_OPTION', 'convert: option "align" value "faces" is not supported: the companion has no face detection; use top, bottom, left, right or center', { field: 'align' });
  }
  for (const key of ['text', 'text_align', 'text_color', 'text_font', 'text_padding', 'text_size'] as const) {
    if (options[key] !== undefined) throw new FsError('FS_ERR_INVALID_OPTION', `convert: option "${key}" is not supported by this companion (text overlays are not implemented)`, { field: key });
  }
  if (options.filter === 'sharpen' && options.blurAmount !== undefined) throw new FsError('FS_ERR_INVALID_OPTION', 'convert: option "blurAmount" applies to filter "blur", not "sharpen"', { field: 'blurAmount' });
  if (options.filter === 'blur' && options.sharpenAmount !== undefined) throw new FsError('FS_ERR_INVALID_OPTION', 'convert: option "sharpenAmount" applies to filter "sharpen", not "blur"', { field: 'sharpenAmount' });
  if (options.filter === undefined && options.blurAmount !== undefined && options.sharpenAmount !== undefined) {
    throw new FsError('FS_ERR_INVALID_OPTION', 'convert: give "blurAmount" or "sharpenAmount", not both', { field: 'sharpenAmount' });
  }
  if ((options.watermark_size !== undefined || options.watermark_position !== undefined) && options.watermark === undefined) {
    const key = options.watermark_size !== undefined ? 'watermark_size' : 'watermark_position';
    throw new FsError('FS_ERR_INVALID_OPTION', `convert: option "${key}" needs "watermark"`, { field: key });
  }
}

export interface ImagePlan {
  /** sharp's output format name. */
  format: 'jpeg' | 'png' | 'webp' | 'avif' | 'gif' | 'tiff';
  mimetype: string;
  extension: string;
}

export function imagePlan(options: ParsedConvertRequestOptions, sourceMimetype: string): ImagePlan {
  const format = (options.format === undefined || options.format === 'pdf' ? keptFormat(sourceMimetype) : sharpFormat(options.format)) as ImagePlan['format'];
  return { format, mimetype: FORMAT_MIMETYPES[format]!, extension: FORMAT_EXTENSIONS[format]! };
}

/**
 * The sharp pipeline for `options`, without the watermark (see {@link applyWatermark}) and with the
 * encoder set when `encode` is true. Input: `input` (bytes, or a file's path), else pipe the source into
 * the returned instance.
 */
export async function imagePipeline(
  options: ParsedConvertRequestOptions,
  plan: ImagePlan,
  {
    maxPixels = DEFAULT_MAX_INPUT_PIXELS,
    maxOutputPixels = DEFAULT_MAX_OUTPUT_PIXELS,
    encode = true,
    input,
    sourceMimetype = '',
  }: { maxPixels?: number; maxOutputPixels?: number; encode?: boolean; input?: Buffer | string; sourceMimetype?: string } = {},
): Promise<Sharp> {
  const sharp = await loadSharp();
  // Sequential reading keeps a big PNG from being decoded whole (6000×4000: 38 instead of 70 MB, and 13%
  // faster); a JPEG is shrunk while it is decoded anyway, and random access is ~20% faster for it.
  const settings = { limitInputPixels: maxPixels, failOn: 'error', sequentialRead: !/^image\/p?jpe?g$/i.test(sourceMimetype) } as const;
  const image = input === undefined ? sharp(settings) : sharp(input, settings);
  const opaque = plan.format === 'jpeg';
  const background = { r: 255, g: 255, b: 255, alpha: opaque ? 1 : 0 };

  if (options.rotate === 'exif') image.autoOrient();
  else if (options.rotate !== undefined && options.rotate % 360 !== 0) image.rotate(options.rotate, { background });

  const region = options.crop && { left: options.crop[0], top: options.crop[1], width: options.crop[2], height: options.crop[3] };
  if (region && options.crop_first) image.extract(region);

  if (options.width !== undefined || options.height !== undefined) {
    const fit = options.fit ?? 'clip';
    // A side left to the aspect ratio is capped by the pixel budget (fitting inside keeps the ratio), so a
    // 1×10,000 strip given width 10,000 does not become 10,000×100,000,000.
    const oneSide = options.width === undefined || options.height === undefined;
    const cap = (side: number) => Math.max(1, Math.min(MAX_CONVERT_SIDE, Math.floor(maxOutputPixels / side)));
    image.resize({
      width: options.width ?? cap(options.height!),
      height: options.height ?? cap(options.width!),
      fit: oneSide ? 'inside' : FITS[fit],
      position: POSITIONS[(options.align ?? 'center') as Exclude<ConvertAlign, 'faces'>],
      withoutEnlargement: fit === 'max',
    });
  }
  if (region && !options.crop_first) image.extract(region);

  const filter = options.filter ?? (options.blurAmount !== undefined ? 'blur' : options.sharpenAmount !== undefined ? 'sharpen' : undefined);
  if (filter === 'blur') image.blur(options.blurAmount ?? 2);
  if (filter === 'sharpen') image.sharpen({ sigma: (options.sharpenAmount ?? 2) / 2 });

  if (options.exif) image.keepMetadata();
  if (encode) encodeAs(image, options, plan);
  return image;
}

/** Sets the encoder of `plan.format` with `quality` and `compress`. */
export function encodeAs(image: Sharp, options: Pick<ParsedConvertRequestOptions, 'quality' | 'compress'>, plan: ImagePlan): Sharp {
  const { quality, compress = false } = options;
  switch (plan.format) {
    case 'jpeg':
      return image.jpeg({ ...(quality === undefined ? {} : { quality }), mozjpeg: compress });
    case 'png':
      return image.png(compress ? { compressionLevel: 9, palette: true, effort: 10, ...(quality === undefined ? {} : { quality }) } : { compressionLevel: 6 });
    case 'webp':
      return image.webp({ ...(quality === undefined ? {} : { quality }), effort: compress ? 6 : 4 });
    case 'avif':
      return image.avif({ ...(quality === undefined ? {} : { quality }), effort: compress ? 6 : 4 });
    case 'gif':
      return image.gif();
    case 'tiff':
      return image.tiff();
  }
}

const VERTICAL: Record<string, string> = { top: 'north', middle: '', bottom: 'south' };
const HORIZONTAL: Record<string, string> = { left: 'west', center: '', right: 'east' };

/** sharp's gravity for a v2 position such as "bottom,right" (already normalised by the schema). */
export function gravityOf(position: string | undefined): string {
  const words = (position ?? '').split(',');
  const vertical = words.map((word) => VERTICAL[word]).find((value) => value !== undefined) ?? '';
  const horizontal = words.map((word) => HORIZONTAL[word]).find((value) => value !== undefined) ?? '';
  return vertical + horizontal || 'centre';
}

/**
 * Draws `watermark` over the (already converted, not yet encoded) image: scaled to `watermark_size`
 * percent of its own size, shrunk to fit inside the image, placed at `watermark_position`. Returns the
 * encoded result.
 */
export async function applyWatermark(converted: Sharp, watermark: Buffer, options: ParsedConvertRequestOptions, plan: ImagePlan, maxPixels = DEFAULT_MAX_INPUT_PIXELS): Promise<Buffer> {
  const sharp = await loadSharp();
  const { data, info } = await converted.raw().toBuffer({ resolveWithObject: true });
  const mark = sharp(watermark, { limitInputPixels: maxPixels, failOn: 'error' });
  const meta = await mark.metadata().catch((error: unknown) => {
    // The pixel limit is checked on the header alone: a bomb is too large, not unreadable.
    if (/pixel limit/i.test(error instanceof Error ? error.message : '')) {
      throw new FsError('FS_ERR_TOO_LARGE', `convert: the watermark image has more than ${maxPixels / 1e6} megapixels, the most the companion converts.`, { field: 'watermark', cause: error });
    }
    throw new FsError('FS_ERR_INVALID_OPTION', 'convert: option "watermark" is not an image the companion can read', { field: 'watermark', cause: error });
  });
  const scale = (options.watermark_size ?? 100) / 100;
  const width = Math.max(1, Math.min(info.width, Math.round((meta.autoOrient.width || 1) * scale)));
  const height = Math.max(1, Math.min(info.height, Math.round((meta.autoOrient.height || 1) * scale)));
  const overlay = await mark.autoOrient().resize({ width, height, fit: 'inside' }).png().toBuffer();
  const base = sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } }).composite([{ input: overlay, gravity: gravityOf(options.watermark_position) }]);
  if (options.exif) base.keepMetadata();
  return encodeAs(base, options, plan).toBuffer();
}

/** sharp's errors as ours: a stored file gone, the pixel limit, a crop outside the image, input that is not an image. */
export function imageError(error: unknown, maxPixels = DEFAULT_MAX_INPUT_PIXELS): unknown {
  if (error instanceof FsError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/^Input file is missing/.test(message)) return new FsError('FS_ERR_NOT_FOUND', 'The stored file is no longer there.', { cause: error });
  if (/pixel limit/i.test(message)) {
    return new FsError('FS_ERR_TOO_LARGE', `convert: the image has more than ${maxPixels / 1e6} megapixels, the most the companion converts.`, { cause: error });
  }
  if (/extract_area|bad extract area/i.test(message)) {
    return new FsError('FS_ERR_INVALID_OPTION', 'convert: option "crop" must lie inside the image (after resizing, unless crop_first is set)', { field: 'crop', cause: error });
  }
  if (/unsupported image format|corrupt|premature end|VipsJpeg|VipsPng|Input (buffer|file) (is|has)|bad seek|not a known/i.test(message)) {
    return new FsError('FS_ERR_INVALID_REQUEST', 'convert: the file is not an image the companion can read (or it is damaged).', { cause: error });
  }
  return error;
}
