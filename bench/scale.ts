/**
 * Hot paths at scale (issue 9), not part of `npm test`. On the large workspace of bench/generate.ts (generated
 * first if missing: 10,000 accounts, 200,000 contacts, 2,000,000 tickets, 10,000,000 events, 500,000
 * opportunities at BENCH_SCALE=1), on PGlite and PostgreSQL, each hot path is measured through the service /
 * repo function its HTTP route calls, against the raw SQL that returns the same answer, in the same run,
 * the answers compared (exit code 1 if any differs):
 *   account list (filters + search + sort, a page of 50) · account 360 (GET /api/accounts/:id and the service
 *   tab GET /api/accounts/:id/service) · ticket queues (mine, my team; page of 50, with the queue counts) ·
 *   the SLA breach scan's query · health recompute for one account · dashboards (chartCounts) ·
 *   input/output ranking · contended bookings on one budget (PostgreSQL only: PGlite has one connection).
 *
 *   npm run bench -- scale                                    (or npx tsx bench/scale.ts)
 *   BENCH_SCALE=0.05 npx tsx bench/scale.ts                   small data first (a different scale regenerates)
 *   BENCH_SCALE_PGLITE=0.1 BENCH_SCALE_PG=1 npx tsx bench/scale.ts   a scale per database
 *   BENCH_SKIP_PGLITE=1 / BENCH_SKIP_PG=1, BENCH_SCALE_RUNS (default 20), --fresh (regenerate)
 */
import os from 'node:os';
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, ts, type Database, type Db } from '../server/db/client.js';
import type { StaffActor } from '../server/platform/actor.js';
import { getAccount360 } from '../server/modules/accounts/accounts.service.js';
import { listAccounts, type ListAccountsInput } from '../server/modules/accounts/accounts.service.js';
import { accountService, listTickets } from '../server/modules/service-desk/tickets.service.js';
import { dueClocks } from '../server/modules/service-desk/index.js';
import { recomputeHealth } from '../server/modules/kpi/health.service.js';
import { chartCounts, type ChartPoint, type DashboardFilter } from '../server/modules/reporting/dashboard.repo.js';
import { DEFAULT_TIMEZONE } from '../server/platform/time.js'; // the bench workspace's zone (the column default)
import { bookServiceProduct, ensureSetup } from '../server/modules/value-add/index.js';
import { getInputOutput, inputOutputQuery } from '../server/modules/reporting/index.js';
import { ensureScaleData, SCALE, type Meta } from './generate.js';
import { fmt, pct, time } from './lib.js';

const RUNS = Number(process.env.BENCH_SCALE_RUNS ?? 20);
const DAY = 86_400_000;
type Row = { what: string; runs: number; service: number[]; raw: number[]; same: boolean };
const json = (x: unknown) => JSON.stringify(x);
const iso = (d: unknown) => (d === null || d === undefined ? null : new Date(d as string).toISOString());

/**
 * One hot path: a warm-up call of each (whose answers are compared), then N alternating timed runs.
 * N = BENCH_SCALE_RUNS, fewer for slow paths (≥ 250 ms: 10, ≥ 2 s: 5).
 */
async function measure<A, B>(rows: Row[], what: string, service: () => Promise<A>, raw: () => Promise<B>, same: (a: A, b: B) => boolean) {
  const t0 = performance.now();
  const a = await service();
  const warm = performance.now() - t0;
  const b = await raw();
  const ok = same(a, b);
  if (!ok) console.log(`  ${what}: DIFFERENT ANSWERS\n    service ${json(a).slice(0, 600)}\n    raw     ${json(b).slice(0, 600)}`);
  const runs = warm >= 2000 ? 5 : warm >= 250 ? Math.min(10, RUNS) : RUNS;
  const s: number[] = [];
  const r: number[] = [];
  for (let i = 0; i < runs; i++) {
    s.push(await time(service));
    r.push(await time(raw));
  }
  rows.push({ what, runs, service: s, raw: r, same: ok });
  console.log(`  ${what}: service p50 ${fmt(pct(s, 50))}, raw p50 ${fmt(pct(r, 50))}, same: ${ok ? 'yes' : 'NO'}`);
}

