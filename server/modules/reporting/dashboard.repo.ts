// The manager's dashboards: every chart is defined once as the rows behind it (with a `key` per chart
// element); the chart counts those rows, the drill-down lists them, so they always agree.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { queryRows } from '../../db/client.js';

/** `timeZone`: the workspace's; the period's days are its days. */
export type DashboardFilter = { workspaceId: string; timeZone: string; teamId?: string; industry?: string; from: string; to: string };
export const charts = ['tier', 'tier_move', 'stage', 'health', 'budget', 'pipeline', 'sla'] as const;
export type Chart = (typeof charts)[number];

/**
 * `col` falls on a local day (the workspace's time zone) between from and to, inclusive — written as a range on the
 * column itself (from's local midnight ≤ col < the local midnight after to), so an index on it can
 * serve and no row is cast: the cast-per-row form made the SLA chart 15× its raw SQL at 1M tickets.
 */
const inPeriod = (col: SQL, f: DashboardFilter) =>
  sql`${col} >= (${f.from}::date::timestamp at time zone ${f.timeZone}) and ${col} < ((${f.to}::date + 1)::timestamp at time zone ${f.timeZone})`;

/** Accounts in scope: the workspace, optionally one industry and the accounts a team works on. */
function accountScope(f: DashboardFilter): SQL {
  return sql`a.workspace_id = ${f.workspaceId}
    ${f.industry ? sql`and a.industry = ${f.industry}` : sql``}
    ${f.teamId ? sql`and exists (select 1 from team_members tm where tm.team_id = ${f.teamId} and tm.user_id in (a.owner_id, a.sales_id, a.delivery_id, a.after_sales_id, a.csm_id))` : sql``}`;
}

/** key, id, kind, label, account_id, account_name, amount (fen or null), days (or null) */
export function chartRows(chart: Chart, f: DashboardFilter): SQL {
  const A = accountScope(f);
  switch (chart) {
    case 'tier':
      return sql`select a.tier as key, a.id, 'account' as kind, a.name as label, a.id as account_id, a.name as account_name, null::bigint as amount, null::int as days from accounts a where ${A}`;
    case 'tier_move':
      return sql`select th.from_tier || '>' || th.to_tier as key, th.id, 'account' as kind, a.name as label, a.id as account_id, a.name as account_name, null::bigint as amount, null::int as days
                 from tier_history th join accounts a on a.id = th.account_id where ${A} and th.from_tier is not null and th.from_tier <> th.to_tier and ${inPeriod(sql`th.at`, f)}`;
    case 'stage':
      return sql`select a.stage as key, a.id, 'account' as kind, a.name as label, a.id as account_id, a.name as account_name, null::bigint as amount,
                   floor(extract(epoch from (now() - a.stage_entered_at)) / 86400)::int as days from accounts a where ${A}`;
    case 'health':
      return sql`select h.band as key, a.id, 'account' as kind, a.name as label, a.id as account_id, a.name as account_name, null::bigint as amount, h.score as days
                 from account_health h join accounts a on a.id = h.account_id where ${A}`;
    case 'budget':
      return sql`select 'fy' || b.fiscal_year as key, b.id, 'account' as kind, a.name as label, a.id as account_id, a.name as account_name, b.committed_minor as amount,
                   (b.budget_minor + b.extra_minor)::bigint as days
                 from account_budgets b join accounts a on a.id = b.account_id where ${A} and b.fiscal_year = ${Number(f.to.slice(0, 4))}`;
    case 'pipeline':
      return sql`select o.stage as key, o.id, 'opportunity' as kind, o.title as label, a.id as account_id, a.name as account_name, o.amount_minor as amount, null::int as days
                 from opportunities o join accounts a on a.id = o.account_id where ${A} and ${inPeriod(sql`o.created_at`, f)}`;
    case 'sla':
      return sql`select case when c.breached_at is not null then 'breached' else 'met' end as key, c.id, 'ticket' as kind, '#' || t.number || ' ' || t.title as label,
                   a.id as account_id, a.name as account_name, null::bigint as amount, null::int as days
                 from sla_clocks c join tickets t on t.id = c.ticket_id join accounts a on a.id = t.account_id
                 where ${A} and ((c.breached_at is not null and ${inPeriod(sql`c.breached_at`, f)}) or (c.breached_at is null and c.met_at is not null and ${inPeriod(sql`c.met_at`, f)}))`;
  }
}

export type ChartPoint = { key: string; n: number; amount: number; days: number | null };

export async function chartCounts(db: Db, chart: Chart, f: DashboardFilter): Promise<ChartPoint[]> {
  const rows = await queryRows<{ key: string; n: number; amount: string | null; days: string | null }>(
    db,
    sql`select r.key, count(*)::int as n, coalesce(sum(r.amount), 0)::text as amount, round(avg(r.days))::text as days from (${chartRows(chart, f)}) r group by r.key order by r.key`,
  );
  return rows.map((r) => ({ key: r.key, n: r.n, amount: Number(r.amount ?? 0), days: r.days === null ? null : Number(r.days) }));
}

export async function chartRecords(db: Db, chart: Chart, key: string, f: DashboardFilter, limit = 500) {
  return queryRows<{
    key: string;
    id: string;
    kind: string;
    label: string;
    account_id: string;
    account_name: string;
    amount: string | null;
    days: number | null;
  }>(db, sql`select * from (${chartRows(chart, f)}) r where r.key = ${key} order by r.label limit ${limit}`);
}

export async function budgetTotals(db: Db, f: DashboardFilter) {
  const [r] = await queryRows<{ budget: string; committed: string; accounts: number }>(
    db,
    sql`select coalesce(sum(b.budget_minor + b.extra_minor), 0)::text as budget, coalesce(sum(b.committed_minor), 0)::text as committed, count(*)::int as accounts
        from account_budgets b join accounts a on a.id = b.account_id where ${accountScope(f)} and b.fiscal_year = ${Number(f.to.slice(0, 4))}`,
  );
  return {
    budgetMinor: Number(r.budget),
    committedMinor: Number(r.committed),
    remainingMinor: Number(r.budget) - Number(r.committed),
    accounts: r.accounts,
  };
}

export async function atRisk(db: Db, f: DashboardFilter) {
  return queryRows<{
    id: string;
    name: string;
    tier: string;
    score: number;
    band: string;
    trend: string;
    reasons: { 'zh-CN': string; en: string }[];
  }>(
    db,
    sql`select a.id, a.name, a.tier, h.score, h.band, h.trend, h.reasons from account_health h join accounts a on a.id = h.account_id
        where ${accountScope(f)} and h.band in ('red','amber') order by h.score, a.name limit 50`,
  );
}

export async function industries(db: Db, workspaceId: string) {
  return (
    await queryRows<{ industry: string }>(db, sql`select distinct industry from accounts where workspace_id = ${workspaceId} order by industry`)
  ).map((r) => r.industry);
}
