/**
 * Starts bench/splice-proxy.py in front of `upstream`: the cheapest proxy hop the machine can make
 * (zero-copy splice(2)), as a floor no Node proxy can go below. Resolves with why not when python3
 * (3.10+, with os.splice) is missing, so the bench runs without it.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export type NativeProxy = { url: string; stop: () => void } | { missing: string };

export function startSpliceProxy(upstream: string): Promise<NativeProxy> {
  const script = fileURLToPath(new URL('./splice-proxy.py', import.meta.url));
  const child = spawn('python3', [script, new URL(upstream).port], { stdio: ['ignore', 'pipe', 'pipe'] });
  // Should the bench die without stopping it, the proxy goes with it.
  const kill = () => child.kill();
  process.once('exit', kill);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => {
    child.once('error', (error) => resolve({ missing: `python3 did not start (${error.message})` }));
    child.once('exit', (code) => resolve({ missing: `python3 exited (${code}): ${stderr.trim() || 'no message'}` }));
    createInterface({ input: child.stdout }).once('line', (line) => {
      const port = /^listening (\d+)$/.exec(line)?.[1];
      if (!port) return resolve({ missing: `splice-proxy.py said ${JSON.stringify(line)}` });
      resolve({ url: `http://127.0.0.1:${port}`, stop: () => (process.off('exit', kill), child.kill()) });
    });
  });
}