type Ctx = { d: Database; db: Db; meta: Meta; ws: string; now: Date; manager: StaffActor; engineer: StaffActor; bigAccount: string; fy: number };

async function context(d: Database, meta: Meta): Promise<Ctx> {
  const db = d.db;
  const ws = meta.workspaceId;
  const now = new Date(meta.now);
  const staff = (u: { id: string; name: string; role: string }): StaffActor => ({
    kind: 'staff',
    workspaceId: ws,
    userId: u.id,
    name: u.name,
    role: u.role as StaffActor['role'],
    channelPartnerId: null,
    locale: 'zh-CN',
  });
  const [m] = await queryRows<{ id: string; name: string; role: string }>(
    db,
    sql`select id, name, role from users where workspace_id = ${ws} and role = 'manager' order by email limit 1`,
  );
  // the engineer with the most open tickets: the heaviest "my queue"
  const [e] = await queryRows<{ id: string; name: string; role: string }>(
    db,
    sql`select u.id, u.name, u.role from users u join tickets t on t.owner_id = u.id
        where t.workspace_id = ${ws} and t.status in ('open','in_progress','waiting_customer') group by u.id order by count(*) desc, u.id limit 1`,
  );
  // the A account with the most tickets: the heaviest account 360
  const [big] = await queryRows<{ id: string }>(
    db,
    sql`select account_id as id from tickets where workspace_id = ${ws} group by account_id order by count(*) desc, account_id limit 1`,
  );
  return { d, db, meta, ws, now, manager: staff(m), engineer: staff(e), bigAccount: big.id, fy: now.getUTCFullYear() };
}

// ---- account list

async function accountList(rows: Row[], c: Ctx) {
  const cases: [string, ListAccountsInput][] = [
    [
      'account list: tier A–C + stage + search "重工", by value score, page 1 of 50',
      { tier: ['A', 'B', 'C'], stage: ['adaptation', 'renewal'], q: '重工', sort: 'valueScore', order: 'desc', page: 1, pageSize: 50 },
    ],
    ['account list: no filter, by name, page 3 of 50', { sort: 'name', order: 'asc', page: 3, pageSize: 50 }],
  ];
  for (const [what, input] of cases) {
    const where: SQL[] = [sql`a.workspace_id = ${c.ws}`];
    if (input.tier) where.push(sql`a.tier in ${input.tier}`);
    if (input.stage) where.push(sql`a.stage in ${input.stage}`);
    if (input.q) where.push(sql`(a.name ilike ${`%${input.q}%`} or a.industry ilike ${`%${input.q}%`} or a.region ilike ${`%${input.q}%`})`);
    const order = input.sort === 'valueScore' ? sql`a.value_score desc, a.id` : sql`a.name, a.id`;
    const raw = () =>
      queryRows<{ id: string; total: number }>(
        c.db,
        sql`select a.id, a.name, a.tier, a.stage, o.name as owner_name, cp.name as partner_name, a.value_score, count(*) over ()::int as total
            from accounts a left join users o on o.id = a.owner_id left join channel_partners cp on cp.id = a.channel_partner_id
            where ${sql.join(where, sql` and `)} order by ${order} limit ${input.pageSize} offset ${(input.page - 1) * input.pageSize}`,
      );
    await measure(
      rows,
      what,
      () => listAccounts(c.db, c.manager, input),
      raw,
      (a, b) => a.items.length > 0 && json(a.items.map((i) => i.id)) === json(b.map((i) => i.id)) && a.total === (b[0]?.total ?? 0),
    );
  }
}

// ---- account 360: the account itself, and its service tab

