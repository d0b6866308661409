/**
 * What one read from an upstream connection can take. Reads land in pooled buffers instead of a
 * fresh buffer each, which is most of what makes passing a body on cheap. bench/stream A/B (two runs
 * each, two buffers per connection): 512 KiB saved a sixth of the companion's CPU against 128 KiB but
 * took its peak with 50 downloads at once to 170–182 MB; 128 KiB: 118–119 MB.
 */
export const READ_BUFFER_BYTES = 128 * 1024;

/**
 * Free buffers kept for the next connections (8 MiB at most), one set per outbound instance, dropped
 * when it closes. Buffers are reused rather than left to V8: it frees outside memory only when it
 * collects the small objects holding it, and 50 downloads every few seconds would otherwise pile up
 * tens of megabytes before it did.
 */
const MAX_FREE = 64;

export class ReadBufferPool {
  readonly #free: Buffer[] = [];
  #closed = false;

  take(): Buffer {
    return this.#free.pop() ?? Buffer.allocUnsafeSlow(READ_BUFFER_BYTES);
  }

  /** Only once nothing reads into it or writes out of it any more: the next connection overwrites it. */
  giveBack(buffer: Buffer): void {
    if (!this.#closed && this.#free.length < MAX_FREE && !this.#free.includes(buffer)) this.#free.push(buffer);
  }

  /** Lets the free buffers go, and those still lent when they come back. */
  close(): void {
    this.#closed = true;
    this.#free.length = 0;
  }
}

/**
 * Buffers a sink may point into at once per connection before reading waits: one being sent, one
 * filling. bench/stream A/B of two against one: the same for one big download, within this VM's noise
 * (0.81–1.00× against 0.80–1.00×), but 50 downloads at once kept up better (0.91–1.03× the direct
 * reads in ten runs, against 0.82–1.06× in five), for ~6 MB more at their peak (107–119 MB, once 128).
 */
export const MAX_LENT = 2;

/**
 * The read buffers of one connection: the one the next read lands in, and those a sink still points
 * into. A buffer written to a sink is lent until every write of it has left the sink; the next read
 * then lands in another buffer, so nothing the sink holds is overwritten. TLS needs this even while
 * reading is paused: it may still hand over records it had already decrypted.
 */
export class ConnectionBuffers {
  #reading: Buffer;
  #readingLent = false;
  #lent = 0;
  #closed = false;

  constructor(private readonly pool: ReadBufferPool) {
    this.#reading = pool.take();
  }

  /** For onread's `buffer` function, which Node calls after each read for the next one. */
  readonly next = (): Buffer => {
    if (this.#readingLent) {
      this.#reading = this.pool.take();
      this.#readingLent = false;
    }
    return this.#reading;
  };

  /** What the last read landed in (before {@link next} is called). */
  get reading(): Buffer {
    return this.#reading;
  }

  get lent(): number {
    return this.#lent;
  }

  /**
   * Lends the reading buffer for `writes` writes; give each write `returned` as its callback. Call
   * `hold()` when the sink still holds data after the writes: without it, they left synchronously.
   * `onReturned` runs once every write of a held loan has left the sink.
   */
  loan(writes: number, onReturned: () => void): { returned: () => void; hold: () => void } {
    const buffer = this.#reading;
    let pending = writes;
    let held = false;
    return {
      returned: () => {
        if (--pending > 0 || !held) return;
        held = false;
        this.#lent--;
        if (buffer === this.#reading && !this.#closed) this.#readingLent = false;
        else this.pool.giveBack(buffer);
        onReturned();
      },
      hold: () => {
        if (held || pending === 0) return;
        held = true;
        this.#lent++;
        if (buffer === this.#reading) this.#readingLent = true;
      },
    };
  }

  /** No more reads: the reading buffer goes back now unless lent; lent ones when they return. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (!this.#readingLent) this.pool.giveBack(this.#reading);
  }
}
