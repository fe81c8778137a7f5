// Shared pieces of the operational drills (crash, SIGTERM, backup/restore): fresh databases, direct
// SQL checks of the invariants after the server is gone, a webhook receiver, and the HTTP workload.
// The server itself is always started with ops/server-process.ts (spawnServer).
import http from 'node:http';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { openPglite, openPostgres, queryRows, type Database, type Db } from '../server/db/client.js';
import { freePort, httpLogin } from './server-process.js';

export const DEMO_PASSWORD = 'Keyward2026!';
export const ADMIN = 'admin@demo.keyward.cn';
export const TEST_PG = process.env.TEST_DATABASE_URL;
/** Safety net for a server start (seeding PGlite takes ~10 s alone, minutes on a machine shared with other suites). */
export const START_TIMEOUT_MS = 300_000;

/** A new, empty PostgreSQL database next to the one TEST_DATABASE_URL names; dropped by drop(). */
export async function freshPgDatabase(prefix: string): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  if (!TEST_PG) throw new Error('TEST_DATABASE_URL is not set');
  const name = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
  await adminQuery(`create database "${name}"`);
  const u = new URL(TEST_PG);
  u.pathname = `/${name}`;
  return { url: u.toString(), name, drop: () => adminQuery(`drop database if exists "${name}" with (force)`).then(() => undefined) };
}

/** Runs one statement on the server of TEST_DATABASE_URL (its own database, or `postgres`). */
export async function adminQuery(text: string, values: unknown[] = []) {
  const u = new URL(TEST_PG!);
  const c = new pg.Client({ connectionString: u.toString() });
  try {
    await c.connect();
  } catch {
    u.pathname = '/postgres';
    return adminQueryOn(u.toString(), text, values);
  }
  try {
    return await c.query(text, values);
  } finally {
    await c.end();
  }
}
async function adminQueryOn(url: string, text: string, values: unknown[]) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await c.query(text, values);
  } finally {
    await c.end();
  }
}

export type Target = { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string };

/** Opens the database directly (PGlite: the server must be stopped, the folder is locked). */
export function openDirect(t: Target): Promise<Database> {
  return t.kind === 'pglite' ? openPglite({ dataDir: t.dataDir }) : openPostgres(t.url, { max: 2 });
}

export async function withDirect<T>(t: Target, fn: (db: Db) => Promise<T>): Promise<T> {
  const d = await openDirect(t);
  try {
    return await fn(d.db);
  } finally {
    await d.close();
  }
}

export const rows = queryRows;

/** Row count of every table in the public schema. */
export async function tableCounts(db: Db): Promise<Record<string, number>> {
  const tables = await queryRows<{ tablename: string }>(db, sql`select tablename from pg_tables where schemaname = 'public' order by tablename`);
  const out: Record<string, number> = {};
  for (const { tablename } of tables) {
    const [{ n }] = await queryRows<{ n: number }>(db, sql.raw(`select count(*)::int as n from "${tablename}"`));
    out[tablename] = n;
  }
  return out;
}

/**
 * The invariants every committed state must satisfy; returns the violations (empty = healthy).
 *  - budget: committed ≤ budget + extra (the recorded extra allowances), and committed = opening spent
 *    + the internal cost of its live free bookings (status 'booked'); no free booking without a budget
 *  - every booking has its planned task; every ticket has exactly one first-response and one
 *    resolution SLA clock and its 'created' history row
 *  - every foreign key resolves (checked generically from pg_constraint)
 */
