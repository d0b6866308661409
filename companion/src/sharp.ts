import type sharpModule from 'sharp';

let loading: Promise<typeof sharpModule> | undefined;

/**
 * sharp, loaded with the first image call: its native library costs ~25 MB of memory that a companion
 * which never converts or measures an image should not pay. Later calls share the one load, without an
 * `import()` per image (under a module loader hook, as in development, each is a trip to its thread).
 */
export function loadSharp(): Promise<typeof sharpModule> {
  loading ??= import('sharp').then((module) => module.default);
  return loading;
}
