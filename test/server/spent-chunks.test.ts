import assert from 'node:assert/strict';
import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { test } from 'node:test';
import { collectSpentChunks, exposeCollector } from '../../companion/src/spent-chunks.ts';

const CHUNK = 64 * 1024;

// As main.ts does when it starts the companion's own process (importing the module does nothing).
exposeCollector();

/** Young-generation collections seen while `work` runs. */
async function minorCollectionsDuring(work: () => Promise<void>): Promise<number> {
  let minor = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if ((entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) minor++;
  });
  observer.observe({ entryTypes: ['gc'] });
  await work();
  await new Promise((resolve) => setTimeout(resolve, 50)); // gc entries are delivered asynchronously
  observer.disconnect();
  return minor;
}

/** `count` fresh 64 KiB chunks, as a socket read gives them, each filled with its index. */
function chunks(count: number): Readable {
  let index = 0;
  return new Readable({
    read() {
      this.push(index < count ? Buffer.alloc(CHUNK, index++ % 256) : null);
    },
  });
}

/** A sink that checks every byte arrives in order, holding none of them. */
function checkingSink(): Writable & { bytes: number } {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const expected = Math.floor(sink.bytes / CHUNK) % 256;
      sink.bytes += chunk.length;
      done(chunk.every((byte) => byte === expected) ? null : new Error(`a chunk arrived out of order or changed at byte ${sink.bytes}`));
    },
  }) as Writable & { bytes: number };
  sink.bytes = 0;
  return sink;
}

test('a stream passed on through collectSpentChunks arrives whole and in order', async () => {
  const sink = checkingSink();
  await pipeline(collectSpentChunks(chunks(400)), sink);
  assert.equal(sink.bytes, 400 * CHUNK);
});

test('passing on 64 MiB collects the young generation about every 4 MiB, which V8 alone would not', async () => {
  // 1,024 chunks of 64 KiB: a few kilobytes of JavaScript objects holding 64 MiB outside the heap.
  const left = await minorCollectionsDuring(() => pipeline(chunks(1024), checkingSink()));
  const collected = await minorCollectionsDuring(() => pipeline(collectSpentChunks(chunks(1024)), checkingSink()));
  assert.ok(collected >= 14, `expected a young-generation collection per 4 MiB (16), saw ${collected}`);
  assert.ok(collected >= left + 8, `expected many more collections than V8's own ${left}, saw ${collected}`);
});
