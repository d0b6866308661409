import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { OutboundSettings } from './settings.ts';

/**
 * The keep-alive connection pools of one outbound instance for node:http(s): one per origin by
 * default, or per key (a webhook URL has its own, so that two URLs on one host never wait for each
 * other's sockets). Every https pool uses the instance's TLS settings; all close with it.
 */
export class AgentPools {
  readonly #agents = new Map<string, HttpAgent>();

  constructor(private readonly settings: OutboundSettings) {}

  agentFor(url: URL, { key = url.origin, maxSockets = Infinity }: { key?: string; maxSockets?: number } = {}): HttpAgent {
    const name = `${url.protocol}${key}`;
    let agent = this.#agents.get(name);
    if (!agent) {
      // `timeout` closes a free socket after it (Node's agent unrefs free ones, so none holds the process).
      const options = { keepAlive: true, maxSockets, timeout: this.settings.timeouts.pooledMs };
      agent = url.protocol === 'https:' ? new HttpsAgent({ ...options, ...this.settings.tls }) : new HttpAgent(options);
      this.#agents.set(name, agent);
    }
    return agent;
  }

  /** Closes every socket of every pool, free or in use. */
  destroy(): void {
    for (const agent of this.#agents.values()) agent.destroy();
    this.#agents.clear();
  }
}
