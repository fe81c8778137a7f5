// Two Keyward instances on one PostgreSQL (issue 9): they start together on an empty database (one
// migrates and seeds, the other waits and does neither), share sessions, and share the job runner and
// the outbox — every job runs exactly once, none is lost, and a schedule fires once per period.
// Real parts only: two `server/main.ts` processes, a real PostgreSQL, a local HTTP receiver for the
// opportunity webhook (the outbox job whose effect can be counted).
//
// Also: the portal's live feed and the bell cross instances (issue 15): a need posted on A reaches the
// streams open on B through PostgreSQL NOTIFY/LISTEN.
//
// What would make it fail: seeding without the start-up lock (two demo workspaces, or a start that
// dies on a unique key); sessions kept in process memory; a job claim without FOR UPDATE SKIP LOCKED
// (the same delivery sent twice); a schedule advanced outside the claiming transaction (two scans in
// one period); a job lost between the instances (a delivery never received, a job row not `done`).
import http from 'node:http';
import type net from 'node:net';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpLogin, spawnServer, type ServerProcess } from './server-process.js';

const BASE_URL = process.env.TEST_DATABASE_URL;
if (!BASE_URL)
  console.warn('ops/two-instances.test.ts: skipped — set TEST_DATABASE_URL (PostgreSQL) to run the two-instance drill; PGlite is one process only.');

