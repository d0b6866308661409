import assert from 'node:assert/strict';
import { FsError } from '../../src/protocol/index.ts';

/** Asserts that `run` throws FS_ERR_INVALID_OPTION with exactly this message and field. */
export function assertInvalid(run: () => unknown, message: string, field: string | undefined): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof FsError, `expected an FsError, got ${String(error)}`);
    assert.equal(error.code, 'FS_ERR_INVALID_OPTION');
    assert.equal(error.message, message);
    assert.equal(error.field, field);
    return true;
  });
}
