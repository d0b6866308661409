import { FsError } from 'fs-picker/protocol';

export interface UpstreamInit extends RequestInit {
  /** Gives up after this long (10 s by default); the caller's own signal still applies. */
  timeoutMs?: number;
}

/**
 * The companion's one HTTP client for calls to sources. A source that cannot be reached becomes
 * FS_ERR_UPSTREAM with the detail kept as `cause` (for logs), never in the message (which may reach the
 * browser). Statuses are the caller's to interpret.
 */
export async function upstreamFetch(url: string, { timeoutMs = 10_000, signal, ...init }: UpstreamInit = {}): Promise<Response> {
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    return await fetch(url, { ...init, signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new FsError('FS_ERR_UPSTREAM', `The source at ${new URL(url).origin} could not be reached.`, { cause: error });
  }
}

/** GET a JSON document; any status but 2xx is FS_ERR_UPSTREAM. */
export async function upstreamJson<T>(url: string, init: UpstreamInit & { headers?: Record<string, string> } = {}): Promise<T> {
  const response = await upstreamFetch(url, { ...init, headers: { Accept: 'application/json', ...init.headers } });
  if (!response.ok) {
    throw new FsError('FS_ERR_UPSTREAM', `The source answered ${response.status}.`, { cause: await response.text().catch(() => '') });
  }
  return (await response.json()) as T;
}
