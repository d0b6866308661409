import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdir, mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import type { ConvertedBlob } from '../../src/protocol/convert.ts';
import { officeGate } from '../../companion/src/convert/document.ts';
import { officeIsolation } from '../../companion/src/convert/office-sandbox.ts';
import { startCompanion, type CompanionHarness } from '../helpers/companion.ts';

/*
 * LibreOffice under attack (issue 19): a document that links an outside resource makes no request; the
 * program gets none of the companion's environment and a fresh, link-blocking profile; the queue in
 * front of it is bounded (503 FS_ERR_BUSY with Retry-After) and a caller that goes away leaves it,
 * killing its LibreOffice when it was running. The environment and queue tests put a fake soffice on PATH.
 */

type Answer = { blob: ConvertedBlob } & { error: { code: string; message: string; field?: string } };

const run = promisify(execFile);
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

let h: CompanionHarness;
let dir: string;

async function store(bytes: Buffer | string, filename: string, mimetype: string): Promise<string> {
  const response = await h.call(`/api/store?filename=${encodeURIComponent(filename)}&mimetype=${encodeURIComponent(mimetype)}`, { method: 'POST', body: typeof bytes === 'string' ? bytes : new Uint8Array(bytes) });
  assert.equal(response.status, 200, await response.clone().text());
  return ((await response.json()) as Answer).blob.handle;
}

function convert(handle: string, signal?: AbortSignal): Promise<Response> {
  return h.call('/api/convert', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ handle, options: { format: 'pdf' } }), ...(signal ? { signal } : {}) });
}

/** An ODT whose only picture is linked from `url` (LibreOffice fetches such pictures while loading). */
async function odtLinking(url: string): Promise<Buffer> {
  const work = await mkdtemp(join(dir, 'odt-'));
  await mkdir(join(work, 'META-INF'));
  await writeFile(join(work, 'mimetype'), 'application/vnd.oasis.opendocument.text');
  await writeFile(
    join(work, 'content.xml'),
    `<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" office:version="1.2">
 <office:body><office:text>
  <text:p>Linked: <draw:frame draw:name="img" text:anchor-type="as-char" svg:width="2cm" svg:height="2cm"><draw:image xlink:href="${url}" xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"/></draw:frame></text:p>
 </office:text></office:body>
</office:document-content>
`,
  );
  await writeFile(
    join(work, 'META-INF', 'manifest.xml'),
    `<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
`,
  );
  // The mimetype entry first and uncompressed, as ODF wants.
  await run('zip', ['-X', '-0', '-q', 'doc.odt', 'mimetype'], { cwd: work });
  await run('zip', ['-X', '-q', '-r', 'doc.odt', 'content.xml', 'META-INF'], { cwd: work });
  return readFile(join(work, 'doc.odt'));
}

/** A fake soffice in its own folder: `body` is the shell script after the shebang. */
async function fakeSoffice(name: string, body: string): Promise<string> {
  const bin = join(dir, name);
  await mkdir(bin);
  await writeFile(join(bin, 'soffice'), `#!/bin/sh\n${body}\n`);
  await chmod(join(bin, 'soffice'), 0o755);
  return bin;
}

/** Runs `task` with PATH = `bin` first (the companion finds soffice on PATH at each conversion). */
async function withPath<T>(bin: string, task: () => Promise<T>): Promise<T> {
  const path = process.env.PATH;
  process.env.PATH = `${bin}:${path}`;
  try {
    return await task();
  } finally {
    process.env.PATH = path;
  }
}

