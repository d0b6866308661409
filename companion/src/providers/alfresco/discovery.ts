import type { Outbound } from '../../outbound/index.ts';

interface DiscoveryEntry {
  entry: { repository: { edition: string; version: { display: string; major: string; minor: string; patch: string } } };
}

/** Asks the repository what it is, e.g. "Alfresco Community 23.2.0". */
export async function describeRepository(repositoryUrl: string, signal: AbortSignal | undefined, outbound: Outbound): Promise<string> {
  const url = new URL('/alfresco/api/discovery', repositoryUrl).href;
  const { entry } = await outbound.json<DiscoveryEntry>(url, { signal, timeoutMs: 3_000 });
  const { edition, version } = entry.repository;
  return `Alfresco ${edition} ${version.major}.${version.minor}.${version.patch}`;
}
