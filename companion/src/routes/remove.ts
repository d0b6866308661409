import { Hono } from 'hono';
import { isHandle, FsError } from 'fs-picker/protocol';
import type { Companion } from '../context.ts';
import type { AppEnv } from '../security/app-access.ts';
import { requireHandleProof } from '../security/handle-proof.ts';
import { checkPolicy } from '../security/policy.ts';
import { finishRemovals } from '../files/handle-removals.ts';

/**
 * DELETE /api/file/:handle (v2's `remove`), behind the app key and one proof beyond it and the link (the
 * handle token, the picking person's session or a policy naming "remove": security/handle-proof.ts): drops the handle
 * and, for a stored file, its copy in storage → 204. It never touches the person's file in Alfresco:
 * a picked link only loses its handle. An unknown handle, or one of another app, is 404. Checks the
 * `policy`/`signature` query parameters with call "remove" and the policy's handle rule. The handle's
 * deletion and its `fp.delete` webhook event are written in one transaction (HandleStore.delete).
 */
export function removeRoutes(companion: Companion): Hono<AppEnv> {
  return new Hono<AppEnv>().delete('/:handle', async (c) => {
    const app = c.get('app');
    const id = c.req.param('handle');
    const handle = isHandle(id) ? await companion.handles.get(id) : undefined;
    if (!handle || handle.appKey !== app.apiKey) throw new FsError('FS_ERR_NOT_FOUND', 'No such file handle.', { field: 'handle' });
    const policy = checkPolicy(app, { call: 'remove', handle: handle.handle }, c.req.query('policy'), c.req.query('signature'));
    await requireHandleProof(companion, c, handle, 'remove', policy);
    if (!(await companion.handles.remove(handle.handle))) throw new FsError('FS_ERR_NOT_FOUND', 'No such file handle.', { field: 'handle' });
    // The link is gone now; its stored copy follows, or the removal sweep deletes it later.
    await finishRemovals(companion);
    return c.body(null, 204);
  });
}
