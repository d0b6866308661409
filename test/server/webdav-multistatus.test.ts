/**
 * Reading PROPFIND answers as servers really write them: Apache mod_dav's (captured from Debian's
 * apache2 2.4 answering the provider's own PROPFIND), Nextcloud's `d:` with its own namespaces, and a
 * default namespace with no prefix at all.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MultistatusError, parseMultistatus } from '../../companion/src/providers/webdav/multistatus.ts';

/** Apache 2.4.71 (Debian), Depth: 1 on the root; what it does not keep comes back in a 404 propstat. */
const APACHE = `<?xml version="1.0" encoding="utf-8"?>
<D:multistatus xmlns:D="DAV:" xmlns:ns0="DAV:">
<D:response xmlns:lp1="DAV:" xmlns:lp2="http://apache.org/dav/props/" xmlns:g0="DAV:">
<D:href>/</D:href>
<D:propstat>
<D:prop>
<lp1:resourcetype><D:collection/></lp1:resourcetype>
<D:getcontenttype>httpd/unix-directory</D:getcontenttype>
<lp1:getlastmodified>Mon, 07 Dec 2026 23:44:52 GMT</lp1:getlastmodified>
<lp1:getetag>W/"1000-66213cff08d28"</lp1:getetag>
</D:prop>
<D:status>HTTP/1.1 200 OK</D:status>
</D:propstat>
<D:propstat>
<D:prop>
<g0:displayname/>
<g0:getcontentlength/>
<g0:current-user-privilege-set/>
</D:prop>
<D:status>HTTP/1.1 404 Not Found</D:status>
</D:propstat>
</D:response>
<D:response xmlns:lp1="DAV:" xmlns:lp2="http://apache.org/dav/props/" xmlns:g0="DAV:">
<D:href>/R%c3%a9sum%c3%a9%202026.txt</D:href>
<D:propstat>
<D:prop>
<lp1:resourcetype/>
<lp1:getcontentlength>5</lp1:getcontentlength>
<D:getcontenttype>text/plain</D:getcontenttype>
<lp1:getlastmodified>Mon, 07 Dec 2026 23:44:52 GMT</lp1:getlastmodified>
<lp1:getetag>W/"5-66213cff08d28"</lp1:getetag>
</D:prop>
<D:status>HTTP/1.1 200 OK</D:status>
</D:propstat>
<D:propstat>
<D:prop>
<g0:displayname/>
<g0:current-user-privilege-set/>
</D:prop>
<D:status>HTTP/1.1 404 Not Found</D:status>
</D:propstat>
</D:response>
<D:response xmlns:lp1="DAV:" xmlns:lp2="http://apache.org/dav/props/" xmlns:g0="DAV:">
<D:href>/build.log</D:href>
<D:propstat>
<D:prop>
<lp1:resourcetype/>
<lp1:getcontentlength>9</lp1:getcontentlength>
<lp1:getlastmodified>Mon, 07 Dec 2026 23:44:52 GMT</lp1:getlastmodified>
<lp1:getetag>"9-66213cff08d28"</lp1:getetag>
</D:prop>
<D:status>HTTP/1.1 200 OK</D:status>
</D:propstat>
</D:response>
</D:multistatus>
`;

/** Nextcloud (SabreDAV) under /remote.php/dav/files/ada/: lower-case `d:`, its own `oc:` and `nc:` properties, ACL privileges. */
const NEXTCLOUD = `<?xml version="1.0"?>
<d:multistatus xmlns:d="DAV:" xmlns:s="http://sabredav.org/ns" xmlns:oc="http://owncloud.org/ns" xmlns:nc="http://nextcloud.org/ns">
 <d:response>
  <d:href>/remote.php/dav/files/ada/Photos/</d:href>
  <d:propstat>
   <d:prop>
    <d:resourcetype><d:collection/></d:resourcetype>
    <d:displayname>Photos</d:displayname>
    <d:getlastmodified>Tue, 03 Mar 2026 10:15:00 GMT</d:getlastmodified>
    <d:getetag>&quot;65e44c14b2f1a&quot;</d:getetag>
    <d:current-user-privilege-set>
     <d:privilege><d:read/></d:privilege>
     <d:privilege><d:write/></d:privilege>
     <d:privilege><d:all/></d:privilege>
    </d:current-user-privilege-set>
   </d:prop>
   <d:status>HTTP/1.1 200 OK</d:status>
  </d:propstat>
  <d:propstat>
   <d:prop><d:getcontentlength/><d:getcontenttype/></d:prop>
   <d:status>HTTP/1.1 404 Not Found</d:status>
  </d:propstat>
 </d:response>
 <d:response>
  <d:href>/remote.php/dav/files/ada/Photos/Caf%C3%A9%20%26%20Co.jpg</d:href>
  <d:propstat>
   <d:prop>
    <d:resourcetype/>
    <d:displayname>Café &amp; Co.jpg</d:displayname>
    <d:getcontentlength>48213</d:getcontentlength>
    <d:getcontenttype>image/jpeg</d:getcontenttype>
    <d:getlastmodified>Tue, 03 Mar 2026 10:14:59 GMT</d:getlastmodified>
    <d:getetag>&quot;b1946ac92492d2347c6235b4d2611184&quot;</d:getetag>
    <oc:getetag>not the DAV: one</oc:getetag>
    <d:current-user-privilege-set>
     <d:privilege><d:read/></d:privilege>
    </d:current-user-privilege-set>
   </d:prop>
   <d:status>HTTP/1.1 200 OK</d:status>
  </d:propstat>
 </d:response>
</d:multistatus>`;

