import { FsError } from '../protocol/errors.ts';

/**
 * The companion's one HTTP client for calls to sources. Failures become FsErrors with the upstream
 * detail kept as `cause` (for logs), never in the message (which may reach the browser).
 */
export async function upstreamJson<T>(url: string, { timeoutMs = 10_000, signal, headers }: { timeoutMs?: number; signal?: AbortSignal; headers?: Record<string, string> } = {}): Promise<T> {
  const timeout = AbortSignal.timeout(timeoutMs);
  let response: Response;
  try {
    response = await fetch(url, { headers: { Accept: 'application/json', ...headers }, signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
  } catch (error) {
    throw new FsError('FS_ERR_UPSTREAM', `The source at ${new URL(url).origin} could not be reached.`, { cause: error });
  }
  if (!response.ok) {
    throw new FsError('FS_ERR_UPSTREAM', `The source answered ${response.status}.`, { cause: await response.text().catch(() => '') });
  }
  return (await response.json()) as T;
}
