/**
 * The account timeline (issue 19), not part of `npm test`: `npm run bench -- timeline`.
 *
 * One workspace of BENCH_TIMELINE_ACCOUNTS accounts (default 2,000) whose tickets, meetings, opportunity moves and
 * stage / tier / ladder history are spread over them, plus one busy account holding far more than the others
 * (BENCH_TIMELINE_BUSY tickets, default 20,000, with meetings, opportunity events and history in proportion):
 * the stream of a busy account is where a timeline gets slow. Bookings, portal signals and value actuals are
 * queried (every branch of the union runs) but hold no rows here.
 *
 * "Service" = `accountTimeline` (what GET /api/accounts/:id/timeline calls: the visibility check, then one union
 * whose every branch stops at the page's end). "Raw SQL" = one hand-written statement giving the same page the
 * plain way (the branches unioned whole, then sorted and cut), timed in the same loop; the run exits 1 if the two
 * pages differ. PostgreSQL in a database created for the run (dropped after) and an in-memory PGlite at a tenth
 * of the size (BENCH_SKIP_PG / BENCH_SKIP_PGLITE leave one out). 30 runs per case after one warm-up.
 */
import { sql } from 'drizzle-orm';
import { queryRows, type Database, type Db } from '../server/db/client.js';
import type { StaffActor } from '../server/platform/actor.js';
import { accountTimeline } from '../server/modules/reporting/index.js';
import { fmt, onBothDatabases, pct, time } from './lib.js';

const RUNS = Number(process.env.BENCH_TIMELINE_RUNS ?? 30);
const n = (x: number) => sql.raw(String(Math.round(x)));

const sizes = (label: string) => {
  const s = label === 'PGlite' ? 0.1 : 1;
  const accounts = Math.max(50, Math.round(Number(process.env.BENCH_TIMELINE_ACCOUNTS ?? 2000) * s));
  const busy = Math.max(500, Math.round(Number(process.env.BENCH_TIMELINE_BUSY ?? 20_000) * s));
  return { accounts, busy, tickets: accounts * 50, meetings: accounts * 5, opportunities: accounts * 2, history: accounts * 3 };
};

