// The manager's dashboards: every chart is defined once as the rows behind it (with a `key` per chart
// element); the chart counts those rows, the drill-down lists them, so they always agree.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { queryRows } from '../../db/client.js';

/** `timeZone`: the workspace's; the period's days are its days. */
export type DashboardFilter = { workspaceId: string; timeZone: string; teamId?: string; industry?: string; from: string; to: string };
export const charts = ['tier', 'tier_move', 'stage', 'health', 'budget', 'pipeline', 'sla', 'collections', 'renewals'] as const;
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
    ${f.teamId ? sql`and exists (select 1 from team_members tm where tm.workspace_id = a.workspace_id and tm.team_id = ${f.teamId} and tm.user_id in (a.owner_id, a.sales_id, a.delivery_id, a.after_sales_id, a.csm_id))` : sql``}`;
}

/** key, id, kind, label, account_id, account_name, amount (fen or null), days (or null) */
export function chartRows(chart: Chart, f: DashboardFilter): SQL {
  const A = accountScope(f);
  switch (chart) {
    case 'tier':
      return sql`select a.tier as key, a.id, 'account' as kind, a.name as label, a.id as account_id, a.name as account_name, null::bigint as amount, null::int as days from accounts a where ${A}`;
    case 'tier_move':
      return sql`select th.from_tier || '>' || th.to_tier as key, th.id, 'account' as kind, a.name as label, a.id as account_id, a.name as account_name, null::bigint as amount, null::int as days
                 from tier_history th join accounts a on a.id = th.account_id and a.workspace_id = th.workspace_id where ${A} and th.from_tier is not null and th.from_tier <> th.to_tier and ${inPeriod(sql`th.at`, f)}`;
    case 'stage':
      return sql`select a.stage as key, a.id, 'account' as kind, a.name as label, a.id as account_id, a.name as account_name, null::bigint as amount,
                   floor(extract(epoch from (now() - a.stage_entered_at)) / 86400)::int as days from accounts a where ${A}`;
    case 'health':
      return sql`select h.band as key, a.id, 'account' as kind, a.name as label, a.id as account_id, a.name as account_name, null::bigint as amount, h.score as days
                 from account_health h join accounts a on a.id = h.account_id and a.workspace_id = h.workspace_id where ${A}`;
    case 'budget':
      return sql`select 'fy' || b.fiscal_year as key, b.id, 'account' as kind, a.name as label, a.id as account_id, a.name as account_name, b.committed_minor as amount,
                   (b.budget_minor + b.extra_minor)::bigint as days
                 from account_budgets b join accounts a on a.id = b.account_id and a.workspace_id = b.workspace_id where ${A} and b.fiscal_year = ${Number(f.to.slice(0, 4))}`;
    case 'pipeline':
      return sql`select o.stage as key, o.id, 'opportunity' as kind, o.title as label, a.id as account_id, a.name as account_name, o.amount_minor as amount, null::int as days
                 from opportunities o join accounts a on a.id = o.account_id and a.workspace_id = o.workspace_id where ${A} and ${inPeriod(sql`o.created_at`, f)}`;
    case 'collections':
      // receivables aging at the period's end: each plan item with something outstanding, in its bucket
      return sql`select case when ${f.to}::date - o.due_on <= 0 then 'not_due' when ${f.to}::date - o.due_on <= 30 then 'd0_30'
                   when ${f.to}::date - o.due_on <= 60 then 'd31_60' when ${f.to}::date - o.due_on <= 90 then 'd61_90' else 'd90_plus' end as key,
                   o.id, 'plan_item' as kind, c.number || ' · ' || o.label as label, a.id as account_id, a.name as account_name,
                   o.outstanding as amount, (${f.to}::date - o.due_on)::int as days
                 from (${outstandingItems(f)}) o join accounts a on a.id = o.account_id join contracts c on c.id = o.contract_id and c.workspace_id = a.workspace_id
                 where a.workspace_id = ${f.workspaceId} and o.outstanding > 0`;
    case 'renewals':
      // contracts ending in the 90 days after the period's end that no later contract renews: 30 / 60 / 90
      return sql`select case when c.ends_on - ${f.to}::date <= 30 then '30' when c.ends_on - ${f.to}::date <= 60 then '60' else '90' end as key,
                   c.id, 'contract' as kind, c.number || ' · ' || c.title as label, a.id as account_id, a.name as account_name,
                   c.amount_minor as amount, (c.ends_on - ${f.to}::date)::int as days
                 from contracts c join accounts a on a.id = c.account_id and a.workspace_id = c.workspace_id
                 where ${A} and c.ends_on >= ${f.to}::date and c.ends_on <= ${f.to}::date + 90
                   and not exists (select 1 from contracts r where r.workspace_id = c.workspace_id and r.renewal_of = c.id)`;
    case 'sla':
      return sql`select case when c.breached_at is not null then 'breached' else 'met' end as key, c.id, 'ticket' as kind, '#' || t.number || ' ' || t.title as label,
                   a.id as account_id, a.name as account_name, null::bigint as amount, null::int as days
                 from sla_clocks c join tickets t on t.id = c.ticket_id and t.workspace_id = c.workspace_id join accounts a on a.id = t.account_id and a.workspace_id = t.workspace_id
                 where ${A} and ((c.breached_at is not null and ${inPeriod(sql`c.breached_at`, f)}) or (c.breached_at is null and c.met_at is not null and ${inPeriod(sql`c.met_at`, f)}))`;
  }
}

/**
 * What of each payment plan item is still outstanding at the end of `to` — the commerce module's rule in SQL:
 * a payment pays the item it names first (up to its amount); the rest of a contract's money pays its items
 * oldest due first. One row per item: id, contract, account, due day, amount, outstanding.
 */
export function outstandingItems(f: DashboardFilter): SQL {
  // the workspace's payments up to the day, summed once per plan item they name and once per contract for the
  // unnamed ones (set-based: a sum per item in a correlated subquery walked every payment of the workspace per item
  // once the plan needs the workspace in every join)
  return sql`with named as (
      select p.plan_item_id, sum(p.amount_minor) as s from payments p
      where p.workspace_id = ${f.workspaceId} and p.plan_item_id is not null and p.received_on <= ${f.to}::date
      group by p.plan_item_id
    ), unnamed as (
      select p.contract_id, sum(p.amount_minor) as s from payments p
      where p.workspace_id = ${f.workspaceId} and p.plan_item_id is null and p.received_on <= ${f.to}::date
      group by p.contract_id
    ), items as (
      select i.id, i.contract_id, i.account_id, i.label, i.due_on, i.amount_minor,
             least(i.amount_minor, coalesce(n.s, 0)) as named_paid,
             greatest(0, coalesce(n.s, 0) - i.amount_minor) as named_excess
      from payment_plan_items i join accounts a on a.id = i.account_id and a.workspace_id = i.workspace_id
        left join named n on n.plan_item_id = i.id
      where ${accountScope(f)}
    ), excess as (
      select x.contract_id, sum(x.named_excess) as s from items x group by x.contract_id
    ), pools as (
      select e.contract_id, coalesce(u.s, 0) + e.s as pool
      from excess e left join unnamed u on u.contract_id = e.contract_id
    ), ordered as (
      select it.*, it.amount_minor - it.named_paid as remaining,
             sum(it.amount_minor - it.named_paid) over (partition by it.contract_id order by it.due_on, it.id) as cum_remaining
      from items it
    )
    select o.id, o.contract_id, o.account_id, o.label, o.due_on, o.amount_minor,
           o.remaining - greatest(0, least(o.remaining, pl.pool - (o.cum_remaining - o.remaining))) as outstanding
    from ordered o join pools pl on pl.contract_id = o.contract_id`;
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
        from account_budgets b join accounts a on a.id = b.account_id and a.workspace_id = b.workspace_id where ${accountScope(f)} and b.fiscal_year = ${Number(f.to.slice(0, 4))}`,
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
    sql`select a.id, a.name, a.tier, h.score, h.band, h.trend, h.reasons from account_health h join accounts a on a.id = h.account_id and a.workspace_id = h.workspace_id
        where ${accountScope(f)} and h.band in ('red','amber') order by h.score, a.name limit 50`,
  );
}