const PASSWORD = 'Keyward2026!';
const SCAN_SECONDS = 2; // meetings.scan period for this drill (KW_MEETINGS_SCAN_SECONDS)
const DIRECT_JOBS = 300; // webhook jobs written straight into the outbox table
const ROUTE_HANDOVERS = 12; // hand-overs through the real routes (each enqueues one webhook job)

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!BASE_URL)('two instances on one PostgreSQL', () => {
  const dbName = `kw_two_${process.pid}`;
  let admin: pg.Client;
  let q: pg.Client; // the drill's own look into the shared database
  let a: ServerProcess;
  let b: ServerProcess;
  let receiver: http.Server;
  let receiverUrl = '';
  const received: string[] = []; // x-keyward-delivery of every POST, duplicates included

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: BASE_URL });
    await admin.connect();
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.query(`create database ${dbName}`);
    const u = new URL(BASE_URL!);
    u.pathname = `/${dbName}`;
    // KW_OUTBOUND_ALLOW_HOSTS: the operator lets the webhook reach the local receiver (a workspace admin cannot)
    const env = {
      DATABASE_URL: u.toString(),
      JOBS: 'on',
      SEED_DEMO: 'auto',
      KW_MEETINGS_SCAN_SECONDS: String(SCAN_SECONDS),
      KW_OUTBOUND_ALLOW_HOSTS: '127.0.0.1',
    };
    // both at once on the empty database
    [a, b] = await Promise.all([spawnServer({ env, timeoutMs: 240_000 }), spawnServer({ env, timeoutMs: 240_000 })]);
    q = new pg.Client({ connectionString: u.toString() });
    await q.connect();

    receiver = http.createServer((req, res) => {
      const id = String(req.headers['x-keyward-delivery'] ?? '');
      req.resume();
      req.on('end', () => {
        received.push(id);
        // a little work per delivery, so both runners are busy at the same time
        setTimeout(() => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'), 5);
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as net.AddressInfo).port}/hook`;
  });

  afterAll(async () => {
    await a?.kill('SIGKILL');
    await b?.kill('SIGKILL');
    await q?.end().catch(() => {});
    receiver?.close();
    if (admin) {
      await admin.query(`drop database if exists ${dbName} with (force)`).catch(() => {});
      await admin.end();
    }
  });

  it('started together: migrated once, seeded once, both serving', async () => {
    const seeded = [a, b].filter((s) => s.output().includes('Demo logins (password for all'));
    expect(seeded.length, `outputs:\n--- A\n${a.output()}\n--- B\n${b.output()}`).toBe(1);
    const migrations = fs.readdirSync(path.resolve('server/db/migrations')).filter((f) => f.endsWith('.sql')).length;
    const { rows: m } = await q.query('select count(*)::int as n, count(distinct hash)::int as d from drizzle.__drizzle_migrations');
    expect(m[0]).toEqual({ n: migrations, d: migrations });
    const { rows: w } = await q.query(`select count(*)::int as n from workspaces`);
    expect(w[0].n).toBe(1);
    const { rows: dup } = await q.query(`select lower(email) as e, count(*)::int as n from users group by 1 having count(*) > 1`);
    expect(dup).toEqual([]);
    for (const s of [a, b]) expect((await fetch(`${s.url}/api/health`)).status).toBe(200);
  });

  it('a session made on one instance works on the other; logging out on the other ends it on the first', async () => {
    const sess = await httpLogin(a.url, 'aftersales@demo.keyward.cn', PASSWORD);
    const meA = await fetch(`${a.url}/api/auth/me`, { headers: { cookie: sess.cookie } });
    const meB = await fetch(`${b.url}/api/auth/me`, { headers: { cookie: sess.cookie } });
    expect(meA.status).toBe(200);
    expect(meB.status).toBe(200);
    const [pa, pb] = (await Promise.all([meA.json(), meB.json()])) as { id: string; name: string }[];
    expect(pb.id).toBe(pa.id);

    const { items } = (await (await fetch(`${b.url}/api/accounts?pageSize=1`, { headers: sess.headers })).json()) as { items: { id: string }[] };
    const body = JSON.stringify({
      accountId: items[0].id,
      title: '两实例会话检查',
      description: '在实例 A 登录，在实例 B 提交。',
      kind: 'product_issue',
      severity: 'low',
      channel: 'phone',
    });
    // the CSRF check is real on B: without the token the write is refused
    const noCsrf = await fetch(`${b.url}/api/tickets`, {
      method: 'POST',
      headers: { cookie: sess.cookie, 'content-type': 'application/json' },
      body,
    });
    expect(noCsrf.status).toBe(403);
    const created = await fetch(`${b.url}/api/tickets`, { method: 'POST', headers: sess.headers, body });
    expect(created.status, await created.clone().text()).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect((await fetch(`${a.url}/api/tickets/${id}`, { headers: sess.headers })).status).toBe(200);

    const out = await fetch(`${b.url}/api/auth/logout`, { method: 'POST', headers: { cookie: sess.cookie, 'x-csrf-token': sess.csrf } });
    expect(out.status).toBeLessThan(300);
    expect((await fetch(`${a.url}/api/auth/me`, { headers: { cookie: sess.cookie } })).status).toBe(401);
    expect((await fetch(`${b.url}/api/auth/me`, { headers: { cookie: sess.cookie } })).status).toBe(401);
  });

  it('outbox jobs are shared: every webhook delivered exactly once, every job done, both runners worked', async () => {
    const adminSess = await httpLogin(a.url, 'admin@demo.keyward.cn', PASSWORD);
    const put = await fetch(`${a.url}/api/opportunities/webhook`, {
      method: 'PUT',
      headers: adminSess.headers,
      body: JSON.stringify({ url: receiverUrl }),
    });
    expect(put.status, await put.clone().text()).toBe(200);

    // hand-overs through the real routes, alternating instances (each enqueues in its own transaction)
    const sales = [await httpLogin(a.url, 'sales@demo.keyward.cn', PASSWORD), await httpLogin(b.url, 'sales@demo.keyward.cn', PASSWORD)];
    const { items: accounts } = (await (await fetch(`${a.url}/api/accounts?pageSize=50`, { headers: sales[0].headers })).json()) as {
      items: { id: string }[];
    };
    const opportunityIds: string[] = [];
    for (let i = 0; i < ROUTE_HANDOVERS; i++) {
      const [s, srv] = i % 2 ? [sales[1], b] : [sales[0], a];
      const cap = await fetch(`${srv.url}/api/accounts/${accounts[i % accounts.length].id}/opportunities`, {
        method: 'POST',
        headers: s.headers,
        body: JSON.stringify({ title: `双实例商机 ${i}`, sourceKind: 'visit' }),
      });
      expect(cap.status, await cap.clone().text()).toBe(201);
      const { id } = (await cap.json()) as { id: string };
      opportunityIds.push(id);
      for (const to of ['incubating', 'handed_to_sales']) {
        const mv = await fetch(`${srv.url}/api/opportunities/${id}/stage`, { method: 'POST', headers: s.headers, body: JSON.stringify({ to }) });
        expect(mv.status, await mv.clone().text()).toBe(200);
      }
    }

    // and a burst written straight into the outbox, as a busy day's hand-overs would leave it
    const { rows: ws } = await q.query(`select id from workspaces`);
    const workspaceId = ws[0].id as string;
    await q.query(
      `insert into jobs (kind, workspace_id, payload, run_at, dedupe_key)
       select 'opportunities.webhook', $1::uuid,
              jsonb_build_object('event', 'opportunity.handed_to_sales', 'deliveryId', d.id::text, 'workspaceId', $1::text, 'opportunity', jsonb_build_object('id', $2::text)),
              now(), 'webhook:' || d.id::text
       from (select gen_random_uuid() as id from generate_series(1, $3::int)) d`,
      [workspaceId, opportunityIds[0], DIRECT_JOBS],
    );

    const expected = DIRECT_JOBS + ROUTE_HANDOVERS;
    const { rows: all } = await q.query(`select payload->>'deliveryId' as id from jobs where kind = 'opportunities.webhook'`);
    expect(all.length).toBe(expected);
    // wait (not a timed assertion: a generous ceiling so a hang fails instead of blocking CI)
    for (let i = 0; i < 600; i++) {
      const { rows } = await q.query(`select count(*)::int as n from jobs where kind = 'opportunities.webhook' and status <> 'done'`);
      if (rows[0].n === 0) break;
      await sleep(500);
    }

    const { rows: jobs } = await q.query(`select status, attempts, locked_by from jobs where kind = 'opportunities.webhook'`);
    expect(jobs.filter((j) => j.status !== 'done')).toEqual([]);
    expect(jobs.filter((j) => j.attempts !== 1)).toEqual([]);
    // exactly once at the receiver: every delivery id, none twice
    const counts = new Map<string, number>();
    for (const id of received) counts.set(id, (counts.get(id) ?? 0) + 1);
    expect([...counts].filter(([, n]) => n > 1)).toEqual([]);
    expect(new Set(received)).toEqual(new Set(all.map((r) => r.id as string)));
    expect(received.length).toBe(expected);
    const { rows: log } = await q.query(
      `select count(*)::int as n, count(distinct delivery_id)::int as d, count(*) filter (where outcome = 'delivered')::int as ok from webhook_deliveries`,
    );
    expect(log[0]).toEqual({ n: expected, d: expected, ok: expected });
    // both instances' runners took a share (worker ids are host:pid:random)
    const byPid = new Map<string, number>();
    for (const j of jobs) byPid.set(String(j.locked_by).split(':')[1], (byPid.get(String(j.locked_by).split(':')[1]) ?? 0) + 1);
    expect([...byPid.keys()].sort()).toEqual([String(a.pid), String(b.pid)].sort());
  });

  it('a schedule fires once per period across both instances, each run done once', async () => {
    // let the meetings scan (every SCAN_SECONDS) come round several times under both runners
    for (let i = 0; i < 120; i++) {
      const { rows } = await q.query(`select count(*)::int as n from jobs where payload->>'schedule' = 'meetings.scan' and status = 'done'`);
      if (rows[0].n >= 6) break;
      await sleep(500);
    }
    const { rows: sch } = await q.query(`select name, every_seconds from schedules`);
    const every = new Map(sch.map((s) => [s.name as string, Number(s.every_seconds)]));
    expect(every.get('meetings.scan')).toBe(SCAN_SECONDS);
    const { rows: fired } = await q.query(
      `select payload->>'schedule' as name, run_at, status, attempts, locked_by from jobs where payload ? 'schedule' order by run_at, id`,
    );
    const scans = fired.filter((f) => f.name === 'meetings.scan');
    expect(scans.length).toBeGreaterThanOrEqual(6);
    // never two runs of one schedule inside one period: each run is at least `every_seconds` after the one before
    for (const [name, secs] of every) {
      const runs = fired.filter((f) => f.name === name).map((f) => (f.run_at as Date).getTime());
      for (let i = 1; i < runs.length; i++) expect(runs[i] - runs[i - 1], `${name} fired twice within ${secs} s`).toBeGreaterThanOrEqual(secs * 1000);
    }
    const finished = scans.filter((s) => s.status !== 'queued' && s.status !== 'running');
    expect(finished.filter((s) => s.status !== 'done' || s.attempts !== 1)).toEqual([]);
    // which instance ran each scan is up to whoever ticks first after it falls due (not asserted)
    const byPid = new Map<string, number>();
    for (const s of scans) if (s.locked_by) byPid.set(String(s.locked_by).split(':')[1], (byPid.get(String(s.locked_by).split(':')[1]) ?? 0) + 1);
    console.log(`meetings.scan: ${scans.length} runs; by instance pid: ${JSON.stringify(Object.fromEntries(byPid))} (A ${a.pid}, B ${b.pid})`);
  });

  it('the live feed of needs and the bell reach a screen open on the other instance (NOTIFY/LISTEN)', async () => {
    // the staff member who hears of the key person's needs: the portal account's CSM (or its salesperson)
    const { rows } = await q.query(
      `select u.email, u.id from key_person_logins k join accounts a on a.id = k.account_id
        join users u on u.id = coalesce(a.csm_id, a.sales_id) where lower(k.email) = 'kp1@customer.demo'`,
    );
    const staff = await httpLogin(b.url, rows[0].email, PASSWORD);
    const kp = await httpLogin(a.url, 'kp1@customer.demo', PASSWORD, '/api/portal/auth/login');
    // both streams open on instance B
    const open = (path: string) => {
      const ctl = new AbortController();
      const seen: string[] = [];
      const ready = fetch(`${b.url}${path}`, { headers: { cookie: staff.cookie }, signal: ctl.signal }).then(async (res) => {
        expect(res.status).toBe(200);
        const reader = res.body!.getReader();
        const dec = new TextDecoder();
        void (async () => {
          for (;;) {
            const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
            if (done) break;
            seen.push(dec.decode(value));
          }
        })();
      });
      return { seen, ready, close: () => ctl.abort() };
    };
    const feed = open('/api/portal-admin/events');
    const bell = open('/api/notifications/stream');
    await Promise.all([feed.ready, bell.ready]);
    for (let i = 0; i < 50 && !bell.seen.join('').includes('event: unread'); i++) await sleep(100);
    const first = /"unread":(\d+)/.exec(bell.seen.join(''));
    expect(first, bell.seen.join('')).not.toBeNull();

    // the key person writes on instance A
    const res = await fetch(`${a.url}/api/portal/demands`, {
      method: 'POST',
      headers: kp.headers,
      body: JSON.stringify({ title: '两实例实时需求', body: '在实例 A 提交，在实例 B 实时看到。' }),
    });
    expect(res.status).toBe(201);
    const demand = (await res.json()) as { id: string };
    // the feed on B hears it at once; the bell once a runner (either instance) has delivered the notice
    for (let i = 0; i < 100 && !feed.seen.join('').includes(demand.id); i++) await sleep(100);
    expect(feed.seen.join('')).toContain('event: demand.created');
    expect(feed.seen.join('')).toContain(demand.id);
    const want = `"unread":${Number(first![1]) + 1}`;
    for (let i = 0; i < 150 && !bell.seen.join('').includes(want); i++) await sleep(100);
    expect(bell.seen.join(''), 'the bell on B after a need on A').toContain(want);
    feed.close();
    bell.close();
  });

  it('both stop cleanly on SIGTERM', async () => {
    const [ea, eb] = await Promise.all([a.kill('SIGTERM'), b.kill('SIGTERM')]);
    expect([ea, eb]).toEqual([0, 0]);
  });
});
