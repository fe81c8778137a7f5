// The manager's dashboards on the demo workspace: every number equals an independent SQL count,
// and the drill-down behind each chart element lists exactly that many records.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import { openPglite, queryRows, type Database } from '../db/client.js';
import { seedDemo } from './seed.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('demo dashboards', () => {
  let d: Database;
  let app: FastifyInstance;
  let ws = '';
  let cookie = '';
  const now = new Date();
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(now);
  const from = `${Number(today.slice(0, 4)) - 1}${today.slice(4)}`; // the last twelve months
  const get = async (url: string) => {
    const r = await app.inject({ method: 'GET', url, headers: { cookie, 'accept-language': 'en' } });
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as Json;
  };
  const one = async (q: ReturnType<typeof sql>) => (await queryRows<{ n: number }>(d.db, q))[0].n;
  const inPeriod = (col: string) => sql.raw(`(${col} at time zone 'Asia/Shanghai')::date between '${from}'::date and '${today}'::date`);

  beforeAll(async () => {
    d = await openPglite({});
    await d.migrate();
    ws = (await seedDemo(d.db, { now })).workspaceId;
    app = await buildApp({ database: d, logLevel: 'silent' });
    await app.ready();
    const r = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'manager@demo.keyward.cn', password: 'Keyward2026!' } });
    expect(r.statusCode, r.body).toBe(200);
    cookie = `kw_sid=${r.cookies.find((c) => c.name === 'kw_sid')!.value}`;
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await d?.close();
  });

  it('seeds relationship trends with uplift for A/C accounts, behaviour profiles and health for every account', async () => {
    expect(
      await one(sql`select count(distinct account_id)::int as n from relationship_assessments where workspace_id = ${ws}`),
    ).toBeGreaterThanOrEqual(13);
    expect(await one(sql`select count(*)::int as n from accounts where workspace_id = ${ws}`)).toBe(
      await one(sql`select count(*)::int as n from account_health where workspace_id = ${ws}`),
    );
    const bands = await queryRows<{ band: string }>(d.db, sql`select distinct band from account_health where workspace_id = ${ws}`);
    expect(bands.length).toBeGreaterThanOrEqual(2);
    expect(await one(sql`select count(*)::int as n from follow_up_tasks where workspace_id = ${ws} and status = 'open'`)).toBeGreaterThan(0);
    const a = (
      await queryRows<{ id: string }>(d.db, sql`select id from accounts where workspace_id = ${ws} and tier = 'A' order by name limit 1`)
    )[0];
    const m = await get(`/api/accounts/${a.id}/relationship-metrics?from=${from}&to=${today}`);
    expect(m.uplift.closeness).toBeGreaterThan(0);
    const b = await get(`/api/accounts/${a.id}/behaviour`);
    expect(b.completeness).toBe(100);
    const h = await get(`/api/accounts/${a.id}/health`);
    expect(h.history.length).toBeGreaterThanOrEqual(1);
  });

  it('every dashboard number equals an independent SQL count; each drill-down lists those records', async () => {
    const dash = await get(`/api/dashboards?from=${from}&to=${today}`);
    const byKey = (chart: string) => Object.fromEntries((dash.charts[chart] as Json[]).map((p) => [p.key, p.n]));
    const group = async (q: ReturnType<typeof sql>) =>
      Object.fromEntries((await queryRows<{ k: string; n: number }>(d.db, q)).map((r) => [r.k, r.n]));

    expect(byKey('tier')).toEqual(await group(sql`select tier as k, count(*)::int as n from accounts where workspace_id = ${ws} group by tier`));
    expect(byKey('stage')).toEqual(await group(sql`select stage as k, count(*)::int as n from accounts where workspace_id = ${ws} group by stage`));
    expect(byKey('health')).toEqual(
      await group(sql`select band as k, count(*)::int as n from account_health where workspace_id = ${ws} group by band`),
    );
    expect(byKey('tier_move')).toEqual(
      await group(
        sql`select from_tier || '>' || to_tier as k, count(*)::int as n from tier_history where workspace_id = ${ws} and from_tier is not null and from_tier <> to_tier and ${inPeriod('at')} group by 1`,
      ),
    );
    expect(byKey('pipeline')).toEqual(
      await group(
        sql`select stage as k, count(*)::int as n from opportunities where workspace_id = ${ws} and ${inPeriod('created_at')} group by stage`,
      ),
    );
    expect(dash.pipeline.count).toBe(
      await one(sql`select count(*)::int as n from opportunities where workspace_id = ${ws} and ${inPeriod('created_at')}`),
    );
    expect(dash.pipeline.amountMinor).toBe(
      await one(sql`select coalesce(sum(amount_minor), 0)::float8 as n from opportunities where workspace_id = ${ws} and ${inPeriod('created_at')}`),
    );
    expect(dash.sla.breached).toBe(
      await one(sql`select count(*)::int as n from sla_clocks where workspace_id = ${ws} and breached_at is not null and ${inPeriod('breached_at')}`),
    );
    expect(dash.sla.met).toBe(
      await one(
        sql`select count(*)::int as n from sla_clocks where workspace_id = ${ws} and breached_at is null and met_at is not null and ${inPeriod('met_at')}`,
      ),
    );
    expect(dash.budget.committedMinor).toBe(
      await one(
        sql`select coalesce(sum(committed_minor), 0)::int as n from account_budgets where workspace_id = ${ws} and fiscal_year = ${Number(today.slice(0, 4))}`,
      ),
    );
    expect(dash.atRisk.length).toBe(
      await one(sql`select count(*)::int as n from account_health where workspace_id = ${ws} and band in ('red','amber')`),
    );
    expect(dash.sla.breached + dash.sla.met).toBeGreaterThan(0);
    expect(dash.pipeline.count).toBeGreaterThan(0);

    for (const chart of ['tier', 'stage', 'health', 'tier_move', 'pipeline', 'sla']) {
      for (const p of dash.charts[chart] as Json[]) {
        const r = await get(`/api/dashboards/records?chart=${chart}&key=${encodeURIComponent(p.key)}&from=${from}&to=${today}`);
        expect(r.items.length, `${chart}:${p.key}`).toBe(p.n);
      }
    }
    // filters: one industry
    const ind = dash.industries[0];
    const f = await get(`/api/dashboards?industry=${encodeURIComponent(ind)}&from=${from}&to=${today}`);
    expect((f.charts.tier as Json[]).reduce((s, p) => s + p.n, 0)).toBe(
      await one(sql`select count(*)::int as n from accounts where workspace_id = ${ws} and industry = ${ind}`),
    );
  });

  it('the KPI leaderboard: each number drills down to records that add up to it', async () => {
    const board = await get(`/api/kpi/scorecards?from=${from}&to=${today}`);
    expect(board.items.length).toBeGreaterThan(0);
    const withOpps = board.items.find((i: Json) => i.lines.some((l: Json) => l.measure === 'opps_captured' && l.value > 0));
    expect(withOpps).toBeTruthy();
    const line = withOpps.lines.find((l: Json) => l.measure === 'opps_captured');
    const ev = await get(`/api/kpi/scorecards/${withOpps.userId}/evidence?measure=opps_captured&from=${from}&to=${today}`);
    expect(ev.items.length).toBe(line.value);
    expect(line.value).toBe(
      await one(
        sql`select count(*)::int as n from opportunities where workspace_id = ${ws} and captured_by_id = ${withOpps.userId} and ${inPeriod('created_at')}`,
      ),
    );
  });

  it('the delivery scorecard shows UT, quality, schedule and collections for the demo, each opening its records; the renewal board has a contract in about 60 days', async () => {
    // the last eight weeks, where the demo's engineers booked their time
    const start = new Date(now.getTime() - 56 * 86_400_000);
    const from8 = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(start);
    // UT over the eight weeks the engineers booked; acceptance, milestones and collections over the last twelve months
    const periods: Record<string, string> = { ut_pct: from8, quality_pct: from, milestones_on_time_pct: from, collections_pct: from };
    for (const [m, since] of Object.entries(periods)) {
      const board = await get(`/api/kpi/scorecards?from=${since}&to=${today}&role=delivery`);
      const shown = (board.items as Json[]).filter((e) => e.role === 'delivery' && (e.lines as Json[]).find((l) => l.measure === m)?.value !== null);
      expect(shown.length, `${m} shown for some delivery engineer`).toBeGreaterThan(0);
      const e = shown[0];
      const ev = await get(`/api/kpi/scorecards/${e.userId}/evidence?measure=${m}&from=${since}&to=${today}`);
      expect(ev.value).toBe((e.lines as Json[]).find((l) => l.measure === m)?.value);
      expect(ev.items.length).toBeGreaterThan(0);
    }
    const renewals = await get('/api/renewals?within=90');
    const sixty = (renewals.items as Json[]).find((r) => r.bucket === 60 && r.opportunity);
    expect(sixty, 'a contract ending in 31–60 days with its renewal opportunity').toBeTruthy();
  });
});
