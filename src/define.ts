/**
 * Registers the fs-picker elements. Import it once (or many times: loading it twice is harmless).
 * What opening needs is registered now; the views follow with import(), fetched right away so they are
 * there by the time a person chooses a source.
 */
import { loadViews } from './components/fs-picker/load-views.ts';
import { FsPicker } from './components/fs-picker/fs-picker.ts';
import { FsServiceList } from './components/fs-service-list/fs-service-list.ts';
import { register } from './register.ts';

register({ 'fs-picker': FsPicker, 'fs-service-list': FsServiceList });
void loadViews();
