/**
 * The floor for bench/stream.ts: the least a Node process can do to pass a download on — `http.get`
 * upstream, pipe into the response — with no framework, no auth and no checks. Whatever the companion
 * costs beyond this is ours; what this costs is Node's and the machine's. Same IPC as stream-companion.ts.
 */
import { createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream';

const upstream = process.argv[2]!;
let peak = process.memoryUsage.rss();
setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10).unref();

const server = createServer((request, response) => {
  get(`${upstream}${request.url ?? '/'}`, { headers: { authorization: request.headers.authorization ?? '' } }, (answer) => {
    response.writeHead(answer.statusCode ?? 502, answer.headers);
    pipeline(answer, response, () => undefined);
  }).on('error', () => response.destroy());
});
server.listen(0, '127.0.0.1', () => {
  const idle = process.memoryUsage.rss();
  let cpu = process.cpuUsage();
  process.on('message', (message) => {
    if (message === 'peak') {
      const used = process.cpuUsage(cpu);
      process.send!({ peak, idle, cpuSeconds: (used.user + used.system) / 1e6 });
    }
    if (message === 'reset') {
      peak = process.memoryUsage.rss();
      cpu = process.cpuUsage();
    }
    if (message === 'stop') server.close(() => process.exit(0));
  });
  process.send!({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
});
