// The fingerprint the abuse and permission tests rely on to prove "nothing changed" must see every change.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.js';
import { changedTables, fingerprint, fingerprintQuery } from './fingerprint.js';
import { openTestDatabase } from './test-db.js';

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
  await database.db.execute(sql`insert into workspaces (name, slug) values ('fp', 'fp')`);
});
afterAll(() => database?.close());

describe('database fingerprint', () => {
  it('names the table of an insert, an update and a delete, and ignores the skipped tables', async () => {
    const db = database.db;
    const query = await fingerprintQuery(db, ['login_throttle']);
    const f0 = await fingerprint(db, query);
    expect(changedTables(f0, await fingerprint(db, query))).toEqual([]);

    await db.execute(sql`update workspaces set name = 'fp2' where slug = 'fp'`);
    const f1 = await fingerprint(db, query);
    expect(changedTables(f0, f1)).toEqual(['workspaces']);

    await db.execute(sql`insert into channel_partners (workspace_id, name, region) select id, 'p', '华南' from workspaces where slug = 'fp'`);
    const f2 = await fingerprint(db, query);
    expect(changedTables(f1, f2)).toEqual(['channel_partners']);

    await db.execute(sql`delete from channel_partners`);
    expect(changedTables(f2, await fingerprint(db, query))).toEqual(['channel_partners']);

    await db.execute(sql`insert into login_throttle (key, failures, window_start) values ('x', 1, now())`);
    expect(changedTables(f2, await fingerprint(db, query))).toEqual(['channel_partners']);
  });
});