async function account360(rows: Row[], c: Ctx) {
  const id = c.bigAccount;
  const raw = async () => {
    const [r] = await queryRows<Record<string, unknown>>(
      c.db,
      sql`select a.id, a.name, a.tier, a.stage, o.name as owner_name, cs.name as csm_name, sa.name as sales_name,
          (select coalesce(json_agg(x.to_tier order by x.at desc), '[]') from tier_history x where x.workspace_id = ${c.ws} and x.account_id = a.id) as tiers,
          (select coalesce(json_agg(x.to_stage order by x.at), '[]') from stage_transitions x where x.workspace_id = ${c.ws} and x.account_id = a.id) as stages,
          (select coalesce(json_agg(x.to_level order by x.at), '[]') from ladder_history x where x.workspace_id = ${c.ws} and x.account_id = a.id) as ladder,
          (select coalesce(json_agg(json_build_object('id', x.id, 'login', k.id is not null) order by x.created_at, x.id), '[]')
             from contacts x left join key_person_logins k on k.contact_id = x.id where x.workspace_id = ${c.ws} and x.account_id = a.id) as contacts,
          (select coalesce(json_agg(json_build_object('id', l.id, 'user', u.name, 'contact', x.name) order by l.created_at), '[]')
             from relationship_links l join users u on u.id = l.user_id join contacts x on x.id = l.contact_id where l.workspace_id = ${c.ws} and l.account_id = a.id) as links
        from accounts a left join users o on o.id = a.owner_id left join users cs on cs.id = a.csm_id left join users sa on sa.id = a.sales_id
        where a.workspace_id = ${c.ws} and a.id = ${id}`,
    );
    return r;
  };
  await measure(
    rows,
    'account 360 (GET /api/accounts/:id, the biggest account)',
    () => getAccount360(c.db, c.manager, id, c.now),
    raw,
    (a, b) =>
      a.id === b.id &&
      a.owner?.name === b.owner_name &&
      a.team.csm?.name === (b.csm_name ?? undefined) &&
      a.team.sales?.name === b.sales_name &&
      json(a.tierHistory.map((t) => t.toTier)) === json(b.tiers) &&
      json(a.stageTimeline.map((t) => t.toStage)) === json(b.stages) &&
      json(a.ladderHistory.map((t) => t.toLevel)) === json(b.ladder) &&
      json(a.contacts.map((x) => ({ id: x.id, login: x.hasPortalLogin }))) === json(b.contacts) &&
      json(a.links.map((l) => ({ id: l.id, user: l.userName, contact: l.contactName }))) === json(b.links),
  );

  const rawService = async () => {
    const [r] = await queryRows<{
      tickets: { id: string; breached: boolean; status: string }[];
      compliance: { kind: string; met: number; breached: number }[] | null;
      responses: number;
      average: number | null;
      moments: string[] | null;
    }>(
      c.db,
      sql`select
          (select json_agg(json_build_object('id', t.id, 'breached', t.breached, 'status', t.status) order by t.created_at desc)
             from (select t.id, t.status, t.created_at, exists (select 1 from sla_clocks k where k.ticket_id = t.id and k.breached_at is not null) as breached
                   from tickets t where t.workspace_id = ${c.ws} and t.account_id = ${id} order by t.created_at desc limit 200) t) as tickets,
          (select json_agg(json_build_object('kind', x.kind, 'met', x.met, 'breached', x.breached) order by x.kind)
             from (select k.kind, count(*) filter (where k.breached_at is null and k.met_at is not null)::int as met, count(*) filter (where k.breached_at is not null)::int as breached
                   from sla_clocks k join tickets t on t.id = k.ticket_id where t.workspace_id = ${c.ws} and t.account_id = ${id} group by k.kind) x) as compliance,
          (select count(*)::int from csat_responses where workspace_id = ${c.ws} and account_id = ${id}) as responses,
          (select round(avg(score)::numeric, 2)::float8 from csat_responses where workspace_id = ${c.ws} and account_id = ${id}) as average,
          (select json_agg(k.id order by k.created_at desc) from (select id, created_at from key_moment_events where workspace_id = ${c.ws} and account_id = ${id} order by created_at desc limit 20) k) as moments`,
    );
    return r;
  };
  await measure(
    rows,
    'account 360 service tab (GET /api/accounts/:id/service)',
    () => accountService(c.db, c.manager, id),
    rawService,
    (a, b) =>
      a.tickets.length > 0 &&
      json(a.tickets.map((t) => ({ id: t.id, breached: t.breached, status: t.status }))) === json(b.tickets) &&
      json(a.compliance.byKind.map((k) => ({ kind: k.kind, met: k.met, breached: k.breached }))) === json(b.compliance ?? []) &&
      a.csat.responses === b.responses &&
      a.csat.average === (b.responses ? b.average : null) &&
      json(a.keyMoments.map((k) => k.id)) === json(b.moments ?? []),
  );
}

