/*
 * What never reaches a log line: the companion logs objects it did not build (errors from upstreams with
 * their causes, request details), so redaction walks everything, at any depth, rather than naming paths.
 */

export const REDACTED = '[redacted]';

/** Keys whose values are secrets whatever they hold (matched without regard to case). */
const SECRET_KEY = /authorization|cookie|pass(?:word|wd|phrase)|secret|token|ticket|signature|credential|private.?key|verifier|^session$|^policy$|^handles?$|^x-api-key$/i;

/** Query parameters whose values are secrets, or enough to use a link or a sign-in. */
const SECRET_QUERY = /([?&](?:key|policy|signature|session|token|access_token|refresh_token|id_token|alf_ticket|ticket|code|state|nonce|password|client_secret)=)[^&#\s"'<>]*/gi;
/** A distributable link's handle is its secret: `/api/file/<handle>` (and the write routes' `:handle`). */
const HANDLE_PATH = /(\/api\/(?:file|write|write-url)\/)[^/?#\s"'<>]+/gi;
/** Credentials in header-like text, Alfresco tickets, JWTs. */
const CREDENTIAL_TEXT = /\b(Bearer|Basic)\s+[\w.~+/=-]+|\bTICKET_[0-9a-f]{8,}\b|\beyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*/g;

const MAX_DEPTH = 10;

/** `value` with its secrets replaced by "[redacted]"; errors become plain objects (type, message, stack, code, cause…). */
export function redactForLog(value: unknown): unknown {
  return redact(value, 0, new WeakSet());
}

/** Text with handles in link paths, secret query values, bearer and basic credentials, tickets and JWTs taken out. */
export function redactText(text: string): string {
  return text
    .replace(HANDLE_PATH, `$1${REDACTED}`)
    .replace(SECRET_QUERY, `$1${REDACTED}`)
    .replace(CREDENTIAL_TEXT, (match, scheme: string | undefined) => (scheme ? `${scheme} ${REDACTED}` : REDACTED));
}

function redact(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactText(value);
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[too deep]';
  seen.add(value);
  try {
    if (value instanceof URL) return redactText(value.href);
    if (value instanceof Date) return value;
    if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return `[${value.byteLength} bytes]`;
    if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1, seen));
    if (value instanceof Error) return redactEntries(errorEntries(value), depth, seen);
    if (value instanceof Map) return redactEntries([...value].map(([key, item]) => [String(key), item]), depth, seen);
    if (value instanceof Set) return [...value].map((item) => redact(item, depth + 1, seen));
    if (typeof Headers !== 'undefined' && value instanceof Headers) return redactEntries([...value], depth, seen);
    return redactEntries(Object.entries(value), depth, seen);
  } finally {
    seen.delete(value);
  }
}

function redactEntries(entries: Array<[string, unknown]>, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, item] of entries) out[key] = SECRET_KEY.test(key) && item !== undefined && item !== null && item !== '' ? REDACTED : redact(item, depth + 1, seen);
  return out;
}

/** What a log keeps of an error: pino's fields (type, message, stack) and the error's own, its cause and (AggregateError) errors. */
function errorEntries(error: Error): Array<[string, unknown]> {
  const entries: Array<[string, unknown]> = [
    ['type', error.constructor?.name ?? error.name],
    ['message', error.message],
    ['stack', error.stack],
  ];
  for (const [key, item] of Object.entries(error)) if (key !== 'message' && key !== 'stack') entries.push([key, item]);
  if (error.cause !== undefined && !entries.some(([key]) => key === 'cause')) entries.push(['cause', error.cause]);
  if (error instanceof AggregateError && !entries.some(([key]) => key === 'errors')) entries.push(['errors', error.errors]);
  return entries;
}
