export { FsOpenEvent } from './fs-open.ts';
export { FsCloseEvent, type FsCloseDetail } from './fs-close.ts';
export { FsServiceChangeEvent, type FsServiceChangeDetail } from './fs-service-change.ts';
export { FsErrorEvent, type FsErrorDetail } from './fs-error.ts';
