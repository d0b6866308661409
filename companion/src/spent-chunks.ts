import type { Readable } from 'node:stream';
import v8 from 'node:v8';
import vm from 'node:vm';

/**
 * Frees the memory of chunks that have been passed on, while big files stream through.
 *
 * Node gives every socket or file read a fresh buffer, and a buffer's memory is freed only when V8
 * collects the small object holding it. V8 schedules collections by its own heap's growth, which
 * streaming barely moves, and otherwise waits until ~64 MB of such outside memory has piled up. So a
 * download used to leave ~50 MB of spent chunks behind at any time. A young-generation collection
 * after every few megabytes passed on frees them; with the small heap a companion has, it takes well
 * under a millisecond. bench/stream, 1 GiB: the bare Node proxy peaked at 93 MB with V8's own timing,
 * 75 MB collecting every 8 MiB, 67 every 4 and 63 every 2, at the same throughput; the companion went
 * from 130–136 MB to 97–105 MB collecting every 4 MiB, with no more CPU.
 */
const COLLECT_EVERY_BYTES = 4 * 2 ** 20;

type Collect = (options: { type: 'minor' }) => void;

/** Set by {@link exposeCollector}; never on import, which changes nothing in the process. */
let exposed: Collect | undefined;

/**
 * Makes the collections possible in this process: called by main.ts as it starts the process (the
 * process is the companion's there), never by importing the companion, which must leave a host's
 * process as it was. `gc` is only on the global with --expose-gc; the flag set now holds for
 * contexts made after it, so a fresh context hands over the function (it collects the one heap all
 * contexts share). Should a runtime refuse, nothing breaks: V8 collects on its own schedule. A process
 * started with --expose-gc needs no call.
 */
export function exposeCollector(): void {
  if (collector()) return;
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc: unknown = vm.runInNewContext('gc');
    if (typeof gc === 'function') exposed = gc as Collect;
  } catch {
    // Collections stay V8's.
  }
}

function collector(): Collect | undefined {
  const global = (globalThis as { gc?: unknown }).gc;
  return exposed ?? (typeof global === 'function' ? (global as Collect) : undefined);
}

/** Bytes passed on since the last collection, by every stream of the process: they share one heap. */
let passedOn = 0;

/**
 * Counts what `stream` reads towards the next collection (across all streams at once). Call it in the
 * same turn as the pipe that consumes the stream: the listener alone would start the flow.
 */
export function collectSpentChunks<T extends Readable>(stream: T): T {
  if (collector()) stream.on('data', (chunk: { length: number }) => countPassedOn(chunk.length));
  return stream;
}

/**
 * The same count for bytes passed on without a stream (outbound/http1/upstream-stream.ts). Those allocate no
 * buffer per read, but each write still leaves small objects behind, and so do the requests around
 * them; collecting as often keeps the young generation from growing to its full size meanwhile
 * (bench/stream, 50 downloads at once: a peak of 123–125 MB without, 93 MB with).
 */
export function countPassedOn(bytes: number): void {
  passedOn += bytes;
  if (passedOn < COLLECT_EVERY_BYTES) return;
  passedOn = 0;
  collector()?.({ type: 'minor' });
}
