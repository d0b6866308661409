import { html } from 'lit';
import { msg } from '@lit/localize';
import { TaskStatus } from '@lit/task';
import type { BrowseLocation, FolderInfo } from '../../protocol/browse.ts';

/** What the locations sidebar shows and does. */
export interface LocationsView {
  /** The locations request's status: on an error the sidebar offers to try again. */
  status: TaskStatus;
  locations: readonly BrowseLocation[];
  /** The folder asked for, the location the breadcrumbs start at, and the folder shown: they mark the current location. */
  requestedId: string;
  rootId: string | undefined;
  folder: FolderInfo | null | undefined;
  retry(): void;
  /** Opens location `id` (as the start of the breadcrumbs). */
  open(id: string): void;
}

/** The locations sidebar (My Files, Shared Files, sites, Repository), with the current one marked. */
export function renderLocations(view: LocationsView) {
  const { locations, requestedId, rootId, folder } = view;
  const current = (location: BrowseLocation) => location.id === requestedId || location.id === rootId || (folder?.path.some((crumb) => crumb.id === location.id) ?? false);
  const marked = locations.find(current);
  return html`<nav class="locations" aria-label=${msg('Locations')}>
      ${view.status === TaskStatus.ERROR
        ? html`<p class="state" role="alert">${msg('The locations could not be loaded.')} <button @click=${() => view.retry()}>${msg('Try again')}</button></p>`
        : html`<ul part="locations">
            ${locations.map(
              (location) => html`<li>
                <button part="location" data-location=${location.id} aria-current=${location === marked ? 'true' : 'false'} @click=${() => view.open(location.id)}>
                  ${locationName(location)}
                </button>
              </li>`,
            )}
          </ul>`}
    </nav>`;
}

/** The fixed locations in the person's language; a site keeps its own title. */
function locationName(location: BrowseLocation): string {
  switch (location.kind) {
    case 'my':
      return msg('My Files');
    case 'shared':
      return msg('Shared Files');
    case 'root':
      return msg('Repository');
    default:
      return location.name;
  }
}
