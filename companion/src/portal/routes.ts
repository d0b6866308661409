import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import * as v from 'valibot';
import { CMIS_SIGN_INS, FsError, HttpUrlSchema, OriginSchema as Origin, SERVICE_IDS, WEBHOOK_ACTIONS, type PortalApp, type ServiceId } from 'fs-picker/protocol';
import { AppRegistry, type AppPatch, type AppSources, type RegisteredApp, type RegisteredWebhook } from '../apps/registry.ts';
import type { Companion } from '../context.ts';
import { clientAddress } from '../requests/client-address.ts';
import { FieldsError, readJsonFields, readQuery } from '../requests/index.ts';
import type { DialogText } from '../webhooks/events.ts';
import type { DeliveryStatus } from '../webhooks/webhooks.ts';
import { PortalAuth, type PortalAuthOptions } from './auth.ts';
import { builtPortalScript, portalPage, type PortalScript } from './ui.ts';

/** The portal session cookie (HttpOnly, SameSite=Strict, Path=/portal, Secure behind https). */
export const PORTAL_COOKIE = 'fs_portal';
/** The header every state-changing portal request repeats the session's CSRF token in. */
export const CSRF_HEADER = 'X-FS-CSRF';

type PortalEnv = { Variables: { csrf: string | undefined } };

// A form field: spaces around the URL are dropped, then it is the protocol's one http(s) URL rule.
const HttpUrl = v.pipe(v.string(), v.trim(), HttpUrlSchema);
const NonEmpty = v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'));
const Events = v.union([v.literal('all'), v.pipe(v.array(v.picklist(WEBHOOK_ACTIONS, `must be one of ${WEBHOOK_ACTIONS.join(', ')}`)), v.minLength(1, 'choose "all" or at least one event'))], `must be "all" or a list of events out of ${WEBHOOK_ACTIONS.join(', ')}`);

const AppPatchSchema = v.strictObject({
  name: v.optional(v.pipe(NonEmpty, v.maxLength(200, 'must be at most 200 characters'))),
  allowedOrigins: v.optional(v.array(Origin)),
  services: v.optional(v.pipe(v.array(v.picklist(SERVICE_IDS, `must be one of ${SERVICE_IDS.join(', ')}`)), v.minLength(1, 'choose at least one service for the picker to offer'))),
  requirePolicy: v.optional(v.boolean()),
  allowPrivateUrls: v.optional(v.boolean()),
  alfresco: v.optional(
    v.strictObject({
      clientId: v.optional(v.nullable(NonEmpty)),
      clientSecret: v.optional(v.nullable(NonEmpty)),
      repositoryUrl: v.optional(v.nullable(HttpUrl)),
      issuer: v.optional(v.nullable(HttpUrl)),
    }),
  ),
  // A source beyond Alfresco is on with its URL; null turns it off.
  webdav: v.optional(v.nullable(v.strictObject({ url: HttpUrl }))),
  // Absent keys keep what the app has (defaults when CMIS was off); a null repositoryId goes back to the server's first.
  cmis: v.optional(
    v.nullable(
      v.strictObject({
        url: HttpUrl,
        repositoryId: v.optional(v.nullable(NonEmpty)),
        signIn: v.optional(v.picklist(CMIS_SIGN_INS, `must be ${CMIS_SIGN_INS.map((way) => `"${way}"`).join(' or ')}`)),
      }),
    ),
  ),
  storage: v.optional(
    v.nullable(
      v.pipe(
        v.strictObject({
          endpoint: v.optional(v.nullable(HttpUrl)),
          bucket: v.pipe(v.string(), v.trim(), v.minLength(3, 'must be at least 3 characters')),
          region: v.optional(NonEmpty, 'us-east-1'),
          forcePathStyle: v.optional(v.boolean()),
          accessKeyId: v.optional(NonEmpty),
          secretAccessKey: v.optional(NonEmpty),
          clearCredentials: v.optional(v.boolean()),
        }),
        v.forward(
          v.check((storage) => (storage.accessKeyId === undefined) === (storage.secretAccessKey === undefined), 'enter the access key id and the secret access key together'),
          ['secretAccessKey'],
        ),
      ),
    ),
  ),
});

