import * as v from 'valibot';

/** Service names as filepicker v2 spells them; the element's `services` attribute takes the same names. */
export const SERVICE_IDS = ['ALFRESCO', 'WEBDAV', 'CMIS', 'COMPUTER', 'URL'] as const;
export type ServiceId = (typeof SERVICE_IDS)[number];

/** The services that are content repositories: a person connects to them, browses, picks and saves into them. */
export const REPOSITORY_SERVICES = ['ALFRESCO', 'WEBDAV', 'CMIS'] as const satisfies readonly ServiceId[];
export type RepositoryId = (typeof REPOSITORY_SERVICES)[number];

export const isRepository = (service: string): service is RepositoryId => (REPOSITORY_SERVICES as readonly string[]).includes(service);

/** What the picker calls each repository in its own sentences ("Connect to WebDAV"): product names, never translated. */
export const REPOSITORY_NAMES: Record<RepositoryId, string> = { ALFRESCO: 'Alfresco', WEBDAV: 'WebDAV', CMIS: 'CMIS' };

/** How a service gets its files: a connected repository, the user's own device, or a pasted link. */
export type ServiceKind = 'repository' | 'device' | 'link';

/** One entry of `GET /api/services`. */
export interface ServiceDescriptor {
  id: ServiceId;
  /** Display name, e.g. "Alfresco". */
  name: string;
  kind: ServiceKind;
  /**
   * False when the companion could not reach the source just now (a repository that is down). The picker
   * still lists it, marked, so people know it exists and why it cannot be used.
   */
  available: boolean;
  /** A short human description of the source, e.g. "Alfresco Community 23.2.0". */
  detail?: string;
}

export interface ServicesResponse {
  services: ServiceDescriptor[];
}

export const ServiceDescriptorSchema = v.object({
  id: v.picklist(SERVICE_IDS),
  name: v.string(),
  kind: v.picklist(['repository', 'device', 'link']),
  available: v.boolean(),
  detail: v.optional(v.string()),
});

export const ServicesResponseSchema = v.object({ services: v.array(ServiceDescriptorSchema) });

/**
 * The query parameter that carries the app's API key on every companion call, as in v2's dialog URLs.
 * A query parameter rather than a header so that CORS preflights, which carry no header values, still
 * name the app whose allowed origins apply.
 */
export const API_KEY_PARAM = 'key';
