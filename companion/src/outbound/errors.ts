import { FsError } from 'fs-picker/protocol';
import { ProtocolError } from './http1/response-head.ts';

/** A limit of the outbound module ran out (settings.ts), with which one and how long it was. */
export class OutboundTimeout extends Error {
  override name = 'OutboundTimeout';

  constructor(
    readonly limit: 'connect' | 'answer' | 'idle',
    readonly ms: number,
  ) {
    super(limit === 'connect' ? `no connection within ${ms} ms` : limit === 'answer' ? `no answer within ${ms} ms` : `nothing arrived for ${ms} ms`);
  }
}

/** The outbound module was closed (its companion shut down) while a call was under way. */
export class OutboundClosed extends Error {
  override name = 'OutboundClosed';

  constructor() {
    super('the companion closed its outbound connections');
  }
}

/**
 * What a failed call to `origin` means to a person: FS_ERR_UPSTREAM naming the origin and what went
 * wrong (unreachable, not HTTP, too slow). The detail stays in `cause`, for logs, never in the message,
 * which may reach the browser. `timeoutMs` is the caller's limit for the whole call, when it had one.
 */
export function upstreamError(origin: string, error: unknown, { timeoutMs, field }: { timeoutMs?: number; field?: string } = {}): FsError {
  return new FsError('FS_ERR_UPSTREAM', `The source at ${origin} ${whatWentWrong(error, timeoutMs)}.`, { cause: error, ...(field === undefined ? {} : { field }) });
}

function whatWentWrong(error: unknown, timeoutMs: number | undefined): string {
  const seconds = (ms: number) => `${ms / 1000} s`;
  if (error instanceof ProtocolError || isParseError(error)) return 'answered with something other than HTTP';
  if (error instanceof OutboundTimeout) {
    if (error.limit === 'idle') return `sent nothing for ${seconds(error.ms)}`;
    return error.limit === 'connect' ? `could not be reached within ${seconds(error.ms)}` : `did not answer within ${seconds(error.ms)}`;
  }
  if (isTimeout(error) && timeoutMs !== undefined) return `did not answer within ${seconds(timeoutMs)}`;
  if (error instanceof OutboundClosed) return 'was being called as the companion shut down';
  return 'could not be reached';
}

/** node:http's parser refusing an answer (HPE_*: a bad status line, Transfer-Encoding with Content-Length, …). */
function isParseError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('HPE_');
}

function isTimeout(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === 'TimeoutError';
}

