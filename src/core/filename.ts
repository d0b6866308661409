import { FILE_ROUTE } from '../protocol/blob.ts';
import { filenameProblem, type FilenameProblem } from '../protocol/export.ts';

/*
 * File names for export mode: the right extension for a MIME type (keeping the person's base name), the
 * name Alfresco's "keep both" gives, and the check of what Alfresco allows in a name (shared with the
 * companion through protocol/export.ts).
 */

export { filenameProblem, type FilenameProblem };

/** Extensions per MIME type, the usual one first. */
const EXTENSIONS: Record<string, readonly string[]> = {
  'application/pdf': ['pdf'],
  'application/json': ['json'],
  'application/xml': ['xml'],
  'application/zip': ['zip'],
  'application/gzip': ['gz'],
  'application/x-tar': ['tar'],
  'application/rtf': ['rtf'],
  'application/msword': ['doc'],
  'application/vnd.ms-excel': ['xls'],
  'application/vnd.ms-powerpoint': ['ppt'],
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ['docx'],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['xlsx'],
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': ['pptx'],
  'application/vnd.oasis.opendocument.text': ['odt'],
  'application/vnd.oasis.opendocument.spreadsheet': ['ods'],
  'application/vnd.oasis.opendocument.presentation': ['odp'],
  'application/epub+zip': ['epub'],
  'text/plain': ['txt', 'text', 'log'],
  'text/csv': ['csv'],
  'text/html': ['html', 'htm'],
  'text/css': ['css'],
  'text/markdown': ['md', 'markdown'],
  'text/xml': ['xml'],
  'text/javascript': ['js', 'mjs'],
  'text/calendar': ['ics'],
  'image/jpeg': ['jpg', 'jpeg', 'jpe'],
  'image/png': ['png'],
  'image/gif': ['gif'],
  'image/webp': ['webp'],
  'image/avif': ['avif'],
  'image/svg+xml': ['svg'],
  'image/tiff': ['tif', 'tiff'],
  'image/bmp': ['bmp'],
  'image/heic': ['heic'],
  'audio/mpeg': ['mp3'],
  'audio/wav': ['wav'],
  'audio/ogg': ['ogg', 'oga'],
  'video/mp4': ['mp4', 'm4v'],
  'video/webm': ['webm'],
  'video/quicktime': ['mov'],
};

/** Every extension in the table, so "photo.png" is known to have an extension and "v1.2 notes" is not. */
const KNOWN = new Set(Object.values(EXTENSIONS).flat());

/** The usual extension (without the dot) for `mimetype`, or undefined when there is none to give. */
export function extensionFor(mimetype: string): string | undefined {
  return EXTENSIONS[mimetype.split(';')[0]!.trim().toLowerCase()]?.[0];
}

/** The extension of `name` (lower case, without the dot), when it has one that is a known file extension. */
function knownExtension(name: string): string | undefined {
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const extension = name.slice(dot + 1).toLowerCase();
  return KNOWN.has(extension) ? extension : undefined;
}

/**
 * `name` with the right extension for `mimetype`: kept when it already has one of the type's extensions
 * ("photo.jpeg" stays), swapped when it has another known one ("photo.png" + image/jpeg → "photo.jpg"),
 * added otherwise ("report" + application/pdf → "report.pdf"; "v1.2 notes" + text/plain → "v1.2 notes.txt").
 * An unknown or empty type leaves the name as it is; an empty name stays empty.
 */
export function withExtension(name: string, mimetype: string): string {
  const base = name.trim();
  const wanted = EXTENSIONS[mimetype.split(';')[0]!.trim().toLowerCase()];
  if (!base || !wanted) return base;
  const current = knownExtension(base);
  if (current !== undefined && wanted.includes(current)) return base;
  const stem = current === undefined ? base : base.slice(0, base.length - current.length - 1);
  return `${stem}.${wanted[0]!}`;
}

/** The name Alfresco's auto-rename gives the `n`-th copy: "report.pdf" → "report-1.pdf" (before the last dot). */
export function numberedName(name: string, n = 1): string {
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? `${name}-${n}` : `${name.slice(0, dot)}-${n}${name.slice(dot)}`;
}

/** Where the stem of a name ends (before its extension), to select just the stem in a text field. */
export function stemLength(name: string): number {
  const extension = knownExtension(name);
  return extension === undefined ? name.length : name.length - extension.length - 1;
}

/** The last path segment of a URL, decoded, as a name to suggest; undefined for a companion link or none. */
export function nameInUrl(url: string): string | undefined {
  try {
    const { pathname } = new URL(url);
    if (pathname.includes(FILE_ROUTE)) return undefined;
    return decodeURIComponent(pathname.split('/').pop() ?? '') || undefined;
  } catch {
    return undefined;
  }
}
