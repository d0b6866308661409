import type { Readable } from 'node:stream';

/**
 * A Node stream as a web stream body, pulled one chunk at a time. Not `Readable.toWeb`: in Node 20 its
 * adapter still hands over chunks the stream had buffered after the web side was cancelled (a reader
 * that took a prefix, a client gone), and that throws "Controller is already closed" outside any
 * request, an uncaught exception. Cancelling here destroys the Node stream, and a late chunk is dropped.
 */
export function webBody(stream: Readable): ReadableStream<Uint8Array> {
  const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
  let cancelled = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next: IteratorResult<Uint8Array> = await chunks.next();
        if (cancelled) return;
        if (next.done === true) controller.close();
        else controller.enqueue(next.value);
      },
      async cancel() {
        cancelled = true;
        stream.destroy();
        await chunks.return?.();
      },
    },
    { highWaterMark: 0 },
  );
}
