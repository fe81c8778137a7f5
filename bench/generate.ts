/**
 * The large workspace for the hot-path benchmarks at scale (issue 9), not part of `npm test`.
 * Fills ONE workspace, on PGlite (a folder on disk) and on PostgreSQL (database `kw_bench_scale`), with
 * (at BENCH_SCALE=1):
 *
 *   10,000 accounts  tiers A 2 % · B 8 % · C 15 % · D 35 % · E 40 %, every stage, dates over ~3 years
 *   200,000 contacts, 2,000,000 tickets, 500,000 opportunities — spread by account weight
 *                    (A ≈ 40×, B 12×, C 5×, D 2×, E 1×, ±50 % noise: big accounts have most tickets)
 *   10,000,000 activity events, over the tables that record things happening to accounts:
 *       ticket_history      6,000,000  (3 per ticket: created, assigned, last status change)
 *       audit_log           2,000,000  (staff edits to tickets, accounts, contacts, opportunities)
 *       opportunity_events  1,000,000  (2 per opportunity: captured, then its move to the current stage)
 *       portal_signals        800,000  (key persons viewing / requesting / discussing in the portal)
 *       behaviour_facts       200,000  (what the team learned about the customer's buying behaviour)
 *   plus what the hot paths read alongside, not counted as events: 2 SLA clocks per ticket (first response,
 *   resolution: 4,000,000), a CSAT answer for 10 % of closed tickets, key-moment events for complaints,
 *   one portal login per account, iron-triangle seats, relationship links and assessments, tier / stage /
 *   ladder history, value-add settings and this year's budgets for A–C accounts.
 *
 * Every row goes in set-based (`insert … select … from generate_series`) in chunks, after `migrate()`, so
 * every constraint and foreign key of the schema holds; then ANALYZE. The data is kept and reused:
 *   npx tsx bench/generate.ts                 generate where missing (PGlite and PostgreSQL)
 *   npx tsx bench/generate.ts --fresh         regenerate
 *   BENCH_SCALE=0.05 npx tsx bench/generate.ts   5 % of every size (a different scale regenerates)
 *   BENCH_SKIP_PGLITE=1 / BENCH_SKIP_PG=1     one database only
 *   BENCH_DATABASE_URL                        the PostgreSQL server (default postgres://postgres@127.0.0.1:5432/test)
 * PGlite lives in bench/.data/scale-pglite (gitignored); PostgreSQL in the database kw_bench_scale (kept).
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { sql, type SQL } from 'drizzle-orm';
import pg from 'pg';
import { openPglite, openPostgres, queryRows, type Database, type Db } from '../server/db/client.js';
import { ensureSetup } from '../server/modules/value-add/index.js';
import { PG_URL } from './lib.js';

export const SCALE = Number(process.env.BENCH_SCALE ?? argValue('--scale') ?? 1);
export const PGLITE_DIR = path.resolve(path.dirname(new URL(import.meta.url).pathname), '.data', 'scale-pglite');
export const PG_DB = 'kw_bench_scale';

function argValue(name: string) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

export const sizes = (s = SCALE) => {
  const r = (n: number) => Math.max(1, Math.round(n * s));
  return {
    accounts: Math.max(50, r(10_000)),
    contacts: r(200_000),
    tickets: r(2_000_000),
    opportunities: r(500_000),
    ticketHistory: 3 * r(2_000_000),
    audit: r(2_000_000),
    opportunityEvents: 2 * r(500_000),
    portalSignals: r(800_000),
    behaviourFacts: r(200_000),
  };
};

export type Meta = { scale: number; workspaceId: string; now: string; generatedAt: string; seconds: number; counts: Record<string, number> };

// ---- progress on stderr: one line rewritten with \r on a terminal, one line per step otherwise

class Progress {
  private readonly tty = !!process.stderr.isTTY;
  private readonly t0 = performance.now();
  private stepT0 = performance.now();
  private done = 0;
  constructor(
    private readonly label: string,
    private readonly total: number,
  ) {}
  private line(step: string, stepDone: number, stepTotal: number) {
    const pct = this.total ? Math.min(1, this.done / this.total) : 1;
    const w = 30;
    const bar = '#'.repeat(Math.round(pct * w)).padEnd(w, '-');
    const secs = ((performance.now() - this.t0) / 1000).toFixed(0);
    return `${this.label} [${bar}] ${(pct * 100).toFixed(0).padStart(3)}% ${step} ${stepDone.toLocaleString()}/${stepTotal.toLocaleString()} · ${secs} s`;
  }
  start() {
    this.stepT0 = performance.now();
  }
  tick(step: string, rows: number, stepDone: number, stepTotal: number) {
    this.done += rows;
    if (this.tty) process.stderr.write(`\r${this.line(step, stepDone, stepTotal)}\x1b[K`);
  }
  step(step: string, rows: number) {
    const s = ((performance.now() - this.stepT0) / 1000).toFixed(1);
    if (this.tty) process.stderr.write(`\r${this.line(step, rows, rows)} (${s} s)\x1b[K\n`);
    else process.stderr.write(`${this.line(step, rows, rows)} (${s} s)\n`);
    this.stepT0 = performance.now();
  }
}

// ---- opening (and creating) the two databases

export async function openScaleDb(kind: 'pglite' | 'postgres', opts: { fresh?: boolean } = {}): Promise<Database> {
  if (kind === 'pglite') {
    if (opts.fresh) fs.rmSync(PGLITE_DIR, { recursive: true, force: true });
    fs.mkdirSync(PGLITE_DIR, { recursive: true });
    const d = await openPglite({ dataDir: PGLITE_DIR });
    await d.migrate();
    return d;
  }
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  try {
    if (opts.fresh) await admin.query(`drop database if exists ${PG_DB} with (force)`);
    const { rows } = await admin.query('select 1 from pg_database where datname = $1', [PG_DB]);
    if (!rows.length) await admin.query(`create database ${PG_DB}`);
  } finally {
    await admin.end();
  }
  const u = new URL(PG_URL);
  u.pathname = `/${PG_DB}`;
  const d = await openPostgres(u.toString(), { max: 40 });
  await d.migrate();
  return d;
}

export async function readMeta(db: Db): Promise<Meta | null> {
  const [t] = await queryRows<{ t: string | null }>(db, sql`select to_regclass('bench_scale_meta')::text as t`);
  if (!t.t) return null;
  const [r] = await queryRows<{ v: Meta }>(db, sql`select v from bench_scale_meta where k = 'meta'`);
  return r ? r.v : null;
}

/**
 * Opens the scale database of that kind, generating it first if it is missing, incomplete, of another
 * scale, or `fresh` is asked. Returns the database and what was generated.
 */
