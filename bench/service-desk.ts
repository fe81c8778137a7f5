/**
 * Service-desk benchmarks (issue 3), not part of `npm test`:
 *  1. dispatch decisions per second (the pure, table-driven rule set, with team pools and load);
 *  2. the breach scan over 1,000,000 tickets (2,000,000 SLA clocks) on PGlite and PostgreSQL: the query the
 *     scheduled job runs (Drizzle, `dueClocks`) against the raw SQL that returns the same rows, measured in the
 *     same run, with the rows compared.
 *
 *   npx tsx bench/service-desk.ts                      (PGlite and PostgreSQL at BENCH_DATABASE_URL)
 *   BENCH_TICKETS=100000 BENCH_SKIP_PG=1 npx tsx bench/service-desk.ts
 */
import { sql } from 'drizzle-orm';
import { queryRows, ts, type Database } from '../server/db/client.js';
import { dueClocks } from '../server/modules/service-desk/index.js';
import {
  decideDispatch,
  dispatchTiers,
  ticketKinds,
  severities,
  channels,
  type Candidate,
  type DispatchInput,
  type TeamInfo,
} from '../server/modules/service-desk/dispatch.domain.js';
import { onBothDatabases } from './lib.js';

const N = Number(process.env.BENCH_TICKETS ?? 1_000_000);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))];

// ---- 1. dispatch decisions per second

function dispatchBench() {
  const person = (i: number, skills: string[] = []): Candidate => ({
    id: `u${i}`,
    name: `工程师${i}`,
    skills,
    openTickets: (i * 7) % 13,
    active: i % 17 !== 0,
  });
  const team = (id: string, kind: TeamInfo['kind'], from: number, industry: string | null = null): TeamInfo => ({
    id,
    name: id,
    kind,
    industry,
    members: Array.from({ length: 12 }, (_, k) => person(from + k, k % 3 ? ['工单管理'] : ['备件管理', 'IoT 远程运维'])),
  });
  const teams = [
    team('desk', 'service_desk', 0),
    team('expert', 'expert', 20),
    team('delivery', 'delivery', 40),
    team('med', 'industry_center', 60, '医疗器械'),
  ];
  const inputs: DispatchInput[] = [];
  for (const tier of dispatchTiers)
    for (const kind of ticketKinds)
      for (const [i, industry] of ['工程机械', '医疗器械'].entries())
        inputs.push({
          tier,
          kind,
          severity: severities[i + 1],
          channel: channels[i],
          product: i ? '备件管理' : null,
          account: { name: '华东重工', industry, seats: { csmId: person(90), deliveryId: person(41), afterSalesId: person(1), salesId: person(91) } },
          teams,
          implementers: [person(80), person(81)],
        });
  for (let i = 0; i < 20_000; i++) decideDispatch(inputs[i % inputs.length]); // warm up
  const n = 300_000;
  const t0 = performance.now();
  let owners = 0;
  for (let i = 0; i < n; i++) if (decideDispatch(inputs[i % inputs.length]).ownerId) owners++;
  const secs = (performance.now() - t0) / 1000;
  console.log(
    `dispatch: ${n.toLocaleString()} decisions (${inputs.length} tier × kind × industry cases, 4 teams of 12) in ${secs.toFixed(2)} s = ${Math.round(n / secs).toLocaleString()} decisions/s (${owners === n ? 'all' : owners} assigned)`,
  );
}

// ---- 2. the breach scan over N tickets

