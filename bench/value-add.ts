/**
 * Value-add benchmarks (issue 4), not part of `npm test`:
 *  1. contended bookings per second on PostgreSQL — many workers booking against ONE account's budget —
 *     with the invariant checked after the run (no overspend, committed = opening + Σ booked, exact count);
 *  2. the input/output ranking over 10,000 accounts: the service (one aggregate query + ranking and
 *     flags in code) against the same ranking done entirely in raw SQL, on PostgreSQL and on PGlite.
 *
 *   npx tsx bench/value-add.ts            (PostgreSQL at BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test)
 *   BENCH_SKIP_PG=1 npx tsx bench/value-add.ts   (PGlite only)
 */
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { openPglite, openPostgres, queryRows, type Database, type Db } from '../server/db/client.js';
import type { StaffActor } from '../server/platform/actor.js';
import { accounts } from '../server/modules/accounts/accounts.table.js';
import { users, workspaces } from '../server/modules/people/people.table.js';
import { bookServiceProduct, ensureSetup } from '../server/modules/value-add/index.js';
import { getInputOutput, inputOutputQuery } from '../server/modules/reporting/index.js';
import { catalogItems } from '../server/modules/value-add/value-add.table.js';
import { DEFAULT_TIMEZONE } from '../server/platform/time.js'; // the bench workspace's zone (the column default)

const PG_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const FY = new Date().getUTCFullYear();

async function workspaceWithUser(db: Db, slug: string): Promise<StaffActor> {
  const [ws] = await db
    .insert(workspaces)
    .values({ name: `bench ${slug}`, slug })
    .returning();
  const [u] = await db
    .insert(users)
    .values({ workspaceId: ws.id, email: `${slug}@bench.test`, name: 'bench', role: 'manager', passwordHash: 'x' })
    .returning();
  await db.transaction((tx) => ensureSetup(tx, ws.id));
  return { kind: 'staff', workspaceId: ws.id, userId: u.id, name: 'bench', role: 'manager', channelPartnerId: null, locale: 'en' };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

// ---- 1. contended bookings on PostgreSQL

async function contended(d: Database, actor: StaffActor, o: { workers: number; attempts: number; fits: number; cost: number }) {
  const db = d.db;
  const [item] = await db
    .insert(catalogItems)
    .values({
      workspaceId: actor.workspaceId,
      menu: 'free_expert',
      code: `free_expert.bench_${crypto.randomUUID().slice(0, 8)}`,
      position: 99,
      nameZh: '压测服务',
      nameEn: 'Bench service',
      executorRole: 'expert',
      pricing: 'free',
      internalCostMinor: o.cost,
      tasks: ['capture'],
      eligibleTiers: ['A', 'C'],
    })
    .returning();
  // budget = target × 2% = exactly `fits` bookings
  const [acc] = await db
    .insert(accounts)
    .values({
      workspaceId: actor.workspaceId,
      name: `bench-hot-${crypto.randomUUID().slice(0, 8)}`,
      industry: '制造',
      region: '华东',
      fiscalYear: FY,
      tier: 'A',
      modelTier: 'A',
      revenueTargetMinor: o.cost * o.fits * 50,
    })
    .returning();
  let next = 0;
  let ok = 0;
  let refused = 0;
  let other = 0;
  const lat: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: o.workers }, async () => {
      while (next < o.attempts) {
        next++;
        const t0 = performance.now();
        try {
          await bookServiceProduct(db, actor, acc.id, { catalogItemId: item.id });
          ok++;
        } catch (e) {
          if ((e as { code?: string }).code === 'conflict') refused++;
          else {
            other++;
            if (other < 3) console.error(e);
          }
        }
        lat.push(performance.now() - t0);
      }
    }),
  );
  const secs = (performance.now() - started) / 1000;
  const [inv] = await queryRows<{ budget: string; committed: string; remaining: string; booked: number; sum: string; tasks: number }>(
    db,
    sql`select b.budget_minor + b.extra_minor as budget, b.committed_minor as committed, b.remaining_minor as remaining,
               (select count(*)::int from value_add_bookings where account_id = ${acc.id} and status = 'booked') as booked,
               (select coalesce(sum(amount_minor), 0) from value_add_bookings where account_id = ${acc.id} and status = 'booked') as sum,
               (select count(*)::int from value_add_tasks where account_id = ${acc.id}) as tasks
        from account_budgets b where b.account_id = ${acc.id}`,
  );
  const invariant =
    Number(inv.remaining) >= 0 &&
    Number(inv.committed) === Number(inv.sum) &&
    Number(inv.committed) <= Number(inv.budget) &&
    inv.booked === ok &&
    inv.tasks === ok &&
    ok === Math.min(o.fits, o.attempts) &&
    other === 0;
  console.log(
    `  ${o.workers} workers, ${o.attempts} bookings, budget fits ${o.fits}: ${Math.round(o.attempts / secs)} bookings/s ` +
      `(${ok} booked, ${refused} refused with 409, ${other} errors) · latency p50 ${median(lat).toFixed(1)} ms, p95 ${pct(lat, 0.95).toFixed(1)} ms · ` +
      `invariant ${invariant ? 'HOLDS' : 'BROKEN'} (remaining ${inv.remaining}, committed ${inv.committed} = Σ booked ${inv.sum})`,
  );
  if (!invariant) process.exitCode = 1;
}

// ---- 2. input/output over 10,000 accounts

