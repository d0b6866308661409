/**
 * The one way in: every route reads and checks its JSON body and query here, with one error code per
 * fault (check.ts) and a size limit on every JSON body (body.ts, limit.ts). Streamed bodies (store,
 * write, export) are bounded by their `maxSize` while they stream, in storage and the upload.
 */
export { readJson, readJsonFields, readJsonValue } from './body.ts';
export { readQuery } from './query.ts';
export { checkInput, checkFields, checkWith, FieldsError, type Problem } from './check.ts';
export { bodyLimits, DEFAULT_JSON_BODY_BYTES, jsonBodyLimitOf } from './limit.ts';
export { concreteType, contentLength } from './headers.ts';
