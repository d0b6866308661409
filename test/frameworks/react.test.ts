import { expect, waitUntil } from '@open-wc/testing';
import { createElement, createRef } from 'react';
import { flushSync } from 'react-dom';
import { createRoot, type Root } from 'react-dom/client';
import '../../src/define.ts';
import type { FsPicker } from '../../src/components/fs-picker/fs-picker.ts';
import type { FsCloseEvent } from '../../src/events/fs-close.ts';
import type { FsPickEvent } from '../../src/events/fs-pick.ts';
import type {} from '../../src/react.ts';
import { stackUrls } from '../helpers/stack.ts';

/*
 * `<fs-picker>` in a React 19 app, against the real companion. The element is rendered the way JSX
 * renders it (`<fs-picker …/>` is `createElement('fs-picker', props)`; tsconfig has no JSX setting, so the
 * example is written without JSX) with props typed by src/react.ts: React sets the element's properties
 * and adds `onfs-*` listeners, and the handlers receive the element's real events.
 */

type Props = React.JSX.IntrinsicElements['fs-picker'];

// The typing itself: the element's properties and event handlers are known, wrong ones are not.
const typed: Props = { apiKey: 'key', server: 'https://files.example.com', multiple: true, maxFiles: 3, 'onfs-pick': (event) => event.detail.blobs.map((blob) => blob.url) };
// @ts-expect-error multiple is a boolean property.
const wrongType: Props = { multiple: 'yes' };
// @ts-expect-error fs-close's detail has a reason, not blobs.
const wrongEvent: Props = { 'onfs-close': (event) => void event.detail.blobs };
void [typed, wrongType, wrongEvent];

const inShadow = <T extends Element>(picker: FsPicker, selector: string): T | null => picker.shadowRoot!.querySelector<T>(selector);

describe('<fs-picker> in React 19', () => {
  let container: HTMLElement;
  let root: Root;
  let urls: Awaited<ReturnType<typeof stackUrls>>;

  before(async () => {
    urls = await stackUrls();
  });
  beforeEach(() => {
    container = document.body.appendChild(document.createElement('div'));
    root = createRoot(container);
  });
  afterEach(() => {
    root.unmount();
    container.remove();
  });

  function render(props: Props): FsPicker {
    flushSync(() => root.render(createElement('fs-picker', props)));
    return container.querySelector('fs-picker')!;
  }

  it('sets the props as the element’s properties', async () => {
    const picker = render({ apiKey: urls.apiKey, server: urls.companion, services: 'COMPUTER', multiple: true, maxFiles: 4, theme: 'dark' });

    expect(picker.apiKey).to.equal(urls.apiKey);
    expect(picker.server).to.equal(urls.companion);
    expect(picker.services).to.equal('COMPUTER');
    expect(picker.multiple).to.equal(true);
    expect(picker.maxFiles).to.equal(4);
    await picker.updateComplete;
    expect(picker.getAttribute('theme'), 'theme reflects once Lit has updated').to.equal('dark');
  });

  it('opens through a ref; a file chosen on My Computer reaches the onfs-pick handler as a real upload', async () => {
    const ref = createRef<FsPicker>();
    const opened: Event[] = [];
    const picked: FsPickEvent[] = [];
    const closed: FsCloseEvent[] = [];
    render({ ref, apiKey: urls.apiKey, server: urls.companion, services: 'COMPUTER', 'onfs-open': (event) => opened.push(event), 'onfs-pick': (event) => picked.push(event), 'onfs-close': (event) => closed.push(event) });
    const picker = ref.current!;

    await picker.open();
    await waitUntil(() => opened.length === 1, 'onfs-open was not called');
    await waitUntil(() => inShadow(picker, '[part="body"] fs-upload')?.shadowRoot?.querySelector('input[type="file"]'), 'My Computer did not open');
    const input = inShadow(picker, '[part="body"] fs-upload')!.shadowRoot!.querySelector<HTMLInputElement>('input[type="file"]')!;
    const data = new DataTransfer();
    data.items.add(new File(['hello from React'], 'react.txt', { type: 'text/plain' }));
    input.files = data.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));

    await waitUntil(() => picked.length === 1, 'onfs-pick was not called', { timeout: 8000 });
    const [blob] = picked[0]!.detail.blobs;
    expect(blob!.filename).to.equal('react.txt');
    expect(blob!.client).to.equal('Computer');
    expect(await (await fetch(blob!.url)).text()).to.equal('hello from React');
    await waitUntil(() => !picker.isOpen, 'the picker did not close after the pick');
  });

  it('the close button reaches the onfs-close handler with its reason', async () => {
    const reasons: string[] = [];
    const picker = render({ apiKey: urls.apiKey, server: urls.companion, services: 'COMPUTER', 'onfs-close': (event) => reasons.push(event.detail.reason) });
    await picker.open();
    await waitUntil(() => picker.isOpen);

    inShadow<HTMLButtonElement>(picker, '[part="close-button"]')!.click();

    await waitUntil(() => reasons.length === 1, 'onfs-close was not called');
    expect(reasons).to.deep.equal(['button']);
  });

  it('is accessible when open', async () => {
    const picker = render({ apiKey: urls.apiKey, server: urls.companion, services: 'COMPUTER' });
    await picker.open();
    await waitUntil(() => inShadow(picker, '[part="body"] fs-upload'));
    await expect(picker).to.be.accessible();
    picker.close();
  });
});