// ---- ticket queues

async function queues(rows: Row[], c: Ctx) {
  const u = c.engineer.userId;
  const N = ts(c.now);
  for (const queue of ['mine', 'team'] as const) {
    const cond = queue === 'mine' ? sql`(t.owner_id = ${u} or t.accountable_id = ${u})` : sql`t.team_id in (select team_id from my_teams)`;
    const myTeams = sql`my_teams as (select team_id from team_members where workspace_id = ${c.ws} and user_id = ${u} union select id from teams where workspace_id = ${c.ws} and lead_id = ${u})`;
    const raw = async () => {
      const items = await queryRows<{ id: string; next_due: string | null; breached: boolean; warning: boolean; total: number }>(
        c.db,
        sql`with ${myTeams}
          select t.id, t.number, t.title, t.status, a.name as account_name, o.name as owner_name, tm.name as team_name,
            (select min(k.due_at) from sla_clocks k where k.ticket_id = t.id and k.met_at is null and k.breached_at is null) as next_due,
            exists (select 1 from sla_clocks k where k.ticket_id = t.id and k.breached_at is not null) as breached,
            exists (select 1 from sla_clocks k where k.ticket_id = t.id and k.met_at is null and k.breached_at is null and k.warn_at <= ${N}) as warning,
            count(*) over ()::int as total
          from tickets t join accounts a on a.id = t.account_id left join users o on o.id = t.owner_id left join teams tm on tm.id = t.team_id
          where t.workspace_id = ${c.ws} and t.status in ('open','in_progress','waiting_customer') and ${cond}
          order by t.created_at desc limit 50`,
      );
      const [counts] = await queryRows<Record<string, number>>(
        c.db,
        sql`with ${myTeams}
          select count(*) filter (where t.owner_id = ${u} or t.accountable_id = ${u})::int as mine,
            count(*) filter (where t.team_id in (select team_id from my_teams))::int as team,
            count(*) filter (where exists (select 1 from sla_clocks k where k.ticket_id = t.id and k.met_at is null and k.breached_at is null and k.warn_at <= ${N}))::int as breaching,
            count(*) filter (where exists (select 1 from sla_clocks k where k.ticket_id = t.id and k.breached_at is not null and k.met_at is null))::int as breached,
            count(*) filter (where t.owner_id is null)::int as unassigned
          from tickets t where t.workspace_id = ${c.ws} and t.status in ('open','in_progress','waiting_customer')`,
      );
      return { items, counts };
    };
    await measure(
      rows,
      `ticket queue: ${queue === 'mine' ? 'my queue' : "my team's open queue"} (page of 50 + queue counts)`,
      () => listTickets(c.db, c.engineer, { queue, page: 1, pageSize: 50 } as never, c.now),
      raw,
      (a, b) =>
        a.items.length > 0 &&
        json(a.items.map((i) => [i.id, iso(i.nextDueAt), i.breached, i.warning])) ===
          json(b.items.map((i) => [i.id, iso(i.next_due), i.breached, i.warning])) &&
        a.total === (b.items[0]?.total ?? 0) &&
        json(a.counts) === json(b.counts),
    );
  }
}

// ---- breach scan

async function breachScan(rows: Row[], c: Ctx) {
  const raw = () =>
    queryRows<{ id: string }>(
      c.db,
      sql`select id, ticket_id, workspace_id, due_at from sla_clocks
          where due_at <= ${c.now.toISOString()}::timestamptz and breached_at is null and met_at is null and due_at is not null order by due_at limit 1000`,
    );
  await measure(
    rows,
    'SLA breach scan (dueClocks, 1,000 oldest due)',
    () => dueClocks(c.db, c.now, 1000),
    raw,
    (a, b) => a.length > 0 && json(a.map((x) => x.id)) === json(b.map((x) => x.id)),
  );
}

// ---- health for one account (the default model; this workspace has no meetings and no value projects)

