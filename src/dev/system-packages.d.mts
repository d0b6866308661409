export interface Requirement {
  name: string;
  present: (env: Record<string, string | undefined>) => boolean;
  packages: string[];
  recommends: boolean;
}
export const CHROME_PATHS: readonly string[];
export const REQUIREMENTS: readonly Requirement[];
export function missingRequirements(env?: Record<string, string | undefined>): Requirement[];
export function installCommand(missing: readonly Requirement[]): string;
export function mayInstall(env?: Record<string, string | undefined>): boolean;
export function install(missing: readonly Requirement[]): void;