async function until(check: () => Promise<boolean> | boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fs-convert-office-'));
  h = await startCompanion({ limits: { officeQueue: 1 } });
});
after(async () => {
  await h?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('LibreOffice is isolated', () => {
  test('a document linking an http resource on 127.0.0.1 converts, and the server receives no request', async () => {
    const requests: string[] = [];
    const server: Server = createServer((request, response) => {
      requests.push(`${request.method} ${request.url}`);
      response.writeHead(200, { 'Content-Type': 'image/png' }).end();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const handle = await store(await odtLinking(`http://127.0.0.1:${port}/tracker.png`), 'linked.odt', 'application/vnd.oasis.opendocument.text');
      const response = await convert(handle);
      const answer = (await response.json()) as Answer;
      assert.equal(response.status, 200, JSON.stringify(answer));
      assert.equal(answer.blob.mimetype, 'application/pdf');
      const pdf = Buffer.from(await (await h.app.request(new URL(answer.blob.url).pathname)).arrayBuffer());
      assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
      assert.deepEqual(requests, []);
    } finally {
      server.close();
    }
  });

  test('soffice gets PATH, HOME (its job folder) and LANG only, a fresh link-blocking profile, and (where possible) no network', async () => {
    const seen = join(dir, 'seen');
    await mkdir(seen);
    const bin = await fakeSoffice('env-soffice', `env > ${seen}/env\nprintf '%s\\n' "$@" > ${seen}/args\ncp "$HOME/profile/user/registrymodifications.xcu" ${seen}/profile.xcu\nreadlink /proc/self/ns/net > ${seen}/netns\nexit 3`);
    const handle = await store('not really a document', 'secret.docx', DOCX);
    process.env.FS_ENCRYPTION_KEY = 'companion-secret-key-material';
    process.env.AWS_SECRET_ACCESS_KEY = 'cloud-credential';
    try {
      const response = await withPath(bin, () => convert(handle));
      assert.equal(response.status, 500);
    } finally {
      delete process.env.FS_ENCRYPTION_KEY;
      delete process.env.AWS_SECRET_ACCESS_KEY;
    }
    const env = Object.fromEntries((await readFile(join(seen, 'env'), 'utf8')).trim().split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
    // sh adds PWD, SHLVL and _ itself.
    assert.deepEqual(Object.keys(env).filter((name) => !['PWD', 'SHLVL', '_', 'OLDPWD'].includes(name)).sort(), ['HOME', 'LANG', 'PATH']);
    assert.ok(!JSON.stringify(env).includes('companion-secret-key-material') && !JSON.stringify(env).includes('cloud-credential'));
    assert.match(env.HOME!, /fs-convert-/);
    const args = (await readFile(join(seen, 'args'), 'utf8')).split('\n');
    assert.ok(args.includes(`-env:UserInstallation=file://${env.HOME}/profile`), args.join(' '));
    const profile = await readFile(join(seen, 'profile.xcu'), 'utf8');
    assert.match(profile, /BlockUntrustedRefererLinks.*<value>true<\/value>/);
    assert.match(profile, /Office\.Writer\/Content\/Update"><prop oor:name="Link" oor:op="fuse"><value>0</);
    // The job folder (with its profile) is gone afterwards.
    assert.deepEqual((await readdir(tmpdir())).filter((name) => env.HOME!.endsWith(name)), []);
    if ((await officeIsolation()).isolation === 'network-namespace') {
      assert.notEqual((await readFile(join(seen, 'netns'), 'utf8')).trim(), await readlink('/proc/self/ns/net'), 'soffice ran in its own network namespace');
    }
  });
});

describe('The LibreOffice queue', () => {
  test('is bounded (503 FS_ERR_BUSY with Retry-After); a cancelled caller leaves it, and a running one’s soffice is killed', async () => {
    const pids = join(dir, 'pids');
    await mkdir(pids);
    // Records its pid and waits, as a LibreOffice stuck on a heavy document would.
    const bin = await fakeSoffice('slow-soffice', `echo $$ > ${pids}/$$\nexec sleep 60`);
    const handle = await store('slow', 'slow.docx', DOCX);
    await withPath(bin, async () => {
      const running = new AbortController();
      const waiting = new AbortController();
      const first = convert(handle, running.signal).catch((error: unknown) => error);
      await until(async () => (await readdir(pids)).length === 1, 'the first soffice to start');
      // With officeQueue 1 and one LibreOffice at a time on this machine (2 cores), one may wait...
      const limit = officeGate.load.running;
      const stopOthers = new AbortController();
      const others = Array.from({ length: limit - 1 }, () => convert(handle, stopOthers.signal).catch((error: unknown) => error));
      if (limit > 1) await until(async () => (await readdir(pids)).length === limit, 'all soffice to start');
      const second = convert(handle, waiting.signal).catch((error: unknown) => error);
      await until(() => officeGate.load.waiting === 1, 'the second to wait');
      // ...and the next is refused at once.
      const busy = await convert(handle);
      const answer = (await busy.json()) as Answer;
      assert.equal(busy.status, 503);
      assert.equal(answer.error.code, 'FS_ERR_BUSY');
      assert.match(answer.error.message, /LibreOffice is busy .*try again in 30 s/);
      assert.equal(busy.headers.get('Retry-After'), '30');

      // The waiting caller goes away: it leaves the queue, so there is room again.
      waiting.abort();
      await second;
      await until(() => officeGate.load.waiting === 0, 'the cancelled caller to leave the queue');

      // The running caller goes away: its soffice is killed and LibreOffice is free.
      const [pid] = (await readdir(pids)).map(Number);
      assert.ok(alive(pid!));
      running.abort();
      await first;
      await until(() => !alive(pid!), 'the cancelled soffice to be killed', 5000);
      await until(() => officeGate.load.running === limit - 1, 'the slot to be free');
      assert.equal((await readdir(pids)).length, limit, 'the cancelled waiting caller never started soffice');
      // The rest (only on machines with more cores) are stopped the same way.
      stopOthers.abort();
      await Promise.all(others);
    });
  });
});
