import sharp from 'sharp';
import type { Provider } from '../../companion/src/providers/provider.ts';
import { memoryProvider, type MemoryNode } from '../fixtures/memory-provider.ts';
import { CMIS_BROWSER_BASE } from './cmis.ts';
import { basic, CORE, startTestSandbox } from './sandbox.ts';
import { startNodeWebdav, startTestWebdav, WEBDAV_USERS, type TestWebdav } from './webdav.ts';

/** One entry of the tree every source is seeded with: a folder, or a file and its bytes. */
export type ContractEntry = { name: string; folder: true } | { name: string; folder?: false; bytes: Buffer };

/**
 * What the provider contract (test/server/provider-contract.test.ts) browses in every source: two
 * folders, twelve text files of growing size and two real images, in a folder of their own.
 */
export async function contractTree(): Promise<ContractEntry[]> {
  const image = (format: 'jpeg' | 'png', background: string) => sharp({ create: { width: 16, height: 12, channels: 3, background } })[format]().toBuffer();
  const texts = Array.from({ length: 12 }, (_, index) => {
    const n = String(index + 1).padStart(2, '0');
    return { name: `file-${n}.txt`, bytes: Buffer.from(`contract file ${n}\n`.repeat(index + 1)) };
  });
  return [{ name: 'Alpha', folder: true }, { name: 'Beta', folder: true }, ...texts, { name: 'photo.jpg', bytes: await image('jpeg', '#c33') }, { name: 'diagram.png', bytes: await image('png', '#36c') }];
}

/** A source as the contract needs it: running, with the person who signs in and a way to look inside it. */
export interface RunningSource {
  /** The service id (ALFRESCO, WEBDAV, CMIS, MEMORY). */
  id: string;
  /** Providers to register besides the built-in ones. */
  providers: Provider[];
  /** The Alfresco repository of the companion's configuration (a sandbox, or nothing that answers). */
  alfrescoUrl: string;
  /** What the app needs to offer this source (`webdav: { url }`, …). */
  app: Record<string, unknown>;
  username: string;
  password: string;
  /** The source has no tokens, so the companion keeps the password as the grant. */
  keepsPassword: boolean;
  /** Makes `folder`, holding `entries`, in the folder the person starts in (`-my-`). */
  seed(folder: string, entries: ContractEntry[]): Promise<void>;
  /** A file's bytes in `folder`, read at the source itself, not through the companion. */
  read(folder: string, name: string): Promise<Buffer>;
  /** An id of this source's shape that names nothing. */
  missingId: string;
  close(): Promise<void>;
}

export interface ContractSource {
  label: string;
  start(): Promise<RunningSource>;
}

/**
 * The sandbox, seeded and read through its REST API in mjackson's My Files: browsed as Alfresco, or
 * through its CMIS 1.1 browser binding (the same repository, as Alfresco serves both).
 */
function sandboxSource(label: string, through: 'ALFRESCO' | 'CMIS'): ContractSource {
  return {
    label,
    async start() {
      const sandbox = await startTestSandbox();
      const auth = { Authorization: basic('mjackson') };
      const core = `${sandbox.url}${CORE}`;
      const nodeAt = async (path: string) => {
        const response = await fetch(`${core}/nodes/-my-?relativePath=${encodeURIComponent(path)}`, { headers: auth });
        if (!response.ok) throw new Error(`no node at ${path}: ${response.status}`);
        return ((await response.json()) as { entry: { id: string } }).entry.id;
      };
      const create = async (parent: string, entry: ContractEntry) => {
        let body: FormData | string;
        if (entry.folder) body = JSON.stringify({ name: entry.name, nodeType: 'cm:folder' });
        else {
          body = new FormData();
          body.append('filedata', new Blob([new Uint8Array(entry.bytes)]), entry.name);
          body.append('name', entry.name);
        }
        const headers = entry.folder ? { ...auth, 'Content-Type': 'application/json' } : auth;
        const response = await fetch(`${core}/nodes/${parent}/children`, { method: 'POST', headers, body });
        if (response.status !== 201) throw new Error(`could not make ${entry.name}: ${response.status} ${await response.text()}`);
        return ((await response.json()) as { entry: { id: string } }).entry.id;
      };
      return {
        id: through,
        providers: [],
        alfrescoUrl: sandbox.url,
        app: through === 'CMIS' ? { cmis: { url: `${sandbox.url}${CMIS_BROWSER_BASE}` } } : {},
        username: 'mjackson',
        password: 'mjackson',
        keepsPassword: through === 'CMIS',
        async seed(folder, entries) {
          const parent = await create('-my-', { name: folder, folder: true });
          for (const entry of entries) await create(parent, entry);
        },
        async read(folder, name) {
          const response = await fetch(`${core}/nodes/${await nodeAt(`${folder}/${name}`)}/content`, { headers: auth });
          return Buffer.from(await response.arrayBuffer());
        },
        // A node id that names nothing; as CMIS, the provider's encoding of one (base64url of the id).
        missingId: through === 'CMIS' ? Buffer.from('0c9f4a55-0000-4000-8000-00000000dead').toString('base64url') : '0c9f4a55-0000-4000-8000-00000000dead',
        close: () => sandbox.close(),
      };
    },
  };
}

