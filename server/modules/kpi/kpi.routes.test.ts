import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/client.js';
import { jobHandlers } from '../../jobs.js';
import { deliverEvents } from '../../test/events.js';
import { startTestApp, type Client, type TestApp } from '../../test/harness.js';
import { scanSla } from '../service-desk/index.js';
import { expectStatus, makeAccount, type Json } from '../../test/fixtures.js';

let t: TestApp;
let admin: Client, manager: Client, sales: Client, csm: Client, delivery: Client, afterSales: Client, expert: Client, channel: Client, admin2: Client;
let account: Json;
const q1 = <T = Json>(s: ReturnType<typeof sql>) => queryRows<T>(t.db, s).then((r) => r[0]);
/** Recomputes queued for the account once the events announced so far are delivered. */
const queued = async (accountId: string) => {
  await deliverEvents(t.db);
  const r = await q1<{ n: number }>(
    sql`select count(*)::int as n from jobs where kind = 'health.recompute' and status = 'queued' and payload->>'accountId' = ${accountId}`,
  );
  return r.n;
};
const followUps = async (accountId: string, reason = 'health_red') =>
  (await q1<{ n: number }>(sql`select count(*)::int as n from follow_up_tasks where account_id = ${accountId} and reason = ${reason}`)).n;
/** Runs only the health jobs (the other scheduled scans are not under test here). */
const runHealth = async () => {
  await deliverEvents(t.db);
  const jobs = await queryRows<{ id: number; workspace_id: string; kind: string; payload: unknown }>(
    t.db,
    sql`select id, workspace_id, kind, payload from jobs where kind = 'health.recompute' and status = 'queued' order by id`,
  );
  for (const j of jobs) {
    await jobHandlers['health.recompute'](t.db, { ...j, attempts: 1, max_attempts: 5 });
    await t.db.execute(sql`update jobs set status = 'done' where id = ${j.id}`);
  }
  return jobs.length;
};

beforeAll(async () => {
  t = await startTestApp();
  [admin, manager, sales, csm, delivery, afterSales, expert, channel] = await Promise.all(
    (['admin', 'manager', 'sales', 'csm', 'delivery', 'after_sales', 'expert', 'channel_implementer'] as const).map((r) => t.as(r)),
  );
  admin2 = await t.as('admin', t.w2);
  account = await makeAccount(sales, manager, 'A', { onTimePaymentPct: 90 });
  const u = t.w1.users;
  expectStatus(
    await manager.put(`/api/accounts/${account.id}/team`, {
      salesId: u.sales.id,
      deliveryId: u.delivery.id,
      afterSalesId: u.after_sales.id,
      csmId: u.csm.id,
    }),
    200,
  );
});
afterAll(async () => t?.close());

