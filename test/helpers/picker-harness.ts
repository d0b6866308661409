import { fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../src/define.ts';
import '../../src/views.ts';
import type { FsPicker } from '../../src/components/fs-picker/fs-picker.ts';
import type { FsServiceList } from '../../src/components/fs-service-list/fs-service-list.ts';
import { stackUrls } from './stack.ts';

/** What a test needs to drive one picker the way a person would: its parts, found through the shadow roots. */
export class PickerHarness {
  constructor(readonly picker: FsPicker) {}

  static async create({ apiKey }: { apiKey?: string } = {}): Promise<PickerHarness> {
    const urls = await stackUrls();
    const picker = await fixture<FsPicker>(html`<fs-picker server=${urls.companion} api-key=${apiKey ?? urls.apiKey}></fs-picker>`);
    return new PickerHarness(picker);
  }

  get dialog(): HTMLDialogElement {
    return this.picker.shadowRoot!.querySelector('dialog')!;
  }

  get serviceList(): FsServiceList {
    return this.picker.shadowRoot!.querySelector('fs-service-list')!;
  }

  get closeButton(): HTMLButtonElement {
    return this.picker.shadowRoot!.querySelector('[part="close-button"]')!;
  }

  serviceButtons(): HTMLButtonElement[] {
    return [...this.serviceList.shadowRoot!.querySelectorAll<HTMLButtonElement>('button[data-service]')];
  }

  serviceButton(id: string): HTMLButtonElement {
    const button = this.serviceList.shadowRoot!.querySelector<HTMLButtonElement>(`button[data-service="${id}"]`);
    if (!button) throw new Error(`No button for service ${id}`);
    return button;
  }

  /** The list's status or alert text (loading, error, empty). */
  statusText(): string {
    return this.serviceList.shadowRoot!.querySelector('.state')?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
  }

  async open(): Promise<void> {
    const opened = oneEvent(this.picker, 'fs-open');
    await this.picker.open();
    await opened;
  }

  async servicesLoaded(): Promise<void> {
    await waitUntil(() => this.serviceButtons().length > 0, 'the services list did not load', { timeout: 5000 });
  }
}
