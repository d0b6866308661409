import { fixture, html, waitUntil } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import type { FsBrowser } from '../../src/components/fs-browser/fs-browser.ts';
import type { FsConnect } from '../../src/components/fs-connect/fs-connect.ts';
import type { FsPicker } from '../../src/components/fs-picker/fs-picker.ts';
import type { FsSelectionBar } from '../../src/components/fs-selection-bar/fs-selection-bar.ts';
import { clearSavedState } from '../../src/controllers/saved-state.ts';
import type { FaultSettings } from '../../src/sandbox/faults.ts';
import { connectedMessage, FakePopup, postFromCompanion } from '../../stories/fixtures/connect.ts';
import { PickerHarness } from './picker-harness.ts';
import { stackSession, stackUrls } from './stack.ts';

/**
 * A patch of the sandbox's fault switches; `expireTokens` ends every token it issued (refresh tokens too),
 * `expireAccessTokens` only the access tokens, as their lifetime running out would.
 */
export type FaultPatch = Partial<FaultSettings> & { expireTokens?: boolean; expireAccessTokens?: boolean };

/** Flips the sandbox's fault switches for the test (the `fs-faults` server command). */
export async function setFaults(patch: FaultPatch): Promise<void> {
  await executeServerCommand('fs-faults', patch);
}

/** Turns every fault off again. */
export async function resetFaults(): Promise<void> {
  await executeServerCommand('fs-faults', null);
}

const text = (element: Element | null | undefined): string => element?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

/**
 * One real `<fs-picker>` against the stack, signed in through its own Connect button: the sign-in window
 * is a stand-in (the sandbox's form is on another origin), and what it posts is a real session from the
 * companion's OAuth flow. The getters find the parts a person sees through the shadow roots.
 */
export class SignedInPicker extends PickerHarness {
  /** The companion session the picker was last handed. */
  session = '';

  static async signIn(user = 'mjackson', { multiple = true } = {}): Promise<SignedInPicker> {
    const urls = await stackUrls();
    // A session saved by an earlier test would sign the picker in on its own.
    await clearSavedState({ server: urls.companion, apiKey: urls.apiKey });
    const picker = await fixture<FsPicker>(html`<fs-picker server=${urls.companion} api-key=${urls.apiKey} ?multiple=${multiple}></fs-picker>`);
    const harness = new SignedInPicker(picker);
    await harness.open();
    await harness.servicesLoaded();
    harness.serviceButton('ALFRESCO').click();
    await harness.connectAgain(user);
    return harness;
  }

  /** Clicks Connect in `<fs-connect>` and hands it `user`'s real session, as the companion's popup would. */
  async connectAgain(user = 'mjackson'): Promise<void> {
    const { companion } = await stackUrls();
    const real = await stackSession(user);
    await waitUntil(() => this.connectButton(), 'no Connect button', { timeout: 8000 });
    const popup = new FakePopup();
    const realOpen = window.open.bind(window);
    let nonce = '';
    window.open = (url?: string | URL) => {
      nonce = new URL(String(url)).searchParams.get('nonce') ?? '';
      return popup.asWindow();
    };
    try {
      this.connectButton()!.click();
    } finally {
      window.open = realOpen;
    }
    this.session = real.session;
    postFromCompanion(connectedMessage(nonce, real.user, real.session), new URL(companion).origin);
    await waitUntil(() => this.browser, 'the browser did not appear after connecting', { timeout: 8000 });
  }

  get body(): HTMLElement {
    return this.picker.shadowRoot!.querySelector<HTMLElement>('[part="body"]')!;
  }

  get connect(): FsConnect | null {
    return this.body.querySelector('fs-connect');
  }

  get browser(): FsBrowser | null {
    return this.body.querySelector('fs-browser');
  }

  get selectionBar(): FsSelectionBar | null {
    return this.body.querySelector('fs-selection-bar');
  }

  connectButton(): HTMLButtonElement | null {
    return this.connect?.shadowRoot?.querySelector<HTMLButtonElement>('[part="connect-button"]') ?? null;
  }

  /** What `<fs-connect>` says (its message box). */
  connectMessage(): string {
    return text(this.connect?.shadowRoot?.querySelector('[part="message"]'));
  }

  #browserRoot(): ShadowRoot {
    const root = this.browser?.shadowRoot;
    if (!root) throw new Error('the browser is not shown');
    return root;
  }

  options(): HTMLElement[] {
    return this.browser ? [...this.#browserRoot().querySelectorAll<HTMLElement>('[role="option"]')] : [];
  }

  names(): string[] {
    return this.options().map((option) => text(option.querySelector('.name')));
  }

  option(name: string): HTMLElement {
    const found = this.options().find((option) => text(option.querySelector('.name')) === name);
    if (!found) throw new Error(`no item named ${name}; shown: ${this.names().slice(0, 20).join(', ')}`);
    return found;
  }

  /** The name the listbox is labelled with: the folder shown. */
  listboxLabel(): string {
    return this.browser?.shadowRoot?.querySelector('[role="listbox"]')?.getAttribute('aria-label') ?? '';
  }

  /** The loading, empty or error message of the item area. */
  stateText(): string {
    return this.browser ? text(this.#browserRoot().querySelector('.scroller .state')) : '';
  }

  /** The scrolling box around the items (or around the loading and error messages). */
  scroller(): HTMLElement | null {
    return this.browser?.shadowRoot?.querySelector<HTMLElement>('[part="scroller"]') ?? null;
  }

  stateElement(): HTMLElement | null {
    return this.browser?.shadowRoot?.querySelector<HTMLElement>('.scroller .state') ?? null;
  }

  /** The browser's polite live region. */
  announced(): string {
    return this.browser ? text(this.#browserRoot().querySelector('[aria-live="polite"].visually-hidden')) : '';
  }

  location(name: string): HTMLButtonElement | undefined {
    return [...(this.browser?.shadowRoot?.querySelectorAll<HTMLButtonElement>('button[data-location]') ?? [])].find((button) => text(button) === name);
  }

  /** Clicks the location `name` (My Files, a site…) once the locations are listed. */
  async goTo(name: string): Promise<void> {
    await waitUntil(() => this.location(name), `no location ${name}`, { timeout: 10000 });
    this.location(name)!.click();
  }

  /** The selection bar's summary, e.g. "2 files selected, 4 KB". */
  summary(): string {
    return text(this.selectionBar?.shadowRoot?.querySelector('[part="summary"]'));
  }

  /** The selection bar's message (hint, progress or error). */
  barMessage(): HTMLElement | null {
    return this.selectionBar?.shadowRoot?.querySelector<HTMLElement>('[part="message"]') ?? null;
  }

  selectButton(): HTMLButtonElement {
    return this.selectionBar!.shadowRoot!.querySelector<HTMLButtonElement>('[part="select-button"]')!;
  }

  selectedNames(): string[] {
    return this.options()
      .filter((option) => option.getAttribute('aria-selected') === 'true')
      .map((option) => text(option.querySelector('.name')));
  }

  /** Waits until the folder named `name` is listed (its name labels the listbox). */
  async folderShown(name: string): Promise<void> {
    await waitUntil(() => this.listboxLabel() === name && this.options().length > 0, `folder ${name} not shown (state: ${this.stateText()})`, { timeout: 10000 });
  }

  async openFolder(name: string): Promise<void> {
    this.option(name).dispatchEvent(new MouseEvent('dblclick', { bubbles: true, composed: true }));
    await this.folderShown(name);
  }

  /** Ctrl-clicks `name`, adding it to the selection. */
  toggle(name: string): void {
    this.option(name).dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true, ctrlKey: true }));
  }
}