function rawHealth(ws: string, now: Date, accountId: string) {
  const since = ts(new Date(now.getTime() - 90 * DAY));
  const until = ts(now);
  return sql`insert into bench_scale_health_raw (account_id, score, band)
    select id, score, case when score < 50 then 'red' when score < 70 then 'amber' else 'green' end from (
      select a.id, round((30 * coalesce(rel.g, 0) + 25 * tk.g + 15 * least(100, 25 * coalesce(mt.n, 0) + 5 * coalesce(pt.n, 0)) + 15 * coalesce(a.on_time_payment_pct, 0))::numeric
                 / (30 * (rel.g is not null)::int + 25 + 15 + 15 * (a.on_time_payment_pct is not null)::int))::int as score
      from accounts a
      left join (select account_id, round(avg((score - 1) * 25)) as g from (
          select distinct on (account_id, metric) account_id, metric, score from relationship_assessments
          where workspace_id = ${ws} and account_id = ${accountId} and assessed_on <= (${until} at time zone 'Asia/Shanghai')::date order by account_id, metric, assessed_on desc, created_at desc) x
        group by account_id) rel on rel.account_id = a.id
      left join (select t.account_id, count(*) as n from sla_clocks c join tickets t on t.id = c.ticket_id
        where c.workspace_id = ${ws} and t.account_id = ${accountId} and c.breached_at > ${since} group by t.account_id) br on br.account_id = a.id
      left join (select account_id, count(*) as n from tickets where workspace_id = ${ws} and account_id = ${accountId} and severity = 'critical' and status in ('open','in_progress','waiting_customer') group by account_id) cr on cr.account_id = a.id
      left join (select account_id, avg(score)::numeric(4,2) as avg from csat_responses where workspace_id = ${ws} and account_id = ${accountId} and at > ${since} and at <= ${until} group by account_id) cs on cs.account_id = a.id
      left join (select account_id, count(*) as n from meetings where workspace_id = ${ws} and account_id = ${accountId} and status = 'held' and starts_at > ${since} and starts_at <= ${until} group by account_id) mt on mt.account_id = a.id
      left join (select account_id, count(*) as n from tickets where workspace_id = ${ws} and account_id = ${accountId} and requester_kind = 'key_person' and created_at > ${since} and created_at <= ${until} group by account_id) pt on pt.account_id = a.id
      cross join lateral (select case when cs.avg is null then greatest(0, 100 - 15 * coalesce(br.n, 0) - 20 * coalesce(cr.n, 0))
                                  else round((greatest(0, 100 - 15 * coalesce(br.n, 0) - 20 * coalesce(cr.n, 0)) * 3 + (cs.avg - 1) * 25) / 4) end as g) tk
      where a.workspace_id = ${ws} and a.id = ${accountId}
    ) s
    on conflict (account_id) do update set score = excluded.score, band = excluded.band
    returning score, band`;
}

async function health(rows: Row[], c: Ctx) {
  await c.db.execute(sql`create table if not exists bench_scale_health_raw (account_id uuid primary key, score int not null, band text not null)`);
  // a mid-sized account too: the biggest one is all red (its breaches saturate the ticket group)
  const [mid] = await queryRows<{ id: string }>(
    c.db,
    sql`select a.id from accounts a where a.workspace_id = ${c.ws} and a.tier = 'C' order by a.name limit 1`,
  );
  for (const [label, id] of [
    ['biggest account', c.bigAccount],
    ['a C account', mid.id],
  ] as const) {
    await measure(
      rows,
      `health recompute, one account (${label})`,
      async () => {
        await recomputeHealth(c.db, c.ws, { accountId: id, now: c.now, cause: 'change' });
        const [h] = await queryRows<{ score: number; band: string }>(c.db, sql`select score, band from account_health where account_id = ${id}`);
        return h;
      },
      async () => (await queryRows<{ score: number; band: string }>(c.db, rawHealth(c.ws, c.now, id)))[0],
      (a, b) => !!a && a.score === b.score && a.band === b.band,
    );
  }
}

// ---- dashboards

