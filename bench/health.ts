/**
 * Account health and dashboard benchmarks (issue 5), not part of `npm test`. On PGlite and PostgreSQL:
 *  1. health recompute for every account of a 10,000-account workspace (`recomputeHealth`, the nightly job),
 *  2. health recompute for one account after a change (a new relationship assessment — what the outbox job runs),
 *  3. each dashboard query (`chartCounts` for every chart, `budgetTotals`),
 * each against the raw SQL that returns the same answer, measured in the same run, the answers compared.
 *
 *   npx tsx bench/health.ts                            (PGlite and PostgreSQL at BENCH_DATABASE_URL)
 *   BENCH_ACCOUNTS=500 BENCH_HEALTH_TICKETS=10000 BENCH_SKIP_PG=1 npx tsx bench/health.ts
 *
 * The workspace has no health model of its own (the default weights apply) and no value-add project
 * (the value group has no data, as for most accounts); the raw SQL relies on both.
 */
import { sql } from 'drizzle-orm';
import { queryRows, ts, type Database } from '../server/db/client.js';
import type { Db } from '../server/db/client.js';
import {
  budgetTotals,
  chartCounts,
  charts,
  outstandingItems,
  type ChartPoint,
  type DashboardFilter,
} from '../server/modules/reporting/dashboard.repo.js';
import { DEFAULT_TIMEZONE } from '../server/platform/time.js'; // the bench workspace's zone (the column default)
import { recomputeHealth } from '../server/modules/kpi/health.service.js';
import { fmt, onBothDatabases, pct, time } from './lib.js';

const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 10_000);
// 1,000,000 tickets (the issue's figure) takes several minutes to generate per database; 200,000 keeps the run short.
const TICKETS = Number(process.env.BENCH_HEALTH_TICKETS ?? 200_000);
const ALL_RUNS = Number(process.env.BENCH_HEALTH_RUNS ?? 3);
const RUNS = 20;
const DAY = 86_400_000;

type Row = { what: string; service: number[]; raw: number[]; same: boolean };
const results: Row[] = [];

