import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows, type Database } from '../db/client.js';
import { openTestDatabase } from '../test/test-db.js';
import { workspaces } from '../modules/people/people.table.js';
import { announce, defineEvent, DELIVER_JOB, EVENT_JOB, eventJobHandlers, subscribe } from './events.js';
import { createJobRunner } from './jobs.js';

const Pinged = defineEvent('test.pinged', z.object({ accountId: z.guid(), n: z.number().int() }));
const Other = defineEvent('test.other', z.object({ accountId: z.guid() }));
const account = '3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';

let d: Database;
let ws: string;
beforeAll(async () => {
  d = await openTestDatabase();
  [{ id: ws }] = await d.db.insert(workspaces).values({ name: 'events', slug: 'events' }).returning();
});
afterAll(() => d?.close());
beforeEach(async () => {
  await d.db.execute(sql`delete from jobs`);
});

const jobsOf = (kind: string) =>
  queryRows<{ status: string; attempts: number; payload: { subscriber?: string } }>(
    d.db,
    sql`select status, attempts, payload from jobs where kind = ${kind} order by id`,
  );

describe('events between modules', () => {
  it('an event announced in a transaction that rolls back is never delivered', async () => {
    const seen: number[] = [];
    const runner = createJobRunner(d.db, eventJobHandlers([subscribe('seen', Pinged, async (_db, e) => void seen.push(e.data.n))]));
    await expect(
      d.db.transaction(async (tx) => {
        await announce(tx, ws, Pinged, { accountId: account, n: 1 });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await d.db.transaction((tx) => announce(tx, ws, Pinged, { accountId: account, n: 2 }));
    const later = new Date(Date.now() + 1000);
    await runner.runDue(later);
    await runner.runDue(later);
    expect(seen).toEqual([2]);
    expect(await jobsOf(EVENT_JOB)).toHaveLength(1);
  });

  it('fans out to each subscriber of the type (and only of that type), parsed with the event schema', async () => {
    const seen: string[] = [];
    const runner = createJobRunner(
      d.db,
      eventJobHandlers([
        subscribe('a', Pinged, async (_db, e) => void seen.push(`a:${e.data.n}:${e.workspaceId === ws}`)),
        subscribe('b', Pinged, async (_db, e) => void seen.push(`b:${e.data.n}`)),
        subscribe('c', Other, async () => void seen.push('c')),
      ]),
    );
    await announce(d.db, ws, Pinged, { accountId: account, n: 7 });
    // fan-out and both deliveries in one pass of the runner
    expect(await runner.runDue(new Date(Date.now() + 1000))).toBe(3);
    expect(seen.sort()).toEqual(['a:7:true', 'b:7']);
    await expect(announce(d.db, ws, Pinged, { accountId: 'not-an-id', n: 1 })).rejects.toThrow();
  });

  it('a failing subscriber is retried alone, with the runner’s backoff, until it succeeds', async () => {
    let calls = 0;
    const steady: number[] = [];
    const runner = createJobRunner(
      d.db,
      eventJobHandlers([
        subscribe('flaky', Pinged, async () => {
          calls++;
          if (calls === 1) throw new Error('subscriber down');
        }),
        subscribe('steady', Pinged, async (_db, e) => void steady.push(e.data.n)),
      ]),
    );
    await announce(d.db, ws, Pinged, { accountId: account, n: 3 });
    const now = new Date(Date.now() + 1000);
    await runner.runDue(now);
    expect(calls).toBe(1);
    let deliveries = await jobsOf(DELIVER_JOB);
    expect(deliveries.map((j) => [j.payload.subscriber, j.status, j.attempts])).toEqual([
      ['flaky', 'queued', 1],
      ['steady', 'done', 1],
    ]);
    expect(await runner.runDue(now)).toBe(0); // waiting for its backoff
    await runner.runDue(new Date(now.getTime() + 3_600_000));
    expect(calls).toBe(2);
    expect(steady).toEqual([3]); // the subscriber that succeeded is not run again
    deliveries = await jobsOf(DELIVER_JOB);
    expect(deliveries.map((j) => j.status)).toEqual(['done', 'done']);
  });

  it('a delivery whose data does not match the event schema fails (and is retried), it is not handed over', async () => {
    let calls = 0;
    const runner = createJobRunner(d.db, eventJobHandlers([subscribe('strict', Pinged, async () => void calls++)]));
    await d.db.execute(
      sql`insert into jobs (kind, workspace_id, payload) values (${EVENT_JOB}, ${ws}::uuid, ${JSON.stringify({ type: 'test.pinged', data: { accountId: account, n: 'three' } })}::jsonb)`,
    );
    await runner.runDue(new Date(Date.now() + 1000));
    expect(calls).toBe(0);
    const [delivery] = await queryRows<{ status: string; last_error: string }>(
      d.db,
      sql`select status, last_error from jobs where kind = ${DELIVER_JOB}`,
    );
    expect(delivery.status).toBe('queued');
    expect(delivery.last_error).toMatch(/n/);
  });

  it('refuses two subscribers with one name', () => {
    expect(() => eventJobHandlers([subscribe('x', Pinged, async () => {}), subscribe('x', Other, async () => {})])).toThrow(/two subscribers/);
  });
});
