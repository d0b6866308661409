import { Repository, type ContentInfo, type RepoNode, type UserInfo } from './repository.ts';

export const USERS = {
  admin: { id: 'admin', displayName: 'Administrator', password: 'admin' },
  mjackson: { id: 'mjackson', displayName: 'Mike Jackson', password: 'mjackson' },
  abeecher: { id: 'abeecher', displayName: 'Alice Beecher', password: 'abeecher' },
} as const;

const MIME_TYPES: Record<string, { mimeType: string; mimeTypeName: string }> = {
  pdf: { mimeType: 'application/pdf', mimeTypeName: 'Adobe PDF Document' },
  doc: { mimeType: 'application/msword', mimeTypeName: 'Microsoft Word' },
  xls: { mimeType: 'application/vnd.ms-excel', mimeTypeName: 'Microsoft Excel' },
  ppt: { mimeType: 'application/vnd.ms-powerpoint', mimeTypeName: 'Microsoft PowerPoint' },
  png: { mimeType: 'image/png', mimeTypeName: 'PNG Image' },
  jpg: { mimeType: 'image/jpeg', mimeTypeName: 'JPEG Image' },
  mp4: { mimeType: 'video/mp4', mimeTypeName: 'MPEG4 Video' },
  txt: { mimeType: 'text/plain', mimeTypeName: 'Plain Text' },
};

/** The sample site every stock Alfresco install has ("Sample: Web Site Design Project"), by folder. */
const SWSDP_LIBRARY: Record<string, string[]> = {
  'Agency Files': [],
  'Agency Files/Contracts': ['Project Contract.pdf'],
  'Agency Files/Images': ['coins.JPG', 'graph.JPG', 'grass.jpg', 'header.png', 'low consumption bulb.png', 'money.JPG',
    'plugs.jpg', 'turbine.JPG', 'windmill.png', 'wind turbine.JPG', 'wires.JPG'],
  'Agency Files/Logo Files': ['GE Logo.png', 'logo.png'],
  'Agency Files/Mock-Ups': ['sample 1.png', 'sample 2.png', 'sample 3.png'],
  'Agency Files/Video Files': ['WebSiteReview.mp4'],
  'Budget Files': ['budget.xls'],
  'Budget Files/Invoices': ['inv I200-109.png', 'inv I200-189.png'],
  'Meeting Notes': ['Meeting Notes 2011-01-27.doc', 'Meeting Notes 2011-02-03.doc', 'Meeting Notes 2011-02-10.doc'],
  Presentations: ['Project Objectives.ppt', 'Project Overview.ppt'],
};

const COMPANY_HOME_FOLDERS = ['Data Dictionary', 'Guest Home', 'Imap Attachments', 'IMAP Home', 'Shared', 'Sites', 'User Homes'];

/** Well-known node ids, for the aliases `-root-`, `-my-` and `-shared-` and for tests. */
export interface SeededIds {
  companyHome: string;
  shared: string;
  userHomes: Record<keyof typeof USERS, string>;
  swsdpLibrary: string;
}

export function seedRepository(): { repository: Repository; ids: SeededIds } {
  const repository = new Repository();
  const created = new Date('2011-02-15T20:19:00.007Z');
  const admin: UserInfo = { id: USERS.admin.id, displayName: USERS.admin.displayName };

  const folder = (name: string, parent: RepoNode | undefined, path: string, nodeType = 'cm:folder'): RepoNode =>
    repository.add({ name, nodeType, parentId: parent?.id, createdAt: created, createdBy: admin, modifiedAt: created, modifiedBy: admin }, path);
  const file = (name: string, parent: RepoNode, path: string, by: UserInfo): RepoNode =>
    repository.add(
      { name, nodeType: 'cm:content', parentId: parent.id, createdAt: created, createdBy: by, modifiedAt: created, modifiedBy: by, content: contentInfo(name) },
      path,
    );

  const companyHome = folder('Company Home', undefined, '/');
  const top = Object.fromEntries(COMPANY_HOME_FOLDERS.map((name) => [name, folder(name, companyHome, `/${name}`)]));

  const userHomes = Object.fromEntries(
    Object.values(USERS).map((user) => [user.id, folder(user.id, top['User Homes'], `/User Homes/${user.id}`).id]),
  ) as SeededIds['userHomes'];
  file('welcome.txt', repository.get(userHomes.admin)!, '/User Homes/admin/welcome.txt', admin);

  const site = folder('swsdp', top.Sites, '/Sites/swsdp', 'st:site');
  const library = folder('documentLibrary', site, '/Sites/swsdp/documentLibrary');
  const mike: UserInfo = { id: USERS.mjackson.id, displayName: USERS.mjackson.displayName };
  for (const [folderPath, files] of Object.entries(SWSDP_LIBRARY)) {
    const parentPath = folderPath.split('/').slice(0, -1).join('/');
    const parent = parentPath ? repository.resolve(library.id, parentPath)! : library;
    const here = folder(folderPath.split('/').at(-1)!, parent, `/Sites/swsdp/documentLibrary/${folderPath}`);
    for (const name of files) file(name, here, `/Sites/swsdp/documentLibrary/${folderPath}/${name}`, mike);
  }

  return {
    repository,
    ids: { companyHome: companyHome.id, shared: top.Shared!.id, userHomes, swsdpLibrary: library.id },
  };
}

function contentInfo(name: string): ContentInfo {
  const extension = name.split('.').at(-1)!.toLowerCase();
  const type = MIME_TYPES[extension] ?? { mimeType: 'application/octet-stream', mimeTypeName: 'Binary File (Octet Stream)' };
  // Sizes until the sandbox serves generated content (issue 3): stable, plausible, different per file.
  const sizeInBytes = 1024 + ([...name].reduce((sum, char) => sum * 31 + char.charCodeAt(0), 7) % 400_000);
  return { ...type, sizeInBytes, encoding: 'UTF-8' };
}
