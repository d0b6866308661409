import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { WellKnownIds } from '../state.ts';
import type { RepoNode } from './node.ts';
import type { Repository, SharedLink } from './repository.ts';

interface SnapshotFile {
  version: 1;
  ids: WellKnownIds;
  nodes: Array<Omit<RepoNode, 'createdAt' | 'modifiedAt'> & { createdAt: string; modifiedAt: string }>;
  sharedLinks: Array<Omit<SharedLink, 'expiresAt'> & { expiresAt?: string }>;
}

const FILE = 'repository.json';

/** Loads the tree kept in `folder` (by `--data DIR`) into the repository; false when there is none yet. */
export async function loadSnapshot(repository: Repository, folder: string): Promise<WellKnownIds | undefined> {
  let text: string;
  try {
    text = await readFile(join(folder, FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const snapshot = JSON.parse(text) as SnapshotFile;
  if (snapshot.version !== 1) throw new Error(`${join(folder, FILE)} has version ${String(snapshot.version)}; this sandbox reads version 1`);
  // Parents before children, so each child finds its folder.
  for (const node of snapshot.nodes) repository.insert({ ...node, createdAt: new Date(node.createdAt), modifiedAt: new Date(node.modifiedAt) });
  for (const { expiresAt, ...link } of snapshot.sharedLinks) repository.addSharedLink({ ...link, ...(expiresAt ? { expiresAt: new Date(expiresAt) } : {}) });
  return snapshot.ids;
}

/**
 * Keeps `folder/repository.json` up to date: written a moment after each burst of changes, through a
 * temporary file and a rename so a crash never leaves half a snapshot. `flush()` writes now (on close).
 */
export function keepSnapshot(repository: Repository, folder: string, ids: WellKnownIds): { flush(): Promise<void> } {
  let timer: NodeJS.Timeout | undefined;
  let writing = Promise.resolve();
  const write = (): Promise<void> => {
    timer = undefined;
    const snapshot: SnapshotFile = {
      version: 1,
      ids,
      nodes: depthFirst(repository).map((node) => ({ ...node, createdAt: node.createdAt.toISOString(), modifiedAt: node.modifiedAt.toISOString() })),
      sharedLinks: repository.sharedLinks().map(({ expiresAt, ...link }) => ({ ...link, ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}) })),
    };
    writing = writing.then(async () => {
      await mkdir(folder, { recursive: true });
      const temporary = join(folder, `${FILE}.tmp`);
      await writeFile(temporary, JSON.stringify(snapshot));
      await rename(temporary, join(folder, FILE));
    });
    return writing;
  };
  repository.onChange(() => {
    timer ??= setTimeout(() => void write(), 200);
  });
  return {
    flush: () => {
      if (timer) clearTimeout(timer);
      return write();
    },
  };
}

function depthFirst(repository: Repository): RepoNode[] {
  const roots = [...repository.all()].filter((node) => node.parentId === undefined);
  const ordered: RepoNode[] = [];
  const visit = (node: RepoNode): void => {
    ordered.push(node);
    for (const child of repository.children(node.id)) visit(child);
  };
  roots.forEach(visit);
  return ordered;
}
