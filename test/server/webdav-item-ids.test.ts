/** WebDAV item ids: every path gets one the protocol accepts, and no id reaches outside the share. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ITEM_ID_PATTERN } from '../../src/protocol/index.ts';
import { decodeId, idOf, ROOT_ID, segmentHash } from '../../companion/src/providers/webdav/item-ids.ts';
import { pathOfHref, urlOf } from '../../companion/src/providers/webdav/urls.ts';

describe('WebDAV item ids', () => {
  test('a short path is its own id, and reads back', () => {
    const path = ['Documents', 'Résumé 2026.txt'];
    const id = idOf(path)!;
    assert.match(id, ITEM_ID_PATTERN);
    assert.deepEqual(decodeId(id), { kind: 'path', path });
    assert.equal(idOf([]), ROOT_ID);
    assert.deepEqual(decodeId(ROOT_ID), { kind: 'path', path: [] });
  });

  test('a long path keeps what fits and hashes the rest, within 128 characters', () => {
    const path = ['Projects', 'x'.repeat(70), 'Ünïcødé '.repeat(10), 'final report.pdf'];
    const id = idOf(path)!;
    assert.match(id, ITEM_ID_PATTERN);
    const decoded = decodeId(id);
    assert.equal(decoded?.kind, 'hashed');
    assert.ok(decoded?.kind === 'hashed');
    assert.deepEqual(decoded.prefix, path.slice(0, 2));
    assert.deepEqual(decoded.hashes, path.slice(2).map(segmentHash));
  });

  test('a path too deep even for hashes has no id', () => {
    assert.equal(idOf(Array.from({ length: 20 }, (_, n) => `folder ${n} ${'z'.repeat(20)}`)), undefined);
  });

  test('refuses ids that leave the root, or that no path of ours makes', () => {
    const encoded = (text: string) => `p${Buffer.from(text).toString('base64url')}`;
    for (const id of [encoded('../etc/passwd'), encoded('a/../../b'), encoded('a//b'), encoded('./a'), encoded('a/\0'), encoded('/a'), 'p!!', 'pQ=', 'x' + 'A'.repeat(8), `p${Buffer.from([0xff, 0xfe]).toString('base64url')}`, 'h', 'hAA']) {
      assert.equal(decodeId(id), undefined, id);
    }
  });
});

describe('WebDAV hrefs', () => {
  const root = new URL('https://cloud.example.com/remote.php/dav/files/ada/');

  test('are read by decoded segments, whatever the encoding or form', () => {
    assert.deepEqual(pathOfHref(root, '/remote.php/dav/files/ada/Photos/Caf%C3%A9%20%26%20Co.jpg'), ['Photos', 'Café & Co.jpg']);
    assert.deepEqual(pathOfHref(root, 'https://cloud.example.com/remote.php/dav/files/ada/Photos/'), ['Photos']);
    assert.deepEqual(pathOfHref(root, '/remote.php/dav/files/ada'), []);
    // Lower-case escapes (Apache's) and an escaped root segment mean the same path.
    assert.deepEqual(pathOfHref(new URL('http://127.0.0.1/r%C3%A9/'), '/r%c3%a9/R%c3%a9sum%c3%a9.txt'), ['Résumé.txt']);
  });

  test('outside the root, or leaving it, name nothing', () => {
    assert.equal(pathOfHref(root, '/remote.php/dav/files/bob/secret.txt'), undefined);
    assert.equal(pathOfHref(root, '/remote.php/dav/files/ada/%2e%2e/bob'), undefined);
  });

  test('are made back with every segment encoded', () => {
    assert.equal(urlOf(root, ['Photos', 'Café & Co #1?.jpg']).href, 'https://cloud.example.com/remote.php/dav/files/ada/Photos/Caf%C3%A9%20%26%20Co%20%231%3F.jpg');
    assert.equal(urlOf(root, ['Photos'], { collection: true }).href, 'https://cloud.example.com/remote.php/dav/files/ada/Photos/');
  });
});
