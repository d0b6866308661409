import * as v from 'valibot';
import { BlobSchema, HANDLE_PATTERN, type FsBlob } from './blob.ts';

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

/** The characters Alfresco does not allow in a node name. */
export const FORBIDDEN_NAME_CHARACTERS = ['*', '"', '<', '>', '\\', '/', '?', ':', '|'] as const;
/** The longest name Alfresco keeps (cm:name). */
export const MAX_FILENAME_LENGTH = 255;

/** Why a name cannot be used in Alfresco, or undefined when it can. */
export type FilenameProblem =
  | { kind: 'empty' }
  | { kind: 'too-long'; max: number }
  | { kind: 'forbidden'; characters: string[] }
  | { kind: 'trailing-dot' }
  | { kind: 'control' };

export function filenameProblem(name: string): FilenameProblem | undefined {
  const trimmed = name.trim();
  if (trimmed === '') return { kind: 'empty' };
  const forbidden = FORBIDDEN_NAME_CHARACTERS.filter((character) => name.includes(character));
  if (forbidden.length > 0) return { kind: 'forbidden', characters: [...forbidden] };
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return { kind: 'control' };
  if (trimmed.endsWith('.')) return { kind: 'trailing-dot' };
  if (name.length > MAX_FILENAME_LENGTH) return { kind: 'too-long', max: MAX_FILENAME_LENGTH };
  return undefined;
}

/** An English sentence for a problem (the companion's messages; the element localises its own). */
export function describeFilenameProblem(problem: FilenameProblem): string {
  switch (problem.kind) {
    case 'empty':
      return 'must not be empty';
    case 'too-long':
      return `must be at most ${problem.max} characters`;
    case 'forbidden':
      return `must not contain ${problem.characters.map((c) => `"${c}"`).join(', ')} (Alfresco does not allow * " < > \\ / ? : |)`;
    case 'trailing-dot':
      return 'must not end with a dot';
    case 'control':
      return 'must not contain control characters';
  }
}

const FilenameSchema = v.pipe(
  v.string('must be a string'),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const problem = filenameProblem(dataset.value);
    if (problem) addIssue({ message: describeFilenameProblem(problem) });
  }),
);
/** Node ids and the aliases Alfresco knows (`-my-`, `-shared-`, `-root-`). */
const FolderIdSchema = v.pipe(v.string('must be a string'), v.regex(/^[A-Za-z0-9_-]{1,128}$/, 'must be a folder id'));
const ConflictSchema = v.optional(v.picklist(CONFLICT_MODES, `must be one of ${CONFLICT_MODES.join(', ')}`), 'fail');
const MimetypeSchema = v.optional(v.pipe(v.string('must be a string'), v.regex(/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/i, 'must be a MIME type like application/pdf')));

/** The query of the raw-body form, `POST /api/export?folderId=…&filename=…`. */
export const ExportQuerySchema = v.object({
  folderId: FolderIdSchema,
  filename: FilenameSchema,
  conflict: ConflictSchema,
  /** The new file's type; by default the body's Content-Type, else Alfresco guesses from the name. */
  mimetype: MimetypeSchema,
});
export type ExportQuery = v.InferInput<typeof ExportQuerySchema>;

/** The file to save, when it is not the body: a picked or stored file's handle, or an http(s) URL. */
export const ExportSourceSchema = v.union(
  [
    v.strictObject({ handle: v.pipe(v.string('must be a string'), v.regex(HANDLE_PATTERN, 'must be a file handle')) }),
    v.strictObject({
      url: v.pipe(
        v.string('must be a string'),
        v.check((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), 'must be an absolute http or https URL'),
      ),
    }),
  ],
  'must be {"handle": "…"} or {"url": "https://…"}',
);

/** `POST /api/export` with a JSON body. */
export const ExportRequestSchema = v.strictObject({
  folderId: FolderIdSchema,
  filename: FilenameSchema,
  conflict: ConflictSchema,
  mimetype: MimetypeSchema,
  source: ExportSourceSchema,
});
export type ExportRequest = v.InferInput<typeof ExportRequestSchema>;

/** The answer of both forms: the new (or newly versioned) Alfresco file. */
export interface ExportResponse {
  /** `client: "Alfresco"`, `source: "ALFRESCO"`, `isWriteable: true`, `url` its distributable link. */
  blob: FsBlob;
}

export const ExportResponseSchema = v.object({ blob: BlobSchema }) satisfies v.GenericSchema<unknown, ExportResponse>;
