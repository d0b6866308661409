import { BlockList, isIP } from 'node:net';
import { ConfigError, DEV_OAUTH_APP, DEV_PORTAL_PASSWORD, type CompanionConfig } from './config.ts';

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** Whether `host` is reachable from this machine only (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(host: string): boolean {
  const plain = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (plain === 'localhost' || plain.endsWith('.localhost')) return true;
  const version = isIP(plain);
  return version !== 0 && LOOPBACK.check(plain, version === 6 ? 'ipv6' : 'ipv4');
}

/** The settings of `config` that are the embedded development defaults' public secrets, by key. */
export function devSecretsIn(config: CompanionConfig): string[] {
  const found: string[] = [];
  if (config.portal?.adminPassword === DEV_PORTAL_PASSWORD) found.push('portal.adminPassword');
  if (config.alfresco.oauthApp?.clientSecret === DEV_OAUTH_APP.clientSecret) found.push('alfresco.oauthApp.clientSecret');
  config.apps.forEach((app, index) => {
    if (app.alfrescoOAuth?.clientSecret === DEV_OAUTH_APP.clientSecret) found.push(`apps.${index}.alfrescoOAuth.clientSecret`);
  });
  return found;
}

const FIX: Record<string, string> = {
  'portal.adminPassword': 'set a password of your own (12 characters or more) or portal.adminToken (openssl rand -hex 32), or leave portal out to disable the portal',
  'alfresco.oauthApp.clientSecret': 'set the client id and secret your Alfresco identity service registered for the companion',
};

/**
 * Refuses to serve beyond this machine with the development defaults: their password and client secret
 * are in this repository for anyone to read. On loopback (`npm start`, a developer's machine) they are fine.
 * Throws a ConfigError naming each such setting and how to fix it.
 */
export function refuseDevSecretsBeyondLoopback(config: CompanionConfig, { configured }: { configured: boolean }): void {
  if (isLoopbackHost(config.host)) return;
  const found = devSecretsIn(config);
  if (found.length === 0) return;
  const where = `host is ${JSON.stringify(config.host)}, which other machines can reach`;
  const problems = found.map((key) => `${key}: is the embedded development value, published with fs-picker, and ${where}; ${FIX[key] ?? 'set your own client secret'}`);
  problems.push(
    configured
      ? 'host: either listen on this machine only (FS_HOST=127.0.0.1), or replace the settings above in the FS_CONFIG file'
      : 'FS_CONFIG: no configuration was given, so the companion would run on the embedded development settings. Give it your own configuration (FS_CONFIG=companion.json or --config companion.json, with alfresco.repositoryUrl and signIn, apps, portal, database and encryptionKey; see the README), or listen on this machine only (FS_HOST=127.0.0.1)',
  );
  throw new ConfigError(problems);
}