// "fs" (FS-Signature) or "standard" (Standard Webhooks 1.0); the portal makes each a secret of its form.
const Signing = v.picklist(['fs', 'standard'], 'must be "fs" or "standard"');
const WebhookSchema = v.strictObject({ url: HttpUrl, events: Events, signing: v.optional(Signing) });
// rotateSecret keeps the old secret signing too for webhooks.rotationGraceHours; a new `signing` gets a new secret at once.
const WebhookPatchSchema = v.strictObject({ url: v.optional(HttpUrl), events: v.optional(Events), signing: v.optional(Signing), rotateSecret: v.optional(v.boolean()) });
const SignInSchema = v.strictObject({ password: v.pipe(v.string(), v.minLength(1, 'enter the admin password')) });
const Digits = v.pipe(v.string(), v.regex(/^\d{1,15}$/, 'must be a whole number'), v.transform(Number));
const DeliveriesQuerySchema = v.object({
  status: v.optional(v.picklist(['pending', 'delivered', 'failed'] as const satisfies readonly DeliveryStatus[], 'must be pending, delivered or failed')),
  /** A delivery id: the page after it. */
  before: v.optional(Digits),
  limit: v.optional(Digits),
});

/** Ends the refusal of a private address in the portal: only the operator can allow one. */
const PRIVATE_TARGETS_HINT = " The companion's operator can allow private targets (outbound.allowPrivateTargets in its configuration).";

/** What the portal shows of an app: the protocol's shape, never a secret. */
export type AppView = PortalApp;

export type PortalOptions = PortalAuthOptions & {
  /** Where the portal's script comes from: by default the file the package's build wrote. */
  script?: PortalScript;
};

/**
 * The developer portal, mounted at /portal: the page (`GET /portal`), its script, and the JSON API under
 * /portal/api. Owners sign in with the configured admin password (a session cookie; every state-changing
 * call repeats the session's CSRF token in `X-FS-CSRF` and comes from the companion's own origin) or send
 * the admin token as `Authorization: Bearer` (scripts; no cookie, so no CSRF check).
 */
