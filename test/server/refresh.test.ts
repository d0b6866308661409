import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CompanionHarness } from '../helpers/companion.ts';
import { connectWithOAuth, countTokenRequests, startOidcCompanion } from '../helpers/companion-auth.ts';
import { SecretBox } from '../../companion/src/security/secrets.ts';

const KEY = Buffer.alloc(32, 13).toString('base64');
const box = new SecretBox(KEY);

async function grantOf(harness: CompanionHarness, userId: string) {
  const row = await harness.db.selectFrom('grants').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
  return { ...row, access: box.open(row.access_sealed), refresh: box.open(row.refresh_sealed!) };
}

type SessionAnswer = { status: number; body: unknown };

/** Sends `count` session requests at once, counting the token requests (by grant type) made meanwhile. */
async function concurrently(harness: CompanionHarness, session: string, count: number): Promise<{ results: SessionAnswer[]; tokenRequests: Record<string, number> }> {
  const counter = countTokenRequests(harness.sandbox);
  try {
    const results = await Promise.all(
      Array.from({ length: count }, async () => {
        const response = await harness.call('/api/session', { session });
        return { status: response.status, body: (await response.json()) as unknown };
      }),
    );
    return { results, tokenRequests: counter.counts };
  } finally {
    counter.stop();
  }
}

describe('Token refresh (the companion thinks the token expired)', () => {
  let harness: CompanionHarness;
  before(async () => (harness = await startOidcCompanion({ overrides: { encryptionKey: KEY } })));
  after(() => harness.close());

  test('20 concurrent requests that meet an expired token share one refresh, and all succeed with the rotated tokens', async () => {
    const { session } = await connectWithOAuth(harness, 'mjackson');
    const before = await grantOf(harness, 'mjackson');
    await harness.db.updateTable('grants').set({ expires_at: Date.now() - 1_000 }).where('id', '=', before.id).execute();

    const { results, tokenRequests } = await concurrently(harness, session, 20);

    assert.deepEqual(tokenRequests, { refresh_token: 1 });
    assert.deepEqual(new Set(results.map((result) => result.status)), new Set([200]));
    const afterRefresh = await grantOf(harness, 'mjackson');
    assert.notEqual(afterRefresh.access, before.access);
    assert.notEqual(afterRefresh.refresh, before.refresh, 'the rotated refresh token was not kept');
    assert.ok(afterRefresh.expires_at! > Date.now() + 60_000);

    // The kept refresh token is the live one: a second round works (reusing the spent one would revoke the grant).
    await harness.db.updateTable('grants').set({ expires_at: Date.now() - 1_000 }).where('id', '=', before.id).execute();
    assert.equal((await harness.call('/api/session', { session })).status, 200);
  });

  test('a grant revoked at the identity service answers 401 FS_ERR_RECONNECT, after one refused refresh', async () => {
    const { session } = await connectWithOAuth(harness, 'abeecher');
    harness.sandbox.identity.expireAllTokens();

    const { results, tokenRequests } = await concurrently(harness, session, 5);

    assert.deepEqual(tokenRequests, { refresh_token: 1 });
    for (const result of results) {
      assert.equal(result.status, 401);
      assert.equal((result.body as { error: { code: string } }).error.code, 'FS_ERR_RECONNECT');
    }
  });
});

describe('Token refresh (Alfresco refuses a token that really expired)', () => {
  let harness: CompanionHarness;
  before(async () => (harness = await startOidcCompanion({ identity: { accessTokenTtl: 1 }, overrides: { encryptionKey: KEY } })));
  after(() => harness.close());

  test('20 concurrent requests that get 401 from Alfresco share one refresh and all succeed', async () => {
    const { session } = await connectWithOAuth(harness, 'mjackson');
    const grant = await grantOf(harness, 'mjackson');
    // The companion believes the token is good; Alfresco will say otherwise once it has expired.
    await harness.db.updateTable('grants').set({ expires_at: Date.now() + 3_600_000 }).where('id', '=', grant.id).execute();
    await sleep(1_500);

    const { results, tokenRequests } = await concurrently(harness, session, 20);

    assert.deepEqual(tokenRequests, { refresh_token: 1 });
    assert.deepEqual(
      results.map((result) => result.status),
      Array(20).fill(200),
    );
    assert.notEqual((await grantOf(harness, 'mjackson')).refresh, grant.refresh);
  });
});
