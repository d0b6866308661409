import * as v from 'valibot';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { HttpUrlSchema as HttpUrl, OriginSchema as Origin, SERVICE_IDS, WEBHOOK_ACTIONS, type WebhookAction } from 'fs-picker/protocol';
import { DEFAULT_JSON_BODY_BYTES } from './requests/limit.ts';
import { parseProxyEntry } from './requests/client-address.ts';
import { SERVICE_ID } from './providers/registry.ts';
import { isStandardSecretLike, standardSecretProblem } from './webhooks/standard-signature.ts';
import { keyOf, severalInstancesProblems } from './operations/several-instances.ts';

const NonEmpty = v.pipe(v.string(), v.minLength(1, 'must not be empty'));
/** `one` companion on its database and storage, or `several` sharing them (see `instances` below). */
export const INSTANCE_MODES = ['one', 'several'] as const;
/** Logged on every line: short and printable, so a log search finds it as it is written. */
const InstanceIdSchema = v.pipe(v.string(), v.regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, 'must be 1 to 64 letters, digits, ".", "_", ":" and "-", starting with a letter or digit'));
/** `<hostname>-<pid>`: different for every process on a machine and across machines. */
const defaultInstanceId = (): string => `${hostname().replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 48) || 'companion'}-${process.pid}`;
const Key32 = v.pipe(
  v.string(),
  v.check((value) => Buffer.from(value, 'base64').length === 32, 'must be 32 bytes in base64 (openssl rand -base64 32)'),
);

/** An Alfresco OAuth application: the App Key (client id) and App Secret (client secret) of the guide. */
const OAuthApplicationSchema = v.strictObject({ clientId: NonEmpty, clientSecret: v.optional(NonEmpty) });

/**
 * How people sign in to Alfresco: `oidc` finds the identity service by discovery; `oauth` names the
 * endpoints (the legacy Alfresco cloud); `ticket` is the companion's own form for servers without either.
 */
const SignInSchema = v.variant('type', [
  v.strictObject({ type: v.literal('oidc'), issuer: HttpUrl }),
  v.strictObject({ type: v.literal('oauth'), authorizeUrl: HttpUrl, tokenUrl: HttpUrl, revokeUrl: v.optional(HttpUrl) }),
  v.strictObject({ type: v.literal('ticket') }),
]);

const WebhookSecret = v.pipe(v.string(), v.minLength(16, 'must be at least 16 characters (openssl rand -hex 24)'));

/**
 * One webhook URL of an app: which events it gets, how its deliveries are signed and with what secret.
 * Like the rest of an app, it seeds the database the first time the companion meets the app; after that
 * the portal edits it (and rotates its secret).
 */
