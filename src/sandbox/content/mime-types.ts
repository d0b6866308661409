export interface MimeType {
  mimeType: string;
  /** The display name Alfresco reports as `content.mimeTypeName`. */
  mimeTypeName: string;
}

const OCTET_STREAM: MimeType = { mimeType: 'application/octet-stream', mimeTypeName: 'Binary File (Octet Stream)' };

/**
 * By extension, with Alfresco's display names (its mimetype-map.xml). Alfresco's stock map has no
 * WebP entry; 'WebP Image' follows its naming for the other image types.
 */
const BY_EXTENSION: Record<string, MimeType> = {};
for (const [mimeType, mimeTypeName, extensions] of [
  ['application/pdf', 'Adobe PDF Document', 'pdf'],
  ['text/plain', 'Plain Text', 'txt log'],
  ['text/csv', 'Comma Separated Values (CSV)', 'csv'],
  ['application/json', 'JSON', 'json'],
  ['text/x-markdown', 'Markdown', 'md'],
  ['text/html', 'HTML', 'html htm'],
  ['text/xml', 'XML', 'xml'],
  ['text/css', 'Style Sheet', 'css'],
  ['application/x-javascript', 'JavaScript', 'js'],
  ['application/rtf', 'Rich Text Format', 'rtf'],
  ['image/jpeg', 'JPEG Image', 'jpg jpeg jpe'],
  ['image/png', 'PNG Image', 'png'],
  ['image/gif', 'GIF Image', 'gif'],
  ['image/webp', 'WebP Image', 'webp'],
  ['image/svg+xml', 'Scalable Vector Graphics Image', 'svg'],
  ['image/tiff', 'TIFF Image', 'tif tiff'],
  ['image/bmp', 'Bitmap Image', 'bmp'],
  ['application/msword', 'Microsoft Word', 'doc dot'],
  ['application/vnd.ms-excel', 'Microsoft Excel', 'xls xlt'],
  ['application/vnd.ms-powerpoint', 'Microsoft PowerPoint', 'ppt pps pot'],
  ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'Microsoft Word 2007', 'docx'],
  ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'Microsoft Excel 2007', 'xlsx'],
  ['application/vnd.openxmlformats-officedocument.presentationml.presentation', 'Microsoft PowerPoint 2007', 'pptx'],
  ['audio/x-wav', 'WAV Audio', 'wav'],
  ['audio/mpeg', 'MPEG Audio', 'mp3'],
  ['audio/mp4', 'MPEG4 Audio', 'm4a'],
  ['video/mp4', 'MPEG4 Video', 'mp4'],
  ['video/quicktime', 'Quicktime Video', 'mov'],
  ['video/webm', 'WebM Video', 'webm'],
  ['application/zip', 'ZIP', 'zip'],
  ['application/x-tar', 'Tarball', 'tar'],
  ['application/octet-stream', 'Binary File (Octet Stream)', 'bin'],
] as const) {
  for (const extension of extensions.split(' ')) BY_EXTENSION[extension] = { mimeType, mimeTypeName };
}

/** The file's extension, lower case, without the dot; '' when it has none. */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot + 1).toLowerCase();
}

/** Alfresco's mimetype for a file name, by extension, case-insensitive; octet-stream otherwise. */
export function mimeTypeOf(name: string): MimeType {
  return { ...(BY_EXTENSION[extensionOf(name)] ?? OCTET_STREAM) };
}
