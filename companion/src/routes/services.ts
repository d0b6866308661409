import { Hono } from 'hono';
import type { ServiceDescriptor, ServiceId, ServicesResponse } from 'fs-picker/protocol';
import type { Companion } from '../context.ts';
import type { AppEnv } from '../security/app-access.ts';

/** The sources the browser itself handles. */
const DEVICE_SERVICES: Record<string, Omit<ServiceDescriptor, 'available'>> = {
  COMPUTER: { id: 'COMPUTER', name: 'My Computer', kind: 'device' },
  URL: { id: 'URL', name: 'Link (URL)', kind: 'link' },
};

/** `GET /api/services`: the app's sources, in the app's order, each saying whether it can be used now. */
export function servicesRoutes({ sources }: Companion): Hono<AppEnv> {
  return new Hono<AppEnv>().get('/', async (c) => {
    const app = c.get('app');
    const services = await Promise.all(
      app.services.map(async (id): Promise<ServiceDescriptor> => {
        const device = DEVICE_SERVICES[id];
        if (device) return { ...device, available: true };
        const provider = sources.of(id);
        // Provider ids are service ids (the registry checks their spelling); the protocol's type names the known ones.
        const base = { id: id as ServiceId, name: provider.name, kind: 'repository' as const };
        try {
          return { ...base, available: true, detail: await provider.describe(app, c.req.raw.signal) };
        } catch {
          return { ...base, available: false, detail: `The ${provider.name} repository is not reachable right now.` };
        }
      }),
    );
    return c.json({ services } satisfies ServicesResponse);
  });
}
