/**
 * The wire contract shared by the browser and the companion: Blob records, verb options and their
 * schemas, service ids and the error registry. No DOM and no `node:` imports, so both sides can load it.
 */
export * from './errors.ts';
export * from './services.ts';
export * from './blob.ts';
export * from './handle-token.ts';
export * from './options.ts';
export * from './option-values.ts';
export * from './option-rules.ts';
export * from './validate.ts';
export * from './urls.ts';
export * from './filename.ts';
export * from './browse.ts';
export * from './pick.ts';
export * from './store.ts';
export * from './connect.ts';
export * from './export.ts';
export * from './write.ts';
export * from './convert.ts';
export * from './convert-options.ts';
export * from './webhooks.ts';
export * from './byte-range.ts';
export * from './portal.ts';
