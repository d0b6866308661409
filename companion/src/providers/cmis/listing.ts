import type { CmisList, CmisObject } from './mapping.ts';
import type { CmisSession } from './session.ts';

/**
 * Folders first, then documents, one page at a time, from two queries, each of one base type with its
 * own ORDER BY (CMIS 1.1 §2.1.14). getChildren cannot do it: it has no portable "folders first" order
 * (cmis:baseTypeId is not orderable in general, and Alfresco's is not a plain sort), and reading a whole
 * folder to sort it here would cost a 10,000-file folder's every entry for each page. A page starts
 * in the folders; where they run out, the documents continue, skipped by as many as the page's start
 * lies past the last folder (the folders' numItems tells that when this page holds none of them).
 * Alfresco answers IN_FOLDER queries from its database (transactional metadata queries), so a new file
 * is listed at once, as with getChildren.
 */
export async function foldersThenDocuments(session: CmisSession, statements: { folders: string; documents: string }, { skip, max }: { skip: number; max: number }): Promise<{ entries: CmisObject[]; hasMore: boolean }> {
  const folders = await session.query(statements.folders, { skip, max });
  const found = (folders.results ?? []).slice(0, max);
  if (hasMore(folders, skip, found.length, max)) return { entries: found, hasMore: true };
  if (found.length === max) {
    const next = await session.query(statements.documents, { skip: 0, max: 1 });
    return { entries: found, hasMore: (next.results ?? []).length > 0 };
  }
  const folderCount = found.length > 0 ? skip + found.length : (knownCount(folders) ?? (await count(session, statements.folders)));
  const documents = await session.query(statements.documents, { skip: Math.max(0, skip - folderCount), max: max - found.length });
  const more = (documents.results ?? []).slice(0, max - found.length);
  return { entries: [...found, ...more], hasMore: hasMore(documents, Math.max(0, skip - folderCount), more.length, max - found.length) };
}

function hasMore(list: CmisList, skip: number, count: number, max: number): boolean {
  if (typeof list.hasMoreItems === 'boolean') return list.hasMoreItems;
  const total = knownCount(list);
  return total === undefined ? count === max : skip + count < total;
}

/** numItems when the repository gave it (it may give -1 or nothing, §2.2.1.2.3). */
function knownCount(list: CmisList): number | undefined {
  return typeof list.numItems === 'number' && list.numItems >= 0 ? list.numItems : undefined;
}

async function count(session: CmisSession, statement: string): Promise<number> {
  let total = 0;
  for (;;) {
    const page = await session.query(statement, { skip: total, max: 1000 });
    const results = page.results ?? [];
    total += results.length;
    if (results.length === 0 || !hasMore(page, total - results.length, results.length, 1000)) return total;
  }
}