async function generate(db: Db, label: string) {
  const S = sizes(label);
  const t0 = performance.now();
  const step = (what: string) => console.error(`  ${label}: ${what} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  const [ws] = await queryRows<{ id: string }>(db, sql`insert into workspaces (name, slug) values ('时间线压测', 'timeline-bench') returning id`);
  const W = ws.id;
  const [u] = await queryRows<{ id: string }>(
    db,
    sql`insert into users (workspace_id, email, name, role, password_hash) values (${W}, 'manager@timeline.bench', '经理', 'manager', 'x') returning id`,
  );
  await db.execute(sql`insert into accounts (workspace_id, name, industry, region, fiscal_year, tier, model_tier, created_at, updated_at)
    select ${W}, '客户' || lpad(g::text, 5, '0'), '工程机械', '华东', 2026, 'B', 'B', now() - interval '3 years', now() from generate_series(1, ${n(S.accounts)}) g`);
  await db.execute(sql`create table bench_tl_acc as select row_number() over (order by name)::int as n, id from accounts where workspace_id = ${W}`);
  await db.execute(sql`create unique index on bench_tl_acc (n)`);
  const [busy] = await queryRows<{ id: string }>(db, sql`select id from bench_tl_acc where n = 1`);
  const A = n(S.accounts);
  // account n = 1 is the busy one: the spread rows skip it, then it gets its own
  const spread = (g: string) => sql.raw(`2 + (${g}::bigint * 7919) % (${S.accounts} - 1)`);
  const tickets = async (count: number, account: 'busy' | 'spread') => {
    await db.execute(sql`insert into tickets (workspace_id, account_id, title, description, kind, severity, channel, requester_kind, requester_user_id, requester_name,
        status, tier_at_creation, priority, dispatch_rule, dispatch_reason, policy, created_at, updated_at)
      select ${W}, b.id, '设备故障 ' || g, '', 'product_issue', 'medium', 'phone', 'staff', ${u.id}, '经理', 'open', 'B', 'P3', 'bench',
        '{"zh-CN":"","en":""}'::jsonb, '{}'::jsonb, now() - (g % 100000) * interval '13 minutes', now()
      from generate_series(1, ${n(count)}) g join bench_tl_acc b on b.n = ${account === 'busy' ? sql`1` : spread('g')}`);
  };
  await tickets(S.tickets, 'spread');
  await tickets(S.busy, 'busy');
  step(`${S.tickets + S.busy} tickets`);
  const meetings = async (count: number, account: 'busy' | 'spread') =>
    db.execute(sql`insert into meetings (workspace_id, account_id, kind, cause, title, starts_at, ends_at, status, organizer_id)
      select ${W}, b.id, 'ad_hoc', 'requirement_change', '例会 ' || g, now() - g * interval '7 hours', now() - g * interval '7 hours' + interval '1 hour', 'held', ${u.id}
      from generate_series(1, ${n(count)}) g join bench_tl_acc b on b.n = ${account === 'busy' ? sql`1` : spread('g')}`);
  await meetings(S.meetings, 'spread');
  await meetings(S.busy / 10, 'busy');
  const opportunities = async (count: number, account: 'busy' | 'spread') =>
    db.execute(sql`insert into opportunities (workspace_id, account_id, title, source_kind, captured_by_id, amount_minor, stage, created_at, updated_at)
      select ${W}, b.id, '改造商机 ' || g, 'visit', ${u.id}, g * 100000, 'incubating', now() - g * interval '1 day', now()
      from generate_series(1, ${n(count)}) g join bench_tl_acc b on b.n = ${account === 'busy' ? sql`1` : spread('g')}`);
  await opportunities(S.opportunities, 'spread');
  await opportunities(S.busy / 20, 'busy');
  // two moves per opportunity: captured → incubating a day apart
  await db.execute(sql`insert into opportunity_events (workspace_id, opportunity_id, from_stage, to_stage, at, actor_id)
    select o.workspace_id, o.id, s.f, s.t, o.created_at + s.d * interval '1 day', ${u.id}
    from opportunities o cross join (values (null, 'captured', 0), ('captured', 'incubating', 1)) s (f, t, d) where o.workspace_id = ${W}`);
  step('meetings, opportunities and their moves');
  const history = async (count: number, account: 'busy' | 'spread') => {
    const acc = account === 'busy' ? sql`1` : spread('g');
    await db.execute(sql`insert into stage_transitions (workspace_id, account_id, from_stage, to_stage, at)
      select ${W}, b.id, 'startup', 'adaptation', now() - g * interval '5 hours' from generate_series(1, ${n(count)}) g join bench_tl_acc b on b.n = ${acc}`);
    await db.execute(sql`insert into tier_history (workspace_id, account_id, from_tier, to_tier, source, at)
      select ${W}, b.id, 'C', 'B', 'model', now() - g * interval '6 hours' from generate_series(1, ${n(count)}) g join bench_tl_acc b on b.n = ${acc}`);
    await db.execute(sql`insert into ladder_history (workspace_id, account_id, from_level, to_level, at)
      select ${W}, b.id, 'participant', 'supplier', now() - g * interval '9 hours' from generate_series(1, ${n(count)}) g join bench_tl_acc b on b.n = ${acc}`);
  };
  await history(S.history, 'spread');
  await history(S.busy / 20, 'busy');
  step('stage, tier and ladder history');
  await db.execute(sql`drop table bench_tl_acc`);
  await db.execute(sql`analyze`);
  step('analyze');
  void A;
  const [typical] = await queryRows<{ id: string }>(
    db,
    sql`select account_id as id from tickets where workspace_id = ${W} and account_id <> ${busy.id} group by account_id order by count(*) desc, account_id limit 1`,
  );
  return { W, manager: u.id, busy: busy.id, typical: typical.id };
}

/** The plain way to the same page: every row of every branch, unioned, sorted, cut. */
function rawPage(W: string, accountId: string, kinds: string[], offset: number, limit: number) {
  const all: Record<string, ReturnType<typeof sql>> = {
    ticket: sql`select 'ticket' as kind, t.id, t.created_at as at from tickets t where t.workspace_id = ${W} and t.account_id = ${accountId}`,
    meeting: sql`select 'meeting', m.id, m.starts_at from meetings m where m.workspace_id = ${W} and m.account_id = ${accountId}`,
    booking: sql`select 'booking', b.id, b.created_at from value_add_bookings b where b.workspace_id = ${W} and b.account_id = ${accountId}`,
    opportunity: sql`select 'opportunity', e.id, e.at from opportunity_events e join opportunities o on o.id = e.opportunity_id where o.workspace_id = ${W} and o.account_id = ${accountId}`,
    portal: sql`select 'portal', s.id, s.created_at from portal_signals s where s.workspace_id = ${W} and s.account_id = ${accountId}`,
    stage: sql`select 'stage', h.id, h.at from stage_transitions h where h.workspace_id = ${W} and h.account_id = ${accountId}`,
    tier: sql`select 'tier', h.id, h.at from tier_history h where h.workspace_id = ${W} and h.account_id = ${accountId}`,
    ladder: sql`select 'ladder', h.id, h.at from ladder_history h where h.workspace_id = ${W} and h.account_id = ${accountId}`,
    value: sql`select 'value', v.id, v.created_at from value_actuals v join value_items i on i.id = v.item_id where i.workspace_id = ${W} and i.account_id = ${accountId}`,
  };
  const union = sql.join(
    kinds.map((k) => all[k]),
    sql` union all `,
  );
  return sql`select kind, id from (${union}) x (kind, id, at) order by at desc, kind, id limit ${limit} offset ${offset}`;
}

type Line = { label: string; svc: number[]; raw: number[]; same: boolean; rows: number };

async function bench(label: 'PGlite' | 'PostgreSQL', d: Database, out: Map<string, Line[]>) {
  const S = sizes(label);
  const g = await generate(d.db, label);
  const actor: StaffActor = {
    kind: 'staff',
    workspaceId: g.W,
    userId: g.manager,
    name: '经理',
    role: 'manager',
    channelPartnerId: null,
    locale: 'zh-CN',
  };
  const all = ['ticket', 'meeting', 'booking', 'opportunity', 'portal', 'stage', 'tier', 'ladder', 'value'];
  const cases: [string, string, string[] | undefined, number][] = [
    [`busy account (${S.busy.toLocaleString()} tickets), first page of 30`, g.busy, undefined, 0],
    ['busy account, page 10 (offset 270)', g.busy, undefined, 270],
    ['busy account, tickets filtered out (meetings, moves, history)', g.busy, all.filter((k) => k !== 'ticket'), 0],
    ['busy account, stage changes only', g.busy, ['stage'], 0],
    [`typical account (~${Math.round(S.tickets / S.accounts)} tickets), first page`, g.typical, undefined, 0],
  ];
  const lines: Line[] = [];
  for (const [what, accountId, kinds, offset] of cases) {
    const service = () => accountTimeline(d.db, actor, accountId, { kinds: kinds as never, offset, limit: 30 });
    const raw = () => queryRows<{ kind: string; id: string }>(d.db, rawPage(g.W, accountId, kinds ?? all, offset, 30));
    const s = await service();
    const r = await raw();
    const same = JSON.stringify(s.items.map((i) => `${i.kind}:${i.id}`)) === JSON.stringify(r.map((x) => `${x.kind}:${x.id}`));
    const svcT: number[] = [];
    const rawT: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      svcT.push(await time(service));
      rawT.push(await time(raw));
    }
    lines.push({ label: what, svc: svcT, raw: rawT, same, rows: s.items.length });
    console.error(`${label} · ${what}: service p50 ${fmt(pct(svcT, 50))}, raw p50 ${fmt(pct(rawT, 50))}, ${same ? 'same' : 'DIFFERENT'}`);
  }
  out.set(`${label}, ${S.accounts.toLocaleString()} accounts, ${(S.tickets + S.busy).toLocaleString()} tickets`, lines);
}

const results = new Map<string, Line[]>();
await onBothDatabases('timeline', (label, d) => bench(label, d, results));
let failed = false;
for (const [label, lines] of results) {
  console.log(`\n| ${label} | service p50 | service p99 | raw SQL p50 | raw SQL p99 | ratio (p50) | rows | same page |`);
  console.log('|---|---:|---:|---:|---:|---:|---:|:-:|');
  for (const l of lines) {
    const s50 = pct(l.svc, 50);
    const r50 = pct(l.raw, 50);
    console.log(
      `| ${l.label} | ${fmt(s50)} | ${fmt(pct(l.svc, 99))} | ${fmt(r50)} | ${fmt(pct(l.raw, 99))} | ${(s50 / r50).toFixed(2)}× | ${l.rows} | ${l.same ? 'yes' : '**no**'} |`,
    );
    failed ||= !l.same;
  }
}
console.log('\nThe ratio is the service (visibility check + the union whose branches stop at the page end) against the plain union sorted whole.');
process.exit(failed ? 1 : 0);