function rawChart(chart: 'tier' | 'tier_move' | 'pipeline' | 'sla', f: DashboardFilter) {
  const from = ts(new Date(`${f.from}T00:00:00+08:00`));
  const until = ts(new Date(new Date(`${f.to}T00:00:00+08:00`).getTime() + DAY));
  const ws = f.workspaceId;
  switch (chart) {
    case 'tier':
      return sql`select tier as key, count(*)::int as n, '0' as amount, null::text as days from accounts where workspace_id = ${ws} group by tier order by tier`;
    case 'tier_move':
      return sql`select from_tier || '>' || to_tier as key, count(*)::int as n, '0' as amount, null::text as days from tier_history
                 where workspace_id = ${ws} and from_tier is not null and from_tier <> to_tier and at >= ${from} and at < ${until} group by 1 order by 1`;
    case 'pipeline':
      return sql`select stage as key, count(*)::int as n, coalesce(sum(amount_minor), 0)::text as amount, null::text as days from opportunities
                 where workspace_id = ${ws} and created_at >= ${from} and created_at < ${until} group by stage order by stage`;
    case 'sla':
      return sql`select case when breached_at is not null then 'breached' else 'met' end as key, count(*)::int as n, '0' as amount, null::text as days from sla_clocks
                 where workspace_id = ${ws} and ((breached_at >= ${from} and breached_at < ${until}) or (breached_at is null and met_at >= ${from} and met_at < ${until})) group by 1 order by 1`;
  }
}

async function dashboards(rows: Row[], c: Ctx) {
  const f: DashboardFilter = {
    workspaceId: c.ws,
    timeZone: DEFAULT_TIMEZONE,
    from: `${c.fy}-01-01`,
    to: new Date(c.now.getTime() + 8 * 3600_000).toISOString().slice(0, 10),
  };
  const toPoints = (rs: { key: string; n: number; amount: string | null; days: string | null }[]): ChartPoint[] =>
    rs.map((r) => ({ key: r.key, n: r.n, amount: Number(r.amount ?? 0), days: r.days === null ? null : Number(r.days) }));
  for (const chart of ['tier', 'tier_move', 'pipeline', 'sla'] as const) {
    let n = 0;
    await measure(
      rows,
      `dashboard: ${chart} (this year)`,
      async () => {
        const p = await chartCounts(c.db, chart, f);
        n = p.reduce((s, x) => s + x.n, 0);
        return p;
      },
      async () => toPoints(await queryRows(c.db, rawChart(chart, f))),
      (a, b) => a.length > 0 && json(a) === json(b),
    );
    rows[rows.length - 1].what += ` — ${n.toLocaleString()} rows`;
  }
}

// ---- input / output ranking

function rawRankingQuery(ws: string, fy: number) {
  return sql`
    with base as (${inputOutputQuery(ws, fy, null, DEFAULT_TIMEZONE)}),
    m as (select *, case when spend > 0 then round(captured::numeric / spend, 2) end as multiple from base),
    stats as materialized (select percentile_cont(0.5) within group (order by spend) as med_spend,
                     percentile_cont(0.5) within group (order by captured::float8 / spend) as med_mult
              from base where spend > 0)
    select m.id, m.multiple::float8 as multiple,
           (m.multiple is not null and m.spend >= s.med_spend and (m.captured = 0 or m.multiple < s.med_mult / 2)) as flagged,
           row_number() over (order by m.multiple is null, m.multiple desc, m.captured desc, m.id::text collate "C") as rank
    from m cross join stats s order by rank`;
}

async function ranking(rows: Row[], c: Ctx) {
  let n = 0;
  await measure(
    rows,
    'input/output ranking (this fiscal year)',
    async () => {
      const r = await getInputOutput(c.db, c.manager, { fiscalYear: c.fy });
      n = r.items.length;
      return r;
    },
    () => queryRows<{ id: string; multiple: number | null; flagged: boolean }>(c.db, rawRankingQuery(c.ws, c.fy)),
    (a, b) =>
      a.items.length > 0 &&
      a.items.length === b.length &&
      a.items.every(
        (x, i) => x.accountId === b[i].id && x.multiple === (b[i].multiple === null ? null : Number(b[i].multiple)) && x.flagged === b[i].flagged,
      ),
  );
  rows[rows.length - 1].what += ` — ${n.toLocaleString()} accounts`;
}

// ---- contended bookings (PostgreSQL): many workers booking one account's budget, the service vs a raw booking statement

