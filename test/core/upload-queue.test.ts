import { expect } from '@open-wc/testing';
import {
  cancelled,
  cancelledAll,
  emptyQueue,
  enqueue,
  failed,
  isComplete,
  milestone,
  nextQueued,
  progressed,
  removed,
  results,
  retried,
  started,
  succeeded,
  totals,
  type UploadQueue,
} from '../../src/core/upload-queue.ts';

type F = { name: string; size: number };
const files: F[] = [
  { name: 'a.txt', size: 100 },
  { name: 'b.txt', size: 300 },
];

function queueOf(): UploadQueue<F, string> {
  return enqueue(emptyQueue<F, string>(), files);
}

describe('upload queue', () => {
  it('queues files in order with stable ids', () => {
    const queue = enqueue(queueOf(), [{ name: 'c.txt', size: 1 }]);
    expect(queue.items.map((item) => [item.id, item.name, item.status, item.sent])).to.deep.equal([
      [1, 'a.txt', 'queued', 0],
      [2, 'b.txt', 'queued', 0],
      [3, 'c.txt', 'queued', 0],
    ]);
    expect(nextQueued(queue)?.id).to.equal(1);
  });

  it('tracks progress that never goes back nor past the size, and totals over the files that count', () => {
    let queue = started(queueOf(), 1);
    queue = progressed(queue, 1, 60);
    queue = progressed(queue, 1, 40);
    queue = progressed(queue, 1, 500);
    expect(queue.items[0]!.sent).to.equal(100);
    expect(progressed(queue, 2, 10)).to.equal(queue, 'a queued file does not move');

    expect(totals(queue)).to.deep.equal({ sent: 100, bytes: 400, files: 2, done: 0, failed: 0, cancelled: 0, active: 2, fraction: 0.25 });
  });

  it('leaves failed and cancelled files out of the totals and results', () => {
    let queue = started(started(queueOf(), 1), 2);
    queue = succeeded(queue, 1, 'blob-a');
    queue = failed(queue, 2, 'Could not reach the companion.');
    expect(queue.items[1]).to.include({ status: 'failed', error: 'Could not reach the companion.' });
    expect(totals(queue)).to.include({ sent: 100, bytes: 100, files: 1, done: 1, failed: 1, active: 0, fraction: 1 });
    expect(results(queue)).to.deep.equal(['blob-a']);
    expect(isComplete(queue)).to.equal(true);
  });

  it('retries a failed or cancelled file from byte 0', () => {
    let queue = progressed(started(queueOf(), 2), 2, 200);
    queue = cancelled(queue, 2);
    expect(totals(queue).cancelled).to.equal(1);
    queue = retried(queue, 2);
    expect(queue.items[1]).to.deep.include({ status: 'queued', sent: 0 });
    expect(queue.items[1]!.error).to.equal(undefined);
    expect(retried(queue, 1)).to.equal(queue, 'a queued file is not retried');
  });

  it('cancels every active file at once, but not finished ones', () => {
    let queue = succeeded(started(queueOf(), 1), 1, 'blob-a');
    queue = cancelledAll(started(queue, 2));
    expect(queue.items.map((item) => item.status)).to.deep.equal(['done', 'cancelled']);
    expect(cancelled(queue, 1)).to.equal(queue);
  });

  it('removes a settled file but not one that is uploading', () => {
    let queue = started(queueOf(), 1);
    expect(removed(queue, 1)).to.equal(queue);
    queue = removed(failed(queue, 1, 'x'), 1);
    expect(queue.items.map((item) => item.name)).to.deep.equal(['b.txt']);
  });

  it('is not complete while files are active or when none is done', () => {
    expect(isComplete(queueOf())).to.equal(false);
    expect(isComplete(emptyQueue())).to.equal(false);
    expect(totals(emptyQueue()).fraction).to.equal(1);
  });

  it('announces progress at quarters only', () => {
    expect([0, 0.1, 0.25, 0.49, 0.5, 0.8, 0.999, 1, 1.2].map(milestone)).to.deep.equal([0, 0, 25, 25, 50, 75, 75, 100, 100]);
  });
});