export const alfrescoSource = sandboxSource('Alfresco (the sandbox)', 'ALFRESCO');
export const cmisSource = sandboxSource('CMIS 1.1 browser binding (the sandbox)', 'CMIS');

/** The test-only provider over a tree in memory: the seam as nothing but the interface. */
export const memorySource: ContractSource = {
  label: 'the in-memory test provider',
  async start() {
    const memory = memoryProvider({ root: { name: 'Everything', parent: undefined, version: 1 } });
    let made = 0;
    const idIn = (parent: string, name: string) => Object.keys(memory.tree).find((id) => memory.tree[id]!.parent === parent && memory.tree[id]!.name === name);
    return {
      id: 'MEMORY',
      providers: [memory],
      alfrescoUrl: 'http://127.0.0.1:9',
      app: {},
      username: 'ada',
      password: 'lovelace',
      keepsPassword: false,
      async seed(folder, entries) {
        const parent = `seeded-${++made}`;
        memory.tree[parent] = { name: folder, parent: 'root', version: 1 };
        for (const entry of entries) {
          const node: MemoryNode = { name: entry.name, parent, version: 1, ...(entry.folder ? {} : { content: entry.bytes }) };
          memory.tree[`seeded-${++made}`] = node;
        }
      },
      async read(folder, name) {
        const content = memory.tree[idIn(idIn('root', folder) ?? '', name) ?? '']?.content;
        if (!content) throw new Error(`no file ${folder}/${name}`);
        return content;
      },
      missingId: 'nothing-here',
      close: async () => {},
    };
  },
};

/** A WebDAV server, seeded and read over HTTP as Ada (so the files are the server's own, whoever runs it). */
function webdavSource(label: string, start: () => Promise<TestWebdav>): ContractSource {
  return {
    label,
    async start() {
      const server = await start();
      const { name: username, password } = WEBDAV_USERS.ada;
      const auth = { Authorization: basic(username, password) };
      const urlOf = (...names: string[]) => new URL(names.map(encodeURIComponent).join('/'), server.url);
      const send = async (method: string, url: URL, body?: Buffer) => {
        const response = await fetch(url, { method, headers: auth, ...(body ? { body: new Uint8Array(body) } : {}) });
        if (!response.ok) throw new Error(`${method} ${url.pathname}: ${response.status}`);
        return response;
      };
      return {
        id: 'WEBDAV',
        providers: [],
        alfrescoUrl: 'http://127.0.0.1:9',
        app: { webdav: { url: server.url } },
        username,
        password,
        keepsPassword: true,
        async seed(folder, entries) {
          await send('MKCOL', new URL(`${encodeURIComponent(folder)}/`, server.url));
          for (const entry of entries) {
            if (entry.folder) await send('MKCOL', new URL(`${urlOf(folder, entry.name).href}/`));
            else await send('PUT', urlOf(folder, entry.name), entry.bytes);
          }
        },
        read: async (folder, name) => Buffer.from(await (await send('GET', urlOf(folder, name))).arrayBuffer()),
        // A path id ("p" + base64url) of a file that is not there.
        missingId: `p${Buffer.from('no such folder').toString('base64url')}`,
        close: () => server.stop(),
      };
    },
  };
}

export const apacheWebdavSource = webdavSource('WebDAV (Apache httpd, mod_dav)', startTestWebdav);
export const nodeWebdavSource = webdavSource('WebDAV (the npm package webdav-server)', startNodeWebdav);
