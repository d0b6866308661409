/**
 * Registers the picker's views. `<fs-picker>` loads this module with import() (see
 * components/fs-picker/load-views.ts), so a page pays for the views only once the picker is defined, not
 * before it can open. Import it directly to use a view on its own.
 */
import { FsAccount } from './components/fs-account/fs-account.ts';
import { FsBrowser } from './components/fs-browser/fs-browser.ts';
import { FsConnect } from './components/fs-connect/fs-connect.ts';
import { FsLink } from './components/fs-link/fs-link.ts';
import { FsSaveForm } from './components/fs-save-form/fs-save-form.ts';
import { FsSelectionBar } from './components/fs-selection-bar/fs-selection-bar.ts';
import { FsUpload } from './components/fs-upload/fs-upload.ts';
import { register } from './register.ts';

register({
  'fs-connect': FsConnect,
  'fs-account': FsAccount,
  'fs-browser': FsBrowser,
  'fs-selection-bar': FsSelectionBar,
  'fs-upload': FsUpload,
  'fs-link': FsLink,
  'fs-save-form': FsSaveForm,
});
