import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runLoad } from '../../bench/load.ts';

// The 10-second version of `npm run bench:load`: the figures are the benchmark's to judge; here, under
// 200 clients at once, every answer must be a 2xx, with no reset, timeout or crash of the companion.
test('200 clients for 10 s, listing, picking, downloading and loading thumbnails: not one error', async () => {
  const result = await runLoad({ durationS: 10, connections: 200, warmupS: 0 });
  assert.deepEqual(result.statuses, {}, 'answers other than 2xx');
  assert.equal(result.errors, 0, 'connection errors or timeouts');
  assert.ok(result.requests > 500, `only ${result.requests} requests were answered in 10 s`);
  assert.ok(result.rssMb.length >= 5, 'the companion answered its RSS samples throughout');
});