describe('health', () => {
  it('401, 403 by role, 404 across workspaces', async () => {
    expectStatus(await t.anon.get(`/api/accounts/${account.id}/health`), 401);
    expectStatus(await admin2.get(`/api/accounts/${account.id}/health`), 404);
    expectStatus(await admin2.post(`/api/accounts/${account.id}/health/recompute`), 404);
    for (const c of [sales, csm, delivery])
      expectStatus(
        await c.put('/api/health/models', {
          scope: 'workspace',
          weights: { relationship: 20, tickets: 20, engagement: 20, value: 20, payment: 20 },
          amberBelow: 70,
          redBelow: 50,
        }),
        403,
      );
    expectStatus(await channel.get(`/api/accounts/${account.id}/health`), 404);
  });

  it('weights that do not add up to 100: 400 naming the field, nothing changed', async () => {
    const before = expectStatus(await manager.get('/api/health/models'), 200);
    let r = expectStatus(
      await manager.put('/api/health/models', {
        scope: 'workspace',
        weights: { relationship: 30, tickets: 25, engagement: 15, value: 15, payment: 10 },
        amberBelow: 70,
        redBelow: 50,
      }),
      400,
    );
    expect(r.fields[0].field).toBe('weights');
    expect(r.message).toMatch(/add up to 100 \(they add up to 95\)/);
    r = expectStatus(await manager.put('/api/health/models', { scope: 'tier:Z', weights: {}, amberBelow: 70, redBelow: 50 }), 400);
    expect(r.fields[0].field).toBe('scope');
    r = expectStatus(
      await manager.put('/api/health/models', {
        scope: 'workspace',
        weights: { relationship: 20, tickets: 20, engagement: 20, value: 20, payment: 20 },
        amberBelow: 40,
        redBelow: 50,
      }),
      400,
    );
    expect(r.fields[0].field).toBe('redBelow');
    expect(expectStatus(await manager.get('/api/health/models'), 200)).toEqual(before);
  });

  it('a new assessment announces assessment.recorded in its transaction; health reacts with one recompute; the job computes the exact score', async () => {
    expect(await queued(account.id)).toBe(0);
    expectStatus(
      await sales.post(`/api/accounts/${account.id}/relationship-assessments`, { metric: 'closeness', score: 5, evidence: '客户 CIO 主动邀约' }),
      201,
    );
    expectStatus(
      await sales.post(`/api/accounts/${account.id}/relationship-assessments`, { metric: 'solution_acceptance', score: 3, evidence: '方案评审通过' }),
      201,
    );
    const announced = await queryRows<{ type: string }>(
      t.db,
      sql`select payload->>'type' as type from jobs where kind = 'event' and status = 'queued' and payload->'data'->>'accountId' = ${account.id}`,
    );
    expect(announced.map((e) => e.type)).toEqual(['assessment.recorded', 'assessment.recorded']);
    expect(await queued(account.id)).toBe(1);
    expect(await runHealth()).toBe(1);
    const h = expectStatus(await sales.get(`/api/accounts/${account.id}/health`), 200);
    // relationship (100 + 50) / 2 = 75; tickets 100; engagement 0; value none; payment 90
    // (30·75 + 25·100 + 15·0 + 15·90) / 85 = (2250 + 2500 + 0 + 1350) / 85 = 71.76 → 72 green
    expect(h.current).toMatchObject({
      score: 72,
      band: 'green',
      trend: 'new',
      groups: { relationship: 75, tickets: 100, engagement: 0, value: null, payment: 90 },
    });
    expect(h.current.reasons.map((r: Json) => r.en)).toContain('No meeting held in 90 days');
    expect(h.history).toHaveLength(1);
  });

  it('a new SLA breach queues a recompute; health drops and says why', async () => {
    const tk = expectStatus(
      await csm.post('/api/tickets', {
        accountId: account.id,
        title: '系统宕机',
        description: '生产环境无法登录',
        kind: 'product_issue',
        severity: 'critical',
        channel: 'phone',
      }),
      201,
    );
    await runHealth(); // (creating a ticket does not change health inputs until it breaches; drain anything queued)
    const later = new Date(Date.now() + 30 * 86_400_000);
    const s = await scanSla(t.db, later);
    expect(s.breached).toBeGreaterThan(0);
    expect(await queued(account.id)).toBe(1);
    await runHealth();
    const h = expectStatus(await sales.get(`/api/accounts/${account.id}/health`), 200);
    const breaches = (await q1<{ n: number }>(sql`select count(*)::int as n from sla_clocks where ticket_id = ${tk.id} and breached_at is not null`))
      .n;
    // the breach is stamped at its due time (now-ish), so it is within 90 days of the recompute
    const tickets = Math.max(0, 100 - 15 * breaches - 20);
    expect(h.current.groups.tickets).toBe(tickets);
    expect(h.current.score).toBe(Math.round((30 * 75 + 25 * tickets + 15 * 0 + 15 * 90) / 85));
    expect(h.current.trend).toBe('down');
    expect(h.current.reasons.map((r: Json) => r.en)).toContain('1 open critical issue(s)');
    expect(h.history).toHaveLength(2);
    // 72 green → amber: one follow-up for that reason
    expect(h.current.band).toBe('amber');
    expect(await followUps(account.id, 'health_amber')).toBe(1);
  });

  it('crossing into red raises one follow-up for the owner; not again while it is open', async () => {
    expectStatus(
      await manager.put('/api/health/models', {
        scope: 'tier:A',
        weights: { relationship: 30, tickets: 25, engagement: 15, value: 15, payment: 15 },
        amberBelow: 100,
        redBelow: 99,
      }),
      200,
    );
    const r = expectStatus(await sales.post(`/api/accounts/${account.id}/health/recompute`), 200);
    expect(r.current.band).toBe('red');
    expect(await followUps(account.id)).toBe(1);
    const f = r.followUps.find((x: Json) => x.reason === 'health_red');
    expect(f).toMatchObject({ reason: 'health_red', status: 'open', ownerId: account.ownerId ?? t.w1.users.csm.id });
    // recovers (simulated) and crosses again while the follow-up is still open → no duplicate
    await t.db.execute(sql`update account_health set band = 'green' where account_id = ${account.id}`);
    expectStatus(await sales.post(`/api/accounts/${account.id}/health/recompute`), 200);
    expect(await followUps(account.id)).toBe(1);
    // closed, then crossing again raises a new one
    expectStatus(await expert.post(`/api/follow-ups/${f.id}/done`), 403);
    expectStatus(await admin2.post(`/api/follow-ups/${f.id}/done`), 404);
    expectStatus(await sales.post(`/api/follow-ups/${f.id}/done`), 200);
    expectStatus(await sales.post(`/api/follow-ups/${f.id}/done`), 409);
    await t.db.execute(sql`update account_health set band = 'green' where account_id = ${account.id}`);
    expectStatus(await sales.post(`/api/accounts/${account.id}/health/recompute`), 200);
    expect(await followUps(account.id)).toBe(2);
    const list = expectStatus(await sales.get('/api/follow-ups'), 200);
    expect(
      list.items
        .filter((i: Json) => i.account_id === account.id)
        .map((i: Json) => i.reason)
        .sort(),
    ).toEqual(['health_amber', 'health_red']);
  });

  it('the nightly schedule recomputes every account', async () => {
    const other = await makeAccount(sales, manager, 'B');
    await runHealth();
    await t.db.execute(sql`delete from account_health where account_id = ${other.id}`);
    await jobHandlers['health.recompute-all'](t.db, {
      id: 0,
      workspace_id: null,
      kind: 'health.recompute-all',
      payload: {},
      attempts: 1,
      max_attempts: 1,
    });
    expect((await q1<{ n: number }>(sql`select count(*)::int as n from account_health where account_id = ${other.id}`)).n).toBe(1);
  });
});

