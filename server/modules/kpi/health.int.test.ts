import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/client.js';
import { startTestApp, type Client, type TestApp } from '../../test/harness.js';
import { expectStatus, makeAccount, type Json } from '../../test/fixtures.js';
import { recomputeHealth } from './health.service.js';

/**
 * The nightly recompute is set-based per chunk of accounts; recomputing one account (the outbox job)
 * is a chunk of one. Both must leave exactly the same rows — current health, history and follow-ups —
 * from the same starting state, whatever the chunking.
 */
let t: TestApp;
let sales: Client, manager: Client, csm: Client;
let ws: string;
const acc: Record<string, Json> = {};
const DAY = 86_400_000;

/** Everything health writes in the workspace, without generated ids, in a stable order. */
async function state() {
  const [health, history, followUps] = await Promise.all([
    queryRows(
      t.db,
      sql`select account_id, score, band, trend, groups, reasons, computed_at from account_health where workspace_id = ${ws} order by account_id`,
    ),
    queryRows(
      t.db,
      sql`select account_id, score, band, groups, reasons, cause, computed_at from health_history where workspace_id = ${ws} order by account_id, computed_at, score, band`,
    ),
    queryRows(
      t.db,
      sql`select account_id, owner_id, reason, detail, score, status, created_at from follow_up_tasks where workspace_id = ${ws} order by account_id, reason, created_at, status`,
    ),
  ]);
  return { health, history, followUps };
}

/** Puts health back as it was before a recompute at `at` (the rows it wrote are the ones stamped `at`). */
async function restore(before: Awaited<ReturnType<typeof state>>, at: Date) {
  await t.db.execute(sql`delete from health_history where workspace_id = ${ws} and computed_at = ${at.toISOString()}::timestamptz`);
  await t.db.execute(sql`delete from follow_up_tasks where workspace_id = ${ws} and created_at = ${at.toISOString()}::timestamptz`);
  await t.db.execute(sql`delete from account_health where workspace_id = ${ws}`);
  for (const h of before.health as Json[]) {
    await t.db.execute(sql`insert into account_health (account_id, workspace_id, score, band, trend, groups, reasons, computed_at)
      values (${h.account_id}, ${ws}, ${h.score}, ${h.band}, ${h.trend}, ${JSON.stringify(h.groups)}::jsonb, ${JSON.stringify(h.reasons)}::jsonb, ${new Date(h.computed_at).toISOString()}::timestamptz)`);
  }
  expect(await state()).toEqual(before);
}

beforeAll(async () => {
  t = await startTestApp();
  [sales, manager, csm] = await Promise.all([t.as('sales'), t.as('manager'), t.as('csm')]);
  ws = t.w1.id;
  const u = t.w1.users;
  // bare: no assessment, ticket, meeting, value project or payment figure
  acc.bare = await makeAccount(sales, manager, 'C');
  acc.rel = await makeAccount(sales, manager, 'A', { onTimePaymentPct: 95 });
  acc.tickets = await makeAccount(sales, manager, 'B', { onTimePaymentPct: 90 });
  acc.value = await makeAccount(sales, manager, 'A', { onTimePaymentPct: 70 });
  acc.engaged = await makeAccount(sales, manager, 'D');
  acc.newcomer = await makeAccount(sales, manager, 'B', { onTimePaymentPct: 60 });
  acc.amber = await makeAccount(sales, manager, 'B'); // tier B model below: tickets 100, engagement 0 → 75, amber
  for (const a of Object.values(acc)) {
    expectStatus(
      await manager.put(`/api/accounts/${a.id}/team`, {
        salesId: u.sales.id,
        deliveryId: u.delivery.id,
        afterSalesId: u.after_sales.id,
        csmId: u.csm.id,
      }),
      200,
    );
  }
  for (const [metric, score] of [
    ['closeness', 5],
    ['solution_acceptance', 4],
    ['price_acceptance', 4],
  ] as const) {
    expectStatus(await sales.post(`/api/accounts/${acc.rel.id}/relationship-assessments`, { metric, score, evidence: '季度评估' }), 201);
    expectStatus(await sales.post(`/api/accounts/${acc.tickets.id}/relationship-assessments`, { metric, score, evidence: '季度评估' }), 201);
  }
  // a value project: one indicator with two months of actuals (the value group has data)
  const library = expectStatus(await sales.get('/api/value/library'), 200);
  const visits = library.indicators.find((i: Json) => i.key === 'onsite_visits');
  const p = expectStatus(
    await csm.post(`/api/accounts/${acc.value.id}/value/items`, {
      indicatorId: visits.id,
      baseline: 120,
      baselinePeriod: '2026-01',
      target: 80,
      unit: 'count',
      paramValues: { visit_cost: 380 },
    }),
    201,
  );
  const itemId = p.items[0].id;
  expectStatus(await csm.post(`/api/value/items/${itemId}/actuals`, { period: '2026-02', value: 110, unit: 'count' }), 200);
  expectStatus(await csm.post(`/api/value/items/${itemId}/actuals`, { period: '2026-03', value: 100, unit: 'count' }), 200);
  // meetings held and satisfaction on the engaged account
  const recent = new Date(Date.now() - 10 * DAY).toISOString();
  for (let i = 0; i < 2; i++) {
    await t.db.execute(sql`insert into meetings (workspace_id, account_id, kind, cause, title, starts_at, ends_at, status, organizer_id)
      values (${ws}, ${acc.engaged.id}, 'ad_hoc', 'review', '复盘会', ${recent}::timestamptz - ${i} * interval '1 day', ${recent}::timestamptz - ${i} * interval '1 day' + interval '1 hour', 'held', ${u.csm.id})`);
  }
  const tk = expectStatus(
    await csm.post('/api/tickets', {
      accountId: acc.engaged.id,
      title: '咨询',
      description: '使用问题',
      kind: 'product_issue',
      severity: 'low',
      channel: 'phone',
    }),
    201,
  );
  await t.db.execute(
    sql`insert into csat_responses (workspace_id, ticket_id, account_id, score, by_kind, by_name, at) values (${ws}, ${tk.id}, ${acc.engaged.id}, 3, 'key_person', '张三', ${recent}::timestamptz)`,
  );
  // a tier model of its own for tier B (pickModel must apply per account in a chunk)
  expectStatus(
    await manager.put('/api/health/models', {
      scope: 'tier:B',
      weights: { relationship: 40, tickets: 30, engagement: 10, value: 10, payment: 10 },
      amberBelow: 80,
      redBelow: 60,
    }),
    200,
  );
});
afterAll(async () => t?.close());

