import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { LitElement } from 'lit';
import '../../src/define.ts';
import '../../src/views.ts';
import '../../stories/fixtures/context.ts';
import { listFolder, listLocations } from '../../src/api/transport/browse.ts';
import { CompanionClient } from '../../src/api/transport/client.ts';
import type { FsSaveForm } from '../../src/components/fs-save-form/fs-save-form.ts';
import type { PickerState } from '../../src/core/picker-state.ts';
import type { Store } from '../../src/core/store.ts';
import type { FsCancelEvent } from '../../src/events/fs-cancel.ts';
import type { FsErrorEvent } from '../../src/events/fs-error.ts';
import type { FsExportEvent } from '../../src/events/fs-export.ts';
import type { FolderInfo } from '../../src/protocol/browse.ts';
import { storeWith } from '../../stories/fixtures/context.ts';
import {
  AGENCY_FILES,
  AGENCY_FILES_DESTINATION,
  CONTRACTS,
  EXPORT_CONFIG,
  EXPORT_FILENAME,
  EXPORT_NETWORK_ERROR,
  exportClients,
  sampleInput,
  STORY_CONNECTION,
} from '../../stories/fixtures/export.ts';
import { stackSession, stackUrls } from '../helpers/stack.ts';

class SaveFormHarness {
  constructor(
    readonly form: FsSaveForm,
    readonly store: Store<PickerState>,
  ) {}

  static async render(client: CompanionClient, store: Store<PickerState>, input: FsSaveForm['input']): Promise<SaveFormHarness> {
    const context = await fixture(html`<fs-test-context style="display:block; inline-size:640px" .client=${client} .store=${store}></fs-test-context>`);
    // The context provides its store from its first update on; the view connects after that.
    await (context as LitElement).updateComplete;
    const form = document.createElement('fs-save-form');
    form.input = input;
    context.append(form);
    await form.updateComplete;
    return new SaveFormHarness(form, store);
  }

  get root(): ShadowRoot {
    return this.form.shadowRoot!;
  }
  get field(): HTMLInputElement {
    return this.root.querySelector<HTMLInputElement>('#filename')!;
  }
  get save(): HTMLButtonElement {
    return this.root.querySelector<HTMLButtonElement>('[part="save-button"]')!;
  }
  get cancel(): HTMLButtonElement {
    return this.root.querySelector<HTMLButtonElement>('[part="cancel-button"]')!;
  }
  get question(): HTMLElement | null {
    return this.root.querySelector<HTMLElement>('[part="conflict"]');
  }
  choice(name: 'rename' | 'replace' | 'cancel'): HTMLButtonElement {
    return this.root.querySelector<HTMLButtonElement>(`[data-choice="${name}"]`)!;
  }
  text(selector: string): string {
    return this.root.querySelector(selector)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
  }
  async type(name: string): Promise<void> {
    this.field.focus();
    this.field.select();
    await sendKeys({ press: 'Backspace' });
    if (name) await sendKeys({ type: name });
    await this.form.updateComplete;
  }
}

/** The real stack, signed in as `user`, with the form in export mode in `folder`. */
async function real(user: string, folder: (client: CompanionClient, session: string) => Promise<FolderInfo>, input: FsSaveForm['input'], config = EXPORT_CONFIG) {
  const [{ companion, apiKey }, { session, user: who }] = await Promise.all([stackUrls(), stackSession(user)]);
  const client = new CompanionClient({ server: companion, apiKey });
  const store = storeWith({ currentService: 'ALFRESCO', connection: { session, user: who }, folder: await folder(client, session), config });
  return SaveFormHarness.render(client, store, input);
}

const myFiles = async (client: CompanionClient, session: string) => (await listFolder(client, '-my-', { source: 'ALFRESCO', session })).folder;

