/** `fs-picker`: the elements' classes, the events and the wire types. Importing it registers nothing. */
export { FsPicker } from './components/fs-picker/fs-picker.ts';
export { FsServiceList } from './components/fs-service-list/fs-service-list.ts';
export { FsConnect } from './components/fs-connect/fs-connect.ts';
export { FsAccount } from './components/fs-account/fs-account.ts';
export { FsBrowser } from './components/fs-browser/fs-browser.ts';
export { FsSelectionBar } from './components/fs-selection-bar/fs-selection-bar.ts';
export { FsUpload } from './components/fs-upload/fs-upload.ts';
export { FsLink } from './components/fs-link/fs-link.ts';
export { FsSaveForm } from './components/fs-save-form/fs-save-form.ts';
export { CompanionClient, type CompanionClientOptions } from './api/transport/client.ts';
export * from './events/index.ts';
export * from './protocol/index.ts';
export { createClient, type FsClient, type CreateClientOptions, type FileInput, type Progress, type Security, type VerbCall } from './api/create-client.ts';
export { FPError } from './api/fp-error.ts';
export type { FsPickerEventMap, FsPickerProperties } from './framework-types.ts';
