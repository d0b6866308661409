import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../src/sandbox/sandbox.ts';

export const CORE = '/alfresco/api/-default-/public/alfresco/versions/1';
export const AUTH = '/alfresco/api/-default-/public/authentication/versions/1';

/** A real sandbox on a free loopback port, for Node tests that talk HTTP to it. */
export function startTestSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  return startSandbox(options);
}

export function basic(user: string, password = user): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

export interface NodeJson {
  id: string;
  name: string;
  nodeType: string;
  isFolder: boolean;
  isFile: boolean;
  parentId?: string;
  createdAt: string;
  modifiedAt: string;
  content?: { mimeType: string; mimeTypeName: string; sizeInBytes: number };
  aspectNames?: string[];
  properties?: Record<string, unknown>;
  allowableOperations?: string[];
  path?: { name: string; isComplete: boolean; elements: Array<{ id: string; name: string }> };
}

export interface NodeList {
  list: {
    pagination: { count: number; hasMoreItems: boolean; totalItems: number; skipCount: number; maxItems: number };
    entries: Array<{ entry: NodeJson }>;
    source?: NodeJson;
  };
}

/** Calls the core API as `user` (password = user id, as seeded) and returns status and JSON. */
export function coreApi(sandbox: RunningSandbox, user = 'admin') {
  return async <T = unknown>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T; headers: Headers }> => {
    const response = await fetch(`${sandbox.url}${CORE}${path}`, { ...init, headers: { Authorization: basic(user), ...(init.headers as Record<string, string>) } });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T, headers: response.headers };
  };
}

/** The node at `path` below the user's My Files, looked up directly in the sandbox. */
export async function nodeAt(sandbox: RunningSandbox, path: string, user = 'admin'): Promise<NodeJson> {
  const response = await fetch(`${sandbox.url}${CORE}/nodes/-my-?relativePath=${encodeURIComponent(path)}`, { headers: { Authorization: basic(user) } });
  if (response.status !== 200) throw new Error(`No node at ${path} for ${user} (${response.status})`);
  return ((await response.json()) as { entry: NodeJson }).entry;
}
