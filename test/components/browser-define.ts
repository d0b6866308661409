/**
 * Test-only: registers the elements the folder browser tests render and a small harness that finds
 * the browser's parts through its shadow root.
 */
import { fixture, html, waitUntil } from '@open-wc/testing';
import type { LitElement } from 'lit';
import '../../src/define.ts';
import '../../src/views.ts';
import '../../stories/fixtures/context.ts';
import type { FsBrowser } from '../../src/components/fs-browser/fs-browser.ts';
import { CompanionClient } from '../../src/api/transport/client.ts';
import type { PickerState } from '../../src/core/picker-state.ts';
import type { Store } from '../../src/core/store.ts';
import { storeWith } from '../../stories/fixtures/context.ts';
import { stackSession, stackUrls } from '../helpers/stack.ts';


export class BrowserHarness {
  constructor(
    readonly browser: FsBrowser,
    readonly store: Store<PickerState>,
  ) {}

  /** Renders a browser in `store`'s state with `client`. */
  static async render(client: CompanionClient, store: Store<PickerState>, width = 900): Promise<BrowserHarness> {
    const context = await fixture(html`<fs-test-context style="display:block; inline-size:${width}px" .client=${client} .store=${store}></fs-test-context>`);
    // The context provides its store from its first update on; the browser connects after that (a view
    // connected earlier would be handed an undefined store, see the report).
    await (context as LitElement).updateComplete;
    const browser = document.createElement('fs-browser');
    context.append(browser);
    await browser.updateComplete;
    return new BrowserHarness(browser, store);
  }

  /** Renders a browser against the real companion, signed in as `user`, with `patch` on the store. */
  static async real(user = 'mjackson', patch: Parameters<typeof storeWith>[0] = {}, width = 900): Promise<BrowserHarness> {
    const [{ companion, apiKey }, { session, user: who }] = await Promise.all([stackUrls(), stackSession(user)]);
    const store = storeWith({ currentService: 'ALFRESCO', connection: { session, user: who }, ...patch });
    return BrowserHarness.render(new CompanionClient({ server: companion, apiKey }), store, width);
  }

  get root(): ShadowRoot {
    return this.browser.shadowRoot!;
  }

  get listbox(): HTMLElement | null {
    return this.root.querySelector<HTMLElement>('[role="listbox"]');
  }

  options(): HTMLElement[] {
    return [...this.root.querySelectorAll<HTMLElement>('[role="option"]')];
  }

  names(): string[] {
    return this.options().map((option) => option.querySelector('.name')!.textContent.trim());
  }

  option(name: string): HTMLElement {
    const found = this.options().find((option) => option.querySelector('.name')!.textContent.trim() === name);
    if (!found) throw new Error(`no item named ${name}; rendered: ${this.names().slice(0, 20).join(', ')}`);
    return found;
  }

  active(): HTMLElement | null {
    const id = this.listbox?.getAttribute('aria-activedescendant');
    return id ? this.root.getElementById(id) : null;
  }

  activeName(): string {
    return this.active()?.querySelector('.name')?.textContent.trim() ?? '';
  }

  locations(): HTMLButtonElement[] {
    return [...this.root.querySelectorAll<HTMLButtonElement>('button[data-location]')];
  }

  location(name: string): HTMLButtonElement {
    const found = this.locations().find((button) => button.textContent.trim() === name);
    if (!found) throw new Error(`no location ${name}: ${this.locations().map((b) => b.textContent.trim()).join(', ')}`);
    return found;
  }

  crumbs(): string[] {
    return [...this.root.querySelectorAll('button[data-crumb]')].map((crumb) => crumb.textContent.trim());
  }

  stateText(): string {
    return this.root.querySelector('.state')?.textContent.replace(/\s+/g, ' ').trim() ?? '';
  }

  notice(): string {
    return this.root.querySelector('.notice')?.textContent.trim() ?? '';
  }

  announced(): string {
    return this.root.querySelector('[aria-live="polite"].visually-hidden')?.textContent.trim() ?? '';
  }

  selectedNames(): string[] {
    return this.store.getState().selection.map((item) => item.name);
  }

  /** Waits until the listing of a folder whose name is `name` is shown. */
  async folderShown(name: string): Promise<void> {
    await waitUntil(() => this.store.getState().folder?.name === name && this.listbox !== null && this.options().length > 0, `folder ${name} not shown (state: ${this.stateText()})`, { timeout: 8000 });
    await this.browser.updateComplete;
  }

  async loaded(): Promise<void> {
    await waitUntil(() => this.listbox !== null && this.options().length > 0, `no items shown (state: ${this.stateText()})`, { timeout: 8000 });
  }

  async locationsLoaded(): Promise<void> {
    await waitUntil(() => this.locations().length > 0, 'no locations', { timeout: 8000 });
  }

  /** Opens `name` in the current folder by double click. */
  async openFolder(name: string): Promise<void> {
    this.option(name).dispatchEvent(new MouseEvent('dblclick', { bubbles: true, composed: true }));
    await this.folderShown(name);
  }
}