async function fill(db: Db) {
  const t0 = performance.now();
  const now = new Date();
  const [ws] = await queryRows<{ id: string }>(
    db,
    sql`insert into workspaces (name, slug) values ('bench', ${`bench-h-${Date.now()}`}) returning id`,
  );
  const [u] = await queryRows<{ id: string }>(
    db,
    sql`insert into users (workspace_id, email, name, role, password_hash) values (${ws.id}, ${`h-bench-${Date.now()}@bench.test`}, 'bench', 'after_sales', 'x') returning id`,
  );
  const N = ts(now);
  await db.execute(sql`insert into accounts (workspace_id, name, industry, region, fiscal_year, tier, model_tier, stage, stage_entered_at, on_time_payment_pct, owner_id)
    select ${ws.id}, 'bench-' || g, (array['制造','医疗器械','能源'])[1 + g % 3], '华东', 2026, (array['A','B','C','D','E'])[1 + g % 5], 'D',
      (array['handover','startup','adaptation','renewal','churn'])[1 + g % 5], ${N} - (g % 400) * interval '1 day',
      case when g % 4 = 0 then null else 50 + g % 51 end, ${u.id}
    from generate_series(1, ${ACCOUNTS}::int) g`);
  await db.execute(sql`create table bench_acc (n int primary key, id uuid not null)`);
  await db.execute(sql`insert into bench_acc select row_number() over (order by id), id from accounts where workspace_id = ${ws.id}`);
  // three relationship metrics for 90 % of the accounts, an older round for half of them
  for (const [k, metric] of ['closeness', 'solution_acceptance', 'price_acceptance'].entries()) {
    await db.execute(sql`insert into relationship_assessments (workspace_id, account_id, metric, score, evidence, assessor_id, assessed_on)
      select ${ws.id}, b.id, ${metric}, 1 + (b.n * ${k + 2}) % 5, 'bench', ${u.id}, (${N}::timestamptz at time zone 'Asia/Shanghai')::date - (b.n % 200)
      from bench_acc b where b.n % 10 <> 0`);
    await db.execute(sql`insert into relationship_assessments (workspace_id, account_id, metric, score, evidence, assessor_id, assessed_on)
      select ${ws.id}, b.id, ${metric}, 1 + (b.n * ${k + 3}) % 5, 'bench', ${u.id}, (${N}::timestamptz at time zone 'Asia/Shanghai')::date - 300 - (b.n % 50)
      from bench_acc b where b.n % 2 = 0`);
  }
  // tickets over the last 120 days, 10 % open (a few critical); a resolution clock each: met, or breached for a third of the open ones
  for (let from = 1; from <= TICKETS; from += 100_000) {
    const to = Math.min(TICKETS, from + 99_999);
    await db.execute(sql`insert into tickets (workspace_id, account_id, title, description, kind, severity, channel, requester_kind, requester_user_id, requester_name,
        status, owner_id, tier_at_creation, priority, dispatch_rule, dispatch_reason, policy, created_at, resolved_at)
      select ${ws.id}, b.id, '工单 ' || g, 'bench', 'product_issue', case when g % 70 = 0 then 'critical' else 'medium' end, 'phone', 'staff', ${u.id}, 'bench',
        case when g % 10 = 0 then 'in_progress' else 'closed' end, ${u.id}, 'B', 'P3', 'normal.product_issue', '{"zh-CN":"","en":""}'::jsonb,
        '{"tier":"B","severity":"medium","firstResponseMinutes":480,"nextResponseMinutes":960,"resolutionMinutes":4800,"warnPct":80}'::jsonb,
        ${N} - (g % 172800) * interval '1 minute', case when g % 10 = 0 then null else ${N} - (g % 172800) * interval '1 minute' + interval '1 day' end
      from generate_series(${from}::int, ${to}::int) g join bench_acc b on b.n = 1 + g % ${ACCOUNTS}::int`);
  }
  await db.execute(sql`insert into sla_clocks (workspace_id, ticket_id, kind, target_minutes, started_at, met_at, due_at, warn_at, breached_at)
    select t.workspace_id, t.id, 'resolution', 4800, t.created_at, t.resolved_at, t.created_at + interval '80 hours', null,
      case when t.resolved_at is null and t.number % 3 = 0 then t.created_at + interval '80 hours' end
    from tickets t where t.workspace_id = ${ws.id}`);
  // tier moves, budgets, service-sourced opportunities
  await db.execute(sql`insert into tier_history (workspace_id, account_id, from_tier, to_tier, source, at)
    select ${ws.id}, b.id, (array['A','B','C','D','E'])[1 + (b.n + 1) % 5], (array['A','B','C','D','E'])[1 + b.n % 5], 'model', ${N} - (b.n % 500) * interval '1 day' from bench_acc b where b.n % 3 = 0`);
  const year = Number(now.toISOString().slice(0, 4));
  await db.execute(sql`insert into account_budgets (workspace_id, account_id, fiscal_year, target_minor, ratio_bp, budget_minor, committed_minor)
    select ${ws.id}, b.id, ${year}, 100000000, 200, 2000000 + (b.n % 7) * 100000, (b.n % 11) * 100000 from bench_acc b`);
  await db.execute(sql`insert into opportunities (workspace_id, account_id, title, source_kind, captured_by_id, stage, amount_minor, created_at)
    select ${ws.id}, b.id, '商机 ' || b.n, 'ticket', ${u.id}, (array['captured','incubating','handed_to_sales','won'])[1 + b.n % 4], (b.n % 50) * 1000000, ${N} - (b.n % 500) * interval '1 day'
    from bench_acc b where b.n % 2 = 0`);
  await db.execute(sql`create table bench_health_raw (account_id uuid primary key, score int not null, band text not null)`);
  for (const t of ['accounts', 'tickets', 'sla_clocks', 'relationship_assessments', 'tier_history', 'account_budgets', 'opportunities'])
    await db.execute(sql.raw(`analyze ${t}`));
  const [c] = await queryRows<{ accounts: number; tickets: number; breached: number; assessments: number }>(
    db,
    sql`select (select count(*)::int from accounts where workspace_id = ${ws.id}) as accounts, (select count(*)::int from tickets where workspace_id = ${ws.id}) as tickets,
        (select count(*)::int from sla_clocks where workspace_id = ${ws.id} and breached_at is not null) as breached,
        (select count(*)::int from relationship_assessments where workspace_id = ${ws.id}) as assessments`,
  );
  console.log(
    `  filled ${c.accounts.toLocaleString()} accounts, ${c.tickets.toLocaleString()} tickets (${c.breached.toLocaleString()} breached clocks), ${c.assessments.toLocaleString()} assessments in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  return { workspaceId: ws.id, userId: u.id, now, year };
}

/** The default health model (30/25/15/15/15, amber < 70, red < 50) in one statement: the scores written for all accounts or one. */
function rawHealth(ws: string, now: Date, accountId?: string) {
  const since = ts(new Date(now.getTime() - 90 * DAY));
  const until = ts(now);
  const one = (col: string) => (accountId ? sql`and ${sql.raw(col)} = ${accountId}` : sql``);
  return sql`insert into bench_health_raw (account_id, score, band)
    select id, score, case when score < 50 then 'red' when score < 70 then 'amber' else 'green' end from (
      select a.id, round((30 * coalesce(rel.g, 0) + 25 * tk.g + 15 * least(100, 25 * coalesce(mt.n, 0) + 5 * coalesce(pt.n, 0)) + 15 * coalesce(a.on_time_payment_pct, 0))::numeric
                 / (30 * (rel.g is not null)::int + 25 + 15 + 15 * (a.on_time_payment_pct is not null)::int))::int as score
      from accounts a
      left join (select account_id, round(avg((score - 1) * 25)) as g from (
          select distinct on (account_id, metric) account_id, metric, score from relationship_assessments
          where workspace_id = ${ws} ${one('account_id')} and assessed_on <= (${until} at time zone 'Asia/Shanghai')::date order by account_id, metric, assessed_on desc, created_at desc) x
        group by account_id) rel on rel.account_id = a.id
      left join (select t.account_id, count(*) as n from sla_clocks c join tickets t on t.id = c.ticket_id
        where c.workspace_id = ${ws} ${one('t.account_id')} and c.breached_at > ${since} group by t.account_id) br on br.account_id = a.id
      left join (select account_id, count(*) as n from tickets where workspace_id = ${ws} ${one('account_id')} and severity = 'critical' and status in ('open','in_progress','waiting_customer') group by account_id) cr on cr.account_id = a.id
      left join (select account_id, avg(score)::numeric(4,2) as avg from csat_responses where workspace_id = ${ws} ${one('account_id')} and at > ${since} and at <= ${until} group by account_id) cs on cs.account_id = a.id
      left join (select account_id, count(*) as n from meetings where workspace_id = ${ws} ${one('account_id')} and status = 'held' and starts_at > ${since} and starts_at <= ${until} group by account_id) mt on mt.account_id = a.id
      left join (select account_id, count(*) as n from tickets where workspace_id = ${ws} ${one('account_id')} and requester_kind = 'key_person' and created_at > ${since} and created_at <= ${until} group by account_id) pt on pt.account_id = a.id
      cross join lateral (select case when cs.avg is null then greatest(0, 100 - 15 * coalesce(br.n, 0) - 20 * coalesce(cr.n, 0))
                                  else round((greatest(0, 100 - 15 * coalesce(br.n, 0) - 20 * coalesce(cr.n, 0)) * 3 + (cs.avg - 1) * 25) / 4) end as g) tk
      where a.workspace_id = ${ws} ${one('a.id')}
    ) s
    on conflict (account_id) do update set score = excluded.score, band = excluded.band`;
}

async function mismatches(db: Db, ws: string, accountId?: string) {
  const [r] = await queryRows<{ n: number; total: number }>(
    db,
    sql`select count(*) filter (where r.account_id is null or r.score <> h.score or r.band <> h.band)::int as n, count(*)::int as total
        from account_health h left join bench_health_raw r on r.account_id = h.account_id where h.workspace_id = ${ws} ${accountId ? sql`and h.account_id = ${accountId}` : sql``}`,
  );
  return r;
}

async function healthBench(db: Db, ws: string, userId: string, now: Date) {
  // 1. every account
  const service: number[] = [];
  const raw: number[] = [];
  let followUps = 0;
  for (let i = 0; i < ALL_RUNS; i++) {
    service.push(await time(async () => (followUps += (await recomputeHealth(db, ws, { now, cause: 'nightly' })).followUps)));
    raw.push(await time(() => db.execute(rawHealth(ws, now))));
  }
  const all = await mismatches(db, ws);
  results.push({
    what: `health, all ${all.total.toLocaleString()} accounts (${ALL_RUNS} runs)`,
    service,
    raw,
    same: all.n === 0 && all.total === ACCOUNTS,
  });
  console.log(`  health all: ${all.total} accounts, ${all.n} differ from the raw SQL; ${followUps} follow-ups raised on the first run`);
  // 2. one account after a change: a new closeness assessment (the score alternates, so the health moves)
  const [acc] = await queryRows<{ id: string }>(db, sql`select id from bench_acc where n = 7`);
  const s1: number[] = [];
  const r1: number[] = [];
  let same = true;
  for (let i = 0; i < RUNS; i++) {
    await db.execute(sql`insert into relationship_assessments (workspace_id, account_id, metric, score, evidence, assessor_id, assessed_on)
      values (${ws}, ${acc.id}, 'closeness', ${i % 2 ? 5 : 1}, 'bench change', ${userId}, (${ts(now)}::timestamptz at time zone 'Asia/Shanghai')::date)`);
    s1.push(await time(() => recomputeHealth(db, ws, { accountId: acc.id, now, cause: 'change' })));
    r1.push(await time(() => db.execute(rawHealth(ws, now, acc.id))));
    const m = await mismatches(db, ws, acc.id);
    if (m.n !== 0 || m.total !== 1) same = false;
  }
  results.push({ what: 'health, one account after a change', service: s1, raw: r1, same });
}

/** The same answer as `chartCounts` without the shared row definition: direct grouped queries, periods as timestamp ranges. */
function rawChart(chart: (typeof charts)[number], f: DashboardFilter) {
  const from = ts(new Date(`${f.from}T00:00:00+08:00`));
  const until = ts(new Date(new Date(`${f.to}T00:00:00+08:00`).getTime() + DAY));
  const ws = f.workspaceId;
  const tail = sql`round(avg(days))::text as days`;
  switch (chart) {
    case 'tier':
      return sql`select tier as key, count(*)::int as n, '0' as amount, null::text as days from accounts where workspace_id = ${ws} group by tier order by tier`;
    case 'tier_move':
      return sql`select from_tier || '>' || to_tier as key, count(*)::int as n, '0' as amount, null::text as days from tier_history
                 where workspace_id = ${ws} and from_tier is not null and from_tier <> to_tier and at >= ${from} and at < ${until} group by 1 order by 1`;
    case 'stage':
      return sql`select stage as key, count(*)::int as n, '0' as amount, ${tail} from (select stage, floor(extract(epoch from (now() - stage_entered_at)) / 86400)::int as days from accounts where workspace_id = ${ws}) x group by stage order by stage`;
    case 'health':
      return sql`select band as key, count(*)::int as n, '0' as amount, round(avg(score))::text as days from account_health where workspace_id = ${ws} group by band order by band`;
    case 'budget':
      return sql`select 'fy' || fiscal_year as key, count(*)::int as n, coalesce(sum(committed_minor), 0)::text as amount, round(avg(budget_minor + extra_minor))::text as days
                 from account_budgets where workspace_id = ${ws} and fiscal_year = ${Number(f.to.slice(0, 4))} group by 1 order by 1`;
    case 'pipeline':
      return sql`select stage as key, count(*)::int as n, coalesce(sum(amount_minor), 0)::text as amount, null::text as days from opportunities
                 where workspace_id = ${ws} and created_at >= ${from} and created_at < ${until} group by stage order by stage`;
    case 'sla':
      return sql`select case when breached_at is not null then 'breached' else 'met' end as key, count(*)::int as n, '0' as amount, null::text as days from sla_clocks
                 where workspace_id = ${ws} and ((breached_at >= ${from} and breached_at < ${until}) or (breached_at is null and met_at >= ${from} and met_at < ${until})) group by 1 order by 1`;
    case 'renewals':
      return sql`select case when ends_on - ${f.to}::date <= 30 then '30' when ends_on - ${f.to}::date <= 60 then '60' else '90' end as key, count(*)::int as n,
                   coalesce(sum(amount_minor), 0)::text as amount, round(avg(ends_on - ${f.to}::date))::text as days
                 from contracts c where workspace_id = ${ws} and ends_on >= ${f.to}::date and ends_on <= ${f.to}::date + 90
                   and not exists (select 1 from contracts r where r.workspace_id = c.workspace_id and r.renewal_of = c.id) group by 1 order by 1`;
    case 'collections':
      // the allocation itself is the work: the baseline is the same allocation, counted without the labels and joins
      return sql`select case when ${f.to}::date - due_on <= 0 then 'not_due' when ${f.to}::date - due_on <= 30 then 'd0_30'
                   when ${f.to}::date - due_on <= 60 then 'd31_60' when ${f.to}::date - due_on <= 90 then 'd61_90' else 'd90_plus' end as key,
                   count(*)::int as n, coalesce(sum(outstanding), 0)::text as amount, round(avg(${f.to}::date - due_on))::text as days
                 from (${outstandingItems(f)}) o where outstanding > 0 group by 1 order by 1`;
  }
}

async function dashboardBench(db: Db, ws: string, year: number, now: Date) {
  const f: DashboardFilter = {
    workspaceId: ws,
    timeZone: DEFAULT_TIMEZONE,
    from: `${year}-01-01`,
    to: new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10),
  };
  const toPoints = (rows: { key: string; n: number; amount: string | null; days: string | null }[]): ChartPoint[] =>
    rows.map((r) => ({ key: r.key, n: r.n, amount: Number(r.amount ?? 0), days: r.days === null ? null : Number(r.days) }));
  for (const chart of charts) {
    const a = await chartCounts(db, chart, f);
    const b = toPoints(await queryRows(db, rawChart(chart, f)));
    const service: number[] = [];
    const raw: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      service.push(await time(() => chartCounts(db, chart, f)));
      raw.push(await time(() => queryRows(db, rawChart(chart, f))));
    }
    const same = JSON.stringify(a) === JSON.stringify(b);
    if (!same) console.log(`  ${chart}: service ${JSON.stringify(a)} vs raw ${JSON.stringify(b)}`);
    results.push({ what: `dashboard: ${chart} (${a.reduce((s, p) => s + p.n, 0).toLocaleString()} rows)`, service, raw, same });
  }
  const rawBudget = async () => {
    const [r] = await queryRows<{ budget: string; committed: string; accounts: number }>(
      db,
      sql`select coalesce(sum(budget_minor + extra_minor), 0)::text as budget, coalesce(sum(committed_minor), 0)::text as committed, count(*)::int as accounts from account_budgets where workspace_id = ${ws} and fiscal_year = ${year}`,
    );
    return {
      budgetMinor: Number(r.budget),
      committedMinor: Number(r.committed),
      remainingMinor: Number(r.budget) - Number(r.committed),
      accounts: r.accounts,
    };
  };
  const same = JSON.stringify(await budgetTotals(db, f)) === JSON.stringify(await rawBudget());
  const service: number[] = [];
  const raw: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    service.push(await time(() => budgetTotals(db, f)));
    raw.push(await time(rawBudget));
  }
  results.push({ what: 'dashboard: budget totals', service, raw, same });
}

async function run(kind: string, d: Database) {
  console.log(`${kind}:`);
  const start = results.length;
  const { workspaceId, userId, now, year } = await fill(d.db);
  await healthBench(d.db, workspaceId, userId, now);
  await dashboardBench(d.db, workspaceId, year, now);
  console.log(`  | ${kind} | service p50 | service p99 | raw SQL p50 | raw SQL p99 | ratio (p50) | same answer |`);
  console.log('  |---|---:|---:|---:|---:|---:|:-:|');
  for (const r of results.slice(start)) {
    console.log(
      `  | ${r.what} | ${fmt(pct(r.service, 50))} | ${fmt(pct(r.service, 99))} | ${fmt(pct(r.raw, 50))} | ${fmt(pct(r.raw, 99))} | ${(pct(r.service, 50) / pct(r.raw, 50)).toFixed(1)}× | ${r.same ? 'yes' : 'NO'} |`,
    );
    if (!r.same) process.exitCode = 1;
  }
}

async function main() {
  console.log(
    `${ACCOUNTS.toLocaleString()} accounts, ${TICKETS.toLocaleString()} tickets (scaled down from 1,000,000 to keep the run short; BENCH_HEALTH_TICKETS to change), ${RUNS} runs per query (p99 of ${RUNS} = the slowest), ${ALL_RUNS} runs of the all-accounts recompute`,
  );
  await onBothDatabases('health', run);
}

void main();