export async function industries(db: Db, workspaceId: string) {
  return (
    await queryRows<{ industry: string }>(db, sql`select distinct industry from accounts where workspace_id = ${workspaceId} order by industry`)
  ).map((r) => r.industry);
}

/** Collections over the period: what fell due in it, what was received in it, and what is overdue at its end. */
export async function collectionsTotals(db: Db, f: DashboardFilter) {
  const [r] = await queryRows<{ due: string; received: string; overdue: string }>(
    db,
    sql`select
          coalesce((select sum(i.amount_minor) from payment_plan_items i join accounts a on a.id = i.account_id and a.workspace_id = i.workspace_id
                    where ${accountScope(f)} and i.due_on between ${f.from}::date and ${f.to}::date), 0)::text as due,
          coalesce((select sum(p.amount_minor) from payments p join accounts a on a.id = p.account_id and a.workspace_id = p.workspace_id
                    where ${accountScope(f)} and p.received_on between ${f.from}::date and ${f.to}::date), 0)::text as received,
          coalesce((select sum(o.outstanding) from (${outstandingItems(f)}) o where o.due_on < ${f.to}::date), 0)::text as overdue`,
  );
  return { dueMinor: Number(r.due), receivedMinor: Number(r.received), overdueMinor: Number(r.overdue) };
}