/** swsdp › documentLibrary › Agency Files › Contracts: read-only for a site collaborator (abeecher). */
async function contracts(client: CompanionClient, session: string): Promise<FolderInfo> {
  const site = (await listLocations(client, { source: 'ALFRESCO', session })).find((location) => location.siteId === 'swsdp')!;
  const library = await listFolder(client, site.id, { source: 'ALFRESCO', session });
  const agency = library.items.find((item) => item.name === 'Agency Files')!;
  const inside = await listFolder(client, agency.id, { source: 'ALFRESCO', session });
  return (await listFolder(client, inside.items.find((item) => item.name === 'Contracts')!.id, { source: 'ALFRESCO', session })).folder;
}

const unique = () => `Export ${Date.now()}-${Math.floor(Math.random() * 1e6)}`;

describe('<fs-save-form> against the real companion', function () {
  this.timeout(30000);

  it('prefills the name with the right extension, shows the destination, and is accessible', async () => {
    const h = await real('mjackson', myFiles, sampleInput());
    expect(h.field.value).to.equal(EXPORT_FILENAME);
    expect(h.field.labels?.[0]?.textContent?.trim()).to.equal('File name');
    expect(h.text('[part="destination"]')).to.match(/^Save to: .*mjackson$/);
    expect(h.save.getAttribute('aria-disabled')).to.equal('false');
    await expect(h.form).to.be.accessible();
  });

  it('saves a Blob into My Files and fires fs-export with a Blob whose url downloads the bytes', async () => {
    const name = unique();
    const bytes = `%PDF-1.7 saved by the test ${name}`;
    const h = await real('mjackson', myFiles, sampleInput(bytes), { ...EXPORT_CONFIG, suggestedFilename: name });
    expect(h.field.value).to.equal(`${name}.pdf`);

    const exported = oneEvent<FsExportEvent>(h.form, 'fs-export');
    h.save.click();
    const { blob } = (await exported).detail;

    expect(blob).to.include({ filename: `${name}.pdf`, mimetype: 'application/pdf', client: 'Alfresco', source: 'ALFRESCO', isWriteable: true, size: bytes.length });
    expect(await (await fetch(blob.url)).text()).to.equal(bytes);
    await h.form.updateComplete;
    expect(h.text('[part="message"]')).to.equal(`Saved as “${name}.pdf”.`);
    await expect(h.form).to.be.accessible();
  });

  it('asks when the name exists: keep both saves a numbered copy, replace makes a new version', async () => {
    const name = unique();
    const first = await real('mjackson', myFiles, sampleInput('first'), { ...EXPORT_CONFIG, suggestedFilename: name });
    const saved = oneEvent<FsExportEvent>(first.form, 'fs-export');
    first.save.click();
    const original = (await saved).detail.blob;

    // Same name again: the form asks, with focus on the question.
    const h = await real('mjackson', myFiles, sampleInput('second'), { ...EXPORT_CONFIG, suggestedFilename: name });
    h.save.click();
    await waitUntil(() => h.question !== null, 'no question about the existing file');
    await h.form.updateComplete;
    expect(h.text('#conflict-question')).to.equal(`A file named “${name}.pdf” already exists here.`);
    expect(h.root.activeElement?.id).to.equal('conflict-question');
    expect(h.choice('rename').textContent?.trim()).to.equal(`Keep both (save as “${name}-1.pdf”)`);
    expect(h.save.getAttribute('aria-disabled')).to.equal('true');
    await expect(h.form).to.be.accessible();

    const kept = oneEvent<FsExportEvent>(h.form, 'fs-export');
    h.choice('rename').click();
    const copy = (await kept).detail.blob;
    expect(copy.filename).to.equal(`${name}-1.pdf`);
    expect(await (await fetch(copy.url)).text()).to.equal('second');
    expect(await (await fetch(original.url)).text()).to.equal('first');

    // And once more, this time replacing: the original's link now serves the new version.
    const again = await real('mjackson', myFiles, sampleInput('the third version'), { ...EXPORT_CONFIG, suggestedFilename: name });
    again.save.click();
    await waitUntil(() => again.question !== null, 'no question the second time');
    const replaced = oneEvent<FsExportEvent>(again.form, 'fs-export');
    again.choice('replace').click();
    const version = (await replaced).detail.blob;
    expect(version.filename).to.equal(`${name}.pdf`);
    expect(await (await fetch(version.url)).text()).to.equal('the third version');
    // (A different size than before: the sandbox's ETag is the second of modification plus the size.)
    expect(await (await fetch(original.url)).text()).to.equal('the third version');
  });

  it('Escape (or Cancel) answers only the question: focus returns to the name, the picker is not cancelled', async () => {
    const h = await SaveFormHarness.render(exportClients.conflict, storeWith({ connection: STORY_CONNECTION, folder: AGENCY_FILES, config: EXPORT_CONFIG }), sampleInput());
    let cancelled = 0;
    h.form.addEventListener('fs-cancel', () => cancelled++);
    h.save.click();
    await waitUntil(() => h.question !== null);
    await h.form.updateComplete;
    expect(h.root.activeElement?.id).to.equal('conflict-question');

    await sendKeys({ press: 'Escape' });
    await h.form.updateComplete;
    expect(h.question).to.equal(null);
    expect(h.root.activeElement).to.equal(h.field);
    expect(cancelled).to.equal(0);

    h.save.click();
    await waitUntil(() => h.question !== null);
    h.choice('cancel').click();
    await h.form.updateComplete;
    expect(h.question).to.equal(null);
    expect(cancelled).to.equal(0);
  });

  it('a folder the person may not write to: Save is disabled with the reason', async () => {
    const h = await real('abeecher', contracts, sampleInput());
    expect(h.store.getState().folder?.name).to.equal('Contracts');
    expect(h.save.getAttribute('aria-disabled')).to.equal('true');
    const reason = h.root.getElementById(h.save.getAttribute('aria-describedby')!);
    expect(reason?.textContent).to.equal('You can’t add files to “Contracts”. Choose another folder.');
    let exported = false;
    h.form.addEventListener('fs-export', () => (exported = true));
    h.save.click();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(exported).to.equal(false);
    expect(h.text('[part="progress"]')).to.equal('');
    await expect(h.form).to.be.accessible();
  });
});

