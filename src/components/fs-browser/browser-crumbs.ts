import { html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import type { BrowseLocation, Crumb, FolderInfo } from '../../protocol/browse.ts';
import { DEFAULT_FOLDER } from './folder-loader.ts';

/** What the breadcrumbs show and do. */
export interface CrumbsView {
  crumbs: readonly Crumb[];
  /** The search shown, after the crumbs; '' when the folder is shown. */
  query: string;
  open(id: string): void;
}

/**
 * The breadcrumbs shown for `folder`: from the location that was opened (`rootId`), or else from the
 * deepest location on its path, or else its whole path.
 */
export function visibleCrumbs(folder: FolderInfo, rootId: string | undefined, locations: readonly BrowseLocation[]): Crumb[] {
  const ids = new Set(locations.map((location) => location.id));
  let start = rootId === undefined ? -1 : folder.path.findIndex((crumb) => crumb.id === rootId);
  // Without a known start, begin at the deepest location (a site's library) on the path, if any.
  if (start < 0) start = folder.path.findLastIndex((crumb) => ids.has(crumb.id));
  return start >= 0 ? folder.path.slice(start) : folder.path;
}

/** The folder's path as buttons; the last is the current folder, unless a search is shown after it. */
export function renderCrumbs(view: CrumbsView) {
  const { crumbs, query } = view;
  const searching = query !== '';
  return html`<nav class="crumbs" aria-label=${msg('Breadcrumbs')}>
      <ol part="breadcrumbs">
        ${crumbs.map((crumb, index) => {
          const here = index === crumbs.length - 1 && !searching;
          return html`<li>
            <button part="crumb" data-crumb=${crumb.id} aria-current=${here ? 'location' : nothing} @click=${() => (here ? undefined : view.open(crumb.id))}>${crumb.name}</button>
          </li>`;
        })}
        ${searching ? html`<li><span>${msg(str`Search: “${query}”`)}</span></li>` : nothing}
      </ol>
    </nav>`;
}

/**
 * Where the breadcrumbs start: the folder a location opened, learnt when that folder's first page
 * arrives. A folder restored from elsewhere has no start: its crumbs begin at the deepest location.
 */
export class CrumbsStart {
  #id: string | undefined;
  #awaiting = true;

  /** The folder the breadcrumbs start at, if known. */
  get id(): string | undefined {
    return this.#id;
  }

  /** A location is being opened: its folder becomes the start when it arrives. */
  reset(): void {
    this.#awaiting = true;
    this.#id = undefined;
  }

  /** `folder` arrived, asked for as `requestedId`; the first to arrive after a reset may be the start. */
  arrived(requestedId: string, folder: FolderInfo, locations: readonly BrowseLocation[]): void {
    if (!this.#awaiting) return;
    // A location (or the default one) starts the breadcrumbs; a folder restored from elsewhere shows its whole path.
    const fromLocation = requestedId === DEFAULT_FOLDER || locations.some((location) => location.id === requestedId);
    this.#id = fromLocation ? folder.id : undefined;
    this.#awaiting = false;
  }

  /** The breadcrumbs shown for `folder`. */
  crumbs(folder: FolderInfo, locations: readonly BrowseLocation[]): Crumb[] {
    return visibleCrumbs(folder, this.#id, locations);
  }
}
