import { expect } from '@open-wc/testing';
import { CompanionClient } from '../../../src/api/transport/client.ts';
import { pick } from '../../../src/api/transport/pick.ts';
import { storeFile } from '../../../src/api/transport/store.ts';
import { storeUrl } from '../../../src/api/transport/store-url.ts';
import type { BrowseItem, BrowseLocation } from '../../../src/protocol/browse.ts';
import { FsError } from '../../../src/protocol/errors.ts';
import { stackSession, stackUrls, type StackSession } from '../../helpers/stack.ts';

describe('pick, storeFile and storeUrl against the real companion', () => {
  let client: CompanionClient;
  let signedIn: StackSession;
  let folder: BrowseItem;
  let files: BrowseItem[];

  before(async () => {
    const { companion, apiKey } = await stackUrls();
    client = new CompanionClient({ server: companion, apiKey });
    signedIn = await stackSession('mjackson');
    const session = signedIn.session;
    const { locations } = (await (await client.fetch('/api/alfresco/locations', { session })).json()) as { locations: BrowseLocation[] };
    const library = locations.find((location) => location.siteId === 'swsdp')!.id;
    const list = async (id: string) => ((await (await client.fetch(`/api/alfresco/folders/${id}`, { session, query: { pageSize: 1000 } })).json()) as { items: BrowseItem[] }).items;
    const agency = (await list(library)).find((item) => item.name === 'Agency Files')!;
    folder = (await list(agency.id)).find((item) => item.name === 'Images')!;
    files = (await list(folder.id)).filter((item) => !item.isFolder);
  });

  it('picks files as plain JSON', async () => {
    const { blobs, truncated } = await pick(client, { session: signedIn.session, itemIds: [files[0]!.id, files[1]!.id] });
    expect(truncated).to.equal(false);
    expect(blobs.map((blob) => blob.filename)).to.deep.equal([files[0]!.name, files[1]!.name]);
  });

  it('expands a folder with NDJSON progress, honouring accept and maxFiles', async () => {
    const progress: Array<{ found: number; scanned: number }> = [];
    const { blobs, truncated } = await pick(client, {
      session: signedIn.session,
      itemIds: [folder.id],
      accept: ['image/png'],
      maxFiles: 2,
      onProgress: (line) => progress.push(line),
    });

    expect(progress[0]).to.deep.equal({ found: 0, scanned: 0 });
    expect(blobs).to.have.length(2);
    expect(blobs.every((blob) => blob.mimetype === 'image/png')).to.equal(true);
    expect(truncated).to.equal(true);
  });

  it('turns a refusal into an FsError', async () => {
    const error = await pick(client, { session: 'not-a-session', itemIds: [files[0]!.id] }).catch((reason: unknown) => reason);
    expect(error).to.be.instanceOf(FsError);
    expect(['FS_ERR_NOT_CONNECTED', 'FS_ERR_RECONNECT']).to.include((error as FsError).code);
  });

  it('stores a local file with upload progress; the link gives the bytes back', async () => {
    const file = new File(['hello, companion'], 'hello.txt', { type: 'text/plain' });
    const seen: number[] = [];
    const blob = await storeFile(client, file, { onProgress: (sent) => seen.push(sent) });

    expect(blob).to.include({ filename: 'hello.txt', mimetype: 'text/plain', size: file.size, client: 'Computer', source: 'COMPUTER' });
    expect(seen.at(-1)).to.equal(file.size);
    expect(await (await fetch(blob.url)).text()).to.equal('hello, companion');
  });

  it('refuses a file larger than maxSize with FS_ERR_TOO_LARGE', async () => {
    const error = await storeFile(client, new File([new Uint8Array(4096)], 'big.bin'), { maxSize: 1024 }).catch((reason: unknown) => reason);
    expect((error as FsError).code).to.equal('FS_ERR_TOO_LARGE');
  });

  it('storeUrl: the dev app refuses loopback addresses', async () => {
    const error = await storeUrl(client, 'http://127.0.0.1:9/x').catch((reason: unknown) => reason);
    expect((error as FsError).code).to.equal('FS_ERR_URL_REFUSED');
    expect((error as FsError).field).to.equal('url');
  });
});
