import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { v2 as webdav } from 'webdav-server';
import { startApacheWebdav, type ApacheWebdav } from '../../src/dev/apache-webdav.ts';

/** A WebDAV server for tests: its root URL, the folder it shares, and a way to change a password. */
export type TestWebdav = ApacheWebdav;

/** Who may sign in: Ada may change everything, Grace may only read the Archive folder. */
export const WEBDAV_USERS = {
  ada: { name: 'ada', password: 'analytical-engine' },
  grace: { name: 'grace', password: 'compiler-1952' },
} as const;

/** The folder of many files, for paging. */
export const MANY_FILES = 260;

/**
 * A folder whose items' ids are too long for the plain form: three nested names of 60 characters.
 * (item-ids.ts: a path longer than about 95 bytes gets a hashed id).
 */
export const DEEP_PATH = ['Deep', 'a'.repeat(59) + '1', 'Ünïcødé ' + 'b'.repeat(52), 'c'.repeat(59) + '3'] as const;

/** The realistic tree: what a person's WebDAV share looks like, with the corners a provider must get right. */
async function seedTree(root: string): Promise<void> {
  const file = async (path: string, content: string | Buffer, modified?: Date) => {
    const full = join(root, path);
    await mkdir(join(full, '..'), { recursive: true });
    await writeFile(full, content);
    if (modified) await utimes(full, modified, modified);
  };
  await file('README.md', '# Shared files\n\nEverything the team keeps.\n');
  await file('Documents/Résumé 2026.txt', 'Ada Lovelace — Résumé\nAnalyst, Analytical Engine, 1843.\n');
  await file('Documents/meeting notes.txt', 'Agenda: the Bernoulli numbers.\n');
  await file('Documents/build.log', 'compiled\n');
  await file('Documents/report.pdf', minimalPdf('Quarterly report'));
  await file('Photos/Lake.jpg', await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 30, g: 110, b: 180 } } }).jpeg({ quality: 80 }).toBuffer());
  await file('Photos/Logo.png', await sharp({ create: { width: 32, height: 32, channels: 4, background: { r: 240, g: 160, b: 20, alpha: 1 } } }).png().toBuffer());
  await file('Photos/Übersicht/Straße 1.txt', 'Eine Straße.\n');
  await file('Archive/old contract.txt', 'Signed in 1842.\n');
  await file([...DEEP_PATH, 'leaf.txt'].join('/'), 'At the bottom of a long path.\n');
  // Sizes fall as numbers rise and times are shuffled, so each order gives another first page.
  const base = Date.UTC(2025, 0, 1);
  for (let n = 1; n <= MANY_FILES; n++) {
    const name = `Many/file-${String(n).padStart(3, '0')}.txt`;
    await file(name, 'x'.repeat(MANY_FILES + 10 - n), new Date(base + ((n * 37) % MANY_FILES) * 60_000));
  }
}

/** A one-page PDF with a line of text, as a PDF reader opens it. */
function minimalPdf(text: string): Buffer {
  const stream = `BT /F1 18 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(body.length);
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** Apache httpd with mod_dav on 127.0.0.1, serving the tree above to Ada and Grace (read-only in Archive). */
export function startTestWebdav(): Promise<TestWebdav> {
  return startApacheWebdav({
    users: Object.values(WEBDAV_USERS),
    seed: seedTree,
    readOnly: [{ folder: 'Archive', writers: [WEBDAV_USERS.ada.name] }],
  });
}

/**
 * The npm package webdav-server (v2) on 127.0.0.1, in this process, sharing the same tree from a
 * temporary folder: a second implementation, which forgives and answers differently where Apache does
 * not. Grace may read everything and change nothing (its path rights are inherited by every folder).
 */
export async function startNodeWebdav(): Promise<TestWebdav> {
  const root = await mkdtemp(join(tmpdir(), 'fs-webdav-server-'));
  await seedTree(root);
  const users = new webdav.SimpleUserManager();
  const privileges = new webdav.SimplePathPrivilegeManager();
  privileges.setRights(users.addUser(WEBDAV_USERS.ada.name, WEBDAV_USERS.ada.password), '/', ['all']);
  privileges.setRights(users.addUser(WEBDAV_USERS.grace.name, WEBDAV_USERS.grace.password), '/', ['canRead']);
  const server = new webdav.WebDAVServer({
    hostname: '127.0.0.1',
    port: 0,
    httpAuthentication: new webdav.HTTPBasicAuthentication(users, 'fs-picker WebDAV'),
    privilegeManager: privileges,
    rootFileSystem: new webdav.PhysicalFileSystem(root),
  });
  const listening = await new Promise<{ address(): AddressInfo | string | null }>((resolve) => server.start((http) => resolve(http!)));
  return {
    url: `http://127.0.0.1:${(listening.address() as AddressInfo).port}/`,
    root,
    setPassword(name, password) {
      users.getUserByName(name, (error, user) => {
        if (error || !user) throw new Error(`no WebDAV user "${name}"`);
        user.password = password;
      });
    },
    async stop() {
      await server.stopAsync();
      await rm(root, { recursive: true, force: true });
    },
  };
}
