import * as v from 'valibot';

/*
 * The one rule for a file name, wherever one is given (store, convert, export, the save form): the
 * strictest of the places a file can go, Alfresco's cm:name, so a name accepted once is accepted everywhere.
 */

/** The characters Alfresco does not allow in a node name (and no storage path may hold `/` or `\`). */
export const FORBIDDEN_NAME_CHARACTERS = ['*', '"', '<', '>', '\\', '/', '?', ':', '|'] as const;
/** The longest name Alfresco keeps (cm:name). */
export const MAX_FILENAME_LENGTH = 255;

/** Why a name cannot be used, or undefined when it can. */
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
  // Also refuses "." and "..".
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

/** A file name: one that {@link filenameProblem} finds nothing wrong with. */
export const FilenameSchema = v.pipe(
  v.string('must be a file name such as "report.pdf"'),
  v.rawCheck<string>(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const problem = filenameProblem(dataset.value);
    if (problem) addIssue({ message: describeFilenameProblem(problem) });
  }),
);