describe('KPI scorecards', () => {
  let team: Json;
  it('403/401; weights that do not add up: 400 naming the role, nothing changed', async () => {
    expectStatus(await t.anon.get('/api/kpi/scorecards'), 401);
    expectStatus(await channel.get('/api/kpi/scorecards'), 403);
    expectStatus(await sales.put('/api/kpi/settings', { weights: {}, restrictPersonal: true }), 403);
    const before = expectStatus(await manager.get('/api/kpi/settings'), 200);
    const r = expectStatus(
      await manager.put('/api/kpi/settings', {
        weights: { ...before.weights, sales: { key_moment_meetings: { weight: 60, target: 4 }, service_sourced_wins: { weight: 30, target: 2 } } },
        restrictPersonal: true,
      }),
      400,
    );
    expect(r.fields[0].field).toBe('sales');
    expect(expectStatus(await manager.get('/api/kpi/settings'), 200)).toEqual(before);
    const p = expectStatus(await manager.get('/api/kpi/scorecards?from=2026-05-01&to=2026-04-30'), 400);
    expect(p.fields[0].field).toBe('to');
  });

  it('captured opportunities count on the captor’s card and drill down to the records', async () => {
    expectStatus(
      await delivery.post(`/api/accounts/${account.id}/opportunities`, { title: '二期扩容', sourceKind: 'visit', amountMinor: 12_000_000 }),
      201,
    );
    expectStatus(
      await delivery.post(`/api/accounts/${account.id}/opportunities`, { title: '运维外包', sourceKind: 'meeting', amountMinor: 3_000_000 }),
      201,
    );
    const board = expectStatus(await manager.get('/api/kpi/scorecards'), 200);
    const d = board.items.find((i: Json) => i.userId === t.w1.users.delivery.id);
    const line = d.lines.find((l: Json) => l.measure === 'opps_captured');
    // 2 / target 3 = 67 × weight 10 = 6.7 points
    expect(line).toMatchObject({ value: 2, score: 67, points: 6.7 });
    const ev = expectStatus(await manager.get(`/api/kpi/scorecards/${t.w1.users.delivery.id}/evidence?measure=opps_captured`), 200);
    expect(ev.value).toBe(2);
    expect(ev.items.map((i: Json) => i.label).sort()).toEqual(['二期扩容', '运维外包']);
    const amt = expectStatus(await manager.get(`/api/kpi/scorecards/${t.w1.users.delivery.id}/evidence?measure=opps_amount_yuan`), 200);
    expect(amt.value).toBe(150000);
    // the relationship uplift behind the card: this account's assessments in the period
    const up = expectStatus(await manager.get(`/api/kpi/scorecards/${t.w1.users.delivery.id}/evidence?measure=relationship_uplift`), 200);
    expect(up.items.map((i: Json) => i.accountId)).toContain(account.id);
    expectStatus(await admin2.get(`/api/kpi/scorecards/${t.w1.users.delivery.id}/evidence?measure=opps_captured`), 404);
  });

  it('a workspace that restricts personal KPIs: a sales rep sees only their own teams', async () => {
    team = expectStatus(await manager.post('/api/teams', { name: '华东交付组', kind: 'delivery' }), 201);
    expectStatus(await manager.put(`/api/teams/${team.id}/members`, { userIds: [t.w1.users.sales.id, t.w1.users.delivery.id] }), 200);
    const s = expectStatus(await manager.get('/api/kpi/settings'), 200);
    expectStatus(await manager.put('/api/kpi/settings', { weights: s.weights, restrictPersonal: true }), 200);
    const mine = expectStatus(await sales.get('/api/kpi/scorecards'), 200);
    expect(mine.items.map((i: Json) => i.userId).sort()).toEqual([t.w1.users.sales.id, t.w1.users.delivery.id].sort());
    expectStatus(await sales.get(`/api/kpi/scorecards/${t.w1.users.after_sales.id}/evidence?measure=cases_solved`), 403);
    expectStatus(await sales.get(`/api/kpi/scorecards/${t.w1.users.delivery.id}/evidence?measure=opps_captured`), 200);
    const all = expectStatus(await manager.get('/api/kpi/scorecards'), 200);
    expect(all.items.map((i: Json) => i.userId)).toContain(t.w1.users.after_sales.id);
    expect(all.teams.find((x: Json) => x.teamId === team.id).members).toBe(2);
    // unrestricted again: everyone sees everyone
    expectStatus(await manager.put('/api/kpi/settings', { weights: s.weights, restrictPersonal: false }), 200);
    expect(expectStatus(await afterSales.get('/api/kpi/scorecards'), 200).items.length).toBe(all.items.length);
  });
});

