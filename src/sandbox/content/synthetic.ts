import { Readable } from 'node:stream';

/**
 * Synthetic content: byte i of every synthetic file is the same function of i, so any range can be
 * produced without producing what comes before it. The pattern is 4 KiB blocks: each starts with its
 * own offset as 16 hex digits (so a misplaced range is visible in a hex dump), then filler taken from
 * a fixed 64 KiB pseudo-random table (so it does not compress to nothing).
 */
const BLOCK = 4096;
const STAMP = 16;
const TABLE_SIZE = 65_536;
const CHUNK = 256 * 1024;

const TABLE = ((): Buffer => {
  const table = Buffer.alloc(TABLE_SIZE);
  let state = 0x2545f491; // xorshift32, fixed seed
  for (let i = 0; i < TABLE_SIZE; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    table[i] = state & 0xff;
  }
  return table;
})();

/** The bytes [start, end) of the pattern, in a new buffer. */
export function syntheticBuffer(start: number, end: number): Buffer {
  const out = Buffer.allocUnsafe(Math.max(0, end - start));
  for (let written = 0; written < out.length;) {
    const tablePos = (start + written) % TABLE_SIZE;
    const n = Math.min(TABLE_SIZE - tablePos, out.length - written);
    TABLE.copy(out, written, tablePos, tablePos + n);
    written += n;
  }
  // Overwrite the stamps of every block that overlaps the range.
  for (let block = Math.floor(start / BLOCK) * BLOCK; block < end; block += BLOCK) {
    const stamp = Buffer.from(block.toString(16).padStart(STAMP, '0'), 'latin1');
    const from = Math.max(block, start);
    const to = Math.min(block + STAMP, end);
    if (from < to) stamp.copy(out, from - start, from - block, to - block);
  }
  return out;
}

/**
 * A deterministic byte pattern of `size` bytes, as a Node Readable of Buffers, from `offset`
 * (inclusive, default 0) to `end` (exclusive, default `size`) — the same convention as
 * `Buffer.subarray` and `Blob.slice`, NOT the inclusive `end` of HTTP Range or `fs.createReadStream`
 * (for `Range: bytes=a-b` pass `end = b + 1`). Produced 256 KiB at a time on demand, so a 256 MiB
 * file is never held in memory. Out-of-range bounds are clamped to [0, size].
 */
export function syntheticBytes(size: number, offset = 0, end = size): Readable {
  const stop = Math.min(Math.max(0, end), size);
  let position = Math.min(Math.max(0, offset), stop);
  return new Readable({
    highWaterMark: CHUNK,
    read() {
      if (position >= stop) {
        this.push(null);
        return;
      }
      const next = Math.min(position + CHUNK, stop);
      const chunk = syntheticBuffer(position, next);
      position = next;
      this.push(chunk);
    },
  });
}