export function portalRoutes(companion: Companion, options: PortalOptions = {}): Hono {
  const { publicUrl } = companion;
  const { script = builtPortalScript, ...authOptions } = options;
  const auth = new PortalAuth(companion.db, companion.config.portal, authOptions);
  const apps = AppRegistry.of(companion.db);
  const secure = publicUrl.startsWith('https:');
  const cookiePath = `${new URL(publicUrl).pathname.replace(/\/+$/, '')}/portal`;
  const callbackUrl = `${publicUrl}/auth/alfresco/callback`;
  const ownOrigin = new URL(publicUrl).origin;

  const view = (app: RegisteredApp): AppView => ({
    id: app.id,
    name: app.name,
    apiKey: app.apiKey,
    allowedOrigins: app.allowedOrigins,
    services: app.services,
    requirePolicy: app.requirePolicy,
    allowPrivateUrls: app.allowPrivateUrls,
    appSecretSet: app.appSecret !== undefined,
    alfresco: {
      clientId: app.alfrescoOAuth?.clientId ?? null,
      clientSecretSet: app.alfrescoOAuth?.clientSecret !== undefined,
      repositoryUrl: app.alfrescoSettings.repositoryUrl ?? null,
      issuer: app.alfrescoSettings.issuer ?? null,
      callbackUrl,
    },
    webdav: app.webdav ? { url: app.webdav.url } : null,
    cmis: app.cmis ? { url: app.cmis.url, repositoryId: app.cmis.repositoryId ?? null, signIn: app.cmis.signIn } : null,
    storage: app.storageSettings
      ? {
          endpoint: app.storageSettings.endpoint ?? null,
          bucket: app.storageSettings.bucket,
          region: app.storageSettings.region,
          forcePathStyle: app.storageSettings.forcePathStyle,
          credentialsSet: app.storageSettings.accessKeyId !== undefined,
        }
      : null,
    webhooks: app.webhooks.map(hookView),
    fromConfig: app.configKey !== null,
  });

  const allowPrivate = companion.config.outbound.allowPrivateTargets;
  /**
   * The SSRF checks (outbound/targets.ts) for the URLs a save sets, each refusal naming its field:
   * private addresses only when the operator allows private targets; link-local, cloud metadata and the
   * companion's own ports never. A host that does not resolve (yet) reaches nothing and is saved; webhook
   * deliveries are checked again when they are made.
   */
  const checkTargets = async (urls: Record<string, string | null | undefined>): Promise<void> => {
    for (const [field, url] of Object.entries(urls)) {
      if (url === null || url === undefined) continue;
      const signal = AbortSignal.timeout(5_000);
      try {
        await companion.outbound.checkTarget(new URL(url), { allowPrivate, purpose: 'connect', field, privateHint: PRIVATE_TARGETS_HINT, signal });
      } catch (error) {
        if (signal.aborted || (error instanceof FsError && error.code === 'FS_ERR_UPSTREAM')) continue;
        throw error;
      }
    }
  };

  const appOf = (c: Context): RegisteredApp => {
    const app = apps.byId(c.req.param('id') ?? '');
    if (!app) throw new FsError('FS_ERR_NOT_FOUND', 'No app has this id.');
    return app;
  };

  /** Same-origin check for state-changing requests: the portal is only ever used from the companion's own pages. */
  const sameOrigin = (c: Context): boolean => {
    const origin = c.req.header('Origin');
    return origin !== undefined && (origin === ownOrigin || origin === new URL(c.req.url).origin);
  };

  const enabled: MiddlewareHandler = async (c, next) => {
    if (!auth.enabled) throw new FsError('FS_ERR_NOT_FOUND', 'The developer portal is disabled: set portal.adminPassword or portal.adminToken in the companion configuration.');
    await next();
  };

  const signedIn: MiddlewareHandler<PortalEnv> = async (c, next) => {
    const bearer = /^Bearer (.+)$/.exec(c.req.header('Authorization') ?? '')?.[1];
    if (bearer !== undefined) {
      if (!auth.isAdminToken(bearer)) throw new FsError('FS_ERR_FORBIDDEN', 'This admin token is not valid.');
      c.set('csrf', undefined);
      return next();
    }
    const session = await auth.session(getCookie(c, PORTAL_COOKIE));
    if (!session) throw new FsError('FS_ERR_NOT_CONNECTED', 'Sign in to the developer portal first.');
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      if (!sameOrigin(c)) throw new FsError('FS_ERR_FORBIDDEN', 'This request did not come from the portal’s own page (Origin).');
      const given = c.req.header(CSRF_HEADER);
      if (given === undefined || given !== session.csrf) throw new FsError('FS_ERR_FORBIDDEN', `The ${CSRF_HEADER} header is missing or does not match this session.`);
    }
    c.set('csrf', session.csrf);
    c.header('Cache-Control', 'no-store');
    return next();
  };

  const api = new Hono<PortalEnv>()
    .use(enabled)
    .get('/session', async (c) => {
      const session = await auth.session(getCookie(c, PORTAL_COOKIE));
      c.header('Cache-Control', 'no-store');
      return c.json(session ? { signedIn: true, csrf: session.csrf } : { signedIn: false });
    })
    .post('/session', async (c) => {
      if (!sameOrigin(c)) throw new FsError('FS_ERR_FORBIDDEN', 'Sign in from the portal’s own page (Origin).');
      const { password } = await readJsonFields(c, SignInSchema);
      const result = await auth.signIn(password, clientAddress(c, companion.config.trustedProxies));
      if (!result.ok) {
        if (result.reason === 'limited') {
          c.header('Retry-After', String(result.retryAfterS ?? 60));
          throw new FsError('FS_ERR_RATE_LIMITED', `Too many wrong passwords; try again in ${Math.ceil((result.retryAfterS ?? 60) / 60)} minute(s).`, { field: 'password' });
        }
        throw new FsError('FS_ERR_FORBIDDEN', 'The password is not correct.', { field: 'password' });
      }
      setCookie(c, PORTAL_COOKIE, result.token, { path: cookiePath, httpOnly: true, sameSite: 'Strict', secure });
      c.header('Cache-Control', 'no-store');
      return c.json({ signedIn: true, csrf: result.csrf });
    })
    .use(signedIn)
    .delete('/session', async (c) => {
      await auth.signOut(getCookie(c, PORTAL_COOKIE));
      deleteCookie(c, PORTAL_COOKIE, { path: cookiePath, httpOnly: true, sameSite: 'Strict', secure });
      return c.body(null, 204);
    })
    .get('/apps', (c) => c.json({ apps: apps.list().map(view) }))
    .get('/apps/:id', (c) => c.json({ app: view(appOf(c)) }))
    .patch('/apps/:id', async (c) => {
      const app = appOf(c);
      const patch = await readJsonFields(c, AppPatchSchema);
      const { storage, webdav, cmis: cmisPatch, services: listed, ...rest } = patch;
      const cmis = cmisPatch ? cmisAfter(app, cmisPatch) : cmisPatch;
      const services = servicesAfter(app, { services: listed, webdav, cmis });
      await checkTargets({
        'alfresco.repositoryUrl': patch.alfresco?.repositoryUrl,
        'alfresco.issuer': patch.alfresco?.issuer,
        'storage.endpoint': patch.storage?.endpoint,
        'webdav.url': webdav?.url,
        'cmis.url': cmis?.url,
      });
      const updated = await apps.update(app.id, {
        ...rest,
        webdav,
        cmis,
        services,
        ...(storage === undefined
          ? {}
          : storage === null
            ? { storage: null }
            : {
                storage: {
                  bucket: storage.bucket,
                  region: storage.region,
                  ...(storage.endpoint === undefined ? {} : { endpoint: storage.endpoint }),
                  ...(storage.forcePathStyle === undefined ? {} : { forcePathStyle: storage.forcePathStyle }),
                  ...(storage.accessKeyId !== undefined && storage.secretAccessKey !== undefined
                    ? { credentials: { accessKeyId: storage.accessKeyId, secretAccessKey: storage.secretAccessKey } }
                    : storage.clearCredentials
                      ? { credentials: null }
                      : {}),
                },
              }),
      });
      return c.json({ app: view(updated!) });
    })
    .post('/apps/:id/api-key', async (c) => {
      const apiKey = await apps.rotateApiKey(appOf(c).id);
      return c.json({ apiKey, app: view(apps.byId(c.req.param('id'))!) });
    })
    .post('/apps/:id/app-secret', async (c) => {
      // Shown once: the portal never answers it again.
      const appSecret = await apps.rotateAppSecret(appOf(c).id);
      return c.json({ appSecret });
    })
    .post('/apps/:id/webhooks', async (c) => {
      const app = appOf(c);
      const input = await readJsonFields(c, WebhookSchema);
      await checkTargets({ url: input.url });
      const hook = (await apps.addWebhook(app.id, input))!;
      return c.json({ webhook: hookView(hook), secret: hook.secret }, 201);
    })
    .patch('/apps/:id/webhooks/:hookId', async (c) => {
      const app = appOf(c);
      const change = await readJsonFields(c, WebhookPatchSchema);
      await checkTargets({ url: change.url });
      const before = app.webhooks.find((candidate) => candidate.id === c.req.param('hookId'));
      const hook = await apps.updateWebhook(app.id, c.req.param('hookId'), change);
      if (!hook) throw new FsError('FS_ERR_NOT_FOUND', 'This app has no such webhook.');
      const newSecret = change.rotateSecret === true || (change.signing !== undefined && change.signing !== before?.signing);
      return c.json({ webhook: hookView(hook), ...(newSecret ? { secret: hook.secret } : {}) });
    })
    .delete('/apps/:id/webhooks/:hookId', async (c) => {
      const app = appOf(c);
      if (!(await apps.removeWebhook(app.id, c.req.param('hookId')))) throw new FsError('FS_ERR_NOT_FOUND', 'This app has no such webhook.');
      return c.body(null, 204);
    })
    .post('/apps/:id/test-event', async (c) => {
      const app = appOf(c);
      // A test is an fp.dialog event marked `test: true`: every URL that takes fp.dialog (or "all") gets it.
      const text: DialogText & { test: true } = { apikey: app.apiKey, dialogType: 'open', test: true };
      const eventId = await companion.db.transaction().execute((trx) => companion.webhooks.emit(trx, app.apiKey, { action: 'fp.dialog', text }));
      const urls = app.webhooks.filter((hook) => hook.events === 'all' || hook.events.includes('fp.dialog')).map((hook) => hook.url);
      return c.json({ eventId, urls }, 202);
    })
    .get('/apps/:id/deliveries', async (c) => {
      const app = appOf(c);
      const { status, before, limit } = readQuery(c, DeliveriesQuerySchema);
      const deliveries = await companion.webhooks.deliveryLog(app.apiKey, {
        ...(status === undefined ? {} : { status }),
        ...(before === undefined ? {} : { beforeId: before }),
        ...(limit === undefined ? {} : { limit }),
      });
      return c.json({ deliveries });
    })
    .post('/apps/:id/deliveries/:deliveryId/retry', async (c) => {
      const app = appOf(c);
      const id = Number(c.req.param('deliveryId'));
      if (!Number.isInteger(id) || !(await companion.webhooks.retry(id, app.apiKey))) {
        throw new FsError('FS_ERR_CONFLICT', 'Only a failed delivery of this app can be retried.');
      }
      return c.json({ retried: true }, 202);
    });

  return new Hono()
    .get('/', (c) => {
      c.header('Content-Security-Policy', "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
      c.header('X-Content-Type-Options', 'nosniff');
      c.header('Referrer-Policy', 'no-referrer');
      c.header('Cache-Control', 'no-store');
      return c.html(portalPage({ enabled: auth.enabled, base: cookiePath }));
    })
    // /portal/ (with the slash) is the same page, at its one address.
    .get('/:slash{/?}', (c) => c.redirect(cookiePath, 308))
    .get('/portal.js', async (c) => {
      c.header('Content-Type', 'text/javascript; charset=utf-8');
      c.header('X-Content-Type-Options', 'nosniff');
      c.header('Cache-Control', 'no-cache');
      return c.body(await script().catch(missingScript));
    })
    .route('/api', api)
    .onError((error, c) => {
      if (error instanceof FsError) return c.json(error.toBody(), error.status as ContentfulStatusCode);
      companion.logger.error({ err: error, path: c.req.path }, 'portal: unhandled error');
      return c.json(new FsError('FS_ERR_INTERNAL').toBody(), 500);
    });
}