describe('<fs-save-form> states', () => {
  const render = (client = exportClients.saves, folder: FolderInfo = AGENCY_FILES, input: FsSaveForm['input'] = sampleInput()) =>
    SaveFormHarness.render(client, storeWith({ connection: STORY_CONNECTION, folder, config: EXPORT_CONFIG }), input);

  it('shows the destination from the site on', async () => {
    const h = await render();
    expect(h.text('[part="destination"]')).to.equal(`Save to: ${AGENCY_FILES_DESTINATION}`);
  });

  it('names what is wrong with the name and keeps focus in the field on Save', async () => {
    const h = await render();
    await h.type('draft: a/b');
    expect(h.field.getAttribute('aria-invalid')).to.equal('true');
    const problem = h.root.getElementById(h.field.getAttribute('aria-describedby')!);
    expect(problem?.textContent).to.contain('“/” “:”');
    await expect(h.form).to.be.accessible();

    await h.type('draft.');
    expect(h.text('#filename-problem')).to.equal('A file name cannot end with a dot.');
    await h.type('');
    expect(h.text('#filename-problem')).to.equal('Enter a file name.');

    let exported = false;
    h.form.addEventListener('fs-export', () => (exported = true));
    h.save.click();
    await h.form.updateComplete;
    expect(h.root.activeElement).to.equal(h.field);
    expect(exported).to.equal(false);

    await h.type('fine name.pdf');
    expect(h.field.getAttribute('aria-invalid')).to.equal('false');
    expect(h.root.querySelector('#filename-problem')).to.equal(null);
  });

  it('shows upload progress while saving a Blob, and Cancel stops it and fires fs-cancel', async () => {
    const h = await render(exportClients.saving);
    h.save.click();
    await h.form.updateComplete;
    const progress = h.root.querySelector('progress')!;
    expect(progress.value).to.equal(40);
    expect(h.text('[part="progress"]')).to.contain(`Saving “${EXPORT_FILENAME}”`);
    expect(h.save.getAttribute('aria-disabled')).to.equal('true');
    await expect(h.form).to.be.accessible();

    const cancelled = oneEvent<FsCancelEvent>(h.form, 'fs-cancel');
    h.cancel.click();
    await cancelled;
    await h.form.updateComplete;
    expect(h.root.querySelector('progress')).to.equal(null);
  });

  it('is indeterminate for a URL, whose bytes do not go out from the page', async () => {
    const h = await render(exportClients.saving, AGENCY_FILES, 'https://example.com/files/Annual%20report.pdf');
    expect(h.field.value).to.equal('Quarterly report.pdf');
    h.save.click();
    await h.form.updateComplete;
    expect(h.root.querySelector('progress')!.hasAttribute('value')).to.equal(false);
  });

  it('shows a failure clearly and fires fs-error', async () => {
    const h = await render(exportClients.networkError);
    const failed = oneEvent<FsErrorEvent>(h.form, 'fs-error');
    h.save.click();
    expect((await failed).detail).to.deep.equal({ code: 'FS_ERR_NETWORK', message: EXPORT_NETWORK_ERROR });
    await h.form.updateComplete;
    const alert = h.root.querySelector('[role="alert"]');
    expect(alert?.textContent).to.equal(EXPORT_NETWORK_ERROR);
    await expect(h.form).to.be.accessible();
  });

  it('read-only folder from the fixtures: disabled Save with the reason', async () => {
    const h = await render(exportClients.saves, CONTRACTS);
    expect(h.save.getAttribute('aria-disabled')).to.equal('true');
    expect(h.text('#save-blocked')).to.contain('“Contracts”');
  });

  it('Enter in the name field saves', async () => {
    const h = await render();
    await h.type('typed name.pdf');
    const exported = oneEvent<FsExportEvent>(h.form, 'fs-export');
    await sendKeys({ press: 'Enter' });
    expect((await exported).detail.blob.filename).to.equal('typed name.pdf');
  });

  it('follows the suggestion until the person types, and then keeps their name', async () => {
    const h = await render();
    h.store.setState((state) => ({ config: { ...state.config, suggestedFilename: 'photo.png', exportMimetype: 'image/jpeg' } }));
    await h.form.updateComplete;
    expect(h.field.value).to.equal('photo.jpg');
    await h.type('mine.jpg');
    h.store.setState((state) => ({ config: { ...state.config, suggestedFilename: 'other' } }));
    await h.form.updateComplete;
    expect(h.field.value).to.equal('mine.jpg');
  });
});