const WebhookSchema = v.pipe(
  v.strictObject({
  url: HttpUrl,
  events: v.pipe(
    v.union([v.literal('all'), v.array(v.string())], `must be "all" or a list of events out of ${WEBHOOK_ACTIONS.join(', ')}`),
    v.check(
      (value) => value === 'all' || (value.length > 0 && value.every((action) => (WEBHOOK_ACTIONS as readonly string[]).includes(action))),
      (issue) => {
        const list = issue.input as string[];
        const why = list.length === 0 ? 'is empty' : `has the unknown event ${JSON.stringify(list.find((action) => !(WEBHOOK_ACTIONS as readonly string[]).includes(action)))}`;
        return `must be "all" or a list of events out of ${WEBHOOK_ACTIONS.join(', ')}; it ${why}`;
      },
    ),
    v.transform((value) => value as 'all' | WebhookAction[]),
  ),
  secret: WebhookSecret,
  /**
   * "fs" (the default): FS-Timestamp and FS-Signature (hex HMAC-SHA256 of `timestamp.body`). "standard":
   * Standard Webhooks 1.0 (webhook-id, webhook-timestamp, webhook-signature), whose secrets are
   * "whsec_" and the base64 of 24 to 64 random bytes; receivers can use that specification's libraries.
   */
  signing: v.optional(v.picklist(['fs', 'standard'], 'must be "fs" or "standard"'), 'fs'),
  /** The secret before a rotation: deliveries carry a signature with it too, until `previousSecretUntil`. */
  previousSecret: v.optional(WebhookSecret),
  /** When `previousSecret` stops signing: an ISO 8601 time such as "2026-12-09T12:00:00Z" (kept as Unix ms). */
  previousSecretUntil: v.optional(
    v.pipe(
      v.string(),
      v.check((value) => /^\d{4}-\d\d-\d\dT/.test(value) && !Number.isNaN(Date.parse(value)), 'must be an ISO 8601 time such as "2026-12-09T12:00:00Z"'),
      v.transform((value) => Date.parse(value)),
    ),
  ),
  }),
  v.forward(
    v.check((hook) => hook.signing !== 'standard' || standardSecretProblem(hook.secret) === undefined, (issue) => `with signing "standard", ${standardSecretProblem((issue.input as { secret: string }).secret)}`),
    ['secret'],
  ),
  // A whsec_ secret on an "fs" URL is almost surely meant for "standard"; refusing it also keeps a secret's form telling its scheme.
  v.forward(v.check((hook) => hook.signing !== 'fs' || !isStandardSecretLike(hook.secret), 'is a Standard Webhooks secret (whsec_…): set signing to "standard", or use another secret'), ['secret']),
  v.forward(
    v.check((hook) => hook.previousSecret === undefined || hook.signing !== 'standard' || standardSecretProblem(hook.previousSecret) === undefined, (issue) => `with signing "standard", ${standardSecretProblem((issue.input as { previousSecret: string }).previousSecret)}`),
    ['previousSecret'],
  ),
  v.forward(v.check((hook) => (hook.previousSecret === undefined) === (hook.previousSecretUntil === undefined), 'give previousSecret and previousSecretUntil together'), ['previousSecretUntil']),
);

const AppSchema = v.pipe(
  v.strictObject({
    apiKey: v.pipe(v.string(), v.minLength(8, 'must be at least 8 characters')),
    name: v.string(),
    allowedOrigins: v.array(Origin),
    /**
     * COMPUTER, URL and the ids of registered providers (ALFRESCO, WEBDAV, CMIS); buildApp refuses one no
     * provider has. Default: every source the app has (WEBDAV and CMIS when their endpoints are set).
     */
    services: v.optional(v.array(v.pipe(v.string(), v.regex(SERVICE_ID, 'must be service ids such as ALFRESCO, COMPUTER, URL')))),
    /** The app's WebDAV server (the source WEBDAV): the collection browsing starts at, e.g. https://cloud.example.com/remote.php/dav/files/. */
    webdav: v.optional(v.strictObject({ url: HttpUrl })),
    /**
     * The app's CMIS 1.1 repository (the source CMIS): its browser binding URL, the repository to use when it
     * serves several (default its first), and how people sign in: `password` (Basic, through the
     * companion's form) or `alfresco` (Alfresco's CMIS, with the person's Alfresco sign-in).
     */
    cmis: v.optional(v.strictObject({ url: HttpUrl, repositoryId: v.optional(NonEmpty), signIn: v.optional(v.picklist(['password', 'alfresco'], 'must be "password" or "alfresco"'), 'password') })),
    /** The app's own Alfresco OAuth application; until it has one, the operator's default is used. */
    alfrescoOAuth: v.optional(OAuthApplicationSchema),
    /** Signs security policies (hex HMAC-SHA256 of the policy). */
    appSecret: v.optional(NonEmpty),
    /** Refuse calls that carry no valid policy and signature. */
    requirePolicy: v.optional(v.boolean(), false),
    /** Let storeUrl fetch from private and loopback addresses (for intranet apps). */
    allowPrivateUrls: v.optional(v.boolean(), false),
    /** Let store calls ask for `access: "public"` (S3's public-read ACL); off, such a call is refused (field access). */
    allowPublicAccess: v.optional(v.boolean()),
    /** Where the app's webhook events go: any number of URLs, each for all events or chosen ones. */
    webhooks: v.optional(v.array(WebhookSchema)),
  }),
  v.transform((app) => ({ ...app, services: app.services ?? SERVICE_IDS.filter((id) => (id !== 'WEBDAV' || app.webdav) && (id !== 'CMIS' || app.cmis)) })),
  v.forward(
    v.check((app) => !app.services.includes('WEBDAV') || app.webdav !== undefined, 'names WEBDAV: give the app its server in webdav.url'),
    ['services'],
  ),
  v.forward(
    v.check((app) => !app.services.includes('CMIS') || app.cmis !== undefined, 'names CMIS: give the app its repository in cmis.url'),
    ['services'],
  ),
);

