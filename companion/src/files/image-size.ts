import { loadSharp } from '../sharp.ts';

/** Prefixes tried in turn: a JPEG's or PNG's header is nearly always in the first 64 KiB (EXIF may push it further). */
const PREFIXES = [64 * 1024, 1024 * 1024];

/**
 * The pixel size of an image, read from a prefix of its bytes with sharp's header parser: never the
 * whole file (a 6000×4000 JPEG is not downloaded to learn its size). `readPrefix(n)` returns at most
 * the first `n` bytes. Undefined when the header is not within the prefixes or sharp cannot read it.
 */
export async function imageSize(readPrefix: (bytes: number) => Promise<Buffer>, size: number | undefined): Promise<{ width: number; height: number } | undefined> {
  const sharp = await loadSharp();
  for (const prefix of PREFIXES) {
    const bytes = await readPrefix(prefix);
    try {
      const { width, height, autoOrient } = await sharp(bytes, { failOn: 'none' }).metadata();
      // As shown: EXIF orientations 5–8 swap the sides.
      const shown = autoOrient ?? { width, height };
      if (shown.width && shown.height) return { width: shown.width, height: shown.height };
    } catch {
      // Not enough of the header yet, or not an image sharp reads.
    }
    if (bytes.length < prefix || (size !== undefined && size <= prefix)) return undefined;
  }
  return undefined;
}

/** Reads at most `limit` bytes of a body and cancels the rest. */
export async function readAtMost(body: ReadableStream<Uint8Array> | null, limit: number): Promise<Buffer> {
  if (!body) return Buffer.alloc(0);
  const reader = body.getReader();
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    while (total < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
      total += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return Buffer.concat(chunks).subarray(0, limit);
}
