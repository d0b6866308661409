import * as v from 'valibot';
import { BlobSchema, HandleSchema, type FsBlob } from './blob.ts';
import { itemIdSchema } from './browse.ts';
import { FilenameSchema } from './filename.ts';
import { HandleTokensSchema, type WithHandleTokens } from './handle-token.ts';
import { ConcreteMimetypeSchema } from './option-values.ts';
import { HttpUrlSchema } from './urls.ts';

/*
 * Export: saving a file INTO Alfresco (exportFile, `<fs-save-form>`). Both need the app key and a session.
 *
 *   POST /api/export?folderId=&filename=&conflict=&mimetype=
 *        body: the file's bytes, raw (a browser Blob/File), streamed              → 200 ExportResponse
 *   POST /api/export   (no query parameters besides the key)
 *        body: ExportRequest as JSON — the file is a picked/stored handle or a URL → 200 ExportResponse
 *
 * Which of the two a call is depends on the query (`folderId` there means the body is the file), never on
 * the body's Content-Type, so a JSON file can be saved as raw bytes like any other.
 *
 * Errors: 409 FS_ERR_CONFLICT when `conflict` is `fail` and the folder has an item of that name (the
 * message names it; the picker then asks), 403 FS_ERR_FORBIDDEN when the person may not write there,
 * 400 for a bad name or request, 404 for an unknown folder or handle.
 */

export const EXPORT_ROUTE = '/api/export';

/** What happens when the folder already has an item with the chosen name. */
export const CONFLICT_MODES = ['fail', 'rename', 'replace'] as const;
/**
 * `fail` (the default): 409 FS_ERR_CONFLICT, nothing written. `rename`: keep both, the new file gets
 * Alfresco's next free name ("report-1.pdf"). `replace`: the new bytes become a new version of the
 * existing file (the old version stays in its history).
 */
export type ConflictMode = (typeof CONFLICT_MODES)[number];

// The file name rules are the protocol's one rule (filename.ts); src/core/filename.ts takes them from here.
export { FORBIDDEN_NAME_CHARACTERS, MAX_FILENAME_LENGTH, describeFilenameProblem, filenameProblem, type FilenameProblem } from './filename.ts';

const FolderIdSchema = itemIdSchema('must be a folder id');
const ConflictSchema = v.optional(v.picklist(CONFLICT_MODES, `must be one of ${CONFLICT_MODES.join(', ')}`), 'fail');

/** The query of the raw-body form, `POST /api/export?folderId=…&filename=…`. */
export const ExportQuerySchema = v.object({
  folderId: FolderIdSchema,
  filename: FilenameSchema,
  conflict: ConflictSchema,
  /** The new file's type; by default the body's Content-Type, else Alfresco guesses from the name. */
  mimetype: v.optional(ConcreteMimetypeSchema),
});

/** The file to save, when it is not the body: a picked or stored file's handle, or an http(s) URL. */
export const ExportSourceSchema = v.union(
  [
    v.strictObject({ handle: HandleSchema }),
    v.strictObject({ url: HttpUrlSchema }),
  ],
  'must be {"handle": "…"} or {"url": "https://…"}',
);

/** `POST /api/export` with a JSON body. */
export const ExportRequestSchema = v.strictObject({
  folderId: FolderIdSchema,
  filename: FilenameSchema,
  conflict: ConflictSchema,
  mimetype: v.optional(ConcreteMimetypeSchema),
  source: ExportSourceSchema,
});
export type ExportRequest = v.InferInput<typeof ExportRequestSchema>;

/** The answer of both forms: the new (or newly versioned) Alfresco file. */
/** `handleTokens`: the new handle's token (src/protocol/handle-token.ts), for this browser only. */
export interface ExportResponse extends WithHandleTokens {
  /** `client: "Alfresco"`, `source: "ALFRESCO"`, `isWriteable: true`, `url` its distributable link. */
  blob: FsBlob;
}

export const ExportResponseSchema = v.object({ blob: BlobSchema, handleTokens: v.optional(HandleTokensSchema) }) satisfies v.GenericSchema<unknown, ExportResponse>;