export async function invariantViolations(db: Db): Promise<string[]> {
  const v: string[] = [];
  const budgets = await queryRows<{ id: string; budget: number; extra: number; committed: number; opening: number; live: number }>(
    db,
    sql`select b.id, b.budget_minor::float8 as budget, b.extra_minor::float8 as extra, b.committed_minor::float8 as committed, b.opening_spent_minor::float8 as opening,
          coalesce((select sum(k.amount_minor) from value_add_bookings k where k.budget_id = b.id and k.kind = 'free' and k.status = 'booked'), 0)::float8 as live
        from account_budgets b`,
  );
  for (const b of budgets) {
    if (b.committed > b.budget + b.extra) v.push(`budget ${b.id}: committed ${b.committed} > budget ${b.budget} + extra ${b.extra}`);
    if (b.committed !== b.opening + b.live) v.push(`budget ${b.id}: committed ${b.committed} ≠ opening ${b.opening} + live bookings ${b.live}`);
  }
  for (const r of await queryRows<{ id: string }>(db, sql`select id from value_add_bookings where kind = 'free' and budget_id is null`))
    v.push(`free booking ${r.id} without a budget`);
  for (const r of await queryRows<{ id: string }>(
    db,
    sql`select k.id from value_add_bookings k left join value_add_tasks t on t.id = k.task_id where t.id is null`,
  ))
    v.push(`booking ${r.id} without its task`);
  for (const r of await queryRows<{ id: string; fr: number; res: number; created: number }>(
    db,
    sql`select t.id,
          (select count(*)::int from sla_clocks c where c.ticket_id = t.id and c.kind = 'first_response') as fr,
          (select count(*)::int from sla_clocks c where c.ticket_id = t.id and c.kind = 'resolution') as res,
          (select count(*)::int from ticket_history h where h.ticket_id = t.id and h.kind = 'created') as created
        from tickets t`,
  )) {
    if (r.fr !== 1 || r.res !== 1) v.push(`ticket ${r.id}: ${r.fr} first-response and ${r.res} resolution clocks`);
    if (r.created !== 1) v.push(`ticket ${r.id}: ${r.created} 'created' history rows`);
  }
  v.push(...(await foreignKeyViolations(db)));
  return v;
}

export async function foreignKeyViolations(db: Db): Promise<string[]> {
  const fks = await queryRows<{ name: string; tbl: string; ref: string; cols: string[]; refcols: string[] }>(
    db,
    sql`select c.conname as name, c.conrelid::regclass::text as tbl, c.confrelid::regclass::text as ref,
          array(select a.attname::text from unnest(c.conkey) with ordinality k(n, i) join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.n order by k.i) as cols,
          array(select a.attname::text from unnest(c.confkey) with ordinality k(n, i) join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.n order by k.i) as refcols
        from pg_constraint c join pg_namespace ns on ns.oid = c.connamespace
        where c.contype = 'f' and ns.nspname = 'public'`,
  );
  const out: string[] = [];
  for (const fk of fks) {
    const notNull = fk.cols.map((c) => `t."${c}" is not null`).join(' and ');
    const match = fk.cols.map((c, i) => `r."${fk.refcols[i]}" = t."${c}"`).join(' and ');
    const [{ n }] = await queryRows<{ n: number }>(
      db,
      sql.raw(`select count(*)::int as n from ${fk.tbl} t where ${notNull} and not exists (select 1 from ${fk.ref} r where ${match})`),
    );
    if (n) out.push(`foreign key ${fk.name}: ${n} rows of ${fk.tbl} point nowhere in ${fk.ref}`);
  }
  if (!fks.length) out.push('no foreign keys found (schema missing?)');
  return out;
}

