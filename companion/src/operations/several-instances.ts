import { isPostgresUrl } from '../db/dialect.ts';

/**
 * Why a configuration that says it is one of several instances (`instances: "several"`) would keep
 * something on this machine only: one line per setting, starting with its key. Empty when it would not,
 * or when it says `one`. Read from the configuration as written (before defaults), so a `storage.local`
 * the operator set is told from the default one, and every line comes at once with the schema's own.
 */
export function severalInstancesProblems(input: unknown): string[] {
  const config = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  if (config.instances !== 'several') return [];
  const database = typeof config.database === 'string' ? config.database : ':memory:';
  const storage = (typeof config.storage === 'object' && config.storage !== null ? config.storage : {}) as Record<string, unknown>;
  const why = 'with instances "several"';
  const problems: string[] = [];
  if (!isPostgresUrl(database)) {
    problems.push(`database: must be a postgres:// or postgresql:// URL ${why}; ${database === ':memory:' ? 'an in-memory database' : 'a SQLite file'} is one machine's, which the other instances cannot see`);
  }
  if (config.encryptionKey === undefined) {
    problems.push(`encryptionKey: is required ${why}, the same on every instance (FS_ENCRYPTION_KEY; openssl rand -base64 32): each instance would otherwise make its own and could not read what the others sealed`);
  }
  if (storage.s3 === undefined) {
    problems.push(`storage.s3: is required ${why}: stored files must go to an S3 bucket every instance reads, not to one machine's disk`);
  }
  if (storage.local !== undefined) {
    problems.push(`storage.local: is a folder on this machine's disk, which the other instances cannot read; remove it ${why} (stored files go to storage.s3)`);
  }
  return problems;
}

/** The setting a problem line names (the text before its first ": "). */
export function keyOf(problem: string): string {
  return problem.slice(0, problem.indexOf(': '));
}