async function fill(d: Database) {
  const db = d.db;
  const t0 = performance.now();
  const [ws] = await queryRows<{ id: string }>(db, sql`insert into workspaces (name, slug) values ('bench', ${`bench-${Date.now()}`}) returning id`);
  const [u] = await queryRows<{ id: string }>(
    db,
    sql`insert into users (workspace_id, email, name, role, password_hash) values (${ws.id}, ${`sd-bench-${Date.now()}@bench.test`}, 'bench', 'after_sales', 'x') returning id`,
  );
  await db.execute(sql`insert into accounts (workspace_id, name, industry, region, fiscal_year, tier, model_tier)
    select ${ws.id}, 'bench-' || g, '制造', '华东', 2026, (array['A','B','C','D','E'])[1 + g % 5], 'D' from generate_series(1, 200) g`);
  const accs = await queryRows<{ id: string }>(db, sql`select id from accounts where workspace_id = ${ws.id} order by id`);
  const accArr = sql.raw(`array[${accs.map((a) => `'${a.id}'::uuid`).join(',')}]`);
  const now = new Date('2026-11-23T03:00:00Z');
  const chunk = 100_000;
  for (let from = 1; from <= N; from += chunk) {
    const to = Math.min(N, from + chunk - 1);
    // tickets opened over the last 60 days; 90 % resolved
    await db.execute(sql`insert into tickets (workspace_id, account_id, title, description, kind, severity, channel, requester_kind, requester_user_id, requester_name,
        status, owner_id, tier_at_creation, priority, dispatch_rule, dispatch_reason, policy, created_at, resolved_at)
      select ${ws.id}, (${accArr})[1 + g % 200], '工单 ' || g, 'bench', 'product_issue', 'medium', 'phone', 'staff', ${u.id}, 'bench',
        case when g % 10 = 0 then 'in_progress' else 'closed' end, ${u.id}, 'B', 'P3', 'normal.product_issue', '{"zh-CN":"","en":""}'::jsonb,
        '{"tier":"B","severity":"medium","firstResponseMinutes":480,"nextResponseMinutes":960,"resolutionMinutes":4800,"warnPct":80}'::jsonb,
        ${ts(now)} - (g % 86400) * interval '1 minute', case when g % 10 = 0 then null else ${ts(now)} end
      from generate_series(${from}::int, ${to}::int) g`);
  }
  // two clocks per ticket: first response (met for nearly all) and resolution (met for the resolved 90 %);
  // the open 10 %: due dates spread ±30 days around now, a third of the overdue ones already breached
  await db.execute(sql`insert into sla_clocks (workspace_id, ticket_id, kind, target_minutes, started_at, met_at, due_at, warn_at, breached_at)
    select t.workspace_id, t.id, 'first_response', 480, t.created_at,
      case when t.status = 'closed' or t.number % 7 <> 0 then t.created_at + interval '2 hours' end,
      case when t.status = 'closed' or t.number % 7 <> 0 then null else ${ts(now)} + ((t.number % 2001) - 1000) * interval '43 minutes' end,
      null, null
    from tickets t where t.workspace_id = ${ws.id}`);
  await db.execute(sql`insert into sla_clocks (workspace_id, ticket_id, kind, target_minutes, started_at, met_at, due_at, warn_at, breached_at)
    select t.workspace_id, t.id, 'resolution', 4800, t.created_at, t.resolved_at,
      case when t.resolved_at is null then ${ts(now)} + ((t.number % 1999) - 1000) * interval '43 minutes' end, null,
      case when t.resolved_at is null and t.number % 3 = 0 and (t.number % 1999) < 1000 then ${ts(now)} - interval '1 day' end
    from tickets t where t.workspace_id = ${ws.id}`);
  await db.execute(sql`analyze sla_clocks`);
  await db.execute(sql`analyze tickets`);
  const [c] = await queryRows<{ tickets: number; clocks: number; due: number }>(
    db,
    sql`select (select count(*)::int from tickets where workspace_id = ${ws.id}) as tickets, (select count(*)::int from sla_clocks where workspace_id = ${ws.id}) as clocks,
        (select count(*)::int from sla_clocks where due_at <= ${ts(now)} and breached_at is null and met_at is null) as due`,
  );
  console.log(
    `  filled ${c.tickets.toLocaleString()} tickets, ${c.clocks.toLocaleString()} clocks (${c.due.toLocaleString()} due and unbreached) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  return now;
}

async function scanBench(kind: string, d: Database) {
  console.log(`breach scan on ${kind}:`);
  const now = await fill(d);
  const raw = (limit: number) =>
    queryRows<{ id: string; ticket_id: string; workspace_id: string; due_at: Date }>(
      d.db,
      sql`select id, ticket_id, workspace_id, due_at from sla_clocks
          where due_at <= ${now.toISOString()}::timestamptz and breached_at is null and met_at is null and due_at is not null
          order by due_at limit ${limit}`,
    );
  const a = await dueClocks(d.db, now, 1000);
  const b = await raw(1000);
  const same = a.length === b.length && a.every((x, i) => x.id === b[i].id);
  const runs = 30;
  const tService: number[] = [];
  const tRaw: number[] = [];
  for (let i = 0; i < runs; i++) {
    let t = performance.now();
    await dueClocks(d.db, now, 1000);
    tService.push(performance.now() - t);
    t = performance.now();
    await raw(1000);
    tRaw.push(performance.now() - t);
  }
  const plan = await queryRows<Record<string, string>>(
    d.db,
    sql`explain select id from sla_clocks where due_at <= ${now.toISOString()}::timestamptz and breached_at is null and met_at is null and due_at is not null order by due_at limit 1000`,
  );
  console.log(`  rows: ${a.length} (service) vs ${b.length} (raw SQL), identical: ${same}`);
  console.log(`  service query (dueClocks, Drizzle): median ${median(tService).toFixed(2)} ms, p95 ${p95(tService).toFixed(2)} ms`);
  console.log(`  raw SQL:                            median ${median(tRaw).toFixed(2)} ms, p95 ${p95(tRaw).toFixed(2)} ms`);
  console.log(`  plan: ${plan.map((r) => String(Object.values(r)[0]).trim()).join(' ← ')}`);
  if (!same) process.exitCode = 1;
}

async function main() {
  dispatchBench();
  await onBothDatabases('sd', scanBench);
}

void main();
