import type { RunningSandbox } from '../../src/sandbox/sandbox.ts';
import { CMIS_BROWSER_BASE } from '../../src/sandbox/cmis/routes.ts';
import { basic } from './sandbox.ts';

export { CMIS_BROWSER_BASE };

/** A property in the browser binding's full form (CMIS 1.1 §5.2.5). */
export interface CmisProperty {
  id: string;
  localName: string;
  displayName: string;
  queryName: string;
  type: string;
  cardinality: 'single' | 'multi';
  value: unknown;
}

export interface CmisObject {
  properties?: Record<string, CmisProperty>;
  succinctProperties?: Record<string, unknown>;
  allowableActions?: Record<string, boolean>;
  renditions?: Array<{ streamId: string; mimeType: string; kind: string }>;
}

export interface CmisAnswer<T> {
  status: number;
  body: T;
  headers: Headers;
}

/** Calls the sandbox's CMIS browser binding as `user` (Basic with the seeded password, unless `headers` say otherwise). */
export function cmisApi(sandbox: RunningSandbox, user = 'admin') {
  const binding = `${sandbox.url}${CMIS_BROWSER_BASE}`;
  const send = async <T>(path: string, init: RequestInit = {}): Promise<CmisAnswer<T>> => {
    const response = await fetch(`${binding}${path}`, { ...init, headers: { Authorization: basic(user), ...(init.headers as Record<string, string>) } });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T, headers: response.headers };
  };
  return {
    binding,
    get: <T = unknown>(path: string, headers: Record<string, string> = {}) => send<T>(path, { headers }),
    /** A urlencoded action form, or a multipart one when `content` is given (its file part is named "content"). */
    post: <T = unknown>(path: string, fields: Record<string, string>, content?: { bytes: Buffer | string; filename: string; type?: string }) => {
      if (!content) return send<T>(path, { method: 'POST', body: new URLSearchParams(fields) });
      const form = new FormData();
      for (const [name, value] of Object.entries(fields)) form.append(name, value);
      form.append('content', new Blob([typeof content.bytes === 'string' ? content.bytes : new Uint8Array(content.bytes)], { type: content.type ?? 'application/octet-stream' }), content.filename);
      return send<T>(path, { method: 'POST', body: form });
    },
  };
}

/** The value of a property in either form. */
export function valueOf(object: CmisObject, id: string): unknown {
  return object.succinctProperties ? object.succinctProperties[id] : object.properties?.[id]?.value;
}

/** `propertyId[i]` / `propertyValue[i]` fields for an action (CMIS 1.1 §5.4.4.3.8). */
export function propertyFields(properties: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(properties).flatMap(([id, value], index) => [[`propertyId[${index}]`, id], [`propertyValue[${index}]`, value]]));
}
