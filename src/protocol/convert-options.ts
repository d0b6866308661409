import * as v from 'valibot';
import {
  BooleanSchema,
  NonEmptyStringSchema,
  PositiveIntSchema,
  StoragePathSchema,
  StoreAccessSchema,
  StoreLocationSchema,
  compact,
  intBetween,
  normalize,
  numberBetween,
  oneOf,
  type StoreAccess,
  type StoreLocation,
} from './option-values.ts';
import { bothOrNeither, notBoth, optionRules } from './option-rules.ts';

/*
 * The options of `convert`: exactly v2's conversion keys (filepicker-js `conversions.js`
 * `valid_parameters`, notes §c.2) plus its REST aliases `w` and `h`. Values follow v2's documentation;
 * `webp` and `avif` are added formats. Any other key is an error that names it.
 */

export const CONVERT_FITS = ['clip', 'crop', 'scale', 'max'] as const;
export const CONVERT_ALIGNS = ['top', 'bottom', 'left', 'right', 'faces', 'center'] as const;
export const CONVERT_FORMATS = ['jpg', 'png', 'webp', 'avif'] as const;
export const CONVERT_FILTERS = ['blur', 'sharpen'] as const;

export type ConvertFit = (typeof CONVERT_FITS)[number];
export type ConvertAlign = (typeof CONVERT_ALIGNS)[number];
export type ConvertFormat = (typeof CONVERT_FORMATS)[number];
export type ConvertFilter = (typeof CONVERT_FILTERS)[number];

/** A crop rectangle in pixels: left, top, width, height. */
export type CropRect = [x: number, y: number, width: number, height: number];

/** Options of `convert(blob, options, storeOptions?)`. */
export interface ConvertOptions {
  /** Resize to this width in pixels. */
  width?: number;
  /** Resize to this height in pixels. */
  height?: number;
  /** REST alias of `width`. */
  w?: number;
  /** REST alias of `height`. */
  h?: number;
  /** How the image fits `width`×`height`: `'clip'` (default; keep ratio, fit inside), `'crop'`, `'scale'` (stretch) or `'max'` (only shrink). */
  fit?: ConvertFit;
  /** What to keep when `fit: 'crop'` cuts: an edge, `'faces'`, or `'center'` (default). */
  align?: ConvertAlign;
  /** Crop to `[x, y, width, height]` pixels, or the same as a string "x,y,width,height". */
  crop?: CropRect | string;
  /** Crop before resizing rather than after. */
  crop_first?: boolean;
  /** Output format. Default: the input's. */
  format?: ConvertFormat;
  /** JPEG/WebP/AVIF quality, 1–100. */
  quality?: number;
  /** Rotate clockwise by this many degrees, or `'exif'` to apply the EXIF orientation. */
  rotate?: number | 'exif';
  /** Keep (`true`) or strip (`false`) the EXIF metadata. v2 also took "true"/"false". */
  exif?: boolean | 'true' | 'false';
  /** Compress the output harder (PNG/JPEG optimisation). */
  compress?: boolean;
  /** Apply a filter: `'blur'` or `'sharpen'`. */
  filter?: ConvertFilter;
  /** Strength of `filter: 'blur'`, 1–20. */
  blurAmount?: number;
  /** Strength of `filter: 'sharpen'`, 1–20. */
  sharpenAmount?: number;
  /** For documents: the page to convert to an image (1 = first). */
  page?: number;
  /** Serve the result's URL over https. Accepted for v2 code; the companion's URLs follow its own scheme. */
  secure?: boolean;
  /** An image URL (or companion file URL) drawn over the result. */
  watermark?: string;
  /** The watermark's size as a percentage of its own size, 1–500. */
  watermark_size?: number;
  /** Where the watermark goes: top/middle/bottom and/or left/center/right, e.g. "bottom,right". */
  watermark_position?: string;
  /** Text drawn over the result. */
  text?: string;
  /** Where the text goes: top/middle/bottom and/or left/center/right. */
  text_align?: string;
  /** Text colour, e.g. "#ff0000", "ff0000" or "red". */
  text_color?: string;
  /** Font family of the text, e.g. "Arial". */
  text_font?: string;
  /** Space between the text and the image's edge, in pixels. */
  text_padding?: number;
  /** Text size in pixels. */
  text_size?: number;
  /** Storage for the result (same as `storeOptions.location`). */
  storeLocation?: StoreLocation | Lowercase<StoreLocation>;
  /** Storage path for the result (same as `storeOptions.path`). */
  storePath?: string;
  /** Bucket for the result (same as `storeOptions.container`). */
  storeContainer?: string;
  /** S3 region of `storeContainer`. */
  storeRegion?: string;
  /** `'public'` or `'private'` for the result (same as `storeOptions.access`). */
  storeAccess?: StoreAccess;
  /** Accepted for v2 code; fs-picker has no Cloudinary storage, so it has no effect. */
  cloudinaryUploadPreset?: string;
  /** A security policy (base64 JSON); give it with `signature`. */
  policy?: string;
  /** Hex HMAC-SHA256 of `policy`; give it with `policy`. */
  signature?: string;
}

