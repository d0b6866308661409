/**
 * Registers the fs-picker elements. Import it once (or many times: an embeddable widget is often loaded
 * twice on a page, and a second registration is skipped rather than throwing).
 */
import { FsPicker } from './components/fs-picker/fs-picker.ts';
import { FsServiceList } from './components/fs-service-list/fs-service-list.ts';

const elements: Record<string, CustomElementConstructor> = {
  'fs-picker': FsPicker,
  'fs-service-list': FsServiceList,
};

for (const [tag, element] of Object.entries(elements)) {
  if (!customElements.get(tag)) customElements.define(tag, element);
}