const S3Schema = v.strictObject({
  bucket: v.pipe(v.string(), v.minLength(3, 'must be at least 3 characters')),
  region: v.optional(v.string(), 'us-east-1'),
  endpoint: v.optional(HttpUrl),
  accessKeyId: v.optional(NonEmpty),
  secretAccessKey: v.optional(NonEmpty),
  forcePathStyle: v.optional(v.boolean(), false),
  /** Other buckets a store call may name as `container` (with these credentials); `bucket` is always allowed. */
  containers: v.optional(v.array(v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be S3 bucket names')))),
  /** Other regions a store call may name as `storeRegion`; `region` is always allowed. */
  regions: v.optional(v.array(v.pipe(v.string(), v.regex(/^[a-z0-9-]{1,40}$/, 'must be region names such as eu-west-1')))),
});

/**
 * The developer portal at /portal: owners sign in with the admin password (a person) or the admin token
 * (scripts, as `Authorization: Bearer`). With neither, the portal is disabled.
 */
const PortalSchema = v.strictObject({
  adminPassword: v.optional(v.pipe(v.string(), v.minLength(12, 'must be at least 12 characters'))),
  adminToken: v.optional(v.pipe(v.string(), v.minLength(32, 'must be at least 32 characters (openssl rand -hex 32)'))),
});

/** What the companion keeps of its webhook events (the URLs themselves are each app's `webhooks`). */
const WebhooksSchema = v.strictObject({
  /**
   * Days an event is kept once every delivery of it is delivered or failed; then it goes, with its
   * deliveries and attempts (the portal's delivery log). An event still being delivered is kept.
   */
  retentionDays: v.optional(v.pipe(v.number(), v.integer('must be a whole number of days'), v.minValue(1, 'must be at least 1 (day)')), 30),
  /**
   * Seconds an instance's hold on a delivery lasts without renewal (it renews every third of it): when an
   * instance dies mid-delivery, another makes its attempts this long after. Above the 10 s delivery timeout.
   */
  leaseSeconds: v.optional(v.pipe(v.number(), v.integer('must be a whole number of seconds'), v.minValue(2, 'must be at least 2 (seconds)'), v.maxValue(3600, 'must be at most 3600 (an hour)')), 60),
  /**
   * Hours a webhook URL's old secret keeps signing after the portal rotates it (Rotate secret): meanwhile
   * every delivery carries both signatures, so receivers can switch to the new secret at their pace.
   */
  rotationGraceHours: v.optional(v.pipe(v.number(), v.minValue(0, 'must be 0 or more (hours)'), v.maxValue(720, 'must be at most 720 (30 days)')), 24),
});

/** What the companion may connect to beyond what callers' apps allow (outbound/targets.ts). */
const OutboundSchema = v.strictObject({
  /**
   * Let the URLs set in the developer portal (webhook URLs, an app's Alfresco repository, identity
   * service and S3 endpoint) be on private addresses: loopback, RFC 1918, CGNAT, ULA. Off (the default),
   * the portal refuses such a URL with a field error and a webhook delivery to one is not made (the
   * delivery log says only "could not deliver"). Link-local, cloud metadata addresses and the companion's
   * own ports are refused either way. This configuration's own URLs (alfresco.repositoryUrl, signIn) are
   * the operator's and are not checked.
   */
  allowPrivateTargets: v.optional(v.boolean(), false),
});

/** How the companion stops on SIGTERM or SIGINT (main.ts). */
const ShutdownSchema = v.strictObject({
  /**
   * Milliseconds that requests and downloads in flight get to finish once the companion stops accepting
   * new connections; what is still open then is cut, and the companion exits. Default 30 s.
   */
  deadlineMs: v.optional(v.pipe(v.number(), v.integer('must be a whole number of milliseconds'), v.minValue(0, 'must be at least 0'), v.maxValue(3_600_000, 'must be at most 3600000 (an hour)')), 30_000),
});

/** How long a person's grant outlives their sessions. */
const GrantsSchema = v.strictObject({
  /**
   * Days a grant is kept after the last of its owner's sessions expired (a session lasts 30 days from
   * sign-in; signing out deletes the grant at once). Then the grant is deleted, and every link picked
   * through it answers 404 FS_ERR_NOT_FOUND "This link no longer works" until it is picked again. So a
   * picked link lives at most 30 + retentionDays days after its owner last signed in.
   */
  retentionDays: v.optional(v.pipe(v.number(), v.integer('must be a whole number of days'), v.minValue(1, 'must be at least 1 (day)')), 30),
});

/** Bounds on what a request may send (streamed files have their own `maxSize`, checked while they stream). */
const LimitsSchema = v.strictObject({
  /** The largest JSON body any route reads; beyond it the answer is 413 FS_ERR_TOO_LARGE. */
  jsonBodyBytes: v.optional(v.pipe(v.number(), v.integer('must be a whole number of bytes'), v.minValue(1024, 'must be at least 1024 (bytes)')), DEFAULT_JSON_BODY_BYTES),
  /**
   * Bytes each app may keep stored (store, storeUrl, pickAndStore and conversion results, all locations,
   * until removed); past it a store is 507 FS_ERR_QUOTA, checked before and while streaming. Default 10 GiB.
   */
  appStorageBytes: v.optional(v.pipe(v.number(), v.integer('must be a whole number of bytes'), v.minValue(0, 'must be at least 0')), 10 * 1024 ** 3),
  /** Office conversions that may wait for LibreOffice (beyond those running); one more is 503 FS_ERR_BUSY with Retry-After. */
  officeQueue: v.optional(v.pipe(v.number(), v.integer('must be a whole number'), v.minValue(0, 'must be at least 0')), 8),
  /** The most pixels a conversion result may have (width × height); each side is at most 10,000 anyway. */
  convertPixels: v.optional(v.pipe(v.number(), v.integer('must be a whole number of pixels'), v.minValue(1, 'must be at least 1')), 40_000_000),
});

const ConfigSchema = v.pipe(
  v.strictObject({
    host: v.optional(v.string(), '127.0.0.1'),
    port: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(65535)), 3020),
    /** How browsers reach the companion (callbacks, distributable links); http://host:port when absent. */
    publicUrl: v.optional(HttpUrl),
    /**
     * The reverse proxies in front of the companion (addresses or CIDR ranges, e.g. ["10.0.0.0/8"]). A
     * request from one of them is counted, by the sign-in and request rate limits, under the client that
     * its `X-Forwarded-For` names (the rightmost hop that is not a trusted proxy). Default none: the header
     * is ignored and the socket's address is the client, so a header a client writes changes nothing.
     */
    trustedProxies: v.optional(v.array(v.pipe(v.string(), v.check((entry) => parseProxyEntry(entry) !== undefined, 'must be IP addresses or CIDR ranges such as 10.0.0.0/8'))), []),
    /**
     * `one` (the default): this companion is the only one on its database and storage. `several`: it is
     * one of several instances behind a load balancer, sharing one PostgreSQL database, one encryption key
     * and one S3 bucket; nothing it needs may then be on its own disk, so it refuses to start unless
     * `database` is a postgres:// URL, `encryptionKey` is set and `storage.s3` is set without
     * `storage.local`, and store calls go to S3 (location "local" is refused). See the README's
     * "Running several instances".
     */
    instances: v.optional(v.picklist(INSTANCE_MODES), 'one'),
    /** This instance's name in every log line and in /healthz and /readyz; default `<hostname>-<pid>`. Different on every instance. */
    instanceId: v.optional(InstanceIdSchema, defaultInstanceId),
    /**
     * Where grants, sessions, handles, apps and the webhook outbox live: a `postgres://` URL (what several
     * instances share), or a SQLite file; ':memory:' keeps them until the process ends.
     */
    database: v.optional(NonEmpty, ':memory:'),
    /** Encrypts tokens and secrets at rest; required with a database file, random per start otherwise. */
    encryptionKey: v.optional(Key32),
    alfresco: v.strictObject({
      repositoryUrl: HttpUrl,
      signIn: v.optional(SignInSchema, { type: 'ticket' }),
      /** The operator's default OAuth application, used by every app that has none of its own. */
      oauthApp: v.optional(OAuthApplicationSchema),
      scopes: v.optional(v.array(NonEmpty), ['openid', 'profile', 'email']),
    }),
    storage: v.optional(
      v.strictObject({
        /** `containers`: subfolders of `root` a store call may name as `container` (default none: only the root). */
        local: v.optional(
          v.strictObject({ root: NonEmpty, containers: v.optional(v.array(v.pipe(v.string(), v.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'must be folder names of letters, digits, ".", "_" and "-"')))) }),
          { root: '.fs-data/storage' },
        ),
        s3: v.optional(S3Schema),
      }),
      { local: { root: '.fs-data/storage' } },
    ),
    apps: v.pipe(v.array(AppSchema), v.minLength(1, 'must list at least one app')),
    /** The developer portal's sign-in; absent (or empty) disables the portal. */
    portal: v.optional(PortalSchema),
    /** How long webhook events are kept (`retentionDays`); each app lists its own URLs. */
    webhooks: v.optional(WebhooksSchema, {}),
    /** Whether portal-set URLs may be on private addresses (`allowPrivateTargets`, default false). */
    outbound: v.optional(OutboundSchema, {}),
    /** How long a grant (and the links picked through it) outlives its owner's sessions (`retentionDays`, default 30). */
    grants: v.optional(GrantsSchema, {}),
    /** How long requests in flight may take to finish when the companion stops (`deadlineMs`, default 30000). */
    shutdown: v.optional(ShutdownSchema, {}),
    /** Limits on what callers may make the companion do: `jsonBodyBytes` (1 MiB), `appStorageBytes` (10 GiB per app), `officeQueue` (8), `convertPixels` (40 MP). */
    limits: v.optional(LimitsSchema, {}),
  }),
  v.forward(
    v.check((config) => config.database === ':memory:' || config.encryptionKey !== undefined, 'is required when database is a file, or stored tokens could not be read after a restart'),
    ['encryptionKey'],
  ),
  v.forward(
    v.check((config) => config.alfresco.signIn.type === 'ticket' || config.alfresco.oauthApp !== undefined || config.apps.every((app) => app.alfrescoOAuth !== undefined), 'is required for OAuth sign-in unless every app has its own alfrescoOAuth'),
    ['alfresco', 'oauthApp'],
  ),
);

