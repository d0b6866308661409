import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { BrowserHarness } from './browser-define.ts';

/** The keyboard alone, against the real companion: the swsdp library and its Images folder. */
describe('<fs-browser> keyboard', function () {
  this.timeout(40000);

  async function inLibrary(patch: Parameters<typeof BrowserHarness.real>[1] = {}): Promise<BrowserHarness> {
    const harness = await BrowserHarness.real('mjackson', { config: { multiple: true, maxFiles: 20, ...patch.config } });
    await harness.locationsLoaded();
    await harness.loaded();
    harness.location('Sample: Web Site Design Project').click();
    await harness.folderShown('documentLibrary');
    harness.listbox!.focus();
    return harness;
  }

  /** Presses `key`, or a chord like `Shift+ArrowDown` (modifiers held down around the key). */
  const press = async (harness: BrowserHarness, key: string) => {
    const keys = key.split('+');
    const last = keys.pop()!;
    for (const modifier of keys) await sendKeys({ down: modifier });
    await sendKeys({ press: last });
    for (const modifier of keys.reverse()) await sendKeys({ up: modifier });
    await harness.browser.updateComplete;
  };

  /** The library harness, moved into Agency Files/Images by the keyboard alone: Enter, type-ahead "i", Enter. */
  async function inImages(): Promise<BrowserHarness> {
    const harness = await inLibrary();
    await press(harness, 'Enter');
    await harness.folderShown('Agency Files');
    await press(harness, 'i');
    await press(harness, 'Enter');
    await harness.folderShown('Images');
    return harness;
  }

  it('is one tab stop whose active item follows the arrows, Home, End and type-ahead', async () => {
    const harness = await inLibrary();
    const listbox = harness.listbox!;
    expect(listbox.getAttribute('tabindex')).to.equal('0');
    expect(harness.options().every((option) => !option.hasAttribute('tabindex'))).to.equal(true);
    expect(harness.activeName()).to.equal('Agency Files');

    await press(harness, 'ArrowDown');
    expect(harness.activeName()).to.equal('Budget Files');
    await press(harness, 'End');
    expect(harness.activeName()).to.equal(harness.names().at(-1));
    await press(harness, 'Home');
    expect(harness.activeName()).to.equal('Agency Files');
    await press(harness, 'm');
    expect(harness.activeName()).to.equal('Meeting Notes');
    await press(harness, 'ArrowUp');
    expect(harness.activeName()).to.equal('Budget Files');
    await press(harness, 'PageDown');
    expect(harness.activeName()).to.equal(harness.names().at(-1));
    expect(harness.active()!.classList.contains('active')).to.equal(true);
  });

  it('opens a folder with Enter and goes back up with Backspace and Alt+ArrowUp', async () => {
    const harness = await inLibrary();

    await press(harness, 'Enter');
    await harness.folderShown('Agency Files');
    expect(harness.root.activeElement).to.equal(harness.listbox);

    await press(harness, 'Backspace');
    await harness.folderShown('documentLibrary');
    expect(harness.root.activeElement).to.equal(harness.listbox);

    await press(harness, 'Enter');
    await harness.folderShown('Agency Files');
    await sendKeys({ down: 'Alt' });
    await sendKeys({ press: 'ArrowUp' });
    await sendKeys({ up: 'Alt' });
    await harness.folderShown('documentLibrary');
  });

  it('selects with Space, Shift+arrows and Ctrl+A, and announces the count', async () => {
    const harness = await inImages();
    const first = harness.activeName();

    await press(harness, 'Space');
    expect(harness.selectedNames()).to.deep.equal([first]);
    expect(harness.active()!.getAttribute('aria-selected')).to.equal('true');
    await waitUntil(() => harness.announced().includes('1 selected'));

    await press(harness, 'Shift+ArrowDown');
    await press(harness, 'Shift+ArrowDown');
    expect(harness.selectedNames()).to.deep.equal(harness.names().slice(0, 3));
    await waitUntil(() => harness.announced().includes('3 selected'));

    await press(harness, 'Space');
    expect(harness.selectedNames()).to.have.length(2);

    await press(harness, 'Control+a');
    expect(harness.selectedNames()).to.have.length(11);
    expect(harness.options().every((option) => option.getAttribute('aria-selected') === 'true')).to.equal(true);
    expect(harness.listbox!.getAttribute('aria-multiselectable')).to.equal('true');
  });

  it('toggles a file with Enter, and keeps the selection across folders', async () => {
    const harness = await inImages();
    await press(harness, 'Enter');
    const picked = harness.selectedNames();
    expect(picked).to.have.length(1);

    await press(harness, 'Backspace');
    await harness.folderShown('Agency Files');
    expect(harness.selectedNames()).to.deep.equal(picked);
  });
});
