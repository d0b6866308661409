import { Hono } from 'hono';
import type { AuthEnv } from '../auth/authenticate.ts';
import type { RepoNode } from '../repository/node.ts';
import { SITE_CONTAINERS, SITES, type SiteDefinition, type SiteRole } from '../sites.ts';
import type { SandboxState } from '../state.ts';
import { findUser, type SandboxUser } from '../users.ts';
import { ApiError, notFound } from './api-error.ts';
import { pickFields } from './fields.ts';
import { csv, orderByOf, pagingOf, whereOf, type OrderTerm } from './list-params.ts';
import { listEnvelope } from './node-entry.ts';
import { personEntity } from './person-entity.ts';

/** A site as a user finds it: its definition and its st:site node under Company Home/Sites. */
export interface SiteInRepository {
  site: SiteDefinition;
  node: RepoNode;
}

const SITE_ORDER_FIELDS = ['id', 'title', 'description'] as const;
export const MEMBERSHIP_ORDER_FIELDS = ['id', 'title', 'role'] as const;
const DEFAULT_ORDER: OrderTerm[] = [{ field: 'title', ascending: true }];
const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/** `sites`, `sites/{siteId}` and the site's containers (documentLibrary is the one a picker opens). */
export function siteRoutes(state: SandboxState): Hono<AuthEnv> {
  const relations = (site: SiteInRepository, names: readonly string[]) => relationsOf(state, site, names);

  return new Hono<AuthEnv>()
    .get('/', (c) => {
      const user = c.get('user');
      const where = whereOf(c.req.query('where'), ['visibility', 'preset']);
      const order = orderByOf(c.req.queries('orderBy'), SITE_ORDER_FIELDS) ?? DEFAULT_ORDER;
      const fields = csv(c.req.queries('fields'));
      const names = csv(c.req.queries('relations'));
      const sites = sortSites(filterSites(visibleSites(state, user), where), order, (site) => site);
      const page = listEnvelope(sites, pagingOf((name) => c.req.query(name)), (site) => pickFields(siteEntity(site, roleOf(site, user)), fields));
      if (names.length > 0) {
        const { skipCount, maxItems } = page.list.pagination;
        const shown = sites.slice(skipCount, skipCount + maxItems);
        page.list.entries = page.list.entries.map((entry, index) => ({ ...entry, relations: relations(shown[index]!, names) }));
      }
      return c.json(page);
    })
    .get('/:siteId', (c) => {
      const user = c.get('user');
      const site = visibleSite(state, c.req.param('siteId'), user);
      const names = csv(c.req.queries('relations'));
      const entry = { entry: pickFields(siteEntity(site, roleOf(site, user)), csv(c.req.queries('fields'))) };
      return c.json(names.length > 0 ? { ...entry, relations: relations(site, names) } : entry);
    })
    .get('/:siteId/containers', (c) => {
      const site = visibleSite(state, c.req.param('siteId'), c.get('user'));
      const fields = csv(c.req.queries('fields'));
      return c.json(listEnvelope(containersOf(state, site), pagingOf((name) => c.req.query(name)), (container) => pickFields(container, fields)));
    })
    .get('/:siteId/containers/:containerId', (c) => {
      const site = visibleSite(state, c.req.param('siteId'), c.get('user'));
      const containerId = c.req.param('containerId');
      const container = containersOf(state, site).find(({ id }) => id.toLowerCase() === containerId.toLowerCase());
      if (!container) throw notFound(containerId);
      return c.json({ entry: pickFields(container, csv(c.req.queries('fields'))) });
    });
}

/** The sites `user` can see: public and moderated ones, and private ones they belong to (administrators see all). */
export function visibleSites(state: SandboxState, user: SandboxUser): SiteInRepository[] {
  return SITES.flatMap((site) => {
    const node = siteNode(state, site.id);
    return node && canSee(site, user) ? [{ site, node }] : [];
  });
}

