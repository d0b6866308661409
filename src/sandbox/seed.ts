import { createHash } from 'node:crypto';
import { sampleFile, seedPlan, type SampleFile } from './content/index.ts';
import type { Renditions } from './renditions/renditions.ts';
import { seedBytes } from './seed-cache.ts';
import type { Access, RepoNode } from './repository/node.ts';
import type { Repository } from './repository/repository.ts';
import { canWriteAsMember, SITE_CONTAINERS, SITES } from './sites.ts';
import type { WellKnownIds } from './state.ts';
import { USERS } from './users.ts';

// The sample content of a stock install is dated February 2011.
const SEEDED_AT = new Date('2011-02-15T20:19:00.007Z');
const COMPANY_HOME_FOLDERS = ['Data Dictionary', 'Guest Home', 'Imap Attachments', 'IMAP Home', 'Shared', 'Sites', 'User Homes'];

/** Folders of the sample site with their own rules: a folder site collaborators may read but not write. */
const SWSDP_ACCESS: Record<string, Access> = {
  'Agency Files/Contracts': { read: 'everyone', write: ['mjackson'] },
};

const BOARD_ROOM_FILES = (): SampleFile[] => [
  sampleFile('Board minutes 2011-03.pdf', { title: 'Board minutes, March 2011', text: 'Board minutes, March 2011\n\nPresent: Administrator, Mike Jackson.\n\nThe web site redesign budget was approved.' }),
  sampleFile('Strategy 2012.docx', { title: 'Strategy 2012', text: 'Strategy 2012\n\nConfidential to the board.' }),
];

/**
 * Fills an empty repository like a stock Alfresco: Company Home and its standard folders, a home folder
 * per user (private to that user), Shared (everyone writes), the sample site "swsdp" and a private site,
 * with generated content. Node ids derive from paths, so they are the same on every start.
 */
export async function seedRepository(repository: Repository, renditions: Renditions): Promise<WellKnownIds> {
  const plan = seedPlan();
  const pending: Array<Promise<void>> = [];

  const folder = (parent: RepoNode | undefined, name: string, path: string, options: { nodeType?: string; access?: Access; title?: string } = {}): RepoNode =>
    repository.create(parent, {
      id: stableId(path),
      name,
      nodeType: options.nodeType ?? 'cm:folder',
      by: 'admin',
      at: SEEDED_AT,
      aspectNames: ['cm:auditable', 'cm:titled'],
      properties: options.title ? { 'cm:title': options.title } : {},
      ...(options.access ? { access: options.access } : {}),
    });

  const tree = (root: RepoNode, rootPath: string, folders: Record<string, SampleFile[]>, owner: string, access: Record<string, Access> = {}): void => {
    for (const [relative, files] of Object.entries(folders)) {
      const parts = relative.split('/').filter(Boolean);
      let here = root;
      for (const [index, name] of parts.entries()) {
        const path = parts.slice(0, index + 1).join('/');
        here = repository.childByName(here.id, name) ?? folder(here, name, `${rootPath}/${path}`, access[path] ? { access: access[path] } : {});
      }
      for (const sample of files) pending.push(addFile(repository, renditions, here, sample, `${rootPath}/${relative}/${sample.name}`, owner));
    }
  };

  const companyHome = folder(undefined, 'Company Home', '/');
  const top = Object.fromEntries(
    COMPANY_HOME_FOLDERS.map((name) => {
      const access: Access | undefined =
        name === 'Shared' ? { read: 'everyone', write: 'everyone' } : name === 'Data Dictionary' ? { read: [], write: [] } : undefined;
      return [name, folder(companyHome, name, `/${name}`, { ...(access ? { access } : {}), ...(name === 'Sites' ? { nodeType: 'st:sites' } : {}) })];
    }),
  ) as Record<string, RepoNode>;

  const userHomes: Record<string, string> = {};
  for (const user of USERS) {
    const home = folder(top['User Homes'], user.id, `/User Homes/${user.id}`, { access: { read: [user.id], write: [user.id] } });
    userHomes[user.id] = home.id;
    tree(home, `/User Homes/${user.id}`, plan.userHome(user.id), user.id);
  }
  tree(top.Shared!, '/Shared', plan.shared, 'admin');

  for (const site of SITES) {
    const members = Object.entries(site.members);
    const access: Access = {
      read: site.visibility === 'PRIVATE' ? members.map(([id]) => id) : 'everyone',
      write: members.filter(([, role]) => canWriteAsMember(role)).map(([id]) => id),
    };
    const siteNode = folder(top.Sites, site.id, `/Sites/${site.id}`, { nodeType: 'st:site', access, title: site.title });
    for (const container of SITE_CONTAINERS) folder(siteNode, container, `/Sites/${site.id}/${container}`);
    const library = repository.childByName(siteNode.id, 'documentLibrary')!;
    const files = site.id === 'swsdp' ? plan.siteLibrary : { '': BOARD_ROOM_FILES() };
    tree(library, `/Sites/${site.id}/documentLibrary`, files, site.id === 'swsdp' ? 'mjackson' : 'admin', site.id === 'swsdp' ? SWSDP_ACCESS : {});
  }

  await Promise.all(pending);
  return { companyHome: companyHome.id, shared: top.Shared!.id, sites: top.Sites!.id, userHomes };
}

async function addFile(repository: Repository, renditions: Renditions, parent: RepoNode, sample: SampleFile, path: string, owner: string): Promise<void> {
  const stored =
    sample.size !== undefined
      ? { contentId: repository.content.syntheticId(sample.size), size: sample.size }
      : await repository.content.put(await seedBytes(sample, path));
  const node = repository.create(parent, {
    id: stableId(path),
    name: sample.name,
    nodeType: 'cm:content',
    by: owner,
    at: SEEDED_AT,
    aspectNames: ['cm:auditable', 'cm:titled', 'cm:versionable'],
    properties: {
      'cm:versionLabel': '1.0',
      'cm:versionType': 'MAJOR',
      ...(sample.title ? { 'cm:title': sample.title } : {}),
      ...(sample.description ? { 'cm:description': sample.description } : {}),
    },
    content: { mimeType: sample.mimeType, mimeTypeName: sample.mimeTypeName, sizeInBytes: stored.size, encoding: 'UTF-8', contentId: stored.contentId },
  });
  // A stock repository has made the list thumbnail of every image it holds.
  renditions.request(node, 'doclib');
}

/** Shaped like the version 4 UUIDs Alfresco hands out, derived from the path so it is stable. */
function stableId(path: string): string {
  const hex = createHash('sha1').update(`fs-picker-sandbox:${path.replace(/\/+/g, '/')}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
