import { html } from 'lit';
import { msg } from '@lit/localize';
import type { ViewMode } from '../../core/picker-state.ts';
import { SORTS } from './sorts.ts';

/** What the toolbar shows and does. */
export interface ToolbarView {
  viewMode: ViewMode;
  /** The sort menu's value. */
  sort: string;
  /** A search is shown: the sort menu is off. */
  searching: boolean;
  /** The search form was submitted. */
  search(event: Event): void;
  /** The search field changed. */
  searchInput(event: Event): void;
  /** The sort menu changed. */
  sorted(event: Event): void;
  setView(viewMode: ViewMode): void;
}

/** The toolbar: search, the sort menu and the list/grid switch. */
export function renderToolbar(view: ToolbarView) {
  const { viewMode, sort } = view;
  return html`<div class="toolbar" part="toolbar">
      <form class="search" part="search" role="search" @submit=${(event: Event) => view.search(event)}>
        <input type="search" name="q" maxlength="200" aria-label=${msg('Search files and folders')} placeholder=${msg('Search')} @input=${(event: Event) => view.searchInput(event)} />
        <button type="submit">${msg('Search')}</button>
      </form>
      <select part="sort" aria-label=${msg('Sort by')} .value=${sort} @change=${(event: Event) => view.sorted(event)} ?disabled=${view.searching}>
        ${SORTS.map((option) => html`<option value=${option.value} ?selected=${option.value === sort}>${option.label()}</option>`)}
      </select>
      <div class="views" part="view-toggle" role="group" aria-label=${msg('View')}>
        <button class="tool" data-view="list" aria-pressed=${viewMode === 'list' ? 'true' : 'false'} aria-label=${msg('List')} title=${msg('List')} @click=${() => view.setView('list')}>
          <svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2"><path d="M4 6h16M4 12h16M4 18h16" /></svg>
        </button>
        <button class="tool" data-view="grid" aria-pressed=${viewMode === 'grid' ? 'true' : 'false'} aria-label=${msg('Grid')} title=${msg('Grid')} @click=${() => view.setView('grid')}>
          <svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2"><path d="M4 4h7v7H4zM13 4h7v7h-7zM4 13h7v7H4zM13 13h7v7h-7z" /></svg>
        </button>
      </div>
    </div>`;
}
