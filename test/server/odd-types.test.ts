import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { INLINE_SAFE } from '../../companion/src/files/http.ts';
import type { FolderListing } from '../../src/protocol/browse.ts';
import type { PickResponse } from '../../src/protocol/pick.ts';
import { startCompanion, type CompanionHarness } from '../helpers/companion.ts';
import { basic, CORE, startTestSandbox } from '../helpers/sandbox.ts';
import type { RunningSandbox } from '../../src/sandbox/sandbox.ts';

/*
 * Files picked from a source whose stored mimetype strings are odd, or built to hide a scripted type, and
 * thumbnails the source answers with such types: the companion never serves them as active content.
 * The same rule as test/server/serving-types.test.ts checks for stored files.
 */

const DANGEROUS = ['text/html', 'image/svg+xml', 'application/xhtml+xml', 'text/xml', 'application/xml', 'text/javascript', 'application/javascript', 'text/xsl', 'multipart/x-mixed-replace'];
const SAFE = [...INLINE_SAFE];
const caseOf = (text: string, upper: boolean[]) => [...text].map((char, index) => (upper[index % upper.length] ? char.toUpperCase() : char)).join('');
const mimetype = fc
  .tuple(
    fc.constantFrom('', ' ', '\t'),
    fc.array(fc.constantFrom(...DANGEROUS, ...SAFE), { minLength: 1, maxLength: 3 }),
    fc.constantFrom(', ', ',', ';', ' ; ', '; charset=utf-8, ', ' ', '; charset=x,'),
    fc.constantFrom('', '; charset=x', '; charset=utf-8', ';x=text/html', ' ', '\t', '; q=1', '; charset="utf-8"'),
    fc.array(fc.boolean(), { minLength: 1, maxLength: 5 }),
  )
  .map(([lead, types, joint, tail, upper]) => caseOf(lead + types.join(joint) + tail, upper));

/** What a browser takes as the type of an answer: one media type, lower case, with at most its charset. */
const ONE_TYPE = /^([a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+)(; ?charset="?[a-z0-9._:-]+"?)?$/i;

function assertNotActive(odd: string, headers: Headers, { image }: { image: boolean }): void {
  const contentType = headers.get('Content-Type') ?? '';
  const disposition = headers.get('Content-Disposition') ?? '';
  const label = `${JSON.stringify(odd)} served as ${JSON.stringify(contentType)}, ${JSON.stringify(disposition)}`;
  assert.equal(headers.get('X-Content-Type-Options'), 'nosniff', label);
  // One type only: a list ("text/plain, text/html") is read by browsers as its last valid member.
  const essence = ONE_TYPE.exec(contentType)?.[1]?.toLowerCase();
  assert.ok(essence !== undefined, `${label}: not one plain type`);
  const inline = !disposition.startsWith('attachment');
  if (inline) assert.ok(INLINE_SAFE.has(essence) && (!image || essence.startsWith('image/')), `${label}: inline`);
  if (DANGEROUS.includes(essence)) assert.match(disposition, /^attachment/, label);
}

let sandbox: RunningSandbox;
let proxy: Server;
let h: CompanionHarness;
let session: string;
/** What the proxy says the source's thumbnails are. */
let thumbnailType: string | undefined;

before(async () => {
  sandbox = await startTestSandbox();
  // In front of the sandbox: passes everything on, but answers thumbnails with `thumbnailType`, as a
  // misconfigured repository (or one whose renditions are SVG) would.
  const target = new URL(sandbox.url);
  proxy = createServer((incoming, outgoing) => {
    const forward = httpRequest({ host: target.hostname, port: target.port, path: incoming.url, method: incoming.method, headers: incoming.headers }, (answer) => {
      const headers = { ...answer.headers };
      if (thumbnailType !== undefined && incoming.url?.includes('/renditions/')) headers['content-type'] = thumbnailType;
      outgoing.writeHead(answer.statusCode ?? 502, headers);
      answer.pipe(outgoing);
    });
    incoming.pipe(forward);
  });
  proxy.listen(0, '127.0.0.1');
  await once(proxy, 'listening');
  h = await startCompanion({ alfresco: { repositoryUrl: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}` } }, sandbox);
  session = await h.connect('admin');
});
after(async () => {
  await h.close();
  proxy.close();
  await sandbox.close();
});

let made = 0;
/** A file in admin's My Files whose stored mimetype is `odd` (set in the sandbox's state: its REST API normalises types). */
async function fileWithType(odd: string): Promise<string> {
  const form = new FormData();
  form.set('filedata', new Blob(['<script>alert(document.domain)</script><svg onload="alert(1)"/>']), `odd-${made++}.bin`);
  const created = await fetch(`${sandbox.url}${CORE}/nodes/-my-/children`, { method: 'POST', headers: { Authorization: basic('admin') }, body: form });
  assert.equal(created.status, 201);
  const { id } = ((await created.json()) as { entry: { id: string } }).entry;
  sandbox.state.repository.get(id)!.content!.mimeType = odd;
  return id;
}

test('a picked file is never served inline as active content, whatever mimetype string its source holds', async () => {
  await fc.assert(
    fc.asyncProperty(mimetype, fc.boolean(), async (odd, asked) => {
      const id = await fileWithType(odd);
      const picked = await h.call('/api/pick', { method: 'POST', session, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ itemIds: [id] }) });
      assert.equal(picked.status, 200, await picked.clone().text());
      const { handle } = ((await picked.json()) as PickResponse).blobs[0]!;
      for (const method of ['GET', 'HEAD']) {
        const served = await h.app.request(`/api/file/${handle}${asked ? '?dl=false' : ''}`, { method });
        await served.body?.cancel();
        assert.equal(served.status, 200);
        assertNotActive(odd, served.headers, { image: false });
      }
    }),
    { numRuns: 120, includeErrorInReport: true },
  );
});

test('a thumbnail the source answers with an odd or active type is never served inline as one', async () => {
  const id = await fileWithType('image/png');
  const listing = await h.call(`/api/alfresco/folders/-my-?pageSize=1000`, { session });
  const item = ((await listing.json()) as FolderListing).items.find((entry) => entry.id === id);
  assert.ok(item?.thumbnailUrl, 'the file has a thumbnail');
  const path = new URL(item.thumbnailUrl, 'http://companion.test');
  try {
    await fc.assert(
      fc.asyncProperty(mimetype, async (odd) => {
        thumbnailType = odd;
        const served = await h.app.request(path.pathname + path.search, { headers: { Origin: 'https://app.example.com' } });
        await served.body?.cancel();
        assert.equal(served.status, 200);
        assertNotActive(odd, served.headers, { image: true });
      }),
      { numRuns: 120, includeErrorInReport: true },
    );
  } finally {
    thumbnailType = undefined;
  }
  // The control: a real PNG thumbnail is still an image for <img>.
  const plain = await h.app.request(path.pathname + path.search);
  await plain.body?.cancel();
  assert.equal(plain.headers.get('Content-Type'), 'image/png');
  assert.equal(plain.headers.get('Content-Disposition'), null);
});