export type CompanionConfig = v.InferOutput<typeof ConfigSchema>;
export type CompanionConfigInput = v.InferInput<typeof ConfigSchema>;
export type AppConfig = CompanionConfig['apps'][number];
export type SignInConfig = CompanionConfig['alfresco']['signIn'];
export type OAuthApplication = v.InferOutput<typeof OAuthApplicationSchema>;
export type WebhookConfig = v.InferOutput<typeof WebhookSchema>;
export type PortalConfig = v.InferOutput<typeof PortalSchema>;

/** The dev app that `npm start` wires to the sandbox; its key is public on purpose and useless elsewhere. */
export const DEV_API_KEY = 'fs-dev-app-key';
/** The operator's OAuth application in the sandbox's identity service, for the embedded defaults only. */
export const DEV_OAUTH_APP = { clientId: 'fs-picker-companion', clientSecret: 'fs-dev-client-secret' } as const;
/** The developer portal's password in the embedded defaults (`npm start` prints it); never use it elsewhere. */
export const DEV_PORTAL_PASSWORD = 'fs-dev-portal-password';

/** What `npm start` runs with: the sandbox's identity service, the dev app, everything in memory. */
export function embeddedDefaults({ sandboxUrl = 'http://127.0.0.1:8180', demoOrigins = ['http://127.0.0.1:5173', 'http://localhost:5173'], webdavUrl }: { sandboxUrl?: string; demoOrigins?: string[]; webdavUrl?: string } = {}): CompanionConfigInput {
  return {
    alfresco: {
      repositoryUrl: sandboxUrl,
      signIn: { type: 'oidc', issuer: `${sandboxUrl}/auth/realms/alfresco` },
      oauthApp: { ...DEV_OAUTH_APP },
    },
    // The sandbox serves CMIS too, as Alfresco does; WebDAV when the local stack has a server for it.
    apps: [{ apiKey: DEV_API_KEY, name: 'fs-picker demo', allowedOrigins: demoOrigins, cmis: { url: `${sandboxUrl}${CMIS_PATH}` }, ...(webdavUrl ? { webdav: { url: webdavUrl } } : {}) }],
    portal: { adminPassword: DEV_PORTAL_PASSWORD },
    // The sandbox and any webhook receiver of a dev machine run on 127.0.0.1.
    outbound: { allowPrivateTargets: true },
  };
}