/** A companion run from source without its build has no portal script: say so, rather than fail. */
function missingScript(error: unknown): never {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  throw new FsError('FS_ERR_NOT_FOUND', "The portal's script is not built: run `npm run build` in companion/ (the stack started from the repository bundles it itself).");
}

type CmisPatch = NonNullable<v.InferOutput<typeof AppPatchSchema>['cmis']>;

/** The CMIS source a patch sets: the keys it leaves out keep what the app has, or take the configuration's defaults. */
function cmisAfter(app: RegisteredApp, patch: CmisPatch): NonNullable<AppSources['cmis']> {
  const repositoryId = patch.repositoryId === undefined ? app.cmis?.repositoryId : (patch.repositoryId ?? undefined);
  return { url: patch.url, ...(repositoryId === undefined ? {} : { repositoryId }), signIn: patch.signIn ?? app.cmis?.signIn ?? 'password' };
}

/** The services that need a source of the app's own, with the setting that gives it. */
const SOURCE_SERVICES = [
  { id: 'WEBDAV', key: 'webdav', name: 'WebDAV', setting: 'its server in webdav.url' },
  { id: 'CMIS', key: 'cmis', name: 'CMIS', setting: 'its repository in cmis.url' },
] as const satisfies ReadonlyArray<{ id: ServiceId; key: keyof AppSources; name: string; setting: string }>;