export async function ensureScaleData(
  kind: 'pglite' | 'postgres',
  opts: { fresh?: boolean; scale?: number } = {},
): Promise<{ d: Database; meta: Meta; generated: boolean }> {
  const scale = opts.scale ?? SCALE;
  let d = await openScaleDb(kind, { fresh: opts.fresh });
  const meta = opts.fresh ? null : await readMeta(d.db);
  if (meta && meta.scale === scale) return { d, meta, generated: false };
  if (meta || (await hasWorkspace(d.db))) {
    console.error(`${kind}: ${meta ? `data of scale ${meta.scale}` : 'incomplete data'} found; regenerating at scale ${scale}`);
    await d.close();
    d = await openScaleDb(kind, { fresh: true });
  }
  const m = await generate(d, kind, scale);
  return { d, meta: m, generated: true };
}

async function hasWorkspace(db: Db) {
  const [r] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from workspaces`);
  return r.n > 0;
}

// ---- the generator

const n = (x: number) => sql.raw(String(Math.trunc(x)));
const uuidArr = (ids: string[]) => sql.raw(`array[${ids.map((i) => `'${i}'::uuid`).join(',')}]`);
/** A deterministic pseudo-random fraction in [0, 1) of a row number and a salt (independent-looking per salt). */
const H_FN = sql`create or replace function bench_h(x bigint, s int) returns float8 language sql immutable parallel safe as
  $$ select (((x + s * 7777) * (2654435761 + s * 7919) + s * 104729) % 1000003)::float8 / 1000003 $$`;

type AccRow = { n: number; w: number };

/** Splits per-account counts into consecutive account ranges of at most `chunk` rows. */
function chunksOf(accs: { n: number; count: number }[], chunk: number) {
  const out: { lo: number; hi: number; rows: number }[] = [];
  let cur: { lo: number; hi: number; rows: number } | null = null;
  for (const a of accs) {
    if (!cur || (cur.rows + a.count > chunk && cur.rows > 0)) {
      cur = { lo: a.n, hi: a.n, rows: 0 };
      out.push(cur);
    }
    cur.hi = a.n;
    cur.rows += a.count;
  }
  return out;
}

/** Spreads `total` over the accounts by weight, exactly (cumulative rounding); each gets at least `min`. */
function spread(accs: AccRow[], total: number, weight: (a: AccRow) => number, min = 0) {
  const rest = Math.max(0, total - min * accs.length);
  const W = accs.reduce((s, a) => s + weight(a), 0);
  let cum = 0;
  return accs.map((a, i) => {
    const before = Math.floor((rest * cum) / W);
    cum += weight(a);
    const after = i === accs.length - 1 ? rest : Math.floor((rest * cum) / W);
    return min + after - before;
  });
}

export async function generate(d: Database, kind: string, scale = SCALE): Promise<Meta> {
  const db = d.db;
  const S = sizes(scale);
  const t0 = performance.now();
  const now = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000); // the hour: "now" of the data
  const NOW = sql.raw(`'${now.toISOString()}'::timestamptz`);
  const fy = now.getUTCFullYear();
  const total =
    S.accounts * 3 +
    S.contacts +
    S.tickets * 3.1 +
    S.opportunities +
    S.ticketHistory +
    S.audit +
    S.opportunityEvents +
    S.portalSignals +
    S.behaviourFacts;
  const p = new Progress(kind, total);
  console.error(
    `${kind}: generating scale ${scale} (${S.accounts.toLocaleString()} accounts, ${S.tickets.toLocaleString()} tickets, ${(S.ticketHistory + S.audit + S.opportunityEvents + S.portalSignals + S.behaviourFacts).toLocaleString()} events)`,
  );

  await db.execute(H_FN);
  await db.execute(sql`create table if not exists bench_scale_meta (k text primary key, v jsonb not null)`);

  // 1. workspace, people, teams
  p.start();
  const [ws] = await queryRows<{ id: string }>(
    db,
    sql`insert into workspaces (name, slug) values ('规模压测 scale bench', 'scale-bench') returning id`,
  );
  const W = ws.id;
  const roles: [string, number][] = [
    ['admin', 1],
    ['manager', 6],
    ['sales', 40],
    ['delivery', 30],
    ['after_sales', 150],
    ['csm', 40],
    ['expert', 20],
  ];
  let from = 1;
  for (const [role, count] of roles) {
    await db.execute(sql`insert into users (workspace_id, email, name, role, password_hash, skills)
      select ${W}, ${role} || '-' || g || '@scale.bench', ${role} || ' ' || g, ${role}, 'x', case when g % 3 = 0 then array['备件管理'] else array['工单管理'] end
      from generate_series(${n(from)}, ${n(from + count - 1)}) g`);
    from += count;
  }
  const byRole = async (role: string) =>
    (await queryRows<{ id: string }>(db, sql`select id from users where workspace_id = ${W} and role = ${role} order by email`)).map((r) => r.id);
  const [managers, sales, delivery, engineers, csms, experts] = await Promise.all(
    ['manager', 'sales', 'delivery', 'after_sales', 'csm', 'expert'].map(byRole),
  );
  await db.execute(
    sql`update users set manager_id = (${uuidArr(managers)})[1 + (abs(hashtext(email)) % ${n(managers.length)})] where workspace_id = ${W} and role not in ('admin','manager')`,
  );
  const teamDefs: [string, string, string | null][] = [
    ['一线服务台 1', 'service_desk', null],
    ['一线服务台 2', 'service_desk', null],
    ['一线服务台 3', 'service_desk', null],
    ['一线服务台 4', 'service_desk', null],
    ['专家组 A', 'expert', null],
    ['专家组 B', 'expert', null],
    ['交付中心', 'delivery', null],
    ['医疗器械行业中心', 'industry_center', '医疗器械'],
  ];
  const teamIds: string[] = [];
  for (const [i, [name, k, industry]] of teamDefs.entries()) {
    const [t] = await queryRows<{ id: string }>(
      db,
      sql`insert into teams (workspace_id, name, kind, industry, lead_id) values (${W}, ${name}, ${k}, ${industry}, ${managers[i % managers.length]}) returning id`,
    );
    teamIds.push(t.id);
  }
  const sdTeams = teamIds.slice(0, 4);
  await db.execute(
    sql`insert into team_members (workspace_id, team_id, user_id) select ${W}, (${uuidArr(sdTeams)})[1 + (e.i - 1) % 4], e.id from unnest(${uuidArr(engineers)}) with ordinality e(id, i)`,
  );
  await db.execute(
    sql`insert into team_members (workspace_id, team_id, user_id) select ${W}, (${uuidArr(teamIds.slice(4, 6))})[1 + (e.i - 1) % 2], e.id from unnest(${uuidArr(experts)}) with ordinality e(id, i)`,
  );
  await db.execute(
    sql`insert into team_members (workspace_id, team_id, user_id) select ${W}, ${teamIds[6]}, e.id from unnest(${uuidArr(delivery)}) e(id)`,
  );
  await db.transaction((tx) => ensureSetup(tx, W));

  // 2. accounts, with a weight per account (tier × noise) that spreads everything else
  const A = S.accounts;
  await db.execute(sql`insert into accounts (workspace_id, name, industry, region, revenue_target_minor, fiscal_year, products, tags, on_time_payment_pct, order_amount_minor,
      prospect, profit_margin_pct, tier, model_tier, value_score, potential_score, stage, stage_entered_at, ladder, owner_id, sales_id, delivery_id, after_sales_id, csm_id, created_at, updated_at)
    select ${W}, x.name, x.industry, x.region, x.target, ${n(fy)}, array['工单管理'], x.tags, x.otp, x.target * 3, 1 + g % 5, -10 + g % 50, x.tier, x.tier,
      x.vs, (x.vs * 7 + g) % 101, x.stage, ${NOW} - (bench_h(g, 12) * least(x.age, 900)) * interval '1 day', x.ladder,
      (${uuidArr(sales)})[1 + g % ${n(sales.length)}], (${uuidArr(sales)})[1 + g % ${n(sales.length)}],
      case when x.tier in ('A','B','C') then (${uuidArr(delivery)})[1 + g % ${n(delivery.length)}] end,
      case when x.tier <> 'E' or g % 2 = 0 then (${uuidArr(engineers)})[1 + g % ${n(engineers.length)}] end,
      case when x.tier in ('A','B','C') then (${uuidArr(csms)})[1 + g % ${n(csms.length)}] end,
      ${NOW} - x.age * interval '1 day', ${NOW} - bench_h(g, 13) * 30 * interval '1 day'
    from (
      select g,
        (array['华东','华南','华北','西南','西北','华中','东北'])[1 + g % 7] || (array['重工','精密','医疗','能源','汽车','电子','化工','食品','物流','制药'])[1 + (g / 7) % 10]
          || (array['集团','股份','科技','实业'])[1 + (g / 70) % 4] || ' ' || lpad(g::text, 5, '0') as name,
        (array['工程机械','医疗器械','能源','汽车','电子','化工','食品','物流'])[1 + (g * 7) % 8] as industry,
        (array['华东','华南','华北','西南','西北','华中','东北'])[1 + g % 7] as region,
        t.tier,
        (case t.tier when 'A' then 5000000000 when 'B' then 1000000000 when 'C' then 300000000 when 'D' then 80000000 else 20000000 end * (0.5 + bench_h(g, 14)))::bigint as target,
        case t.tier when 'A' then 85 when 'B' then 70 when 'C' then 55 when 'D' then 35 else 15 end + (g % 15) as vs,
        case when g % 4 = 0 then null else 55 + (g % 46) end as otp,
        case when bench_h(g, 15) < .1 then 'handover' when bench_h(g, 15) < .25 then 'startup' when bench_h(g, 15) < .6 then 'adaptation' when bench_h(g, 15) < .9 then 'renewal' else 'churn' end as stage,
        (array['participant','supplier','key_supplier','strategic_partner'])[1 + least(3, (case t.tier when 'A' then 3 when 'B' then 2 when 'C' then 1 else 0 end) + (g % 2))] as ladder,
        case when g % 3 = 0 then array['重点'] when g % 3 = 1 then array['续约'] else '{}'::text[] end as tags,
        30 + bench_h(g, 16) * 1065 as age
      from generate_series(1, ${n(A)}) g
      cross join lateral (select case when g <= ${n(A * 0.02)} then 'A' when g <= ${n(A * 0.1)} then 'B' when g <= ${n(A * 0.25)} then 'C' when g <= ${n(A * 0.6)} then 'D' else 'E' end as tier) t
    ) x`);
  await db.execute(sql`create table bench_scale_acc (n int primary key, id uuid not null, tier text not null, w float8 not null, kp_id uuid, csm_id uuid, sales_id uuid, eng_id uuid,
      c0 int, cn int, t0 int, tn int, o0 int, onum int, s0 int, sn int, b0 int, bn int)`);
  await db.execute(sql`insert into bench_scale_acc (n, id, tier, w, csm_id, sales_id, eng_id)
    select substring(name from '[0-9]+$')::int, id, tier,
      case tier when 'A' then 40 when 'B' then 12 when 'C' then 5 when 'D' then 2 else 1 end * (0.5 + bench_h(substring(name from '[0-9]+$')::int, 17)),
      csm_id, sales_id, after_sales_id
    from accounts where workspace_id = ${W}`);
  const accs = await queryRows<AccRow>(db, sql`select n, w from bench_scale_acc order by n`);
  const cn = spread(accs, S.contacts, (a) => 3 + a.w, 3);
  const tn = spread(accs, S.tickets, (a) => a.w);
  const on = spread(accs, S.opportunities, (a) => a.w);
  const sn = spread(accs, S.portalSignals, (a) => a.w);
  const bn = spread(accs, S.behaviourFacts, (a) => 1 + a.w);
  const cum = (xs: number[]) => {
    let s = 0;
    return xs.map((v) => {
      s += v;
      return s - v;
    });
  };
  const arr = (xs: number[]) => sql.raw(`'{${xs.join(',')}}'::int[]`);
  await db.execute(sql`update bench_scale_acc b set c0 = v.c0, cn = v.cn, t0 = v.t0, tn = v.tn, o0 = v.o0, onum = v.onum, s0 = v.s0, sn = v.sn, b0 = v.b0, bn = v.bn
    from unnest(${arr(accs.map((a) => a.n))}, ${arr(cum(cn))}, ${arr(cn)}, ${arr(cum(tn))}, ${arr(tn)}, ${arr(cum(on))}, ${arr(on)}, ${arr(cum(sn))}, ${arr(sn)}, ${arr(cum(bn))}, ${arr(bn)})
      as v(n, c0, cn, t0, tn, o0, onum, s0, sn, b0, bn)
    where b.n = v.n`);
  p.tick('accounts', A, A, A);
  p.step('accounts', A);

  /** Inserts rows per account: `body(lo, hi)` selects from bench_scale_acc a (n between lo and hi) × its rows. */
  async function perAccount(step: string, counts: number[], chunk: number, body: (lo: SQL, hi: SQL) => SQL) {
    const totalRows = counts.reduce((s, v) => s + v, 0);
    let done = 0;
    for (const c of chunksOf(
      accs.map((a, i) => ({ n: a.n, count: counts[i] })),
      chunk,
    )) {
      await db.execute(body(n(c.lo), n(c.hi)));
      done += c.rows;
      p.tick(step, c.rows, done, totalRows);
    }
    p.step(step, totalRows);
  }
  /** Inserts rows per ticket, in ranges of ticket numbers. */
  let tmin = 0;
  let tmax = 0;
  async function perTicket(step: string, rowsPerTicket: number, chunk: number, body: (lo: SQL, hi: SQL) => SQL) {
    const count = tmax - tmin + 1;
    let done = 0;
    for (let lo = tmin; lo <= tmax; lo += chunk) {
      const hi = Math.min(tmax, lo + chunk - 1);
      await db.execute(body(n(lo), n(hi)));
      done += hi - lo + 1;
      p.tick(step, Math.round((hi - lo + 1) * rowsPerTicket), Math.round(done * rowsPerTicket), Math.round(count * rowsPerTicket));
    }
    p.step(step, Math.round(count * rowsPerTicket));
  }

  // 3. contacts (the first two of each account are key persons), a portal login per account, map links
  await perAccount(
    'contacts',
    cn,
    100_000,
    (
      lo,
      hi,
    ) => sql`insert into contacts (workspace_id, account_id, name, title, department, email, phone, side, org_groups, is_key_person, created_at, updated_at)
    select ${W}, a.id, '联系人 ' || (a.c0 + i), (array['总经理','IT 总监','运维经理','采购经理','工程师','财务经理'])[1 + (a.c0 + i) % 6],
      (array['信息中心','运营部','采购部','财务部'])[1 + (a.c0 + i) % 4], 'c' || (a.c0 + i) || '@customer.scale', '138' || lpad(((a.c0 + i) % 100000000)::text, 8, '0'),
      (array['business_head','operations_it','executive','other'])[1 + (a.c0 + i) % 4],
      case when i <= 2 then array['promotion_committee'] else '{}'::text[] end, i <= 2,
      ${NOW} - (400 + i) * interval '1 hour' * 24 * bench_h(a.c0 + i, 18) - i * interval '1 second', ${NOW} - bench_h(a.c0 + i, 19) * interval '300 days'
    from bench_scale_acc a cross join lateral generate_series(1, a.cn) i where a.n between ${lo} and ${hi}`,
  );
  p.start();
  await db.execute(sql`insert into key_person_logins (workspace_id, account_id, contact_id, email, password_hash)
    select distinct on (c.account_id) ${W}, c.account_id, c.id, 'kp-' || c.email, 'x' from contacts c where c.workspace_id = ${W} and c.is_key_person order by c.account_id, c.email`);
  await db.execute(sql`update bench_scale_acc b set kp_id = k.id from key_person_logins k where k.account_id = b.id`);
  await db.execute(sql`insert into relationship_links (workspace_id, account_id, user_id, our_side, contact_id, strength, last_contact_at)
    select ${W}, b.id, case s.side when 'sales' then b.sales_id else coalesce(b.csm_id, b.eng_id) end, s.side, c.id, 1 + (b.n + s.k) % 5,
      ${NOW} - bench_h(b.n * 3 + s.k, 20) * interval '200 days'
    from bench_scale_acc b cross join (values (1, 'sales'), (2, 'service')) s(k, side)
    join contacts c on c.workspace_id = ${W} and c.account_id = b.id and c.email = 'c' || (b.c0 + s.k) || '@customer.scale'
    where b.tier in ('A','B','C') and case s.side when 'sales' then b.sales_id else coalesce(b.csm_id, b.eng_id) end is not null`);
  // history of tiers, stages and the ladder; relationship assessments (two rounds); this year's budgets
  await db.execute(sql`insert into tier_history (workspace_id, account_id, from_tier, to_tier, source, value_score, potential_score, at)
    select ${W}, a.id, null, a.tier, 'created', a.value_score, a.potential_score, a.created_at from accounts a where a.workspace_id = ${W}`);
  await db.execute(sql`insert into tier_history (workspace_id, account_id, from_tier, to_tier, source, value_score, potential_score, at)
    select ${W}, a.id, (array['A','B','C','D','E'])[1 + (b.n + 1) % 5], a.tier, 'model', a.value_score, a.potential_score, ${NOW} - bench_h(b.n, 21) * interval '700 days'
    from accounts a join bench_scale_acc b on b.id = a.id where a.workspace_id = ${W} and b.n % 5 = 0`);
  await db.execute(sql`insert into stage_transitions (workspace_id, account_id, from_stage, to_stage, at)
    select ${W}, a.id, null, 'handover', a.created_at from accounts a where a.workspace_id = ${W}`);
  await db.execute(sql`insert into stage_transitions (workspace_id, account_id, from_stage, to_stage, at)
    select ${W}, a.id, 'handover', a.stage, a.stage_entered_at from accounts a where a.workspace_id = ${W} and a.stage <> 'handover'`);
  await db.execute(
    sql`insert into ladder_history (workspace_id, account_id, from_level, to_level, at) select ${W}, a.id, null, a.ladder, a.created_at from accounts a where a.workspace_id = ${W}`,
  );
  for (const [k, metric] of ['closeness', 'solution_acceptance', 'price_acceptance'].entries()) {
    await db.execute(sql`insert into relationship_assessments (workspace_id, account_id, metric, score, evidence, assessor_id, assessed_on)
      select ${W}, b.id, ${metric}, 1 + (b.n * ${n(k + 2)}) % 5, '季度评估', coalesce(b.csm_id, b.sales_id), (${NOW} at time zone 'Asia/Shanghai')::date - (b.n % 200)
      from bench_scale_acc b where b.n % 10 <> 0`);
    await db.execute(sql`insert into relationship_assessments (workspace_id, account_id, metric, score, evidence, assessor_id, assessed_on)
      select ${W}, b.id, ${metric}, 1 + (b.n * ${n(k + 3)}) % 5, '年度评估', coalesce(b.csm_id, b.sales_id), (${NOW} at time zone 'Asia/Shanghai')::date - 300 - (b.n % 50)
      from bench_scale_acc b where b.n % 2 = 0`);
  }
  await db.execute(sql`insert into account_budgets (workspace_id, account_id, fiscal_year, target_minor, ratio_bp, budget_minor, committed_minor)
    select ${W}, a.id, ${n(fy)}, a.revenue_target_minor, 200, a.revenue_target_minor * 2 / 100,
      case when b.n % 5 = 0 then 0 else floor(bench_h(b.n, 22) * (a.revenue_target_minor * 2 / 100))::bigint end
    from accounts a join bench_scale_acc b on b.id = a.id where a.workspace_id = ${W} and a.tier in ('A','B','C')`);
  p.tick('links, history, budgets', A * 2, A * 2, A * 2);
  p.step('links, history, budgets', A * 2);

  // 4. tickets: ages skewed to recent (age = 3 years × u²); ~4 % open (most of them recent)
  p.start();
  const engs = uuidArr(engineers);
  const E = n(engineers.length);
  await perAccount(
    'tickets',
    tn,
    50_000,
    (
      lo,
      hi,
    ) => sql`insert into tickets (workspace_id, account_id, title, description, kind, severity, channel, product, requester_kind, requester_user_id,
      requester_key_person_id, requester_name, status, owner_id, team_id, accountable_id, tier_at_creation, priority, dispatch_rule, dispatch_reason, policy,
      first_responded_at, resolved_at, closed_at, created_at, updated_at)
    select ${W}, y.account_id, y.kind_zh || ' #' || y.g, '规模压测工单', y.kind, y.severity, y.channel, '工单管理',
      case when y.channel = 'portal' then 'key_person' else 'staff' end, case when y.channel = 'portal' then null else y.eng end,
      case when y.channel = 'portal' then y.kp_id end, case when y.channel = 'portal' then '客户关键人' else '服务工程师' end,
      y.status, case when y.status = 'open' and y.r_st < .1 then null else y.eng end, y.team, case when y.tier in ('A','C') then y.csm_id end,
      y.tier, y.priority, 'normal.' || y.kind, '{"zh-CN":"按层级与类型派单","en":"dispatched by tier and kind"}'::jsonb,
      jsonb_build_object('tier', y.tier, 'severity', y.severity, 'firstResponseMinutes', y.fr_t, 'nextResponseMinutes', y.fr_t * 2, 'resolutionMinutes', y.res_t, 'warnPct', 80),
      case when y.status <> 'open' then least(y.created_at + y.fr_t * (y.r_fr / 0.95) * interval '1 minute', y.res_at, ${NOW} - interval '1 second') end,
      y.res_at, case when y.status = 'closed' then least(y.res_at + interval '3 days', ${NOW} - interval '1 second') end,
      y.created_at, coalesce(y.res_at, y.created_at)
    from (
      select x.*, case when x.status in ('resolved','closed') then least(x.created_at + x.res_t * (x.r_res / 0.92) * interval '1 minute', ${NOW} - interval '1 second') end as res_at
      from (
        select w.*,
          case w.severity when 'critical' then 30 when 'high' then 60 when 'medium' then 240 else 480 end as fr_t,
          case w.severity when 'critical' then 480 when 'high' then 1440 when 'medium' then 4800 else 9600 end as res_t,
          case when (w.age < 3 * 86400 and w.r_open < .5) or (w.age < 30 * 86400 and w.r_open < .08) or w.r_open < .003
               then case when w.r_st < .3 then 'open' when w.r_st < .8 then 'in_progress' else 'waiting_customer' end
               when w.age < 7 * 86400 then 'resolved' else 'closed' end as status
        from (
          select a.id as account_id, a.tier, a.kp_id, a.csm_id, v.g, v.age, v.eng, v.team, v.r_open, v.r_st, v.r_fr, v.r_res,
            ${NOW} - v.age * interval '1 second' - (v.g % 997) * interval '1 millisecond' as created_at,
            case when v.r_sev < .03 then 'critical' when v.r_sev < .18 then 'high' when v.r_sev < .68 then 'medium' else 'low' end as severity,
            case when v.r_sev < .03 then 'P1' when v.r_sev < .18 then 'P2' when v.r_sev < .68 then 'P3' else 'P4' end as priority,
            case when v.r_kind < .6 then 'product_issue' when v.r_kind < .78 then 'expert_request' when v.r_kind < .88 then 'customisation' when v.r_kind < .93 then 'complaint' else 'new_need' end as kind,
            case when v.r_kind < .6 then '产品问题' when v.r_kind < .78 then '专家请求' when v.r_kind < .88 then '定制需求' when v.r_kind < .93 then '投诉' else '新需求' end as kind_zh,
            case when v.r_ch < .35 then 'portal' when v.r_ch < .6 then 'phone' when v.r_ch < .85 then 'email' when v.r_ch < .9 then 'meeting' else 'staff' end as channel
          from bench_scale_acc a
          cross join lateral generate_series(a.t0 + 1, a.t0 + a.tn) g
          cross join lateral (select g, 94608000 * power(bench_h(g, 1), 2) as age, bench_h(g, 2) as r_sev, bench_h(g, 3) as r_kind, bench_h(g, 4) as r_ch,
              (${engs})[1 + floor(bench_h(g, 5) * ${E})::int] as eng, (${uuidArr(sdTeams)})[1 + (floor(bench_h(g, 5) * ${E})::int % 4)] as team,
              bench_h(g, 6) as r_open, bench_h(g, 7) as r_st, bench_h(g, 8) as r_fr, bench_h(g, 9) as r_res) v
          where a.n between ${lo} and ${hi}
        ) w
      ) x
    ) y`,
  );
  const [tr] = await queryRows<{ lo: string; hi: string }>(
    db,
    sql`select min(number)::text as lo, max(number)::text as hi from tickets where workspace_id = ${W}`,
  );
  tmin = Number(tr.lo);
  tmax = Number(tr.hi);

  // 5. two SLA clocks per ticket; unmet past-due clocks of open tickets: 2/3 breached, 1/3 left for the scan
  await perTicket(
    'sla clocks',
    2,
    50_000,
    (
      lo,
      hi,
    ) => sql`insert into sla_clocks (workspace_id, ticket_id, kind, target_minutes, started_at, met_at, due_at, warn_at, warned_at, breached_at)
    select t.workspace_id, t.id, k.kind, k.target, t.created_at, k.met, k.due, k.warn,
      case when k.warn <= ${NOW} and (k.met is null or k.met > k.warn) then k.warn end,
      case when k.met is not null and k.met > k.due then k.due when k.met is null and k.due <= ${NOW} and t.number % 3 <> 0 then k.due end
    from tickets t
    cross join lateral (values ('first_response', (t.policy->>'firstResponseMinutes')::int, t.first_responded_at), ('resolution', (t.policy->>'resolutionMinutes')::int, t.resolved_at)) k0(kind, target, met)
    cross join lateral (select k0.kind, k0.target, k0.met, t.created_at + k0.target * interval '1 minute' as due, t.created_at + k0.target * interval '48 seconds' as warn) k
    where t.workspace_id = ${W} and t.number between ${lo} and ${hi}`,
  );
  // CSAT for 10 % of the finished tickets, key moments for complaints (not counted in the progress total precisely)
  await perTicket(
    'csat, key moments',
    0.1,
    200_000,
    (lo, hi) => sql`with c as (
      insert into csat_responses (workspace_id, ticket_id, account_id, owner_id, team_id, score, by_kind, by_name, at)
      select t.workspace_id, t.id, t.account_id, t.owner_id, t.team_id, 1 + floor(power(bench_h(t.number, 30), 0.5) * 5)::int, 'key_person', '客户关键人', t.resolved_at + interval '1 hour'
      from tickets t where t.workspace_id = ${W} and t.number between ${lo} and ${hi} and t.status in ('resolved','closed') and t.number % 10 = 3 and t.resolved_at + interval '1 hour' <= ${NOW}
      returning 1)
    insert into key_moment_events (workspace_id, account_id, ticket_id, cause, status, created_at)
    select t.workspace_id, t.account_id, t.id, 'complaint', case when t.status in ('resolved','closed') then 'done' else 'open' end, t.created_at
    from tickets t where t.workspace_id = ${W} and t.number between ${lo} and ${hi} and t.kind = 'complaint'`,
  );

  // 6. ticket history: created, assigned, the last status change
  await perTicket(
    'ticket_history',
    3,
    40_000,
    (
      lo,
      hi,
    ) => sql`insert into ticket_history (workspace_id, ticket_id, kind, from_owner_id, to_owner_id, from_status, to_status, reason, actor_kind, actor_id, actor_name, at)
    select t.workspace_id, t.id, case k when 1 then 'created' when 2 then 'assigned' else 'status' end,
      null, case when k = 2 then t.owner_id end,
      case when k = 3 then 'open' end, case when k = 3 then case when t.status = 'open' then 'in_progress' else t.status end end,
      case when k = 2 then t.dispatch_reason end,
      case when k = 1 and t.requester_kind = 'key_person' then 'key_person' when k = 2 then 'system' else 'staff' end,
      case when k = 3 then t.owner_id end, case when k = 2 then '系统' else '服务工程师' end,
      case k when 1 then t.created_at when 2 then t.created_at + interval '1 second' else coalesce(t.resolved_at, t.first_responded_at, t.created_at + interval '2 seconds') end
    from tickets t cross join generate_series(1, 3) k where t.workspace_id = ${W} and t.number between ${lo} and ${hi}`,
  );

  // 7. opportunities (older ones mostly won or lost) and their events
  await perAccount(
    'opportunities',
    on,
    100_000,
    (lo, hi) => sql`insert into opportunities (workspace_id, account_id, title, source_kind, captured_by_id, owner_id, amount_minor, product, stage,
      lost_reason, expected_close_on, handed_at, closed_at, created_at, updated_at)
    select ${W}, x.id, '商机 ' || x.g, x.source_kind, x.captured_by, x.sales_id, x.amount, '备件管理', x.stage,
      case when x.stage = 'lost' then '预算取消' end, to_char(x.created_at + interval '90 days', 'YYYY-MM-DD'),
      case when x.stage in ('handed_to_sales','won','lost') then x.created_at + interval '20 days' end,
      case when x.stage in ('won','lost') then least(x.created_at + interval '60 days', ${NOW}) end,
      x.created_at, x.created_at + interval '1 day'
    from (
      select a.id, a.sales_id, g, ${NOW} - 1095 * power(bench_h(g, 40), 1.5) * interval '1 day' - (g % 991) * interval '1 millisecond' as created_at,
        (array['ticket','meeting','value_add_task','portal_demand','visit','other'])[1 + floor(bench_h(g, 41) * 6)::int] as source_kind,
        coalesce(a.csm_id, a.eng_id, a.sales_id) as captured_by,
        (case a.tier when 'A' then 200000000 when 'B' then 50000000 when 'C' then 20000000 when 'D' then 5000000 else 1000000 end * (0.1 + 2 * bench_h(g, 42)))::bigint as amount,
        case when 1095 * power(bench_h(g, 40), 1.5) < 60
             then case when bench_h(g, 43) < .5 then 'captured' when bench_h(g, 43) < .85 then 'incubating' else 'handed_to_sales' end
             else case when bench_h(g, 43) < .35 then 'won' when bench_h(g, 43) < .65 then 'lost' when bench_h(g, 43) < .8 then 'handed_to_sales' when bench_h(g, 43) < .9 then 'incubating' else 'captured' end end as stage
      from bench_scale_acc a cross join lateral generate_series(a.o0 + 1, a.o0 + a.onum) g where a.n between ${lo} and ${hi}
    ) x`,
  );
  await perAccount(
    'opportunity_events',
    on.map((v) => 2 * v),
    100_000,
    (lo, hi) => sql`insert into opportunity_events (workspace_id, opportunity_id, from_stage, to_stage, note, actor_id, at)
    select o.workspace_id, o.id, case when k = 1 then null else 'captured' end, case when k = 1 then 'captured' else o.stage end,
      case when k = 2 and o.stage = 'captured' then '金额更新' end, o.captured_by_id,
      case when k = 1 then o.created_at else coalesce(o.closed_at, o.handed_at, o.created_at + interval '1 day') end
    from bench_scale_acc a join opportunities o on o.workspace_id = ${W} and o.account_id = a.id cross join generate_series(1, 2) k where a.n between ${lo} and ${hi}`,
  );

  // 8. portal signals and behaviour facts per account; the audit trail over the workspace
  await perAccount(
    'portal_signals',
    sn,
    100_000,
    (lo, hi) => sql`insert into portal_signals (workspace_id, account_id, key_person_id, kind, subject_type, label, tasks, created_at)
    select ${W}, a.id, a.kp_id, case when bench_h(g, 50) < .7 then 'view' when bench_h(g, 50) < .9 then 'request' else 'discuss' end,
      (array['post','catalog_item','milestone','value_report'])[1 + g % 4], '门户访问 ' || g, case when g % 3 = 0 then array['closeness'] else '{}'::text[] end,
      ${NOW} - 1095 * power(bench_h(g, 51), 2) * interval '1 day'
    from bench_scale_acc a cross join lateral generate_series(a.s0 + 1, a.s0 + a.sn) g where a.n between ${lo} and ${hi}`,
  );
  await perAccount(
    'behaviour_facts',
    bn,
    100_000,
    (lo, hi) => sql`insert into behaviour_facts (workspace_id, account_id, aspect, content, source, learned_on, recorded_by_id, created_at)
    select ${W}, a.id, (array['budget_cycle','decision_process','procurement_habits','key_person_preferences'])[1 + g % 4], '了解到的采购习惯 ' || g,
      (array['private_visit','meeting','portal'])[1 + g % 3], ((${NOW} - 1095 * bench_h(g, 52) * interval '1 day') at time zone 'Asia/Shanghai')::date,
      coalesce(a.csm_id, a.sales_id), ${NOW} - 1095 * bench_h(g, 52) * interval '1 day'
    from bench_scale_acc a cross join lateral generate_series(a.b0 + 1, a.b0 + a.bn) g where a.n between ${lo} and ${hi}`,
  );
  {
    p.start();
    const actors = uuidArr([...engineers, ...csms, ...sales]);
    const nA = n(engineers.length + csms.length + sales.length);
    let done = 0;
    for (let lo = 1; lo <= S.audit; lo += 100_000) {
      const hi = Math.min(S.audit, lo + 99_999);
      await db.execute(sql`insert into audit_log (workspace_id, actor_kind, actor_id, actor_name, action, entity_type, entity_id, before, after, at)
        select ${W}, 'staff', (${actors})[1 + g % ${nA}], '员工', x.action, x.entity, (select id::text from bench_scale_acc where n = 1 + g % ${n(A)}),
          case when x.entity = 'ticket' then '{"status":"open"}'::jsonb end, case when x.entity = 'ticket' then '{"status":"in_progress"}'::jsonb else '{}'::jsonb end,
          ${NOW} - 1095 * power(bench_h(g, 60), 2) * interval '1 day'
        from generate_series(${n(lo)}, ${n(hi)}) g
        cross join lateral (select (array['ticket.update','ticket.reassign','account.update','contact.update','opportunity.update','value_add.book'])[1 + g % 6] as action,
                                   (array['ticket','ticket','account','contact','opportunity','value_add_booking'])[1 + g % 6] as entity) x`);
      done += hi - lo + 1;
      p.tick('audit_log', hi - lo + 1, done, S.audit);
    }
    p.step('audit_log', S.audit);
  }

  // 9. statistics, bookkeeping
  p.start();
  await db.execute(sql`drop table bench_scale_acc`);
  await db.execute(sql`drop function bench_h(bigint, int)`);
  // tickets were numbered by the column's serial default: the workspace's own counter goes on from there
  await db.execute(sql`update workspaces w set ticket_seq = coalesce((select max(t.number) from tickets t where t.workspace_id = w.id), 0)`);
  await db.execute(sql`analyze`);
  p.step('analyze', 0);
  const counts: Record<string, number> = {};
  for (const t of [
    'accounts',
    'contacts',
    'tickets',
    'sla_clocks',
    'opportunities',
    'ticket_history',
    'audit_log',
    'opportunity_events',
    'portal_signals',
    'behaviour_facts',
    'csat_responses',
    'key_moment_events',
  ]) {
    const [r] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from ${sql.identifier(t)} where workspace_id = ${W}`);
    counts[t] = r.n;
  }
  const meta: Meta = {
    scale,
    workspaceId: W,
    now: now.toISOString(),
    generatedAt: new Date().toISOString(),
    seconds: Math.round((performance.now() - t0) / 100) / 10,
    counts,
  };
  await db.execute(
    sql`insert into bench_scale_meta (k, v) values ('meta', ${JSON.stringify(meta)}::jsonb) on conflict (k) do update set v = excluded.v`,
  );
  console.error(
    `${kind}: generated in ${meta.seconds} s: ${Object.entries(counts)
      .map(([k, v]) => `${k} ${v.toLocaleString()}`)
      .join(', ')}`,
  );
  return meta;
}

async function main() {
  const fresh = process.argv.includes('--fresh');
  const kinds: ('pglite' | 'postgres')[] = [];
  if (!process.env.BENCH_SKIP_PGLITE) kinds.push('pglite');
  if (!process.env.BENCH_SKIP_PG) kinds.push('postgres');
  for (const kind of kinds) {
    const { d, meta, generated } = await ensureScaleData(kind, { fresh });
    if (!generated)
      console.error(`${kind}: data of scale ${meta.scale} already there (generated ${meta.generatedAt} in ${meta.seconds} s); --fresh to regenerate`);
    await d.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
