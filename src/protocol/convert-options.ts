import * as v from 'valibot';
import {
  BooleanSchema,
  NonEmptyStringSchema,
  PositiveIntSchema,
  StoragePathSchema,
  StoreAccessSchema,
  StoreLocationSchema,
  compact,
  documented,
  intBetween,
  normalize,
  numberBetween,
  oneOf,
} from './option-values.ts';
import { bothOrNeither, notBoth, optionRules } from './option-rules.ts';

/*
 * The options of `convert`: exactly v2's conversion keys (filepicker-js `conversions.js`
 * `valid_parameters`, notes §c.2) plus its REST aliases `w` and `h`. Values follow v2's documentation;
 * `webp` and `avif` are added formats, and `pdf` for office documents. Any other key is an error that
 * names it. Declared once, as the schema: `ConvertOptions` is its input, `ParsedConvertOptions` its output.
 */

export const CONVERT_FITS = ['clip', 'crop', 'scale', 'max'] as const;
export const CONVERT_ALIGNS = ['top', 'bottom', 'left', 'right', 'faces', 'center'] as const;
export const CONVERT_FORMATS = ['jpg', 'png', 'webp', 'avif'] as const;
/** Output formats: the image ones of v2 (plus webp/avif) and `pdf` for office documents. */
export const CONVERT_OUTPUT_FORMATS = [...CONVERT_FORMATS, 'pdf'] as const;
export const CONVERT_FILTERS = ['blur', 'sharpen'] as const;
/** The longest side a conversion result may have, in pixels (the companion also bounds width × height). */
export const MAX_CONVERT_SIDE = 10_000;

export type ConvertFit = (typeof CONVERT_FITS)[number];
export type ConvertAlign = (typeof CONVERT_ALIGNS)[number];
export type ConvertFormat = (typeof CONVERT_FORMATS)[number];
export type ConvertOutputFormat = (typeof CONVERT_OUTPUT_FORMATS)[number];
export type ConvertFilter = (typeof CONVERT_FILTERS)[number];

/** A crop rectangle in pixels: left, top, width, height. */
export type CropRect = [x: number, y: number, width: number, height: number];

const CROP_MESSAGE =
  'must be [x, y, width, height] in whole pixels (x and y at least 0, width and height at least 1), or the string "x,y,width,height"';

function toCropRect(value: unknown): CropRect | undefined {
  const numbers =
    typeof value === 'string' ? value.split(',').map((part) => (/^\s*\d+\s*$/.test(part) ? Number(part) : Number.NaN)) : value;
  if (!Array.isArray(numbers) || numbers.length !== 4) return undefined;
  if (!numbers.every((n: unknown) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0)) return undefined;
  const [x, y, width, height] = numbers as CropRect;
  return width >= 1 && height >= 1 ? [x, y, width, height] : undefined;
}

const CropSchema = documented<CropRect | string>()(
  v.pipe(
    v.union([v.string(CROP_MESSAGE), v.array(v.unknown(), CROP_MESSAGE)], CROP_MESSAGE),
    normalize<string | unknown[], CropRect>(toCropRect, CROP_MESSAGE),
  ),
);

const ROTATE_MESSAGE = 'must be a number of degrees or "exif"';
const RotateSchema = v.union(
  [v.pipe(v.number(ROTATE_MESSAGE), v.finite(ROTATE_MESSAGE)), v.literal('exif', ROTATE_MESSAGE)],
  ROTATE_MESSAGE,
);

const EXIF_MESSAGE = 'must be true or false';
const ExifSchema = v.pipe(
  v.union([v.boolean(EXIF_MESSAGE), v.picklist(['true', 'false'], EXIF_MESSAGE)], EXIF_MESSAGE),
  v.transform((value) => value === true || value === 'true'),
);

const VERTICAL = ['top', 'middle', 'bottom'];
const HORIZONTAL = ['left', 'center', 'right'];
const POSITION_MESSAGE = 'must be top, middle or bottom and/or left, center or right, such as "bottom,right"';

/** "bottom,right" style positions; normalised to lower case, vertical first, comma-separated. */
const PositionSchema = v.pipe(
  v.string(POSITION_MESSAGE),
  normalize((value: string) => {
    const words = value.toLowerCase().split(/[\s,]+/).filter(Boolean);
    const vertical = words.filter((word) => VERTICAL.includes(word));
    const horizontal = words.filter((word) => HORIZONTAL.includes(word));
    const valid = words.length > 0 && vertical.length <= 1 && horizontal.length <= 1;
    return valid && vertical.length + horizontal.length === words.length ? [...vertical, ...horizontal].join(',') : undefined;
  }, POSITION_MESSAGE),
);

