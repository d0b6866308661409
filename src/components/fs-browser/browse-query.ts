import type { ReactiveControllerHost } from 'lit';

/**
 * What the person asked to see of the folder: a search (or none) and a sort order, as set through the
 * toolbar's search field and sort menu. Changing either makes the host load again.
 */
export class BrowseQuery {
  /** The sort menu's value (see sorts.ts). */
  sort = 'name-asc';
  #search = '';

  constructor(
    private readonly host: ReactiveControllerHost & { readonly renderRoot: HTMLElement | DocumentFragment },
    /** A new search was submitted. */
    private readonly searched: () => void,
  ) {}

  /** The search being shown; '' shows the folder. */
  get search(): string {
    return this.#search;
  }

  /** The search form was submitted: search for the field's text. */
  submitted(event: Event): void {
    event.preventDefault();
    const query = this.#field()?.value.trim() ?? '';
    if (query === this.#search) return;
    this.#search = query;
    this.searched();
    this.host.requestUpdate();
  }

  input(event: Event): void {
    // Clearing the field (its × button, or deleting the text) shows the folder again.
    if ((event.target as HTMLInputElement).value === '' && this.#search) this.clear();
  }

  /** Ends the search (and empties its field): the folder is shown again. */
  clear(): void {
    const field = this.#field();
    if (field) field.value = '';
    this.#search = '';
    this.host.requestUpdate();
  }

  sorted(event: Event): void {
    this.sort = (event.target as HTMLSelectElement).value;
    this.host.requestUpdate();
  }

  #field(): HTMLInputElement | null {
    return this.host.renderRoot.querySelector<HTMLInputElement>('input[type="search"]');
  }
}
