/** What an exchange tells its idle watch. */
export interface IdleWatch {
  /** Bytes arrived (or reading resumed after the reader held it up). */
  touch(): void;
  stop(): void;
}

/**
 * Calls `onIdle` once nothing has arrived for `ms` while the companion was waiting for it. Time the
 * reader holds things up (`readerIsBehind`: reading paused for backpressure) does not count: a slow
 * reader is not a stalled source. Arrivals are told by `touch()`, or seen in `bytesRead` (a socket's
 * count) where nothing can call it. Checked four times per `ms`, so a source is cut after 0.75–1.25×
 * `ms` of silence. `touch` only sets a flag (no clock read, nothing allocated): it runs for every read
 * of a download.
 */
export function watchIdle(ms: number, onIdle: () => void, { readerIsBehind, bytesRead }: { readerIsBehind: () => boolean; bytesRead?: () => number }): IdleWatch {
  let last = performance.now();
  let arrived = false;
  let seen = bytesRead?.();
  const timer = setInterval(
    () => {
      const now = performance.now();
      const read = bytesRead?.();
      if (arrived || read !== seen || readerIsBehind()) {
        arrived = false;
        last = now;
        seen = read;
      } else if (now - last >= ms) {
        clearInterval(timer);
        onIdle();
      }
    },
    Math.max(10, ms / 4),
  ).unref();
  return {
    touch: () => void (arrived = true),
    stop: () => clearInterval(timer),
  };
}
