import { expect, waitUntil } from '@open-wc/testing';
import { createApp, defineComponent, h, ref, type App, type GlobalComponents } from 'vue';
import '../../src/define.ts';
import type { FsPicker } from '../../src/components/fs-picker/fs-picker.ts';
import type { FsCloseEvent } from '../../src/events/fs-close.ts';
import type { FsPickEvent } from '../../src/events/fs-pick.ts';
import type {} from '../../src/vue.ts';
import { stackUrls } from '../helpers/stack.ts';

/*
 * `<fs-picker>` in a Vue 3 app, against the real companion: once with a template (Vue's runtime compiler,
 * `fs-*` declared as custom elements) and once with a render function. Vue sets bound values as the
 * element's properties and `@fs-pick` / `onFsPick` listen for the element's real events. src/vue.ts types
 * the element for Vue's type checker (vue-tsc reads GlobalComponents in templates).
 */

// The typing itself: the element's $props and $emit, as vue-tsc sees `<fs-picker>` in a template.
type Instance = InstanceType<GlobalComponents['fs-picker']>;
const typed: Instance['$props'] = { apiKey: 'key', server: 'https://files.example.com', multiple: true, maxFiles: 3, class: 'picker' };
// @ts-expect-error multiple is a boolean property.
const wrongType: Instance['$props'] = { multiple: 'yes' };
const emit = (fn: Instance['$emit']) => {
  fn('fs-close', new Event('fs-close') as FsCloseEvent);
  // @ts-expect-error fs-pick carries an FsPickEvent, not a plain string.
  fn('fs-pick', 'nope');
};
void [typed, wrongType, emit];

const inShadow = <T extends Element>(picker: FsPicker, selector: string): T | null => picker.shadowRoot!.querySelector<T>(selector);

/** Chooses a file on the open picker's My Computer view, as the browser's file dialog would. */
async function chooseFile(picker: FsPicker, file: File): Promise<void> {
  await waitUntil(() => inShadow(picker, '[part="body"] fs-upload')?.shadowRoot?.querySelector('input[type="file"]'), 'My Computer did not open');
  const input = inShadow(picker, '[part="body"] fs-upload')!.shadowRoot!.querySelector<HTMLInputElement>('input[type="file"]')!;
  const data = new DataTransfer();
  data.items.add(file);
  input.files = data.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

describe('<fs-picker> in Vue 3', () => {
  let container: HTMLElement;
  let app: App | undefined;
  let urls: Awaited<ReturnType<typeof stackUrls>>;

  before(async () => {
    urls = await stackUrls();
  });
  beforeEach(() => {
    container = document.body.appendChild(document.createElement('div'));
  });
  afterEach(() => {
    app?.unmount();
    app = undefined;
    container.remove();
  });

  it('in a template: bound values become properties, and @fs-pick receives a real upload', async () => {
    const picked: FsPickEvent[] = [];
    const opened: Event[] = [];
    app = createApp(
      defineComponent({
        template: `<fs-picker ref="picker" :api-key="apiKey" :server="server" services="COMPUTER" :max-size="1000"
          @fs-open="opened.push($event)" @fs-pick="onPick" />`,
        setup: () => ({ apiKey: urls.apiKey, server: urls.companion, opened, onPick: (event: FsPickEvent) => picked.push(event) }),
      }),
    );
    app.config.compilerOptions.isCustomElement = (tag) => tag.startsWith('fs-');
    app.mount(container);
    const picker = container.querySelector('fs-picker')!;

    expect(picker.apiKey).to.equal(urls.apiKey);
    expect(picker.server).to.equal(urls.companion);
    expect(picker.services).to.equal('COMPUTER');
    expect(picker.maxSize).to.equal(1000);

    await picker.open();
    await waitUntil(() => opened.length === 1, '@fs-open was not called');
    await chooseFile(picker, new File(['hello from Vue'], 'vue.txt', { type: 'text/plain' }));

    await waitUntil(() => picked.length === 1, '@fs-pick was not called', { timeout: 8000 });
    const [blob] = picked[0]!.detail.blobs;
    expect(blob!.filename).to.equal('vue.txt');
    expect(await (await fetch(blob!.url)).text()).to.equal('hello from Vue');
    await waitUntil(() => !picker.isOpen, 'the picker did not close after the pick');
  });

  it('in a render function: onFsClose receives the close with its reason, and the open picker is accessible', async () => {
    const reasons: string[] = [];
    const picker = ref<FsPicker>();
    app = createApp({
      render: () => h('fs-picker', { ref: picker, apiKey: urls.apiKey, server: urls.companion, services: 'COMPUTER', multiple: true, onFsClose: (event: FsCloseEvent) => reasons.push(event.detail.reason) }),
    });
    app.mount(container);
    const element = picker.value!;
    expect(element.multiple).to.equal(true);

    await element.open();
    await waitUntil(() => inShadow(element, '[part="body"] fs-upload'));
    await expect(element).to.be.accessible();
    inShadow<HTMLButtonElement>(element, '[part="close-button"]')!.click();

    await waitUntil(() => reasons.length === 1, 'onFsClose was not called');
    expect(reasons).to.deep.equal(['button']);
  });
});
