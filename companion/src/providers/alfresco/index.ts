import { FsError } from 'fs-picker/protocol';
import type { Grant } from '../../auth/grants.ts';
import type { UpstreamInit } from '../../outbound/index.ts';
import type { AlfrescoNode, AlfrescoPaging, AlfrescoSiteMembership } from './adapter.ts';
import { CORE_PATH, SEARCH_PATH, type AlfrescoClient, type StreamedResponse } from './client.ts';

/**
 * The Alfresco calls the picker makes, as the person behind a grant. Mapping to the protocol lives in
 * adapter.ts; refusals are mapped to our codes by the client.
 */

/** Alfresco answers at most this many entries per list call. */
export const UPSTREAM_MAX_ITEMS = 1000;

const LIST_INCLUDE = 'allowableOperations';

const q = (params: Record<string, string | number | undefined>): string => {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined) search.set(name, String(value));
  return search.toString();
};

const node = (id: string) => `${CORE_PATH}/nodes/${encodeURIComponent(id)}`;

export function getNode(client: AlfrescoClient, grant: Grant, id: string, include = 'allowableOperations,path', init?: UpstreamInit): Promise<AlfrescoNode> {
  return client.json<{ entry: AlfrescoNode }>(grant, `${node(id)}?${q({ include })}`, init).then(({ entry }) => entry);
}

export function listChildren(
  client: AlfrescoClient,
  grant: Grant,
  folderId: string,
  { skipCount, maxItems, orderBy, where }: { skipCount: number; maxItems: number; orderBy?: string; where?: string },
  init?: UpstreamInit,
): Promise<AlfrescoPaging<AlfrescoNode>> {
  return client.json(grant, `${node(folderId)}/children?${q({ skipCount, maxItems, orderBy, where, include: LIST_INCLUDE })}`, init);
}

/** `POST search` (AFTS), with the same include as a listing. */
export function search(
  client: AlfrescoClient,
  grant: Grant,
  { query, skipCount, maxItems, sort }: { query: string; skipCount: number; maxItems: number; sort?: Array<{ type: 'FIELD'; field: string; ascending: boolean }> },
  init?: UpstreamInit,
): Promise<AlfrescoPaging<AlfrescoNode>> {
  return client.json(grant, `${SEARCH_PATH}/search`, {
    ...init,
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ query: { query, language: 'afts' }, paging: { skipCount, maxItems }, include: [LIST_INCLUDE], ...(sort ? { sort } : {}) }),
  });
}

/** Every site the person is a member of ("My Sites"), all pages. */
export async function mySites(client: AlfrescoClient, grant: Grant): Promise<AlfrescoSiteMembership[]> {
  const sites: AlfrescoSiteMembership[] = [];
  for (let skipCount = 0; ; ) {
    const page = await client.json<AlfrescoPaging<AlfrescoSiteMembership>>(grant, `${CORE_PATH}/people/-me-/sites?${q({ skipCount, maxItems: 100 })}`);
    sites.push(...page.list.entries.map(({ entry }) => entry));
    skipCount += page.list.entries.length;
    if (!page.list.pagination.hasMoreItems || page.list.entries.length === 0) return sites;
  }
}

/** The node id of a site's document library. */
export async function documentLibraryOf(client: AlfrescoClient, grant: Grant, siteId: string): Promise<string> {
  const { entry } = await client.json<{ entry: { id: string; folderId: string } }>(grant, `${CORE_PATH}/sites/${encodeURIComponent(siteId)}/containers/documentLibrary`);
  return entry.folderId;
}

/** The file's bytes as a Node stream, for piping big files (see AlfrescoClient.stream); 416 comes back too. */
export function contentStream(client: AlfrescoClient, grant: Grant, nodeId: string, init: { method?: 'GET' | 'HEAD'; headers?: Record<string, string>; signal?: AbortSignal }): Promise<StreamedResponse> {
  return client.stream(grant, `${node(nodeId)}/content?attachment=true`, init);
}

/** The doclib thumbnail, or Alfresco's placeholder for the type when it has none. */
export async function thumbnailStream(client: AlfrescoClient, grant: Grant, nodeId: string, signal: AbortSignal | undefined): Promise<StreamedResponse> {
  const answer = await client.stream(grant, `${node(nodeId)}/renditions/doclib/content?attachment=false&placeholder=true`, signal ? { signal } : {});
  if (answer.status === 416) {
    answer.body.destroy();
    throw new FsError('FS_ERR_UPSTREAM', 'Alfresco did not send the thumbnail.');
  }
  return answer;
}

/** The child of `folderId` named `name` (Alfresco compares names without case); a 404 when there is none. */
export async function childNamed(client: AlfrescoClient, grant: Grant, folderId: string, name: string): Promise<AlfrescoNode> {
  const { entry } = await client.json<{ entry: AlfrescoNode }>(grant, `${node(folderId)}?${q({ relativePath: name, include: LIST_INCLUDE })}`);
  return entry;
}
