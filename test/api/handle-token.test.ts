import { expect } from '@open-wc/testing';
import { createClient, type FsClient } from '../../src/api/create-client.ts';
import { CompanionClient } from '../../src/api/transport/client.ts';
import { forgetHandleToken, handleTokenHeaders } from '../../src/api/transport/handle-tokens.ts';
import { pick as pickNodes } from '../../src/api/transport/pick.ts';
import { saveToRepository } from '../../src/api/transport/export.ts';
import { storeContent } from '../../src/api/transport/store.ts';
import { FsError } from '../../src/protocol/errors.ts';
import { HANDLE_TOKEN_HEADER } from '../../src/protocol/handle-token.ts';
import { stackSession, stackUrls, type StackUrls } from '../helpers/stack.ts';

/*
 * Issue 19: writing and removing need proof beyond the link and the key. The page that made a handle
 * holds its token (in the transport, never in the Blob) and the verbs send it themselves.
 */

async function failure(promise: Promise<unknown>): Promise<FsError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(outcome, 'expected the call to fail').to.be.instanceOf(FsError);
  return outcome as FsError;
}

describe('handle tokens in the browser', () => {
  let urls: StackUrls;
  let client: FsClient;

  before(async () => {
    urls = await stackUrls();
    client = createClient({ apiKey: urls.apiKey, server: urls.companion });
  });

  it('store then remove on one page works without signing in; the link and the key alone do not', async () => {
    const blob = await client.store(new Blob(['keep me'], { type: 'text/plain' }), { filename: 'token.txt' });
    const [, token] = Object.entries(handleTokenHeaders(client.companion, blob.handle))[0] ?? [];
    expect(token, 'the page keeps the token').to.be.a('string');
    expect(JSON.stringify(blob)).not.to.include(token!);
    expect(blob.url).not.to.include(token!);

    // Anyone else with the link and the public key: refused, and the file is still there.
    const bare = await fetch(`${blob.url}?key=${urls.apiKey}`, { method: 'DELETE' });
    expect(bare.status).to.equal(403);
    expect(((await bare.json()) as { error: { code: string } }).error.code).to.equal('FS_ERR_HANDLE_PROOF');
    expect(await client.read(blob)).to.equal('keep me');

    await client.write(blob, 'changed by its page');
    expect(await client.read(blob)).to.equal('changed by its page');
    await client.remove(blob);
    const gone = await failure(client.read(blob));
    expect(gone.code).to.equal('FS_ERR_NOT_FOUND');
    expect(handleTokenHeaders(client.companion, blob.handle)).to.deep.equal({});
  });

  it('a handle this page did not make: write and remove reject with FS_ERR_HANDLE_PROOF naming what is needed', async () => {
    const blob = await storeContent(client.companion, new Blob(['not yours']), { query: { filename: 'other.txt' } });
    forgetHandleToken(client.companion, blob.handle);

    const written = await failure(client.write(blob, 'defaced'));
    const removed = await failure(client.remove(blob));

    expect(written.code).to.equal('FS_ERR_HANDLE_PROOF');
    expect(written.message).to.include(HANDLE_TOKEN_HEADER);
    expect(removed.code).to.equal('FS_ERR_HANDLE_PROOF');
    expect(await client.read(blob)).to.equal('not yours');
  });

  it('pick (the picker’s call) then write through another client of the page: the pick’s token goes with it', async () => {
    const { session } = await stackSession('mjackson');
    const picker = new CompanionClient({ server: urls.companion, apiKey: urls.apiKey });
    const saved = await saveToRepository(picker, new Blob(['v1'], { type: 'text/plain' }), { session, folderId: '-my-', filename: `token-${Date.now()}.txt` });
    const { blobs } = await pickNodes(picker, { session, itemIds: [await nodeIdOf(picker, session, saved.filename)] });

    await client.write(blobs[0]!, 'v2 from the page');
    expect(await client.read(blobs[0]!)).to.equal('v2 from the page');
    // The export's own handle got a token too.
    expect(Object.keys(handleTokenHeaders(picker, saved.handle))).to.deep.equal([HANDLE_TOKEN_HEADER]);
  });
});

/** The node id of a file in My Files, listed through the companion. */
async function nodeIdOf(client: CompanionClient, session: string, filename: string): Promise<string> {
  const listing = (await (await client.fetch('/api/alfresco/folders/-my-', { session, query: { pageSize: 1000 } })).json()) as { items: Array<{ id: string; name: string }> };
  const item = listing.items.find((entry) => entry.name === filename);
  if (!item) throw new Error(`${filename} is not in My Files`);
  return item.id;
}
