import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { INLINE_SAFE } from '../../companion/src/files/http.ts';
import { startCompanion, type CompanionHarness } from '../helpers/companion.ts';

let h: CompanionHarness;
before(async () => {
  h = await startCompanion();
});
after(() => h.close());

/** Mimetype strings built to look safe, or to hide a scripted type: case, parameters, spaces, lists. */
const DANGEROUS = ['text/html', 'image/svg+xml', 'application/xhtml+xml', 'text/xml', 'application/xml', 'text/javascript', 'application/javascript', 'text/xsl', 'multipart/x-mixed-replace'];
const SAFE = [...INLINE_SAFE];
const caseOf = (text: string, upper: boolean[]) => [...text].map((char, index) => (upper[index % upper.length] ? char.toUpperCase() : char)).join('');
const mimetype = fc
  .tuple(
    fc.array(fc.constantFrom(...DANGEROUS, ...SAFE), { minLength: 1, maxLength: 3 }),
    fc.constantFrom(', ', ',', ';', ' ; ', '; charset=utf-8, ', ' '),
    fc.constantFrom('', '; charset=utf-8', ';x=text/html', ' ', '\t', '; q=1'),
    fc.array(fc.boolean(), { minLength: 1, maxLength: 5 }),
  )
  .map(([types, joint, tail, upper]) => caseOf(types.join(joint) + tail, upper));

test('a stored file is shown inline only when what the browser reads as its type is a safe one, whatever the mimetype string', async () => {
  await fc.assert(
    fc.asyncProperty(mimetype, async (type) => {
      const stored = await h.call(`/api/store?filename=f.bin&mimetype=${encodeURIComponent(type)}`, { method: 'POST', body: '<script>alert(1)</script>' });
      if (stored.status !== 200) return assert.equal(stored.status, 400, `${type}: ${stored.status}`);
      const { blob } = (await stored.json()) as { blob: { handle: string } };
      const served = await h.app.request(`/api/file/${blob.handle}?dl=false`);
      await served.body?.cancel();
      const disposition = served.headers.get('Content-Disposition') ?? '';
      const contentType = served.headers.get('Content-Type') ?? '';
      // What a browser takes as the type: the essence before any parameter, in lower case.
      const essence = contentType.split(';')[0]!.trim().toLowerCase();
      assert.equal(served.headers.get('X-Content-Type-Options'), 'nosniff', type);
      if (disposition.startsWith('inline')) assert.ok(INLINE_SAFE.has(essence), `${JSON.stringify(type)} served inline as ${JSON.stringify(contentType)}`);
      if (DANGEROUS.some((danger) => essence.includes(danger))) assert.match(disposition, /^attachment/, `${JSON.stringify(type)} is a download`);
    }),
    { numRuns: 300, includeErrorInReport: true },
  );
});