async function bookings(rows: Row[], c: Ctx) {
  const db = c.db;
  // a workspace of its own, so the generated one stays as generated
  let [ws] = await queryRows<{ id: string }>(db, sql`select id from workspaces where slug = 'scale-bookings'`);
  if (!ws) {
    [ws] = await queryRows<{ id: string }>(db, sql`insert into workspaces (name, slug) values ('scale bookings', 'scale-bookings') returning id`);
    await db.execute(
      sql`insert into users (workspace_id, email, name, role, password_hash) values (${ws.id}, 'booker@scale.bench', 'booker', 'manager', 'x')`,
    );
    await db.transaction((tx) => ensureSetup(tx, ws.id));
  }
  const [u] = await queryRows<{ id: string }>(db, sql`select id from users where workspace_id = ${ws.id} and email = 'booker@scale.bench'`);
  const actor: StaffActor = {
    kind: 'staff',
    workspaceId: ws.id,
    userId: u.id,
    name: 'booker',
    role: 'manager',
    channelPartnerId: null,
    locale: 'en',
  };
  const cost = 100_00;
  const workers = 16;
  const attempts = 400;
  const fits = 300;
  const stamp = Date.now().toString(36);
  const [item] = await queryRows<{ id: string }>(
    db,
    sql`insert into catalog_items (workspace_id, menu, code, position, name_zh, name_en, executor_role, pricing, internal_cost_minor, tasks, eligible_tiers)
        values (${ws.id}, 'free_expert', ${`free_expert.scale_${stamp}`}, 99, '压测服务', 'Bench service', 'expert', 'free', ${cost}, array['capture'], array['A','C']) returning id`,
  );
  const account = async (tag: string) =>
    (
      await queryRows<{ id: string }>(
        db,
        sql`insert into accounts (workspace_id, name, industry, region, fiscal_year, tier, model_tier, revenue_target_minor)
            values (${ws.id}, ${`hot-${tag}-${stamp}`}, '制造', '华东', ${c.fy}, 'A', 'A', ${cost * fits * 50}) returning id`,
      )
    )[0].id;
  const svcAcc = await account('svc');
  const rawAcc = await account('raw');
  const [budget] = await queryRows<{ id: string }>(
    db,
    sql`insert into account_budgets (workspace_id, account_id, fiscal_year, target_minor, ratio_bp, budget_minor) values (${ws.id}, ${rawAcc}, ${c.fy}, ${cost * fits * 50}, 200, ${cost * fits}) returning id`,
  );
  const rawBook = () =>
    db.transaction(async (tx) => {
      const [task] = await queryRows<{ id: string }>(
        tx,
        sql`insert into value_add_tasks (workspace_id, account_id, catalog_item_id, title, tasks, owner_id, created_by_id) values (${ws.id}, ${rawAcc}, ${item.id}, 'Bench service', array['capture'], ${u.id}, ${u.id}) returning id`,
      );
      await tx.execute(sql`insert into value_add_bookings (workspace_id, account_id, catalog_item_id, task_id, budget_id, fiscal_year, kind, amount_minor, status, requested_by_id)
        values (${ws.id}, ${rawAcc}, ${item.id}, ${task.id}, ${budget.id}, ${c.fy}, 'free', ${cost}, 'booked', ${u.id})`);
      const drawn = await queryRows(
        tx,
        sql`update account_budgets set committed_minor = committed_minor + ${cost}, updated_at = now() where id = ${budget.id} and remaining_minor >= ${cost} returning id`,
      );
      if (!drawn.length) throw Object.assign(new Error('over budget'), { code: 'conflict' });
    });
  const run = async (book: () => Promise<unknown>) => {
    let next = 0;
    let ok = 0;
    let refused = 0;
    let other = 0;
    const lat: number[] = [];
    await Promise.all(
      Array.from({ length: workers }, async () => {
        while (next < attempts) {
          next++;
          const t0 = performance.now();
          try {
            await book();
            ok++;
          } catch (e) {
            if ((e as { code?: string }).code === 'conflict') refused++;
            else if (other++ < 2) console.error(e);
          }
          lat.push(performance.now() - t0);
        }
      }),
    );
    return { ok, refused, other, lat };
  };
  const invariant = async (accountId: string) => {
    const [r] = await queryRows<{ committed: string; remaining: string; booked: number; sum: string }>(
      db,
      sql`select b.committed_minor::text as committed, b.remaining_minor::text as remaining,
            (select count(*)::int from value_add_bookings where account_id = ${accountId} and status = 'booked') as booked,
            (select coalesce(sum(amount_minor), 0)::text from value_add_bookings where account_id = ${accountId} and status = 'booked') as sum
          from account_budgets b where b.account_id = ${accountId}`,
    );
    return r;
  };
  const s = await run(() => bookServiceProduct(db, actor, svcAcc, { catalogItemId: item.id }));
  const r = await run(rawBook);
  const si = await invariant(svcAcc);
  const ri = await invariant(rawAcc);
  const holds = (x: typeof s, i: typeof si) =>
    x.ok === fits && x.other === 0 && i.booked === fits && Number(i.remaining) >= 0 && Number(i.committed) === Number(i.sum);
  const same = holds(s, si) && holds(r, ri);
  console.log(
    `  bookings: service ${s.ok} booked / ${s.refused} refused, raw ${r.ok} booked / ${r.refused} refused (budget fits ${fits}); invariant ${same ? 'holds for both' : 'BROKEN'}`,
  );
  rows.push({
    what: `contended bookings: ${workers} workers × ${attempts} on one budget that fits ${fits} (latency per booking)`,
    runs: attempts,
    service: s.lat,
    raw: r.lat,
    same,
  });
}