async function seedAccounts(db: Db, actor: StaffActor, n: number) {
  const ws = actor.workspaceId;
  await db.execute(sql`
    insert into accounts (workspace_id, name, industry, region, fiscal_year, tier, model_tier, revenue_target_minor)
    select ${ws}, 'bench-' || g, '制造', '华东', ${FY}, t, t, ((g % 50) + 1) * 100000000::bigint
    from (select g, case g % 3 when 0 then 'A' when 1 then 'C' else 'B' end as t from generate_series(1, ${n}) g) x`);
  await db.execute(sql`
    insert into account_budgets (workspace_id, account_id, fiscal_year, target_minor, ratio_bp, budget_minor, committed_minor)
    select workspace_id, id, fiscal_year, revenue_target_minor, 200, revenue_target_minor * 2 / 100,
           case when abs(hashtext(id::text)) % 5 = 0 then 0 else (abs(hashtext(id::text)) % 1000) * (revenue_target_minor * 2 / 100) / 1000 end
    from accounts where workspace_id = ${ws} and tier in ('A', 'C')`);
  await db.execute(sql`
    insert into opportunities (workspace_id, account_id, title, source_kind, captured_by_id, amount_minor, stage, lost_reason)
    select workspace_id, id, 'bench opportunity', 'visit', ${actor.userId}, amt, st, case when st = 'lost' then 'bench' end
    from (select a.workspace_id, a.id, abs(hashtext(a.id::text || k)) % 500000000 as amt,
                 (array['captured','incubating','handed_to_sales','won','lost'])[1 + abs(hashtext(a.id::text || k || 's')) % 5] as st,
                 abs(hashtext(a.id::text || k || 'keep')) % 3 as keep
          from accounts a, generate_series(1, 3) k where a.workspace_id = ${ws}) x
    where keep <> 0`);
}

/** The whole ranking in SQL: the same aggregate, median-based flags and ordering as the domain code. */
function rawRankingQuery(ws: string) {
  return sql`
    with base as (${inputOutputQuery(ws, FY, null, DEFAULT_TIMEZONE)}),
    m as (select *, case when spend > 0 then round(captured::numeric / spend, 2) end as multiple from base),
    stats as materialized (select percentile_cont(0.5) within group (order by spend) as med_spend,
                     percentile_cont(0.5) within group (order by captured::float8 / spend) as med_mult
              from base where spend > 0)
    select m.id, m.multiple::float8 as multiple,
           (m.multiple is not null and m.spend >= s.med_spend and (m.captured = 0 or m.multiple < s.med_mult / 2)) as flagged,
           row_number() over (order by m.multiple is null, m.multiple desc, m.captured desc, m.id::text collate "C") as rank
    from m cross join stats s order by rank`;
}

async function ranking(d: Database, label: string, actor: StaffActor) {
  const runs = 15;
  const svc: number[] = [];
  const raw: number[] = [];
  let a: Awaited<ReturnType<typeof getInputOutput>> | null = null;
  let b: { id: string; multiple: number | null; flagged: boolean; rank: number }[] = [];
  for (let i = 0; i < runs + 2; i++) {
    let t0 = performance.now();
    a = await getInputOutput(d.db, actor, { fiscalYear: FY });
    if (i >= 2) svc.push(performance.now() - t0);
    t0 = performance.now();
    b = await queryRows(d.db, rawRankingQuery(actor.workspaceId));
    if (i >= 2) raw.push(performance.now() - t0);
  }
  const same =
    a!.items.length === b.length &&
    a!.items.every(
      (x, i) => x.accountId === b[i].id && x.multiple === (b[i].multiple === null ? null : Number(b[i].multiple)) && x.flagged === b[i].flagged,
    );
  console.log(
    `  ${label}: ${a!.items.length} ranked accounts (${a!.totals.flagged} flagged) · service p50 ${median(svc).toFixed(1)} ms (p95 ${pct(svc, 0.95).toFixed(1)}) · ` +
      `raw SQL p50 ${median(raw).toFixed(1)} ms (p95 ${pct(raw, 0.95).toFixed(1)}) · same ranking and flags: ${same ? 'yes' : 'NO'}`,
  );
  if (!same) process.exitCode = 1;
}

async function main() {
  const N = Number(process.env.BENCH_ACCOUNTS ?? 10_000);
  if (!process.env.BENCH_SKIP_PG) {
    const name = `kw_bench_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const u = new URL(PG_URL);
    u.pathname = `/${name}`;
    const d = await openPostgres(u.toString(), { max: 40 });
    try {
      await d.migrate();
      const actor = await workspaceWithUser(d.db, 'pg');
      console.log('PostgreSQL — contended bookings on one account budget:');
      await contended(d, actor, { workers: 32, attempts: 2000, fits: 2000, cost: 100_00 });
      await contended(d, actor, { workers: 32, attempts: 2000, fits: 500, cost: 100_00 });
      await contended(d, actor, { workers: 8, attempts: 1000, fits: 1000, cost: 100_00 });
      const io = await workspaceWithUser(d.db, 'pgio');
      const t0 = performance.now();
      await seedAccounts(d.db, io, N);
      console.log(`PostgreSQL — input/output ranking (${N} accounts seeded in ${Math.round(performance.now() - t0)} ms):`);
      await d.db.execute(sql`analyze`);
      await ranking(d, 'PostgreSQL', io);
    } finally {
      await d.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  }
  const p = await openPglite({});
  try {
    await p.migrate();
    const io = await workspaceWithUser(p.db, 'pglite');
    const t0 = performance.now();
    await seedAccounts(p.db, io, N);
    console.log(`PGlite — input/output ranking (${N} accounts seeded in ${Math.round(performance.now() - t0)} ms):`);
    await ranking(p, 'PGlite', io);
  } finally {
    await p.close();
  }
}

await main();