/** Convert options after parsing: `w`/`h` became `width`/`height`, `crop` a rectangle, `exif` a boolean. */
export type ParsedConvertOptions = Omit<ConvertOptions, 'w' | 'h' | 'crop' | 'exif' | 'storeLocation'> & {
  crop?: CropRect;
  exif?: boolean;
  storeLocation?: StoreLocation;
};

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

const CropSchema = v.pipe(
  v.union([v.string(CROP_MESSAGE), v.array(v.unknown(), CROP_MESSAGE)], CROP_MESSAGE),
  normalize<string | unknown[], CropRect>(toCropRect, CROP_MESSAGE),
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
  align: v.optional(oneOf(CONVERT_ALIGNS)),
  blurAmount: v.optional(numberBetween(1, 20)),
  crop: v.optional(CropSchema),
  crop_first: v.optional(BooleanSchema),
  compress: v.optional(BooleanSchema),
  exif: v.optional(ExifSchema),
  filter: v.optional(oneOf(CONVERT_FILTERS)),
  fit: v.optional(oneOf(CONVERT_FITS)),
  format: v.optional(oneOf(CONVERT_FORMATS)),
  height: v.optional(PositiveIntSchema),
  policy: v.optional(NonEmptyStringSchema),
  quality: v.optional(intBetween(1, 100)),
  page: v.optional(PositiveIntSchema),
  rotate: v.optional(RotateSchema),
  secure: v.optional(BooleanSchema),
  sharpenAmount: v.optional(numberBetween(1, 20)),
  signature: v.optional(NonEmptyStringSchema),
  storeAccess: v.optional(StoreAccessSchema),
  storeContainer: v.optional(NonEmptyStringSchema),
  storeRegion: v.optional(NonEmptyStringSchema),
  storeLocation: v.optional(StoreLocationSchema),
  storePath: v.optional(StoragePathSchema),
  text: v.optional(NonEmptyStringSchema),
  cloudinaryUploadPreset: v.optional(v.string('must be a string')),
  text_align: v.optional(PositionSchema),
  text_color: v.optional(ColorSchema),
  text_font: v.optional(NonEmptyStringSchema),
  text_padding: v.optional(intBetween(0, 10_000)),
  text_size: v.optional(intBetween(1, 10_000)),
  watermark: v.optional(NonEmptyStringSchema),
  watermark_position: v.optional(PositionSchema),
  watermark_size: v.optional(numberBetween(1, 500)),
  width: v.optional(PositiveIntSchema),
  w: v.optional(PositiveIntSchema),
  h: v.optional(PositiveIntSchema),
});

type ConvertValues = v.InferOutput<typeof ConvertObject>;

export const ConvertOptionsSchema = v.pipe(
  ConvertObject,
  optionRules<ConvertValues>(
    notBoth(['width'], ['w']),
    notBoth(['height'], ['h']),
    bothOrNeither('policy', 'signature'),
  ),
  v.transform(({ w, h, ...rest }): ParsedConvertOptions => {
    return compact({ ...rest, width: rest.width ?? w, height: rest.height ?? h });
  }),
);
