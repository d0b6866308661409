import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A file the origin serves: its text and Content-Type (the length is sent exactly). */
export interface OriginFile {
  type: string;
  body: string;
}

export interface FileOrigin {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  close(): Promise<void>;
}

/**
 * A web server on 127.0.0.1 playing the remote side of a URL upload. Each path in `files` answers 200
 * with its file; `/broken` announces 1000 bytes, sends 10, then hangs up (a source that breaks off
 * mid-body); anything else is 404.
 */
export async function startFileOrigin(files: Record<string, OriginFile>): Promise<FileOrigin> {
  const server = createServer((request, response) => {
    const file = files[request.url ?? ''];
    if (file) {
      response.writeHead(200, { 'Content-Type': file.type, 'Content-Length': String(Buffer.byteLength(file.body)) }).end(file.body);
      return;
    }
    if (request.url === '/broken') {
      response.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': '1000' });
      response.write('0123456789');
      setTimeout(() => response.socket?.destroy(), 50);
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
