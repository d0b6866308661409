/**
 * Registers the fs-picker elements. Import it once (or many times: an embeddable widget is often loaded
 * twice on a page, and a second registration is skipped rather than throwing).
 */
import { FsAccount } from './components/fs-account/fs-account.ts';
import { FsBrowser } from './components/fs-browser/fs-browser.ts';
import { FsConnect } from './components/fs-connect/fs-connect.ts';
import { FsLink } from './components/fs-link/fs-link.ts';
import { FsPicker } from './components/fs-picker/fs-picker.ts';
import { FsSaveForm } from './components/fs-save-form/fs-save-form.ts';
import { FsSelectionBar } from './components/fs-selection-bar/fs-selection-bar.ts';
import { FsServiceList } from './components/fs-service-list/fs-service-list.ts';
import { FsUpload } from './components/fs-upload/fs-upload.ts';

const elements: Record<string, CustomElementConstructor> = {
  'fs-picker': FsPicker,
  'fs-service-list': FsServiceList,
  'fs-connect': FsConnect,
  'fs-account': FsAccount,
  'fs-browser': FsBrowser,
  'fs-selection-bar': FsSelectionBar,
  'fs-upload': FsUpload,
  'fs-link': FsLink,
  'fs-save-form': FsSaveForm,
};

for (const [tag, element] of Object.entries(elements)) {
  if (!customElements.get(tag)) customElements.define(tag, element);
}
