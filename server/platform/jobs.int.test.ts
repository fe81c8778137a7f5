import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, type Database } from '../db/client.js';
import { openTestDatabase, testDbKind } from '../test/test-db.js';
import { createJobRunner, enqueue, ensureSchedule } from './jobs.js';

let d: Database;
beforeAll(async () => {
  d = await openTestDatabase();
});
afterAll(() => d?.close());

describe('jobs and schedules', () => {
  it('pauses after each job as long as pauseAfter says, and a stop ends the pause at once', async () => {
    const marks: number[] = [];
    const runner = createJobRunner(d.db, { paced: async () => void marks.push(performance.now()) }, { only: ['paced'], pauseAfter: () => 300 });
    const now = new Date('2026-02-01T00:00:00Z');
    for (let i = 0; i < 3; i++) await enqueue(d.db, { kind: 'paced', payload: { i }, runAt: now });
    expect(await runner.runDue(now)).toBe(3);
    expect(marks).toHaveLength(3);
    expect(marks[1] - marks[0]).toBeGreaterThanOrEqual(290);
    expect(marks[2] - marks[1]).toBeGreaterThanOrEqual(290);
    // a long pause does not hold up a stop
    const slow = createJobRunner(d.db, { paced: async () => undefined }, { only: ['paced'], pauseAfter: () => 60_000 });
    await enqueue(d.db, { kind: 'paced', payload: { i: 9 }, runAt: now });
    const running = slow.runDue(now);
    await new Promise((r) => setTimeout(r, 200));
    const t0 = performance.now();
    await slow.stop();
    await running;
    expect(performance.now() - t0).toBeLessThan(5_000);
  });

  it('runs each due job once, retries a failing one with backoff and gives up after max attempts', async () => {
    const seen: number[] = [];
    let failures = 0;
    const runner = createJobRunner(d.db, {
      ok: async (_db, job) => void seen.push((job.payload as { n: number }).n),
      flaky: async () => {
        failures++;
        throw new Error('boom');
      },
    });
    const now = new Date('2026-01-01T00:00:00Z');
    await enqueue(d.db, { kind: 'ok', payload: { n: 1 }, runAt: now });
    await enqueue(d.db, { kind: 'ok', payload: { n: 2 }, runAt: new Date(now.getTime() + 60_000) });
    await d.db.execute(sql`insert into jobs (kind, run_at, max_attempts) values ('flaky', ${now.toISOString()}::timestamptz, 2)`);
    expect(await runner.runDue(now)).toBe(2);
    expect(seen).toEqual([1]);
    // the failed job waits for its backoff, then fails for good
    expect(await runner.runDue(now)).toBe(0);
    const later = new Date(now.getTime() + 3_600_000);
    expect(await runner.runDue(later)).toBe(2);
    expect(seen).toEqual([1, 2]);
    const [flaky] = await queryRows<{ status: string; attempts: number; last_error: string }>(
      d.db,
      sql`select status, attempts, last_error from jobs where kind = 'flaky'`,
    );
    expect(flaky).toEqual({ status: 'failed', attempts: 2, last_error: 'boom' });
    expect(failures).toBe(2);
  });

  it('a dedupe key enqueues once', async () => {
    await enqueue(d.db, { kind: 'x', dedupeKey: 'same' });
    await enqueue(d.db, { kind: 'x', dedupeKey: 'same' });
    const [{ n }] = await queryRows<{ n: number }>(d.db, sql`select count(*)::int as n from jobs where dedupe_key = 'same'`);
    expect(n).toBe(1);
  });

  it('a schedule enqueues its job when due and moves to the next run', async () => {
    const runs: string[] = [];
    const runner = createJobRunner(d.db, { tick: async () => void runs.push('tick'), x: async () => {} });
    const t0 = new Date('2026-02-01T00:00:00Z');
    await ensureSchedule(d.db, { name: 'every-hour', kind: 'tick', everySeconds: 3600, firstRunAt: t0 });
    await runner.runDue(t0);
    await runner.runDue(new Date(t0.getTime() + 1000));
    expect(runs).toEqual(['tick']);
    await runner.runDue(new Date(t0.getTime() + 3600_000));
    expect(runs).toEqual(['tick', 'tick']);
  });

  it.runIf(testDbKind === 'postgres')('two runners on one PostgreSQL share 200 jobs without doing any twice', async () => {
    const done: number[] = [];
    const handler = async (_db: unknown, job: { payload: unknown }) => {
      await new Promise((r) => setTimeout(r, 1));
      done.push((job.payload as { n: number }).n);
    };
    await d.db.execute(sql`delete from schedules`);
    const now = new Date('2026-03-01T00:00:00Z');
    for (let i = 0; i < 200; i++) await enqueue(d.db, { kind: 'share', payload: { n: i }, runAt: now });
    const a = createJobRunner(d.db, { share: handler });
    const b = createJobRunner(d.db, { share: handler });
    const [na, nb] = await Promise.all([a.runDue(now, 1000), b.runDue(now, 1000)]);
    expect(na + nb).toBe(200);
    expect(na).toBeGreaterThan(0);
    expect(nb).toBeGreaterThan(0);
    expect(new Set(done).size).toBe(200);
    expect(done.length).toBe(200);
  });
});
