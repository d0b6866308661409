import { Hono } from 'hono';
import type { AuthEnv } from '../auth/authenticate.ts';
import type { SandboxState } from '../state.ts';
import { notFound } from './api-error.ts';
import { pickFields } from './fields.ts';
import { csv, orderByOf, pagingOf, whereOf, type OrderTerm } from './list-params.ts';
import { listEnvelope } from './node-entry.ts';
import { personEntity, personOf } from './person-entity.ts';
import { filterSites, MEMBERSHIP_ORDER_FIELDS, siteEntity, sortSites, visibleSites } from './sites.ts';

const DEFAULT_ORDER: OrderTerm[] = [{ field: 'title', ascending: true }];

/** `people/{personId}` (`-me-` is the caller) and `people/{personId}/sites`, the person's site memberships ("My Sites"). */
export function peopleRoutes(state: SandboxState): Hono<AuthEnv> {
  return new Hono<AuthEnv>()
    .get('/:personId', (c) => {
      const person = personOf(c.req.param('personId'), c.get('user'));
      if (!person) throw notFound(c.req.param('personId'));
      return c.json({ entry: pickFields(personEntity(person), csv(c.req.queries('fields'))) });
    })
    .get('/:personId/sites', (c) => {
      const person = personOf(c.req.param('personId'), c.get('user'));
      if (!person) throw notFound(c.req.param('personId'));
      const where = whereOf(c.req.query('where'), ['visibility', 'preset']);
      const order = orderByOf(c.req.queries('orderBy'), MEMBERSHIP_ORDER_FIELDS) ?? DEFAULT_ORDER;
      const fields = csv(c.req.queries('fields'));
      // The person's memberships among the sites the caller can see.
      const memberships = filterSites(visibleSites(state, c.get('user')), where).flatMap((site) => {
        const role = site.site.members[person.id];
        return role ? [{ ...site, role }] : [];
      });
      const sorted = sortSites(memberships, order, (membership) => membership, (membership) => membership.role);
      return c.json(
        listEnvelope(sorted, pagingOf((name) => c.req.query(name)), (membership) =>
          pickFields({ site: siteEntity(membership, membership.role), id: membership.site.id, guid: membership.node.id, role: membership.role }, fields),
        ),
      );
    });
}
