import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Kysely, SqliteDialect, sql, type Generated } from 'kysely';
import { openSqlite } from '../../companion/src/db/sqlite.ts';
import { withStatementCache } from '../../companion/src/db/statement-cache.ts';

interface Tables {
  items: { id: Generated<number>; name: string };
}

async function itemsDatabase(): Promise<{ db: Kysely<Tables>; prepared: () => number }> {
  const sqlite = openSqlite(':memory:');
  let prepares = 0;
  const counted = {
    ...sqlite,
    prepare: (source: string) => {
      prepares++;
      return sqlite.prepare(source);
    },
  };
  const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: withStatementCache(counted) }) });
  await sql`create table items (id integer primary key, name text not null)`.execute(db);
  return { db, prepared: () => prepares };
}

test('a query run again with other values is prepared once and answers for its own values', async () => {
  const { db, prepared } = await itemsDatabase();
  for (const name of ['a', 'b', 'c']) await db.insertInto('items').values({ name }).execute();
  const before = prepared();

  const names = [];
  for (const id of [3, 1, 2]) names.push((await db.selectFrom('items').select('name').where('id', '=', id).executeTakeFirstOrThrow()).name);

  assert.deepEqual(names, ['c', 'a', 'b']);
  assert.equal(prepared() - before, 1);
  await db.destroy();
});

test('past 500 distinct queries the oldest are dropped and prepared again when they come back', async () => {
  const { db, prepared } = await itemsDatabase();
  await db.insertInto('items').values({ name: 'kept' }).execute();
  const first = () => db.selectFrom('items').select('name').where('id', '=', 1).executeTakeFirstOrThrow();
  await first();
  // Each alias makes different SQL, so 600 distinct statements.
  for (let index = 0; index < 600; index++) await db.selectFrom('items').select(sql<number>`count(*)`.as(`n${index}`)).execute();
  const before = prepared();

  assert.equal((await first()).name, 'kept');
  assert.equal(prepared() - before, 1, 'the first query was evicted, so it is prepared again');
  await db.destroy();
});
