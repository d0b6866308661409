/** What the benchmarks ask the sandbox directly, as admin: its REST base and the two node calls they share. */
export const CORE = '/alfresco/api/-default-/public/alfresco/versions/1';
export const ADMIN = { Authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` };

/** Looks up nodes by path under admin's My Files, and creates folders and empty files there. */
export function sandboxNodes(sandbox: string) {
  return {
    /** The id of the node at `path` below My Files, or undefined when there is none. */
    nodeId: async (path: string): Promise<string | undefined> => {
      const response = await fetch(`${sandbox}${CORE}/nodes/-my-?relativePath=${encodeURIComponent(path)}`, { headers: ADMIN });
      return response.ok ? ((await response.json()) as { entry: { id: string } }).entry.id : undefined;
    },
    /** Creates `name` (a `cm:folder` or an empty `cm:content`) in `parent` and gives its id. */
    create: async (parent: string, name: string, nodeType: string): Promise<string> => {
      const response = await fetch(`${sandbox}${CORE}/nodes/${parent}/children`, { method: 'POST', headers: { ...ADMIN, 'Content-Type': 'application/json' }, body: JSON.stringify({ name, nodeType }) });
      if (!response.ok) throw new Error(`creating ${name}: ${response.status} ${await response.text()}`);
      return ((await response.json()) as { entry: { id: string } }).entry.id;
    },
  };
}
