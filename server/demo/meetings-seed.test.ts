import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openPglite, queryRows, type Database } from '../db/client.js';
import { scanMeetings } from '../modules/meetings/index.js';
import { seedDemo } from './seed.js';

describe('demo meetings', () => {
  let d: Database;
  let ws = '';
  const now = new Date();
  beforeAll(async () => {
    d = await openPglite({});
    await d.migrate();
    ws = (await seedDemo(d.db, { now })).workspaceId;
  }, 120_000);
  afterAll(() => d?.close());

  it('has a half-monthly series per A account, key moments with the iron triangle, Chinese minutes with summaries', async () => {
    const [r] = await queryRows<Record<string, number>>(
      d.db,
      sql`select
        (select count(*)::int from accounts where workspace_id = ${ws} and tier = 'A') as a_accounts,
        (select count(distinct account_id)::int from meetings where workspace_id = ${ws} and kind = 'periodic') as periodic_accounts,
        (select count(*)::int from meetings where workspace_id = ${ws} and kind = 'key_moment' and cause = 'complaint') as complaints,
        (select count(*)::int from key_moment_events where workspace_id = ${ws} and status = 'open') as open_events,
        (select count(*)::int from meetings where workspace_id = ${ws} and summary_status = 'done') as summarised,
        (select count(*)::int from meetings where workspace_id = ${ws} and kind = 'ad_hoc') as ad_hoc`,
    );
    expect(r.periodic_accounts).toBe(r.a_accounts);
    expect(r.complaints).toBeGreaterThanOrEqual(1);
    expect(r.open_events).toBe(0);
    expect(r.summarised).toBe(2);
    expect(r.ad_hoc).toBe(1);
    const items = await queryRows<{ title: string; owner: string; due_at: string | Date; source: string }>(
      d.db,
      sql`select a.title, u.name as owner, a.due_at, a.source from action_items a join users u on u.id = a.owner_id where a.workspace_id = ${ws} order by a.created_at`,
    );
    expect(items.length).toBeGreaterThanOrEqual(4);
    expect(items.every((i) => i.source === 'summary')).toBe(true);
    expect(items.some((i) => i.title.includes('整改报告') && new Date(i.due_at) < now)).toBe(true);
  });

  it('the first scan after start chases the overdue item (and escalates it when past the grace period)', async () => {
    const r = await scanMeetings(d.db, now);
    expect(r.overdue).toBeGreaterThanOrEqual(1);
    expect((await scanMeetings(d.db, now)).overdue).toBe(0);
  });
});
