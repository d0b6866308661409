import { Hono } from 'hono';
import type { ServiceDescriptor, ServiceId, ServicesResponse } from 'fs-picker/protocol';
import type { CompanionConfig } from '../config.ts';
import { describeRepository } from '../providers/alfresco/discovery.ts';
import { alfrescoSiteOf } from '../providers/alfresco/sites.ts';
import type { AppEnv } from '../security/app-access.ts';

const BASE: Record<ServiceId, Omit<ServiceDescriptor, 'available'>> = {
  ALFRESCO: { id: 'ALFRESCO', name: 'Alfresco', kind: 'repository' },
  COMPUTER: { id: 'COMPUTER', name: 'My Computer', kind: 'device' },
  URL: { id: 'URL', name: 'Link (URL)', kind: 'link' },
};

/** `GET /api/services`: the app's sources, in the app's order, each saying whether it can be used now. */
export function servicesRoutes(config: CompanionConfig): Hono<AppEnv> {
  return new Hono<AppEnv>().get('/', async (c) => {
    const services = await Promise.all(
      c.get('app').services.map(async (id): Promise<ServiceDescriptor> => {
        if (id !== 'ALFRESCO') return { ...BASE[id], available: true };
        try {
          return { ...BASE[id], available: true, detail: await describeRepository(alfrescoSiteOf(config, c.get('app')).repositoryUrl, c.req.raw.signal) };
        } catch {
          return { ...BASE[id], available: false, detail: 'The Alfresco repository is not reachable right now.' };
        }
      }),
    );
    return c.json({ services } satisfies ServicesResponse);
  });
}