// ---- the run

function machine() {
  const l = os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(', ');
  return `nproc ${os.cpus().length}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, load average ${l}`;
}

async function run(kind: 'pglite' | 'postgres', scale: number, fresh: boolean) {
  const label = kind === 'pglite' ? 'PGlite' : 'PostgreSQL';
  const t0 = performance.now();
  const { d, meta, generated } = await ensureScaleData(kind, { fresh, scale });
  console.log(
    `${label}: scale ${meta.scale}, ${generated ? 'generated now' : `generated ${meta.generatedAt}`} in ${meta.seconds} s; opened in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  console.log(
    `  data: ${Object.entries(meta.counts)
      .map(([k, v]) => `${k} ${v.toLocaleString()}`)
      .join(', ')}`,
  );
  console.log(`  machine: ${machine()}`);
  const rows: Row[] = [];
  try {
    const c = await context(d, meta);
    await accountList(rows, c);
    await account360(rows, c);
    await queues(rows, c);
    await breachScan(rows, c);
    await health(rows, c);
    await dashboards(rows, c);
    await ranking(rows, c);
    if (kind === 'postgres') await bookings(rows, c);
  } finally {
    console.log(`  machine after: ${machine()}`);
    await d.close();
  }
  console.log(`\n  | ${label} (scale ${meta.scale}) | runs | service p50 | service p99 | raw SQL p50 | raw SQL p99 | ratio (p50) | same answer |`);
  console.log('  |---|---:|---:|---:|---:|---:|---:|:-:|');
  for (const r of rows) {
    console.log(
      `  | ${r.what} | ${r.runs} | ${fmt(pct(r.service, 50))} | ${fmt(pct(r.service, 99))} | ${fmt(pct(r.raw, 50))} | ${fmt(pct(r.raw, 99))} | ${(pct(r.service, 50) / pct(r.raw, 50)).toFixed(1)}× | ${r.same ? 'yes' : 'NO'} |`,
    );
    if (!r.same) process.exitCode = 1;
  }
  console.log('');
}

async function main() {
  const fresh = process.argv.includes('--fresh');
  const scaleOf = (v: string | undefined) => (v ? Number(v) : SCALE);
  console.log(`hot paths at scale: ${RUNS} runs per fast path (p99 of 20 = the slowest run); ${machine()}`);
  if (!process.env.BENCH_SKIP_PGLITE) await run('pglite', scaleOf(process.env.BENCH_SCALE_PGLITE), fresh);
  if (!process.env.BENCH_SKIP_PG) await run('postgres', scaleOf(process.env.BENCH_SCALE_PG), fresh);
}

await main();