describe('<fs-save-form> stories', () => {
  type AnyStory = { name?: string; render?: (args: object, context: object) => unknown; play?: (context: { canvasElement: HTMLElement }) => Promise<void> | void };
  const expected: Record<string, (root: ShadowRoot) => boolean> = {
    Ready: (root) => root.querySelector('[part="save-button"]')?.getAttribute('aria-disabled') === 'false',
    ReadOnlyFolder: (root) => root.querySelector('#save-blocked') !== null,
    InvalidName: (root) => root.querySelector('#filename-problem') !== null,
    Conflict: (root) => root.querySelector('[part="conflict"]') !== null,
    Saving: (root) => root.querySelector('progress')?.hasAttribute('value') === true,
    SavingUrl: (root) => root.querySelector('progress')?.hasAttribute('value') === false,
    Saved: (root) => root.querySelector('.done') !== null,
    SaveError: (root) => root.querySelector('[role="alert"]') !== null,
  };

  for (const [exportName, check] of Object.entries(expected)) {
    it(`renders the ${exportName} story in its state, accessibly`, async () => {
      const stories = (await import('../../stories/fs-save-form.stories.ts')) as unknown as Record<string, AnyStory>;
      const story = stories[exportName]!;
      const canvasElement = await fixture<HTMLDivElement>(html`<div></div>`);
      canvasElement.append(story.render!({}, {}) as Node);
      await story.play?.({ canvasElement });
      await waitUntil(() => canvasElement.querySelector('fs-save-form')?.shadowRoot !== null && canvasElement.querySelector('fs-save-form') !== null, 'no form rendered');
      const form = canvasElement.querySelector('fs-save-form')!;
      await form.updateComplete;
      await waitUntil(() => check(form.shadowRoot!), `${exportName} is not in its state`);
      await expect(form).to.be.accessible();
    });
  }
});
