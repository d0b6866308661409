import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FolderListing } from '../../src/protocol/browse.ts';
import type { RunningSandbox } from '../../src/sandbox/sandbox.ts';
import type { CompanionHarness } from '../helpers/companion.ts';
import { authorizeAtSandbox, CALLBACK, COMPANION_URL, companionRequest, OAUTH_APP, popupResult } from '../helpers/companion-auth.ts';
import { startTwoCompanions } from '../helpers/instances.ts';
import { startTestSandbox } from '../helpers/sandbox.ts';
import { startS3rver, type TestS3 } from '../helpers/s3rver.ts';

interface StoredBlob {
  url: string;
  handle: string;
  filename: string;
}

/*
 * One person's visit, with a load balancer that sends each request to either of two companions on one
 * database and one bucket (no sticky sessions): nothing one instance learned is missing on the other.
 */
describe('two instances behind a load balancer, one person', () => {
  let sandbox: RunningSandbox;
  let s3: TestS3;
  let a: CompanionHarness;
  let b: CompanionHarness;
  let close: () => Promise<void>;
  let session: string;
  before(async () => {
    sandbox = await startTestSandbox({ identity: {} });
    sandbox.identity.registerClient({ ...OAUTH_APP, redirectUris: [CALLBACK] });
    s3 = await startS3rver();
    await s3.createBucket('shared-bucket');
    ({ a, b, close } = await startTwoCompanions(
      { publicUrl: COMPANION_URL, alfresco: { repositoryUrl: sandbox.url, signIn: { type: 'oidc', issuer: sandbox.issuer }, oauthApp: OAUTH_APP }, storage: { s3: s3.config('shared-bucket') } },
      sandbox,
    ));
  });
  after(async () => {
    await close?.();
    await s3?.close();
    await sandbox?.close();
  });

  test('the popup starts on A and comes back to B: signed in, the session works on both', async () => {
    const callback = await authorizeAtSandbox(a);
    const result = await popupResult(await companionRequest(b, callback));
    assert.equal(result.data.message?.type, 'fs-picker:connected', result.html);
    session = result.data.message.session!;
    for (const instance of [a, b]) assert.equal((await instance.call('/api/session', { session })).status, 200);
  });

  test('a listing on B continues on A (the cursor), a pick on B gives a link A serves', async () => {
    const first = (await (await b.call('/api/alfresco/folders/-my-?pageSize=1', { session })).json()) as FolderListing;
    assert.ok(first.nextCursor, 'more than one page');
    const second = await a.call(`/api/alfresco/folders/-my-?pageSize=1&cursor=${encodeURIComponent(first.nextCursor)}`, { session });
    assert.equal(second.status, 200);
    const rest = (await second.json()) as FolderListing;
    assert.notEqual(rest.items[0]!.id, first.items[0]!.id);

    const all = (await (await b.call('/api/alfresco/folders/-my-', { session })).json()) as FolderListing;
    const file = all.items.find((item) => !item.isFolder)!;
    const picked = await b.call('/api/pick', { method: 'POST', session, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ itemIds: [file.id] }) });
    assert.equal(picked.status, 200);
    const { blobs } = (await picked.json()) as { blobs: StoredBlob[] };
    const served = await a.app.request(new URL(blobs[0]!.url).pathname);
    assert.equal(served.status, 200);
    assert.equal((await served.arrayBuffer()).byteLength, file.size);
  });

  test('a copy stored by B on the shared bucket is read, then removed, through A', async () => {
    const stored = await b.call('/api/store?filename=shared.txt&mimetype=text/plain&location=S3', { method: 'POST', body: 'stored on B, read on A' });
    assert.equal(stored.status, 200, await stored.clone().text());
    const { blob, handleTokens } = (await stored.json()) as { blob: StoredBlob & { key: string; container: string }; handleTokens: Record<string, string> };
    assert.equal(blob.container, 'shared-bucket');
    const path = new URL(blob.url).pathname;
    const read = await a.app.request(path);
    assert.equal(read.status, 200);
    assert.equal(await read.text(), 'stored on B, read on A');
    // The handle token B gave the page proves the remove on A.
    const removed = await a.call(`/api/file/${blob.handle}`, { method: 'DELETE', headers: { 'X-FS-Handle-Token': handleTokens[blob.handle]! } });
    assert.equal(removed.status, 204, await removed.clone().text());
    assert.equal((await b.app.request(path)).status, 404);
  });
});
