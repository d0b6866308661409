export type { PortalApp, PortalWebhook } from '../../src/protocol/portal.ts';

export interface PortalDelivery {
  id: number;
  eventId: number;
  action: string;
  url: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: Array<{ attempt: number; at: number; durationMs: number; status: number | null; ok: boolean; error: string | null; nextAttemptAt: number | null }>;
  nextAttemptAt: number | null;
  createdAt: number;
}

/** A refused call: the server's message, and a message per field when the body was wrong. */
export class PortalError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
  }
}

/**
 * The portal's one HTTP client: same-origin JSON calls under /portal/api, the session cookie, and the
 * session's CSRF token in `X-FS-CSRF` on every state-changing call.
 */
export class PortalApi {
  csrf: string | undefined;
  readonly base: string;

  /** `base`: the API's path; by default `api/` under the page's own path (/portal → /portal/api/). */
  constructor(base = `${location.pathname.replace(/\/?$/, '/')}api/`) {
    this.base = base;
  }

  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET' && this.csrf) headers['X-FS-CSRF'] = this.csrf;
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}`, { method, headers, credentials: 'same-origin', ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    } catch {
      throw new PortalError('The companion could not be reached.', 0, 'FS_ERR_NETWORK');
    }
    if (response.status === 204) return undefined as T;
    const data = (await response.json().catch(() => ({}))) as { error?: { code?: string; message?: string; field?: string }; fields?: Record<string, string> } & T;
    if (!response.ok) {
      const fields = data.fields ?? (data.error?.field ? { [data.error.field]: data.error.message ?? '' } : {});
      throw new PortalError(data.error?.message ?? `The companion answered ${response.status}.`, response.status, data.error?.code ?? 'FS_ERR_INTERNAL', fields);
    }
    return data;
  }
}
