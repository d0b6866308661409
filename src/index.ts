/** `fs-picker`: the elements' classes, the events and the wire types. Importing it registers nothing. */
export { FsPicker } from './components/fs-picker/fs-picker.ts';
export { FsServiceList } from './components/fs-service-list/fs-service-list.ts';
export { CompanionClient, type CompanionClientOptions } from './api/client.ts';
export * from './events/index.ts';
export * from './protocol/index.ts';