/** A site by id for `user`; a private site they do not belong to is not found, as in Alfresco. */
export function visibleSite(state: SandboxState, siteId: string, user: SandboxUser): SiteInRepository {
  const site = SITES.find(({ id }) => id.toLowerCase() === siteId.toLowerCase());
  const node = site && siteNode(state, site.id);
  if (!site || !node || !canSee(site, user)) throw notFound(siteId);
  return { site, node };
}

export function roleOf({ site }: SiteInRepository, user: SandboxUser): SiteRole | undefined {
  return site.members[user.id];
}

/** The REST API's Site entity; `role` is the given user's, when they are a member. */
export function siteEntity({ site, node }: SiteInRepository, role: SiteRole | undefined): Record<string, unknown> {
  return {
    id: site.id,
    guid: node.id,
    title: site.title,
    description: site.description,
    visibility: site.visibility,
    preset: site.preset,
    ...(role ? { role } : {}),
  };
}

/** The `where` of site lists: `(visibility='PRIVATE')`, `(preset='site-dashboard')`. */
export function filterSites<T extends SiteInRepository>(sites: T[], where: ReturnType<typeof whereOf>): T[] {
  if (!where) return sites;
  const matches = (site: SiteInRepository, { property, value }: { property: string; value: string }) =>
    property === 'visibility' ? site.site.visibility === value.toUpperCase() : site.site.preset === value;
  return sites.filter((site) => (where.any ? where.predicates.some((p) => matches(site, p)) : where.predicates.every((p) => matches(site, p))));
}

/** Orders sites (or memberships) by id, title, description or role. */
export function sortSites<T>(items: T[], order: readonly OrderTerm[], siteOf: (item: T) => SiteInRepository, roleOfItem?: (item: T) => string): T[] {
  const key = (item: T, field: string): string => {
    if (field === 'role') return roleOfItem?.(item) ?? '';
    const { site } = siteOf(item);
    return field === 'id' ? site.id : field === 'description' ? site.description : site.title;
  };
  return [...items].sort((a, b) => {
    for (const { field, ascending } of order) {
      const difference = collator.compare(key(a, field), key(b, field));
      if (difference !== 0) return ascending ? difference : -difference;
    }
    return 0;
  });
}

function canSee(site: SiteDefinition, user: SandboxUser): boolean {
  return site.visibility !== 'PRIVATE' || site.members[user.id] !== undefined || user.isAdmin;
}

function siteNode({ repository, ids }: SandboxState, siteId: string): RepoNode | undefined {
  const node = repository.childByName(ids.sites, siteId);
  return node?.nodeType === 'st:site' ? node : undefined;
}

function containersOf({ repository }: SandboxState, { node }: SiteInRepository): Array<{ id: string; folderId: string }> {
  return SITE_CONTAINERS.flatMap((name) => {
    const folder = repository.childByName(node.id, name);
    return folder ? [{ id: name, folderId: folder.id }] : [];
  });
}

/** `relations=containers,members`: the related collections beside each entry, as Alfresco embeds them. */
function relationsOf(state: SandboxState, site: SiteInRepository, names: readonly string[]): Record<string, unknown> {
  // Alfresco's resource locator answers an unknown relation with its 404 for a missing resource.
  const unknown = names.find((name) => name !== 'containers' && name !== 'members');
  if (unknown !== undefined) throw new ApiError(404, 'framework.exception.NotFound', `Unable to locate resource resource for :sites ${unknown}`);
  const all = { skipCount: 0, maxItems: 100 };
  const members = Object.entries(site.site.members).flatMap(([id, role]) => {
    const person = findUser(id);
    return person ? [{ id, person: personEntity(person), role, isMemberOfGroup: false }] : [];
  });
  return {
    ...(names.includes('containers') ? { containers: listEnvelope(containersOf(state, site), all, (container) => container) } : {}),
    ...(names.includes('members') ? { members: listEnvelope(members, all, (member) => member) } : {}),
  };
}