const COLOR_MESSAGE = 'must be a colour such as "#ff0000", "ff0000" or "red"';
const ColorSchema = v.pipe(
  v.string(COLOR_MESSAGE),
  v.regex(/^(?:#?(?:[0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})|[a-z]+)$/i, COLOR_MESSAGE),
);

const ConvertObject = v.strictObject({
  /** What to keep when `fit: 'crop'` cuts: an edge, `'faces'`, or `'center'` (default). */
  align: v.optional(oneOf(CONVERT_ALIGNS)),
  /** Strength of `filter: 'blur'`, 1–20. */
  blurAmount: v.optional(numberBetween(1, 20)),
  /** Crop to `[x, y, width, height]` pixels, or the same as a string "x,y,width,height". */
  crop: v.optional(CropSchema),
  /** Crop before resizing rather than after. */
  crop_first: v.optional(BooleanSchema),
  /** Compress the output harder (PNG/JPEG optimisation). */
  compress: v.optional(BooleanSchema),
  /** Keep (`true`) or strip (`false`) the EXIF metadata. v2 also took "true"/"false". */
  exif: v.optional(ExifSchema),
  /** Apply a filter: `'blur'` or `'sharpen'`. */
  filter: v.optional(oneOf(CONVERT_FILTERS)),
  /** How the image fits `width`×`height`: `'clip'` (default; keep ratio, fit inside), `'crop'`, `'scale'` (stretch) or `'max'` (only shrink). */
  fit: v.optional(oneOf(CONVERT_FITS)),
  /** Output format: jpg, png, webp, avif, or pdf (office documents only). Default: the input's. */
  format: v.optional(oneOf(CONVERT_OUTPUT_FORMATS)),
  /** Resize to this height in pixels, at most 10,000. */
  height: v.optional(intBetween(1, MAX_CONVERT_SIDE)),
  /** A security policy (base64 JSON); give it with `signature`. */
  policy: v.optional(NonEmptyStringSchema),
  /** JPEG/WebP/AVIF quality, 1–100. */
  quality: v.optional(intBetween(1, 100)),
  /** For documents: the page to convert to an image (1 = first). */
  page: v.optional(PositiveIntSchema),
  /** Rotate clockwise by this many degrees, or `'exif'` to apply the EXIF orientation. */
  rotate: v.optional(RotateSchema),
  /** Serve the result's URL over https. Accepted for v2 code; the companion's URLs follow its own scheme. */
  secure: v.optional(BooleanSchema),
  /** Strength of `filter: 'sharpen'`, 1–20. */
  sharpenAmount: v.optional(numberBetween(1, 20)),
  /** Hex HMAC-SHA256 of `policy`; give it with `policy`. */
  signature: v.optional(NonEmptyStringSchema),
  /** `'public'` or `'private'` for the result (same as `storeOptions.access`). */
  storeAccess: v.optional(StoreAccessSchema),
  /** Bucket for the result (same as `storeOptions.container`). */
  storeContainer: v.optional(NonEmptyStringSchema),
  /** S3 region of `storeContainer`. */
  storeRegion: v.optional(NonEmptyStringSchema),
  /** Storage for the result (same as `storeOptions.location`). */
  storeLocation: v.optional(StoreLocationSchema),
  /** Storage path for the result (same as `storeOptions.path`). */
  storePath: v.optional(StoragePathSchema),
  /** Text drawn over the result. */
  text: v.optional(NonEmptyStringSchema),
  /** Accepted for v2 code; fs-picker has no Cloudinary storage, so it has no effect. */
  cloudinaryUploadPreset: v.optional(v.string('must be a string')),
  /** Where the text goes: top/middle/bottom and/or left/center/right. */
  text_align: v.optional(PositionSchema),
  /** Text colour, e.g. "#ff0000", "ff0000" or "red". */
  text_color: v.optional(ColorSchema),
  /** Font family of the text, e.g. "Arial". */
  text_font: v.optional(NonEmptyStringSchema),
  /** Space between the text and the image's edge, in pixels. */
  text_padding: v.optional(intBetween(0, 10_000)),
  /** Text size in pixels. */
  text_size: v.optional(intBetween(1, 10_000)),
  /** An image URL (or companion file URL) drawn over the result. */
  watermark: v.optional(NonEmptyStringSchema),
  /** Where the watermark goes: top/middle/bottom and/or left/center/right, e.g. "bottom,right". */
  watermark_position: v.optional(PositionSchema),
  /** The watermark's size as a percentage of its own size, 1–500. */
  watermark_size: v.optional(numberBetween(1, 500)),
  /** Resize to this width in pixels, at most 10,000. */
  width: v.optional(intBetween(1, MAX_CONVERT_SIDE)),
  /** REST alias of `width`. */
  w: v.optional(intBetween(1, MAX_CONVERT_SIDE)),
  /** REST alias of `height`. */
  h: v.optional(intBetween(1, MAX_CONVERT_SIDE)),
});

type ConvertValues = v.InferOutput<typeof ConvertObject>;

export const ConvertOptionsSchema = v.pipe(
  ConvertObject,
  optionRules<ConvertValues>(
    notBoth(['width'], ['w']),
    notBoth(['height'], ['h']),
    bothOrNeither('policy', 'signature'),
  ),
  v.transform(({ w, h, ...rest }) => compact({ ...rest, width: rest.width ?? w, height: rest.height ?? h })),
);

/** Options of `convert(blob, options, storeOptions?)`. */
export type ConvertOptions = v.InferInput<typeof ConvertOptionsSchema>;
/** Convert options after parsing: `w`/`h` became `width`/`height`, `crop` a rectangle, `exif` a boolean. */
export type ParsedConvertOptions = v.InferOutput<typeof ConvertOptionsSchema>;
