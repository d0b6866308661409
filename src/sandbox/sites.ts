export type SiteRole = 'SiteManager' | 'SiteCollaborator' | 'SiteContributor' | 'SiteConsumer';

export interface SiteDefinition {
  id: string;
  title: string;
  description: string;
  visibility: 'PUBLIC' | 'PRIVATE' | 'MODERATED';
  preset: string;
  members: Record<string, SiteRole>;
}

/**
 * The sites of the sandbox: Alfresco's sample site, and a private one that only its members can see
 * (and only its manager can write to), so a picker meets both kinds.
 */
export const SITES: readonly SiteDefinition[] = [
  {
    id: 'swsdp',
    title: 'Sample: Web Site Design Project',
    description: 'This is a Sample Alfresco Team site.',
    visibility: 'PUBLIC',
    preset: 'site-dashboard',
    members: { admin: 'SiteManager', mjackson: 'SiteManager', abeecher: 'SiteCollaborator' },
  },
  {
    id: 'board-room',
    title: 'Board Room',
    description: 'Minutes and papers of the board; private to its members.',
    visibility: 'PRIVATE',
    preset: 'site-dashboard',
    members: { admin: 'SiteManager', mjackson: 'SiteConsumer' },
  },
];

/** The folders every site node has; pickers open documentLibrary. */
export const SITE_CONTAINERS = ['documentLibrary', 'dataLists', 'discussions', 'links', 'wiki'] as const;

export function canWriteAsMember(role: SiteRole | undefined): boolean {
  return role === 'SiteManager' || role === 'SiteCollaborator' || role === 'SiteContributor';
}