/** A local webhook receiver: counts deliveries by X-Keyward-Delivery and answers 200. */
export async function startWebhookReceiver() {
  const port = await freePort();
  const deliveries = new Map<string, number>();
  const bodies = new Map<string, { opportunity: { id: string } }>();
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const id = String(req.headers['x-keyward-delivery'] ?? '');
      deliveries.set(id, (deliveries.get(id) ?? 0) + 1);
      try {
        bodies.set(id, JSON.parse(body));
      } catch {
        /* counted anyway */
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${port}/hook`, deliveries, bodies, close: () => new Promise<void>((r) => server.close(() => r())) };
}

export type Session = Awaited<ReturnType<typeof httpLogin>> & { base: string };

export async function login(base: string, email = ADMIN): Promise<Session> {
  return { ...(await httpLogin(base, email, DEMO_PASSWORD)), base };
}

export async function api<T = any>(s: Session, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = { cookie: s.cookie, 'x-csrf-token': s.csrf };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${s.base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed as T };
}

export async function waitFor(what: string, check: () => Promise<boolean> | boolean, safetyMs = 60_000, everyMs = 200) {
  const until = Date.now() + safetyMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`gave up waiting for ${what} after ${safetyMs / 1000} s (safety net)`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** What the workload needs from the seeded demo: A/C accounts with budgets, a cheap free item, all accounts. */
export async function demoFixture(s: Session) {
  const accs = (await api<{ items: { id: string; tier: string; name: string }[] }>(s, 'GET', '/api/accounts?pageSize=100')).body.items;
  const cat = (
    await api<{ items: { id: string; pricing: string; internalCostMinor: number; active: boolean }[] }>(s, 'GET', '/api/value-add/catalog')
  ).body.items;
  const cheap = cat.filter((i) => i.pricing === 'free' && i.active).sort((a, b) => a.internalCostMinor - b.internalCostMinor)[0];
  const eligible = accs.filter((a) => a.tier === 'A' || a.tier === 'C');
  if (!cheap || eligible.length < 3) throw new Error('the demo workspace lacks A/C accounts or a free catalog item');
  // bookings go to the three accounts with the least left, so budgets run out (409) within seconds
  const left = await Promise.all(
    eligible.map(async (a) => ({
      a,
      left:
        (await api<{ budget: { remainingMinor: number } | null }>(s, 'GET', `/api/accounts/${a.id}/value-add/budget`)).body.budget?.remainingMinor ??
        0,
    })),
  );
  const budgetAccounts = left
    .filter((x) => x.left > 0)
    .sort((x, y) => x.left - y.left)
    .slice(0, 3)
    .map((x) => x.a);
  return { accounts: accs, budgetAccounts, cheapItem: cheap };
}

export type Acks = {
  tickets: string[];
  bookings: { id: string; accountId: string; amountMinor: number }[];
  cancelled: string[];
  handed: string[];
  refused409: number;
  unexpected: string[];
  networkErrors: number;
};
export const emptyAcks = (): Acks => ({ tickets: [], bookings: [], cancelled: [], handed: [], refused409: 0, unexpected: [], networkErrors: 0 });
export const ackCount = (a: Acks) => a.tickets.length + a.bookings.length + a.cancelled.length + a.handed.length;

/**
 * One client's stream of acknowledged writes until stop(): tickets, budget bookings (a 409 when the
 * budget is spent is expected and counted), cancellations of its own bookings, and opportunities taken
 * to hand-over (each one enqueues a webhook in the outbox). Only 2xx answers are recorded as acks.
 */
export async function writeStream(s: Session, fx: Awaited<ReturnType<typeof demoFixture>>, acks: Acks, stopped: () => boolean, seed: number) {
  let r = seed;
  const rnd = () => {
    r = (r * 1103515245 + 12345) % 2 ** 31;
    return r / 2 ** 31;
  };
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const mine: { id: string; accountId: string; amountMinor: number }[] = [];
  while (!stopped()) {
    try {
      const op = rnd();
      if (op < 0.35) {
        const acc = pick(fx.accounts);
        const res = await api<{ id: string }>(s, 'POST', '/api/tickets', {
          accountId: acc.id,
          title: `drill ${seed}-${acks.tickets.length}`,
          description: 'crash drill',
          kind: pick(['product_issue', 'expert_request', 'new_need']),
          severity: pick(['high', 'medium', 'low']),
        });
        if (res.status === 201) acks.tickets.push(res.body.id);
        else acks.unexpected.push(`ticket ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      } else if (op < 0.75) {
        const acc = pick(fx.budgetAccounts);
        const res = await api<{ booking: { id: string; amountMinor: number } }>(s, 'POST', `/api/accounts/${acc.id}/value-add/bookings`, {
          catalogItemId: fx.cheapItem.id,
        });
        if (res.status === 201) {
          const b = { id: res.body.booking.id, accountId: acc.id, amountMinor: res.body.booking.amountMinor };
          acks.bookings.push(b);
          mine.push(b);
        } else if (res.status === 409) acks.refused409++;
        else acks.unexpected.push(`booking ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      } else if (op < 0.82 && mine.length) {
        const b = mine.splice(Math.floor(rnd() * mine.length), 1)[0];
        const res = await api(s, 'POST', `/api/value-add/bookings/${b.id}/cancel`);
        if (res.status === 200) acks.cancelled.push(b.id);
        else acks.unexpected.push(`cancel ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      } else {
        const acc = pick(fx.accounts);
        const c = await api<{ id: string }>(s, 'POST', `/api/accounts/${acc.id}/opportunities`, {
          title: `drill opp ${seed}`,
          sourceKind: 'visit',
          amountMinor: 100000,
        });
        if (c.status !== 201) {
          acks.unexpected.push(`capture ${c.status} ${JSON.stringify(c.body).slice(0, 200)}`);
          continue;
        }
        const m = await api(s, 'POST', `/api/opportunities/${c.body.id}/stage`, { to: 'incubating' });
        if (m.status !== 200) {
          acks.unexpected.push(`incubate ${m.status} ${JSON.stringify(m.body).slice(0, 200)}`);
          continue;
        }
        const h = await api(s, 'POST', `/api/opportunities/${c.body.id}/incubation`, { success: true });
        if (h.status === 200) acks.handed.push(c.body.id);
        else acks.unexpected.push(`hand-over ${h.status} ${JSON.stringify(h.body).slice(0, 200)}`);
      }
    } catch {
      // no answer (the server was killed mid-request): the outcome is unknown, not acknowledged
      acks.networkErrors++;
      if (stopped()) return;
      await new Promise((res) => setTimeout(res, 20));
    }
  }
}