/**
 * The app's services after a patch, when the patch changes them. A service list may name WEBDAV or CMIS
 * only when the app has that source once the patch is saved (400 on `services` otherwise). Turning a
 * source off takes its service out of the app's list rather than refusing: the owner said what they
 * meant, and a list naming a source the app no longer has would make the picker offer a dead entry.
 */
function servicesAfter(app: RegisteredApp, patch: Pick<AppPatch, 'services' | 'webdav' | 'cmis'>): ServiceId[] | undefined {
  const has = (key: keyof AppSources): boolean => (patch[key] === undefined ? app[key] !== undefined : patch[key] !== null);
  if (patch.services !== undefined) {
    const missing = SOURCE_SERVICES.filter((source) => patch.services!.includes(source.id) && !has(source.key));
    if (missing.length > 0) {
      const problems = missing.map((source) => `names ${source.id}, but the app has no ${source.name} source: give it ${source.setting} in the same change, or leave ${source.id} out`);
      throw new FieldsError({ services: problems.join('; ') });
    }
    return patch.services;
  }
  const off: string[] = SOURCE_SERVICES.filter((source) => !has(source.key) && app.services.includes(source.id)).map((source) => source.id);
  // The rest of the list is kept as it is, ids of providers the embedder registered included.
  return off.length > 0 ? (app.services.filter((id) => !off.includes(id)) as ServiceId[]) : undefined;
}

function hookView(hook: RegisteredWebhook): AppView['webhooks'][number] {
  return { id: hook.id, url: hook.url, events: hook.events, signing: hook.signing, previousSecretUntil: hook.previousSecretUntil ?? null };
}
