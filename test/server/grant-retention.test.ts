import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import type { PickResponse } from '../../src/protocol/pick.ts';
import { buildApp } from '../../companion/src/app.ts';
import { GrantRetention, sweepGrants } from '../../companion/src/auth/grant-retention.ts';
import { GrantStore } from '../../companion/src/auth/grants.ts';
import { SessionStore } from '../../companion/src/auth/sessions.ts';
import { ConfigError, parseConfig } from '../../companion/src/config.ts';

import { SecretBox } from '../../companion/src/security/secrets.ts';
import { startCompanion, TEST_APP, type CompanionHarness } from '../helpers/companion.ts';
import { openTestDatabase } from '../helpers/test-database.ts';
import { nodeAt } from '../helpers/sandbox.ts';

/*
 * Issue 19: grants outlived every session forever, and with them every link picked through them. A grant
 * now lives `grants.retentionDays` (default 30) after the last of its sessions expired.
 */

const DAY = 24 * 60 * 60_000;
let h: CompanionHarness;
before(async () => (h = await startCompanion()));
after(() => h.close());

/** A pick by a fresh session of `user`: the link and the grant behind it. */
async function pickedLink(user = 'admin'): Promise<{ handle: string; grantId: string }> {
  const session = await h.connect(user);
  const node = await nodeAt(h.sandbox, 'Café menu.txt');
  const response = await h.call('/api/pick', { method: 'POST', session, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ itemIds: [node.id] }) });
  const { blobs } = (await response.json()) as PickResponse;
  const grantId = (await new SessionStore(h.db).grantIdOf(session, TEST_APP.apiKey))!;
  return { handle: blobs[0]!.handle, grantId };
}

/** Makes the grant and its sessions look as if its last session expired `daysAgo` days ago. */
async function endedAgo(grantId: string, daysAgo: number): Promise<void> {
  const ended = Date.now() - daysAgo * DAY;
  await h.db.updateTable('grants').set({ created_at: ended - 30 * DAY }).where('id', '=', grantId).execute();
  await h.db.updateTable('sessions').set({ created_at: ended - 30 * DAY, expires_at: ended }).where('grant_id', '=', grantId).execute();
}

const grantExists = async (id: string) => (await h.db.selectFrom('grants').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;

describe('grant retention', () => {
  test('a grant whose sessions all ended more than retentionDays ago is deleted; its links answer 404 saying why', async () => {
    const stale = await pickedLink();
    const recent = await pickedLink();
    const live = await pickedLink();
    await endedAgo(stale.grantId, 31);
    await endedAgo(recent.grantId, 10);

    const deleted = await sweepGrants(h.db, Date.now() - 30 * DAY);

    assert.equal(deleted, 1);
    assert.equal(await grantExists(stale.grantId), false);
    assert.equal((await h.db.selectFrom('sessions').select('token_hash').where('grant_id', '=', stale.grantId).execute()).length, 0);
    const gone = await h.app.request(`/api/file/${stale.handle}`);
    assert.equal(gone.status, 404);
    const { error } = (await gone.json()) as { error: { code: string; message: string } };
    assert.equal(error.code, 'FS_ERR_NOT_FOUND');
    assert.match(error.message, /This link no longer works: the person who shared the file is no longer connected to Alfresco/);

    // Within the retention, and with a live session, the grant and its links stay.
    assert.equal(await grantExists(recent.grantId), true);
    assert.equal(await grantExists(live.grantId), true);
    assert.equal((await h.app.request(`/api/file/${recent.handle}`)).status, 200);
    assert.equal((await h.app.request(`/api/file/${live.handle}`)).status, 200);
  });

  test('one live session keeps a grant, however old its other sessions are', async () => {
    const { grantId } = await pickedLink();
    await endedAgo(grantId, 90);
    const grant = await new GrantStore(h.db, h.box).get(grantId);
    await new SessionStore(h.db).create(grant!.id, TEST_APP.apiKey);

    await sweepGrants(h.db, Date.now() - 30 * DAY);

    assert.equal(await grantExists(grantId), true);
    // The long-expired sessions themselves are gone: they no longer count for anything.
    assert.equal((await h.db.selectFrom('sessions').select('token_hash').where('grant_id', '=', grantId).execute()).length, 1);
  });

  test('GrantRetention counts days by its clock, and buildApp sweeps when it starts', async () => {
    const { grantId } = await pickedLink();
    await endedAgo(grantId, 5);
    let later = 24 * DAY;
    const retention = new GrantRetention({ db: h.db, logger: pino({ level: 'silent' }), retentionDays: 30, now: () => Date.now() + later });
    await retention.sweep();
    assert.equal(await grantExists(grantId), true, '29 days after its last session: kept');
    later = 26 * DAY;
    assert.ok((await retention.sweep()) >= 1);
    assert.equal(await grantExists(grantId), false, '31 days after: gone');

    const db = await openTestDatabase();
    const config = parseConfig({ alfresco: { repositoryUrl: h.sandbox.url }, apps: [TEST_APP], grants: { retentionDays: 7 } });
    const grants = new GrantStore(db, new SecretBox(undefined));
    const old = await grants.create({ appKey: TEST_APP.apiKey, source: 'ALFRESCO', userId: 'u', userName: 'u', kind: 'ticket', accessToken: 't', refreshToken: undefined, expiresAt: undefined });
    await db.updateTable('grants').set({ created_at: Date.now() - 40 * DAY }).where('id', '=', old.id).execute();
    const app = await buildApp(config, { db, logger: pino({ level: 'silent' }) });
    await app.close();
    assert.equal(await grants.get(old.id), undefined);
    await db.destroy();
  });

  test('grants.retentionDays defaults to 30 and must be a whole number of days, at least 1', () => {
    assert.equal(parseConfig({ alfresco: { repositoryUrl: h.sandbox.url }, apps: [TEST_APP] }).grants.retentionDays, 30);
    assert.throws(() => parseConfig({ alfresco: { repositoryUrl: h.sandbox.url }, apps: [TEST_APP], grants: { retentionDays: 0 } }), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /grants\.retentionDays: must be at least 1 \(day\)/);
      return true;
    });
  });
});
