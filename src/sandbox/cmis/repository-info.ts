import { SANDBOX_VERSION } from '../discovery.ts';
import type { SandboxState } from '../state.ts';

export const REPOSITORY_ID = '-default-';

/**
 * The repository info of CMIS 1.1 §2.1.1 in the browser binding's JSON (§5.3.1, §5.2.2), as Alfresco's
 * public CMIS endpoint describes itself: one repository, `-default-`, whose URL is the binding's own and
 * whose root folder is Company Home. Capabilities are what the sandbox does, not all Alfresco does
 * (queries are metadata only, no descendants, no ACLs).
 */
export function repositoryInfo({ ids }: SandboxState, bindingUrl: string): Record<string, unknown> {
  const { major, minor, patch, label } = SANDBOX_VERSION;
  return {
    repositoryId: REPOSITORY_ID,
    repositoryName: '',
    repositoryDescription: '',
    vendorName: 'Alfresco',
    productName: 'Alfresco Community',
    productVersion: `${major}.${minor}.${patch} (${label})`,
    rootFolderId: ids.companyHome,
    capabilities: {
      capabilityContentStreamUpdatability: 'anytime',
      capabilityChanges: 'none',
      capabilityRenditions: 'read',
      capabilityGetDescendants: false,
      capabilityGetFolderTree: false,
      capabilityMultifiling: false,
      capabilityUnfiling: false,
      capabilityVersionSpecificFiling: false,
      capabilityPWCSearchable: false,
      capabilityPWCUpdatable: true,
      capabilityAllVersionsSearchable: false,
      capabilityOrderBy: 'common',
      capabilityQuery: 'metadataonly',
      capabilityJoin: 'none',
      capabilityACL: 'none',
    },
    latestChangeLogToken: null,
    cmisVersionSupported: '1.1',
    thinClientURI: '',
    changesIncomplete: true,
    changesOnType: [],
    principalIdAnonymous: 'guest',
    principalIdAnyone: 'GROUP_EVERYONE',
    extendedFeatures: [],
    repositoryUrl: bindingUrl,
    rootFolderUrl: `${bindingUrl}/root`,
  };
}
