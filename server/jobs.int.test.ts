import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, type Database } from './db/client.js';
import { createJobRunner } from './platform/jobs.js';
import { openTestDatabase } from './test/test-db.js';
import { ensureSchedules, jobHandlers } from './jobs.js';

let d: Database;
beforeAll(async () => {
  d = await openTestDatabase();
});
afterAll(() => d?.close());

describe('the job table of the app', () => {
  it('has a handler for every scheduled kind, and every schedule runs without failing on an empty database', async () => {
    await ensureSchedules(d.db);
    const schedules = await queryRows<{ name: string; kind: string }>(d.db, sql`select name, kind from schedules order by name`);
    expect(schedules.length).toBeGreaterThanOrEqual(5);
    for (const s of schedules) expect(Object.keys(jobHandlers), s.name).toContain(s.kind);
    // run every schedule once, far in the future so all are due
    const runner = createJobRunner(d.db, jobHandlers);
    await runner.runDue(new Date(Date.now() + 2 * 24 * 3600 * 1000));
    const failed = await queryRows<{ kind: string; last_error: string | null }>(
      d.db,
      sql`select kind, last_error from jobs where last_error is not null`,
    );
    expect(failed).toEqual([]);
    const done = await queryRows<{ kind: string }>(d.db, sql`select distinct kind from jobs where status = 'done' order by kind`);
    expect(done.map((r) => r.kind).sort()).toEqual([...new Set(schedules.map((s) => s.kind))].sort());
  });
});
