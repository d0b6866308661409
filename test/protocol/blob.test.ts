import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as v from 'valibot';
import { BlobSchema, fileUrl, toHandle, type FsBlob } from '../../src/protocol/index.ts';
import { assertInvalid } from './assert-invalid.ts';

const blob: FsBlob = {
  url: 'http://localhost:3030/api/file/h4nDl3_x',
  filename: 'report.pdf',
  mimetype: 'application/pdf',
  size: 1234,
  path: '/Company Home/Sites/swsdp/documentLibrary/report.pdf',
  client: 'Alfresco',
  id: 0,
  isWriteable: true,
  handle: 'h4nDl3_x',
  source: 'ALFRESCO',
};

describe('BlobSchema', () => {
  it('accepts a Blob and drops fields it does not know', () => {
    assert.deepEqual(v.parse(BlobSchema, { ...blob, futureField: 1 }), blob);
  });

  it('refuses a Blob with a bad handle or source', () => {
    assert.equal(v.safeParse(BlobSchema, { ...blob, handle: '../etc' }).success, false);
    assert.equal(v.safeParse(BlobSchema, { ...blob, source: 'DROPBOX' }).success, false);
    assert.equal(v.safeParse(BlobSchema, { ...blob, size: -1 }).success, false);
  });
});

describe('toHandle', () => {
  it('takes a Blob, a companion file URL or a bare handle', () => {
    assert.equal(toHandle(blob), 'h4nDl3_x');
    assert.equal(toHandle('https://companion.example/api/file/h4nDl3_x'), 'h4nDl3_x');
    assert.equal(toHandle('https://companion.example/base/api/file/h4nDl3_x?dl=1#x'), 'h4nDl3_x');
    assert.equal(toHandle('/api/file/h4nDl3_x'), 'h4nDl3_x');
    assert.equal(toHandle('h4nDl3_x'), 'h4nDl3_x');
  });

  it('reads the url of a v2-style Blob that has no handle', () => {
    assert.equal(toHandle({ url: 'https://companion.example/api/file/abc' } as FsBlob), 'abc');
  });

  it('round-trips with fileUrl', () => {
    assert.equal(fileUrl('https://companion.example/', 'abc'), 'https://companion.example/api/file/abc');
    assert.equal(toHandle(fileUrl('https://companion.example', 'abc')), 'abc');
  });

  it('refuses anything else, saying what it got', () => {
    const expected = 'a Blob, a companion file URL (…/api/file/HANDLE) or a file handle';
    assertInvalid(() => toHandle(''), `expected ${expected}, got ""`, 'input');
    assertInvalid(() => toHandle('not a handle'), `expected ${expected}, got "not a handle"`, 'input');
    assertInvalid(() => toHandle(42 as unknown as string, 'stat'), `stat: expected ${expected}, got 42`, 'input');
    assertInvalid(
      () => toHandle('https://example.com/photo.png', 'convert'),
      'convert: "https://example.com/photo.png" is not a companion file URL (…/api/file/HANDLE); to use a file from elsewhere, store it first with storeUrl',
      'input',
    );
    assertInvalid(
      () => toHandle('https://companion.example/api/file/..'),
      '"https://companion.example/api/file/.." is not a companion file URL (…/api/file/HANDLE); to use a file from elsewhere, store it first with storeUrl',
      'input',
    );
    assertInvalid(
      () => toHandle({ filename: 'x' } as FsBlob),
      'the Blob has neither a valid "handle" nor a companion file "url" (…/api/file/HANDLE)',
      'input',
    );
  });
});
