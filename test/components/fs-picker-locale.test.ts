import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { msg, str } from '@lit/localize';
import '../../src/define.ts';
import type { FsPicker } from '../../src/components/fs-picker/fs-picker.ts';
import { PickerHarness } from '../helpers/picker-harness.ts';
import { stackUrls } from '../helpers/stack.ts';

/** A picker in `lang`, opened; locale modules load asynchronously, so callers wait for the text they expect. */
async function pickerIn(lang: string): Promise<PickerHarness> {
  const urls = await stackUrls();
  const picker = await fixture<FsPicker>(html`<fs-picker lang=${lang} server=${urls.companion} api-key=${urls.apiKey}></fs-picker>`);
  const harness = new PickerHarness(picker);
  await harness.open();
  return harness;
}

const text = (node: Element | null | undefined): string => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const title = (harness: PickerHarness) => text(harness.picker.shadowRoot!.querySelector('#title'));
const prompt = (harness: PickerHarness) => text(harness.picker.shadowRoot!.querySelector('.prompt'));

async function shows(harness: PickerHarness, expected: string): Promise<void> {
  await waitUntil(
    async () => {
      await harness.picker.updateComplete;
      return title(harness) === expected;
    },
    `the title stayed “${title(harness)}”, expected “${expected}”`,
    { timeout: 5000 },
  );
}

describe('<fs-picker> languages', () => {
  afterEach(async () => {
    // One locale per page: leave the page in English for the next test.
    const harness = await pickerIn('en');
    await shows(harness, 'Choose a file');
  });

  it("speaks the page's language when it has no lang of its own", async () => {
    document.documentElement.lang = 'de';
    try {
      const urls = await stackUrls();
      const picker = await fixture<FsPicker>(html`<fs-picker server=${urls.companion} api-key=${urls.apiKey}></fs-picker>`);
      const harness = new PickerHarness(picker);
      await harness.open();
      await shows(harness, 'Datei auswählen');
    } finally {
      document.documentElement.lang = '';
    }
  });

  it('speaks German with lang="de"', async () => {
    const harness = await pickerIn('de');
    await shows(harness, 'Datei auswählen');

    expect(prompt(harness)).to.equal('Wählen Sie aus, wo sich Ihre Dateien befinden.');
    expect(harness.closeButton.getAttribute('aria-label')).to.equal('Schließen');
    expect(harness.picker.shadowRoot!.querySelector('nav')!.getAttribute('aria-label')).to.equal('Quellen');
    await harness.servicesLoaded();
    await harness.serviceList.updateComplete;
    expect(harness.serviceList.shadowRoot!.querySelector('ul')!.getAttribute('aria-label')).to.equal('Quellen');
    expect(text(harness.serviceButton('COMPUTER'))).to.equal('Mein Computer');
    expect(text(harness.serviceButton('URL'))).to.equal('Link (URL)');
    expect(harness.dialog.getAttribute('dir')).to.equal('ltr');
    await expect(harness.picker).to.be.accessible();
  });

  it('uses the language of a regional tag (fr-CA → French)', async () => {
    const harness = await pickerIn('fr-CA');
    await shows(harness, 'Choisir un fichier');
    expect(prompt(harness)).to.equal('Choisissez où se trouvent vos fichiers.');
  });

  it('speaks Arabic right to left with lang="ar"', async () => {
    const harness = await pickerIn('ar');
    await shows(harness, 'اختيار ملف');

    expect(prompt(harness)).to.equal('اختر مكان ملفاتك.');
    expect(harness.closeButton.getAttribute('aria-label')).to.equal('إغلاق');
    await harness.servicesLoaded();
    expect(text(harness.serviceButton('COMPUTER'))).to.equal('جهاز الكمبيوتر');
    expect(harness.dialog.getAttribute('dir')).to.equal('rtl');
    expect(getComputedStyle(harness.dialog).direction).to.equal('rtl');
    // The layout mirrors: the sources column starts on the right.
    const nav = harness.picker.shadowRoot!.querySelector('nav')!.getBoundingClientRect();
    const body = harness.picker.shadowRoot!.querySelector('[part="body"]')!.getBoundingClientRect();
    expect(nav.left).to.be.greaterThan(body.left);
    await expect(harness.picker).to.be.accessible();
  });

  it('goes back to English when lang changes to "en"', async () => {
    const harness = await pickerIn('de');
    await shows(harness, 'Datei auswählen');

    harness.picker.lang = 'ar';
    await shows(harness, 'اختيار ملف');
    expect(harness.dialog.getAttribute('dir')).to.equal('rtl');

    harness.picker.lang = 'en';
    await shows(harness, 'Choose a file');
    expect(prompt(harness)).to.equal('Choose where your files are.');
    expect(harness.closeButton.getAttribute('aria-label')).to.equal('Close');
    await harness.servicesLoaded();
    await harness.serviceList.updateComplete;
    expect(text(harness.serviceButton('COMPUTER'))).to.equal('My Computer');
    expect(harness.dialog.getAttribute('dir')).to.equal('ltr');
  });

  it('shows characters such as < and > in translated text, not HTML entities', async () => {
    const harness = await pickerIn('de');
    await shows(harness, 'Datei auswählen');

    // The same message fs-save-form shows for a name with forbidden characters (lit/lit#5012).
    const characters = '“?”';
    const message = msg(str`A file name cannot contain ${characters}. These characters are never allowed: * " < > \\ / ? : |`);
    expect(message).to.equal('Ein Dateiname darf “?” nicht enthalten. Diese Zeichen sind nie erlaubt: * " < > \\ / ? : |');
  });
});
