import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { BUDGET_FILE, measureBundle, type SizeBudget } from '../../bench/size-measure.ts';

/**
 * The size regression guard: what a page loads up front to open the picker (src/define.ts with its
 * static imports and CSS, min+gzip) stays within the budget checked into bench/size-budget.json. Built
 * the way `npm run bench:size` builds it (bench/size-measure.ts), so the two always agree.
 */
test('the picker’s open path stays within its gzip budget', async () => {
  const budget = JSON.parse(await readFile(BUDGET_FILE, 'utf8')) as SizeBudget;
  const size = await measureBundle(budget.entry);
  const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
  assert.ok(
    size.initial.gzip <= budget.initialGzipBytes,
    `${budget.entry} loads ${kb(size.initial.gzip)} min+gzip up front, over the budget of ${kb(budget.initialGzipBytes)} in bench/size-budget.json: ` +
      'move what opening does not need behind import(), or raise the budget on purpose.',
  );
});
