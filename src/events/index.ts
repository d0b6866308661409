export { FsOpenEvent } from './fs-open.ts';
export { FsCloseEvent, type FsCloseDetail } from './fs-close.ts';
export { FsServiceChangeEvent, type FsServiceChangeDetail } from './fs-service-change.ts';
export { FsErrorEvent, type FsErrorDetail } from './fs-error.ts';
export { FsPickEvent, type FsPickDetail } from './fs-pick.ts';
export { FsUploadProgressEvent, type FsUploadProgressDetail } from './fs-upload-progress.ts';
export { FsCancelEvent } from './fs-cancel.ts';