/** Where Alfresco serves CMIS 1.1's browser binding, below its repository URL. */
const CMIS_PATH = '/alfresco/api/-default-/public/cmis/versions/1.1/browser';

/** Where the companion is reached from browsers. */
export function publicUrlOf(config: CompanionConfig): string {
  return (config.publicUrl ?? `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`).replace(/\/+$/, '');
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
  const several = severalInstancesProblems(input);
  if (result.success && several.length === 0) return result.output;
  // A key the several-instances check names gets its line only (it says why for several instances).
  const named = new Set(several.map(keyOf));
  const problems = result.success ? [] : result.issues.map((issue) => `${v.getDotPath(issue) ?? '(top level)'}: ${describe(issue)}`).filter((problem) => !named.has(keyOf(problem)));
  throw new ConfigError([...problems, ...several]);
}

function describe(issue: v.BaseIssue<unknown>): string {
  if (issue.expected === 'never' && issue.type === 'strict_object') return 'is not a known setting';
  if (issue.kind === 'schema') return `expected ${issue.expected}, got ${issue.received}`;
  return issue.message;
}

/**
 * Reads the configuration once: the JSON file named by FS_CONFIG (or the embedded defaults), then
 * FS_HOST, FS_PORT, FS_ALFRESCO_URL, FS_PUBLIC_URL, FS_DATABASE, FS_ENCRYPTION_KEY,
 * FS_WEBHOOK_RETENTION_DAYS, FS_INSTANCES, FS_INSTANCE_ID and FS_SHUTDOWN_DEADLINE_MS on top.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): CompanionConfig {
  const base = env.FS_CONFIG ? readJson(env.FS_CONFIG) : embeddedDefaults();
  const overrides: Record<string, unknown> = {};
  if (env.FS_HOST) overrides.host = env.FS_HOST;
  if (env.FS_PORT) overrides.port = /^\d+$/.test(env.FS_PORT) ? Number(env.FS_PORT) : env.FS_PORT;
  const merged = { ...(base as object), ...overrides } as Record<string, unknown>;
  if (env.FS_ALFRESCO_URL) merged.alfresco = { ...(merged.alfresco as object), repositoryUrl: env.FS_ALFRESCO_URL };
  if (env.FS_PUBLIC_URL) merged.publicUrl = env.FS_PUBLIC_URL;
  if (env.FS_DATABASE) merged.database = env.FS_DATABASE;
  if (env.FS_ENCRYPTION_KEY) merged.encryptionKey = env.FS_ENCRYPTION_KEY;
  if (env.FS_INSTANCES) merged.instances = env.FS_INSTANCES;
  if (env.FS_INSTANCE_ID) merged.instanceId = env.FS_INSTANCE_ID;
  if (env.FS_SHUTDOWN_DEADLINE_MS) {
    const ms = /^\d+$/.test(env.FS_SHUTDOWN_DEADLINE_MS) ? Number(env.FS_SHUTDOWN_DEADLINE_MS) : env.FS_SHUTDOWN_DEADLINE_MS;
    merged.shutdown = { ...(merged.shutdown as object | undefined), deadlineMs: ms };
  }
  if (env.FS_WEBHOOK_RETENTION_DAYS) {
    const days = /^\d+$/.test(env.FS_WEBHOOK_RETENTION_DAYS) ? Number(env.FS_WEBHOOK_RETENTION_DAYS) : env.FS_WEBHOOK_RETENTION_DAYS;
    merged.webhooks = { ...(merged.webhooks as object | undefined), retentionDays: days };
  }
  return parseConfig(merged);
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError([`FS_CONFIG: cannot read ${path} as JSON (${(error as Error).message})`]);
  }
}
