import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { apacheInstalled, APACHE_INSTALL, startApacheWebdav, type ApacheWebdav } from './apache-webdav.ts';

/** Who signs in to the local WebDAV server: the sandbox's own demo person, with the same password. */
export const DEMO_WEBDAV_USER = { name: 'mjackson', password: 'mjackson' };

/** What `npm start` says when it cannot offer WebDAV, with the command that fixes it. */
export const NO_WEBDAV = `WebDAV is not offered: Apache httpd is not installed. Install it with: ${APACHE_INSTALL}`;

/**
 * A local WebDAV source for `npm start` and the end-to-end tests: Apache httpd (mod_dav) on a loopback
 * port, sharing a small tree (a few documents and photos). Undefined when Apache is not installed.
 */
export async function startDemoWebdav(): Promise<ApacheWebdav | undefined> {
  if (!apacheInstalled()) return undefined;
  return startApacheWebdav({ users: [DEMO_WEBDAV_USER], seed: seedDemoTree });
}

async function seedDemoTree(root: string): Promise<void> {
  const photo = (background: string) => sharp({ create: { width: 640, height: 480, channels: 3, background } }).jpeg({ quality: 80 }).toBuffer();
  await mkdir(join(root, 'Documents'));
  await mkdir(join(root, 'Photos'));
  await mkdir(join(root, 'Shared with me'));
  await writeFile(join(root, 'Welcome.txt'), 'This folder is served by Apache httpd over WebDAV, for the fs-picker demo.\n');
  await writeFile(join(root, 'Documents', 'Meeting notes.txt'), 'Agenda: the picker, the companion, WebDAV and CMIS.\n');
  await writeFile(join(root, 'Documents', 'Budget 2027.csv'), 'item,amount\nservers,1200\nlicences,0\n');
  await writeFile(join(root, 'Photos', 'harbour.jpg'), await photo('#2c6e9b'));
  await writeFile(join(root, 'Photos', 'meadow.jpg'), await photo('#5b8c3a'));
  await writeFile(join(root, 'Photos', 'sunset.jpg'), await photo('#d9713a'));
}