describe('dashboards', () => {
  it('managers only; 400 for a reversed period', async () => {
    expectStatus(await t.anon.get('/api/dashboards'), 401);
    for (const c of [sales, csm, delivery]) expectStatus(await c.get('/api/dashboards'), 403);
    expectStatus(await manager.get('/api/dashboards?from=2026-02-01&to=2026-01-01'), 400);
    expectStatus(await manager.get('/api/dashboards/records?chart=nope&key=A'), 400);
  });
  it('each number equals an independent count and its drill-down lists exactly those records', async () => {
    const d = expectStatus(await admin.get('/api/dashboards'), 200);
    const tiers = await queryRows<{ tier: string; n: number }>(
      t.db,
      sql`select tier, count(*)::int as n from accounts where workspace_id = ${t.w1.id} group by tier order by tier`,
    );
    expect(d.charts.tier.map((p: Json) => [p.key, p.n])).toEqual(tiers.map((r) => [r.tier, r.n]));
    for (const p of d.charts.tier) {
      const rec = expectStatus(await admin.get(`/api/dashboards/records?chart=tier&key=${p.key}`), 200);
      expect(rec.items).toHaveLength(p.n);
    }
    const red = d.charts.health.find((p: Json) => p.key === 'red');
    expect(red.n).toBe(
      (await q1<{ n: number }>(sql`select count(*)::int as n from account_health where workspace_id = ${t.w1.id} and band = 'red'`)).n,
    );
    expect(d.atRisk.map((a: Json) => a.id)).toContain(account.id);
    expect(d.pipeline.count).toBe(
      (await q1<{ n: number }>(sql`select count(*)::int as n from opportunities where workspace_id = ${t.w1.id} and created_at::date = current_date`))
        .n,
    );
    const team = (await q1<{ id: string }>(sql`select id from teams where workspace_id = ${t.w1.id} limit 1`)).id;
    const byTeam = expectStatus(await admin.get(`/api/dashboards?teamId=${team}&industry=${encodeURIComponent('制造')}`), 200);
    const n = (
      await q1<{ n: number }>(sql`select count(*)::int as n from accounts a where a.workspace_id = ${t.w1.id} and a.industry = '制造'
      and exists (select 1 from team_members tm where tm.team_id = ${team} and tm.user_id in (a.owner_id, a.sales_id, a.delivery_id, a.after_sales_id, a.csm_id))`)
    ).n;
    expect(byTeam.charts.tier.reduce((s: number, p: Json) => s + p.n, 0)).toBe(n);
    const w2 = expectStatus(await admin2.get('/api/dashboards'), 200);
    expect(w2.charts.tier).toEqual([]);
  });
  it('is a snapshot of up to a minute, said with its time, shared by the leads, taken anew on refresh', async () => {
    const period = 'from=2026-01-01&to=2026-12-31';
    const tierN = (d: Json) => d.charts.tier.reduce((s: number, p: Json) => s + p.n, 0);
    const first = expectStatus(await manager.get(`/api/dashboards?${period}&fresh=true`), 200);
    expect(Date.now() - Date.parse(first.asOf)).toBeLessThan(30_000);
    // another lead's read within the minute gets the same snapshot (same time, same numbers) …
    const shared = expectStatus(await admin.get(`/api/dashboards?${period}`), 200);
    expect(shared.asOf).toBe(first.asOf);
    // … also after someone adds an account
    expectStatus(await sales.post('/api/accounts', { name: '快照之后的客户', industry: '制造', region: '华东' }), 201);
    const again = expectStatus(await manager.get(`/api/dashboards?${period}`), 200);
    expect(again.asOf).toBe(first.asOf);
    expect(tierN(again)).toBe(tierN(first));
    // the refresh takes a new one that counts it, and the others get that one
    const fresh = expectStatus(await manager.get(`/api/dashboards?${period}&fresh=true`), 200);
    expect(Date.parse(fresh.asOf)).toBeGreaterThan(Date.parse(first.asOf));
    expect(tierN(fresh)).toBe(tierN(first) + 1);
    expect(expectStatus(await admin.get(`/api/dashboards?${period}`), 200).asOf).toBe(fresh.asOf);
    // a filter is a snapshot of its own; another workspace never shares one
    expect(expectStatus(await admin2.get(`/api/dashboards?${period}`), 200).charts.tier).toEqual([]);
  });
});