describe('health recompute: batched = one account at a time', () => {
  it('the same health, history and follow-ups from the same state, for any chunking', async () => {
    // a first nightly run gives every account a previous score and band
    const t0 = new Date(Date.now() - 60_000);
    await recomputeHealth(t.db, ws, { now: t0, cause: 'nightly' });
    const first = await state();
    expect(first.health).toHaveLength(Object.keys(acc).length);
    const prev = new Map((first.health as Json[]).map((h) => [h.account_id, h]));
    expect(prev.get(acc.tickets.id)!.band).toBe('green');

    // then changes: critical tickets, one breached (green → red), a weaker relationship, a lost row (→ new)
    for (let i = 0; i < 3; i++) {
      const tk = expectStatus(
        await csm.post('/api/tickets', {
          accountId: acc.tickets.id,
          title: `宕机 ${i}`,
          description: '生产环境故障',
          kind: 'product_issue',
          severity: 'critical',
          channel: 'phone',
        }),
        201,
      );
      if (i === 0)
        await t.db.execute(sql`update sla_clocks set breached_at = now() - interval '1 hour' where ticket_id = ${tk.id} and kind = 'resolution'`);
    }
    expectStatus(
      await sales.post(`/api/accounts/${acc.rel.id}/relationship-assessments`, { metric: 'closeness', score: 1, evidence: '关键人离职' }),
      201,
    );
    await t.db.execute(sql`delete from account_health where account_id = ${acc.newcomer.id}`);
    // an open amber follow-up on an account shown green again: crossing into amber must not duplicate it
    const amber = prev.get(acc.amber.id)!;
    expect(amber.band).toBe('amber');
    expect(
      await queryRows(
        t.db,
        sql`select 1 from follow_up_tasks where account_id = ${amber.account_id} and reason = 'health_amber' and status = 'open'`,
      ),
    ).toHaveLength(1);
    await t.db.execute(sql`update account_health set band = 'green' where account_id = ${amber.account_id}`);

    const before = await state();
    const at = new Date();
    const ids = (before.health as Json[])
      .map((h) => h.account_id as string)
      .concat(acc.newcomer.id)
      .sort();

    // one account at a time (the outbox job's path), in id order
    let oneByOne = 0;
    for (const id of ids) oneByOne += (await recomputeHealth(t.db, ws, { accountId: id, now: at, cause: 'nightly' })).followUps;
    const single = await state();

    // the nightly path: chunks of 2 (chunk boundaries), then the default chunk (all in one)
    for (const chunkSize of [2, undefined]) {
      await restore(before, at);
      const r = await recomputeHealth(t.db, ws, { now: at, cause: 'nightly', chunkSize });
      expect(r).toEqual({ accounts: ids.length, followUps: oneByOne });
      expect(await state()).toEqual(single);
    }

    // and the case is not trivial: the scenario really moved bands, wrote history and raised follow-ups
    const now = new Map((single.health as Json[]).map((h) => [h.account_id, h]));
    expect(now.get(acc.bare.id)).toMatchObject({
      groups: { relationship: null, tickets: 100, engagement: 0, value: null, payment: null },
      trend: 'flat',
    });
    expect(now.get(acc.tickets.id)!.band).toBe('red');
    expect(now.get(acc.newcomer.id)!.trend).toBe('new');
    expect(now.get(acc.value.id)!.groups.value).not.toBeNull();
    expect(now.get(acc.engaged.id)!.groups).toMatchObject({ engagement: 50 });
    const written = (single.history as Json[]).filter((h) => new Date(h.computed_at).getTime() === at.getTime());
    expect(written.map((h) => h.account_id).sort()).toEqual([acc.tickets.id, acc.rel.id, acc.newcomer.id, acc.amber.id].sort());
    expect(written.map((h) => h.account_id)).not.toContain(acc.bare.id); // unchanged → no history
    expect(oneByOne).toBeGreaterThan(0);
    const raised = (single.followUps as Json[]).filter((f) => new Date(f.created_at).getTime() === at.getTime());
    expect(raised.map((f) => [f.account_id, f.reason])).toContainEqual([acc.tickets.id, 'health_red']);
    expect(raised.filter((f) => f.account_id === amber.account_id && f.reason === 'health_amber')).toHaveLength(0);
  });
});
