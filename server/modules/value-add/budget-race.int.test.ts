import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client.js';
import { startTestApp, type Client, type TestApp } from '../../test/harness.js';
import { testDbKind } from '../../test/test-db.js';
import { expectStatus, makeAccount, type Json } from '../../test/fixtures.js';

/**
 * SPEC §3: concurrent bookings never overspend. 50 bookings at once against a budget that fits exactly
 * 10: exactly 10 succeed, 40 get 409, the remainder is 0 — 20 times over. Races are proven on
 * PostgreSQL (PGlite has one connection, so nothing runs concurrently there).
 */
describe.runIf(testDbKind === 'postgres')('budget race on PostgreSQL', () => {
  let t: TestApp;
  let manager: Client, sales: Client;
  let clients: Client[];
  let itemId: string;
  const COST = 1_000_00; // ¥1,000 internal cost
  const TARGET = COST * 10 * 50; // × 2% = exactly 10 bookings

  beforeAll(async () => {
    t = await startTestApp();
    [manager, sales] = await Promise.all([t.as('manager'), t.as('sales')]);
    // bookings from several people at once (their sessions are independent)
    clients = await Promise.all(['csm', 'sales', 'manager', 'admin', 'delivery'].map((r) => t.as(r as never)));
    const item = expectStatus(
      await manager.post('/api/value-add/catalog', {
        menu: 'free_expert',
        code: 'free_expert.race',
        nameZh: '并发测试服务',
        nameEn: 'Race test service',
        executorRole: 'expert',
        pricing: 'free',
        internalCostMinor: COST,
        tasks: ['capture'],
        eligibleTiers: ['A', 'C'],
      }),
      201,
    );
    itemId = item.id;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('50 concurrent bookings, budget fits 10 → exactly 10 succeed, 40 get 409, remaining 0 (×20)', async () => {
    const timings: number[] = [];
    for (let round = 0; round < 20; round++) {
      const a = await makeAccount(sales, manager, round % 2 ? 'A' : 'C', { revenueTargetMinor: TARGET });
      // even rounds also race the budget's creation; odd rounds open it first
      if (round % 2) expect(expectStatus(await clients[0].get(`/api/accounts/${a.id}/value-add/budget`), 200).budget.remainingMinor).toBe(COST * 10);
      const started = performance.now();
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => clients[i % clients.length].post(`/api/accounts/${a.id}/value-add/bookings`, { catalogItemId: itemId })),
      );
      timings.push(performance.now() - started);
      const codes = results.map((r) => r.statusCode);
      const other = results.filter((r) => r.statusCode !== 201 && r.statusCode !== 409).map((r) => `${r.statusCode} ${r.body}`);
      expect(other, `round ${round}`).toEqual([]);
      expect(codes.filter((c) => c === 201).length, `round ${round}`).toBe(10);
      expect(codes.filter((c) => c === 409).length, `round ${round}`).toBe(40);
      for (const r of results.filter((x) => x.statusCode === 409)) expect((r.json() as Json).message).toMatch(/does not cover/);
      const b = expectStatus(await clients[0].get(`/api/accounts/${a.id}/value-add/budget`), 200).budget;
      expect(b).toMatchObject({ budgetMinor: COST * 10, committedMinor: COST * 10, remainingMinor: 0 });
      const [rows] = await queryRows<{ n: number; total: string | number; tasks: number }>(
        t.db,
        sql`select count(*)::int as n, coalesce(sum(amount_minor), 0) as total,
                   (select count(*)::int from value_add_tasks where account_id = ${a.id}) as tasks
            from value_add_bookings where account_id = ${a.id} and status = 'booked'`,
      );
      expect(rows.n).toBe(10);
      expect(Number(rows.total)).toBe(COST * 10);
      expect(rows.tasks).toBe(10); // refused bookings left no task behind
    }
    console.log(`race: 20 rounds × 50 bookings, median round ${Math.round(timings.sort((x, y) => x - y)[10])} ms`);
  });

  it('the database itself refuses a negative remainder', async () => {
    const a = await makeAccount(sales, manager, 'A', { revenueTargetMinor: TARGET });
    const b = expectStatus(await clients[0].get(`/api/accounts/${a.id}/value-add/budget`), 200).budget;
    await expect(
      t.db.execute(sql`update account_budgets set committed_minor = committed_minor + ${COST * 10 + 1} where id = ${b.id}`),
    ).rejects.toThrow();
  });
});
