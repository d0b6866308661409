import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import type { Db } from '../../companion/src/db/database.ts';
import { PeriodicJob } from '../../companion/src/jobs/periodic-job.ts';
import { onPostgres, openTestDatabase } from '../helpers/test-database.ts';

/** Two instances' copies of one housekeeping job on one database. */
describe('periodic jobs run on one instance at a time', () => {
  let db: Db;
  before(async () => {
    db = await openTestDatabase();
  });
  after(async () => {
    await db.destroy();
  });

  const job = (name: string, run: () => Promise<number>) => new PeriodicJob({ run, everyMs: 3_600_000, logger: pino({ level: 'silent' }), failure: 'failed', lock: { db, name } });

  test(onPostgres ? 'while one instance runs a job, the other skips it; once it is done, the other runs it' : 'on SQLite (one machine) each run runs', async () => {
    let release: (() => void) | undefined;
    const first = job('sweep', () => new Promise<number>((resolve) => (release = () => resolve(7))));
    let secondRuns = 0;
    const second = job('sweep', async () => ++secondRuns);
    const running = first.runNow();
    await until(() => release !== undefined);
    const meanwhile = await second.runNow();
    if (onPostgres) assert.deepEqual([meanwhile, secondRuns], [0, 0], 'the second instance did not run the job');
    else assert.deepEqual([meanwhile, secondRuns], [1, 1]);
    release!();
    assert.equal(await running, 7);
    assert.equal(await second.runNow(), onPostgres ? 1 : 2, 'after the first finished, the second runs it');
    // Another job's name is another lock.
    const other = job('another sweep', async () => 3);
    release = undefined;
    const held = first.runNow();
    await until(() => release !== undefined);
    assert.equal(await other.runNow(), 3);
    release!();
    await held;
  });

  test('a job that throws lets go of its hold: the next run, on any instance, runs', async () => {
    const failing = job('failing sweep', async () => {
      throw new Error('storage unreachable');
    });
    await assert.rejects(failing.runNow(), /storage unreachable/);
    assert.equal(await job('failing sweep', async () => 5).runNow(), 5);
  });
});

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
