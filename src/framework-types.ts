import type { FsPicker } from './components/fs-picker/fs-picker.ts';
import type { FsCancelEvent } from './events/fs-cancel.ts';
import type { FsCloseEvent } from './events/fs-close.ts';
import type { FsConnectEvent } from './events/fs-connect.ts';
import type { FsErrorEvent } from './events/fs-error.ts';
import type { FsExportEvent } from './events/fs-export.ts';
import type { FsNavigateEvent } from './events/fs-navigate.ts';
import type { FsOpenEvent } from './events/fs-open.ts';
import type { FsPickEvent } from './events/fs-pick.ts';
import type { FsSelectionChangeEvent } from './events/fs-selection-change.ts';
import type { FsServiceChangeEvent } from './events/fs-service-change.ts';
import type { FsUploadProgressEvent } from './events/fs-upload-progress.ts';

/*
 * What the framework typings (src/react.ts, src/vue.ts) say about `<fs-picker>`: the properties a template
 * may set and the events it fires. Types only; nothing here runs.
 */

/** The public properties of `<fs-picker>` that a framework sets (as DOM properties, not attributes). */
export type FsPickerProperties = Partial<
  Pick<FsPicker, 'apiKey' | 'server' | 'mode' | 'services' | 'accept' | 'multiple' | 'maxFiles' | 'minFiles' | 'maxSize' | 'folders' | 'openTo' | 'lang' | 'theme' | 'display'>
>;

/** Every event `<fs-picker>` fires (its own and those that bubble out of its views), by name. */
export interface FsPickerEventMap {
  'fs-open': FsOpenEvent;
  'fs-close': FsCloseEvent;
  'fs-service-change': FsServiceChangeEvent;
  'fs-connect': FsConnectEvent;
  'fs-navigate': FsNavigateEvent;
  'fs-selection-change': FsSelectionChangeEvent;
  'fs-upload-progress': FsUploadProgressEvent;
  'fs-pick': FsPickEvent;
  'fs-export': FsExportEvent;
  'fs-cancel': FsCancelEvent;
  'fs-error': FsErrorEvent;
}
