import { expect } from '@open-wc/testing';
import * as api from '../../src/index.ts';

describe('entry points', () => {
  it('the main entry exports the classes and registers no element', () => {
    expect(api.FsPicker).to.be.a('function');
    expect(api.FsServiceList).to.be.a('function');
    expect(customElements.get('fs-picker')).to.equal(undefined);
    expect(customElements.get('fs-service-list')).to.equal(undefined);
  });

  it('define registers the elements, and loading it a second time is harmless', async () => {
    await import('../../src/define.ts');
    // A different URL makes the browser evaluate the module again, as a second copy on a page would.
    await import(/* @vite-ignore */ `${new URL('../../src/define.ts', import.meta.url).href}?second-copy`);

    expect(customElements.get('fs-picker')).to.equal(api.FsPicker);
    expect(document.createElement('fs-picker')).to.be.instanceOf(api.FsPicker);
  });
});
