/**
 * CMIS SQL (CMIS 1.1 §2.1.14.2) for listing and searching. In a string literal `'` and `\` are escaped
 * with a backslash; in a LIKE pattern `%` and `_` are too, so a name typed with them is taken literally
 * (§2.1.14.2.4.5).
 */

export type BaseType = 'cmis:document' | 'cmis:folder';

export function quoted(text: string): string {
  return `'${text.replace(/[\\']/g, (char) => `\\${char}`)}'`;
}

/** A LIKE pattern for names that start with `prefix`. */
export function startsWith(prefix: string): string {
  return `'${prefix.replace(/[\\'%_]/g, (char) => `\\${char}`)}%'`;
}

/** The objects of one base type directly in a folder, in `orderBy`'s order (`cmis:name ASC`). */
export function inFolderQuery(type: BaseType, folderId: string, orderBy: string): string {
  return `SELECT * FROM ${type} WHERE IN_FOLDER(${quoted(folderId)}) ORDER BY ${orderBy}`;
}

/** The objects of one base type whose name starts with `q`, directly in `folderId` when given, by name. */
export function nameQuery(type: BaseType, q: string, folderId: string | undefined): string {
  const where = [`cmis:name LIKE ${startsWith(q)}`, ...(folderId === undefined ? [] : [`IN_FOLDER(${quoted(folderId)})`])];
  return `SELECT * FROM ${type} WHERE ${where.join(' AND ')} ORDER BY cmis:name ASC`;
}
