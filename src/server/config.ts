import * as v from 'valibot';
import { readFileSync } from 'node:fs';
import { SERVICE_IDS } from '../protocol/services.ts';

const Origin = v.pipe(
  v.string(),
  v.check((value) => URL.canParse(value) && new URL(value).origin === value, 'must be an origin like https://app.example.com (scheme, host and port only)'),
);
const HttpUrl = v.pipe(v.string(), v.check((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), 'must be an http(s) URL'));

const AppSchema = v.strictObject({
  apiKey: v.pipe(v.string(), v.minLength(8, 'must be at least 8 characters')),
  name: v.string(),
  allowedOrigins: v.array(Origin),
  services: v.optional(v.array(v.picklist(SERVICE_IDS)), [...SERVICE_IDS]),
});

const ConfigSchema = v.strictObject({
  host: v.optional(v.string(), '127.0.0.1'),
  port: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(65535)), 3020),
  alfresco: v.strictObject({ repositoryUrl: HttpUrl }),
  apps: v.pipe(v.array(AppSchema), v.minLength(1, 'must list at least one app')),
});

export type CompanionConfig = v.InferOutput<typeof ConfigSchema>;
export type CompanionConfigInput = v.InferInput<typeof ConfigSchema>;
export type AppConfig = CompanionConfig['apps'][number];

/** The dev app that `npm start` wires to the sandbox; its key is public on purpose and useless elsewhere. */
export const DEV_API_KEY = 'fs-dev-app-key';

export function embeddedDefaults({ sandboxUrl = 'http://127.0.0.1:8180', demoOrigins = ['http://127.0.0.1:5173', 'http://localhost:5173'] } = {}): CompanionConfigInput {
  return {
    alfresco: { repositoryUrl: sandboxUrl },
    apps: [{ apiKey: DEV_API_KEY, name: 'fs-picker demo', allowedOrigins: demoOrigins }],
  };
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`The companion configuration has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Validates every key at once so an operator sees each mistake, one line per bad key. */
export function parseConfig(input: unknown): CompanionConfig {
  const result = v.safeParse(ConfigSchema, input, { abortEarly: false });
  if (result.success) return result.output;
  throw new ConfigError(result.issues.map((issue) => `${v.getDotPath(issue) ?? '(top level)'}: ${describe(issue)}`));
}

function describe(issue: v.BaseIssue<unknown>): string {
  if (issue.expected === 'never' && issue.type === 'strict_object') return 'is not a known setting';
  if (issue.kind === 'schema') return `expected ${issue.expected}, got ${issue.received}`;
  return issue.message;
}

/**
 * Reads the configuration once: the JSON file named by FS_CONFIG (or the embedded defaults), then
 * FS_HOST, FS_PORT and FS_ALFRESCO_URL from the environment on top.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): CompanionConfig {
  const base = env.FS_CONFIG ? readJson(env.FS_CONFIG) : embeddedDefaults();
  const overrides: Record<string, unknown> = {};
  if (env.FS_HOST) overrides.host = env.FS_HOST;
  if (env.FS_PORT) overrides.port = /^\d+$/.test(env.FS_PORT) ? Number(env.FS_PORT) : env.FS_PORT;
  const merged = { ...(base as object), ...overrides } as Record<string, unknown>;
  if (env.FS_ALFRESCO_URL) merged.alfresco = { ...(merged.alfresco as object), repositoryUrl: env.FS_ALFRESCO_URL };
  return parseConfig(merged);
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError([`FS_CONFIG: cannot read ${path} as JSON (${(error as Error).message})`]);
  }
}