/** No prefix: DAV: is the default namespace (IIS and some Java servers write it so), with an href as a whole URL. */
const DEFAULT_NAMESPACE = `<?xml version="1.0" encoding="utf-8"?>
<multistatus xmlns="DAV:">
  <response>
    <href>https://files.example.com/dav/Reports/</href>
    <propstat><prop><resourcetype><collection/></resourcetype><getlastmodified>Wed, 01 Apr 2026 08:00:00 GMT</getlastmodified></prop><status>HTTP/1.1 200 OK</status></propstat>
  </response>
  <response>
    <href>https://files.example.com/dav/Reports/q1.pdf</href>
    <propstat><prop><resourcetype/><getcontentlength>1024</getcontentlength></prop><status>HTTP/1.1 200 OK</status></propstat>
    <propstat xmlns:x="urn:example"><prop><x:getcontentlength>9999</x:getcontentlength></prop><status>HTTP/1.1 200 OK</status></propstat>
  </response>
</multistatus>`;

describe('parseMultistatus', () => {
  test("reads Apache's answer, percent-encoded hrefs and 404 propstats included", () => {
    assert.deepEqual(parseMultistatus(APACHE), [
      { href: '/', isCollection: true, contentType: 'httpd/unix-directory', lastModified: 'Mon, 07 Dec 2026 23:44:52 GMT', etag: 'W/"1000-66213cff08d28"' },
      { href: '/R%c3%a9sum%c3%a9%202026.txt', isCollection: false, contentLength: 5, contentType: 'text/plain', lastModified: 'Mon, 07 Dec 2026 23:44:52 GMT', etag: 'W/"5-66213cff08d28"' },
      // No getcontenttype: Debian's mime.types does not know .log.
      { href: '/build.log', isCollection: false, contentLength: 9, lastModified: 'Mon, 07 Dec 2026 23:44:52 GMT', etag: '"9-66213cff08d28"' },
    ]);
  });

  test("reads Nextcloud's d: prefix, entities and privileges, and leaves other namespaces' properties alone", () => {
    const [folder, photo] = parseMultistatus(NEXTCLOUD);
    assert.deepEqual(folder, {
      href: '/remote.php/dav/files/ada/Photos/',
      isCollection: true,
      displayName: 'Photos',
      lastModified: 'Tue, 03 Mar 2026 10:15:00 GMT',
      etag: '"65e44c14b2f1a"',
      privileges: ['read', 'write', 'all'],
    });
    assert.equal(photo?.displayName, 'Café & Co.jpg');
    assert.equal(photo?.etag, '"b1946ac92492d2347c6235b4d2611184"');
    assert.deepEqual(photo?.privileges, ['read']);
    assert.equal(photo?.contentLength, 48213);
  });

  test('reads DAV: as the default namespace, and tells a same-named property of another namespace apart', () => {
    const [folder, report] = parseMultistatus(DEFAULT_NAMESPACE);
    assert.deepEqual(folder, { href: 'https://files.example.com/dav/Reports/', isCollection: true, lastModified: 'Wed, 01 Apr 2026 08:00:00 GMT' });
    assert.deepEqual(report, { href: 'https://files.example.com/dav/Reports/q1.pdf', isCollection: false, contentLength: 1024 });
  });

  test('refuses what is not a multistatus: HTML, broken XML, another root element, a DOCTYPE', () => {
    for (const body of [
      '<html><body>Login</body></html>',
      '<D:multistatus xmlns:D="DAV:"><D:response>',
      '<D:prop xmlns:D="DAV:"/>',
      // A multistatus of another namespace is not DAV's.
      '<multistatus xmlns="urn:other"/>',
      '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaaaaaa">]><D:multistatus xmlns:D="DAV:">&a;</D:multistatus>',
    ]) {
      assert.throws(() => parseMultistatus(body), MultistatusError, body);
    }
  });
});
