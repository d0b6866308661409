/** The largest response head accepted (status line and headers); Node's own client allows 16 KiB. */
export const MAX_HEAD_BYTES = 64 * 1024;

export interface ResponseHead {
  status: number;
  headers: Headers;
  /** HTTP/1.1 without `Connection: close`: the connection may carry another exchange after this one. */
  keepAlive: boolean;
}

/** A response that does not follow HTTP/1.1, with what was wrong. */
export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

const STATUS_LINE = /^HTTP\/1\.([01]) (\d{3})(?: [^\r\n]*)?$/;

/**
 * Reads an HTTP/1.x response head from the start of `bytes`: the head and where the body starts, or
 * undefined while the blank line that ends the head has not arrived yet. Strict where leniency would
 * let a broken upstream smuggle bytes: CRLF line ends only, no folded header lines, no space before a colon.
 */
export function parseResponseHead(bytes: Buffer): { head: ResponseHead; bodyStart: number } | undefined {
  const end = bytes.indexOf('\r\n\r\n');
  if (end < 0) {
    if (bytes.length > MAX_HEAD_BYTES) throw new ProtocolError(`the response head is longer than ${MAX_HEAD_BYTES} bytes`);
    return undefined;
  }
  if (end > MAX_HEAD_BYTES) throw new ProtocolError(`the response head is longer than ${MAX_HEAD_BYTES} bytes`);
  const [statusLine = '', ...lines] = bytes.toString('latin1', 0, end).split('\r\n');
  const status = STATUS_LINE.exec(statusLine);
  if (!status) throw new ProtocolError(`the status line ${JSON.stringify(statusLine.slice(0, 80))} is not HTTP/1.x`);
  const headers = new Headers();
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon);
    if (colon <= 0 || /[\s]/.test(name)) throw new ProtocolError(`the header line ${JSON.stringify(line.slice(0, 80))} is malformed`);
    try {
      headers.append(name, line.slice(colon + 1).trim());
    } catch (cause) {
      throw new ProtocolError(`the header ${JSON.stringify(name.slice(0, 80))} holds characters a header cannot`, { cause });
    }
  }
  const keepAlive = status[1] === '1' && !/(?:^|,)\s*close\s*(?:,|$)/i.test(headers.get('Connection') ?? '');
  return { head: { status: Number(status[2]), headers, keepAlive }, bodyStart: end + 4 };
}
