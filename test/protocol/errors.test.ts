import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ERRORS, FsError } from '../../src/protocol/index.ts';

describe('FsError', () => {
  it('survives the trip through a JSON error body', () => {
    const error = new FsError('FS_ERR_INVALID_OPTION', 'pick: unknown option "maxsize"', { field: 'maxsize' });
    const body = JSON.parse(JSON.stringify(error.toBody())) as unknown;
    assert.deepEqual(body, { error: { code: 'FS_ERR_INVALID_OPTION', message: 'pick: unknown option "maxsize"', field: 'maxsize' } });

    const back = FsError.fromBody(body);
    assert.equal(back.code, 'FS_ERR_INVALID_OPTION');
    assert.equal(back.message, 'pick: unknown option "maxsize"');
    assert.equal(back.field, 'maxsize');
    assert.equal(back.status, 400);
  });

  it('leaves field out of the body when there is none', () => {
    assert.deepEqual(new FsError('FS_ERR_NOT_FOUND').toBody(), { error: { code: 'FS_ERR_NOT_FOUND', message: ERRORS.FS_ERR_NOT_FOUND.summary } });
  });

  it('turns an unexpected body into FS_ERR_UPSTREAM', () => {
    for (const body of [null, 'oops', { error: { code: 'NOPE', message: 'x' } }, { error: { code: 'FS_ERR_NOT_FOUND' } }]) {
      assert.equal(FsError.fromBody(body).code, 'FS_ERR_UPSTREAM');
    }
  });

  it('cuts a message from an answer that is longer than anyone can read, and fills in a blank one', () => {
    const long = FsError.fromBody({ error: { code: 'FS_ERR_UPSTREAM', message: 'x'.repeat(100_000) } });
    assert.equal(long.message, `${'x'.repeat(500)}…`);
    assert.equal(FsError.fromBody({ error: { code: 'FS_ERR_NOT_FOUND', message: '  ' } }).message, ERRORS.FS_ERR_NOT_FOUND.summary);
  });
});