/** Checks every acknowledged write of `acks` against the database; returns what is missing or wrong. */
export async function missingAcks(db: Db, acks: Acks): Promise<string[]> {
  const out: string[] = [];
  const has = async (table: string, ids: string[]) => {
    if (!ids.length) return new Set<string>();
    const found = await queryRows<{ id: string }>(
      db,
      sql`select id::text as id from ${sql.identifier(table)} where id::text in (${sql.join(
        ids.map((i) => sql`${i}`),
        sql`, `,
      )})`,
    );
    return new Set(found.map((f) => f.id));
  };
  const t = await has('tickets', acks.tickets);
  for (const id of acks.tickets) if (!t.has(id)) out.push(`acknowledged ticket ${id} is missing`);
  const bookingIds = acks.bookings.map((b) => b.id);
  if (bookingIds.length) {
    const found = await queryRows<{ id: string; status: string }>(
      db,
      sql`select id::text as id, status from value_add_bookings where id::text in (${sql.join(
        bookingIds.map((i) => sql`${i}`),
        sql`, `,
      )})`,
    );
    const st = new Map(found.map((f) => [f.id, f.status]));
    const cancelled = new Set(acks.cancelled);
    for (const id of bookingIds) {
      if (!st.has(id)) out.push(`acknowledged booking ${id} is missing`);
      else if (cancelled.has(id) && st.get(id) !== 'cancelled') out.push(`acknowledged cancellation of ${id} is lost (status ${st.get(id)})`);
      else if (!cancelled.has(id) && st.get(id) !== 'booked' && st.get(id) !== 'cancelled') out.push(`booking ${id} has status ${st.get(id)}`);
    }
  }
  if (acks.handed.length) {
    const found = await queryRows<{ id: string; stage: string; jobs: number }>(
      db,
      sql`select o.id::text as id, o.stage, (select count(*)::int from jobs j where j.kind = 'opportunities.webhook' and j.payload->'opportunity'->>'id' = o.id::text) as jobs
          from opportunities o where o.id::text in (${sql.join(
            acks.handed.map((i) => sql`${i}`),
            sql`, `,
          )})`,
    );
    const m = new Map(found.map((f) => [f.id, f]));
    for (const id of acks.handed) {
      const o = m.get(id);
      if (!o) out.push(`acknowledged opportunity ${id} is missing`);
      else if (o.stage !== 'handed_to_sales') out.push(`acknowledged hand-over of ${id} is lost (stage ${o.stage})`);
      else if (o.jobs !== 1) out.push(`hand-over of ${id} has ${o.jobs} webhook jobs (want 1)`);
    }
  }
  return out;
}

/**
 * The outbox against the committed state: every webhook job's opportunity exists and was handed over
 * (no job for rolled-back work), and every handed-over opportunity since `since` has exactly one job.
 */
export async function outboxViolations(db: Db, since: Date): Promise<string[]> {
  const out: string[] = [];
  for (const j of await queryRows<{ id: number; opp: string | null; stage: string | null }>(
    db,
    sql`select j.id, j.payload->'opportunity'->>'id' as opp, o.stage from jobs j left join opportunities o on o.id::text = j.payload->'opportunity'->>'id' where j.kind = 'opportunities.webhook'`,
  )) {
    if (!j.stage) out.push(`webhook job ${j.id}: its opportunity ${j.opp} does not exist (rolled-back work in the outbox)`);
    else if (!['handed_to_sales', 'won', 'lost'].includes(j.stage))
      out.push(`webhook job ${j.id}: opportunity ${j.opp} was never handed over (stage ${j.stage})`);
  }
  for (const o of await queryRows<{ id: string; jobs: number }>(
    db,
    sql`select o.id::text as id, (select count(*)::int from jobs j where j.kind = 'opportunities.webhook' and j.payload->'opportunity'->>'id' = o.id::text) as jobs
        from opportunities o where o.handed_at >= ${since.toISOString()}::timestamptz`,
  )) {
    if (o.jobs !== 1) out.push(`opportunity ${o.id} handed over with ${o.jobs} webhook jobs (want 1)`);
  }
  return out;
}
