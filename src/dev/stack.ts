import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, type ViteDevServer } from 'vite';
import { startSandbox, type RunningSandbox } from '../sandbox/sandbox.ts';
import { buildApp } from '../../companion/src/app.ts';
import { openDatabase } from '../../companion/src/db/database.ts';
import { DEV_API_KEY, DEV_OAUTH_APP, DEV_PORTAL_PASSWORD, embeddedDefaults, parseConfig, publicUrlOf } from '../../companion/src/config.ts';
import { listen, type Listening } from '../../companion/src/listen.ts';
import { createLogger } from '../../companion/src/logger.ts';
import { Webhooks } from '../../companion/src/webhooks/webhooks.ts';
import { CMIS_BROWSER_BASE } from '../sandbox/cmis/routes.ts';
import { DEMO_WEBDAV_USER, NO_WEBDAV, startDemoWebdav } from './demo-webdav.ts';
import { bundlePortalScript } from './portal-script.ts';
import { startLocalS3 } from './s3rver.ts';
import { viteConfig, type DemoTarget } from './vite-config.ts';

export interface StackOptions {
  host?: string;
  /** 0 (the default) picks a free port; `npm start` passes fixed ones. */
  ports?: { sandbox?: number; companion?: number; demo?: number };
  /** Also serve the demo page with Vite (on by default). */
  demo?: boolean;
  /** More origins the dev app accepts, e.g. the test runner's page. */
  allowedOrigins?: string[];
  /** Offer WebDAV from a local Apache httpd (on by default; without Apache installed it is left out, and said). */
  webdav?: boolean;
  logLevel?: string;
}

export interface Stack {
  /** `webdav` and `cmis`: the sources beyond Alfresco (WebDAV undefined without Apache httpd). */
  urls: { sandbox: string; companion: string; demo: string | undefined; s3: string; webdav: string | undefined; cmis: string };
  apiKey: string;
  /** The developer portal and its dev password (the embedded defaults' `portal.adminPassword`). */
  portal: { url: string; password: string };
  /** The running sandbox (tests register OAuth clients in its identity service). */
  sandbox: RunningSandbox;
  stop(): Promise<void>;
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Starts the whole local stack in this process: the Alfresco sandbox (REST and CMIS), a WebDAV server when
 * Apache httpd is installed, the companion wired to them with the dev app, and the Vite dev server with the demo page. `npm start` and the end-to-end tests both
 * use it. If any part fails to start, the parts already running are stopped.
 */
export async function startStack({ host = '127.0.0.1', ports = {}, demo = true, allowedOrigins = [], logLevel = 'info', webdav: offerWebdav = true }: StackOptions = {}): Promise<Stack> {
  const stops: Array<() => Promise<void>> = [];
  const stop = async (): Promise<void> => {
    for (const stopPart of stops.splice(0).reverse()) await stopPart().catch(() => undefined);
  };
  try {
    const sandbox = await startSandbox({ host, port: ports.sandbox ?? 0 });
    stops.push(sandbox.close);
    // So that `location: 'S3'` works out of the box, as the guide's samples use it.
    const s3 = await startLocalS3({ host });
    stops.push(s3.close);
    const webdav = offerWebdav ? await startDemoWebdav() : undefined;
    if (webdav) stops.push(() => webdav.stop());

    let companionUrl = '';
    const vite = demo ? await startVite(host, ports.demo ?? 0, () => ({ server: companionUrl, apiKey: DEV_API_KEY })) : undefined;
    if (vite) stops.push(() => vite.close());
    const demoUrl = vite?.resolvedUrls?.local[0]?.replace(/\/$/, '');

    // The companion's own URL goes into the OAuth redirect URI, so its port is settled before it starts.
    const companionPort = ports.companion || (await freePort(host));
    const config = parseConfig({
      ...embeddedDefaults({ sandboxUrl: sandbox.url, demoOrigins: [...(demoUrl ? originsOf(demoUrl) : []), ...allowedOrigins], ...(webdav ? { webdavUrl: webdav.url } : {}) }),
      host,
      port: companionPort,
      storage: {
        local: { root: join(tmpdir(), 'fs-picker-storage') },
        s3: { bucket: s3.bucket, endpoint: s3.endpoint, forcePathStyle: true, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      },
    });
    sandbox.identity.registerClient({ ...DEV_OAUTH_APP, redirectUris: [`${publicUrlOf(config)}/auth/alfresco/callback`] });
    const logger = createLogger(logLevel);
    const db = await openDatabase(config.database);
    stops.push(() => db.destroy());
    const webhooks = new Webhooks({ db, config, logger });
    const companion: Listening = await listen(await buildApp(config, { logger, db, webhooks, portalScript: bundlePortalScript }), { host, port: companionPort });
    stops.push(companion.close);
    webhooks.start();
    stops.push(() => webhooks.stop());
    companionUrl = companion.url;
    logger.info({ url: `${companion.url}/portal`, password: DEV_PORTAL_PASSWORD }, 'developer portal (dev password)');
    if (webdav) logger.info({ url: webdav.url, user: DEMO_WEBDAV_USER.name, password: DEMO_WEBDAV_USER.password }, 'WebDAV source (Apache httpd)');
    else if (offerWebdav) logger.warn(NO_WEBDAV);
    const cmis = `${sandbox.url}${CMIS_BROWSER_BASE}`;

    return { urls: { sandbox: sandbox.url, companion: companion.url, demo: demoUrl, s3: s3.endpoint, webdav: webdav?.url, cmis }, apiKey: DEV_API_KEY, portal: { url: `${companion.url}/portal`, password: DEV_PORTAL_PASSWORD }, sandbox, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function startVite(host: string, port: number, target: () => DemoTarget): Promise<ViteDevServer> {
  const server = await createServer({
    ...viteConfig(target),
    configFile: false,
    root: ROOT,
    logLevel: 'warn',
    clearScreen: false,
    server: { host, port, strictPort: port !== 0 },
  });
  await server.listen();
  return server;
}

/** The demo is reachable as 127.0.0.1 and as localhost; both are the dev app's origins. */
function originsOf(url: string): string[] {
  const { port, protocol } = new URL(url);
  return [`${protocol}//127.0.0.1:${port}`, `${protocol}//localhost:${port}`];
}

/** A port nobody listens on right now (the OS picks it), for a server whose URL must be known first. */
export function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer().once('error', reject);
    probe.listen(0, host, () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
