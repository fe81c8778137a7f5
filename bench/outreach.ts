/**
 * A campaign to a million people (issue 18, point 5), on PostgreSQL, against the real server process.
 *
 * 1. A fresh database; the real server (`dist/main.js`, JOBS on) seeds the demo workspace the HTTP mix uses.
 * 2. In a second workspace, set-based: 1,000 accounts tagged 会员 (the first 100 also 活跃), BENCH_OUTREACH_CONTACTS
 *    contacts (default 1,000,000) with addresses (1 % without), consents (90 % opted in, 2 % withdrawn, the rest never
 *    asked), and 5 % touched once in the last days by an earlier campaign. Workspace cap: 1 touch per 7 days.
 * 3. Two campaigns at once: A to every 会员 contact, B to the 活跃 ones (10 %, all also in A).
 *    Timed in-process (the service functions the routes call): the preview of A (counts by reason + a page) and
 *    the send of each (plan every recipient and queue one job per 100, one transaction).
 * 4. The console's HTTP mix (`bench/http-mix.ts`, demo users, BENCH_LOAD_CONNECTIONS × BENCH_LOAD_SECONDS): first
 *    with no send running, then while the server's own job runner sends A and B; the recipients decided during the
 *    second phase give the send rate.
 * 5. The cap checked at that size: nobody has more touches in the window than the cap, and nobody touched by the
 *    earlier campaign was sent again (all from the touch ledger).
 *
 * Command: `npm run bench -- outreach` (= `npx tsx bench/outreach.ts`). BENCH_OUTREACH_CONTACTS, BENCH_LOAD_SECONDS (30),
 * BENCH_LOAD_CONNECTIONS (50), BENCH_DATABASE_URL. Exit 1 on a wrong answer (the cap exceeded, a preview that does
 * not add up, a non-2xx in the mix). PGlite is not measured: one connection in the server's process is not where a
 * million-person campaign is meant to run.
 */
import { execSync } from 'node:child_process';
import os from 'node:os';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { openPostgres, queryRows } from '../server/db/client.js';
import { outreachService } from '../server/modules/outreach/index.js';
import type { StaffActor } from '../server/platform/actor.js';
import { spawnServer } from '../ops/server-process.js';
import { cpuSeconds, mix, row, signIn, smoke, type Row, type Tally } from './http-mix.js';
import { PG_URL } from './lib.js';

const N = Number(process.env.BENCH_OUTREACH_CONTACTS ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 30);
const CONNECTIONS = Number(process.env.BENCH_LOAD_CONNECTIONS ?? 50);
const f0 = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 0 });
const s1 = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
let failures = 0;
const check = (ok: boolean, what: string) => {
  if (!ok) {
    failures++;
    console.error(`WRONG: ${what}`);
  }
};

const name = `kw_bench_outreach_${process.pid}`;
const admin = new pg.Client({ connectionString: PG_URL });
await admin.connect();
await admin.query(`create database ${name}`);
const url = new URL(PG_URL);
url.pathname = `/${name}`;
const server = await spawnServer({ env: { DATABASE_URL: url.toString(), JOBS: 'on', SEED_DEMO: 'auto' }, timeoutMs: 300_000 });
const d = await openPostgres(url.toString());
const db = d.db;
const out: string[] = [];
try {
  console.log(`server ready in ${s1(server.startupMs)} (demo seeded); generating ${f0(N)} contacts …`);
  const t0 = performance.now();
  const [ws] = await queryRows<{ id: string }>(db, sql`insert into workspaces (name, slug) values ('触达压测', 'outreach-bench') returning id`);
  const W = ws.id;
  const [u] = await queryRows<{ id: string }>(
    db,
    sql`insert into users (workspace_id, email, name, role, password_hash) values (${W}, 'manager@outreach.bench', '压测经理', 'manager', 'x') returning id`,
  );
  const actor: StaffActor = {
    kind: 'staff',
    workspaceId: W,
    userId: u.id,
    name: '压测经理',
    role: 'manager',
    channelPartnerId: null,
    locale: 'zh-CN',
  };
  await db.execute(sql`insert into accounts (workspace_id, name, industry, region, tags, owner_id, fiscal_year)
    select ${W}, '会员客户 ' || lpad(g::text, 4, '0'), '零售', '华东', case when g <= 100 then array['会员','活跃'] else array['会员'] end, ${u.id},
      extract(year from now())::int
    from generate_series(1, 1000) g`);
  const per = Math.ceil(N / 1000);
  await db.execute(
    sql`create unlogged table bench_acc as select id, row_number() over (order by name) - 1 as n from accounts where workspace_id = ${W}`,
  );
  for (let lo = 0; lo < 1000; lo += 100) {
    await db.execute(sql`insert into contacts (workspace_id, account_id, name, email)
      select ${W}, a.id, '会员 ' || (a.n * ${per} + i), case when (a.n * ${per} + i) % 100 = 7 then null else 'm' || (a.n * ${per} + i) || '@members.bench' end
      from bench_acc a cross join generate_series(1, ${per}) i where a.n >= ${lo} and a.n < ${lo + 100} and a.n * ${per} + i <= ${N}`);
  }
  await db.execute(
    sql`create unlogged table bench_people as select id, row_number() over (order by id) as k from contacts where workspace_id = ${W}`,
  );
  await db.execute(sql`insert into outreach_consents (workspace_id, contact_id, channel, granted, source, at)
    select ${W}, id, 'email', k % 50 <> 3, 'import', now() - interval '30 days' from bench_people where k % 10 <> 9`);
  await db.execute(sql`insert into campaigns (workspace_id, name, audience, subject, body, status, sent_at, created_by)
    values (${W}, '上周活动', '{"conditions":[],"contactIds":[]}', 's', 'b', 'sent', now() - interval '2 days', ${u.id})`);
  await db.execute(
    sql`insert into outreach_people (workspace_id, contact_id, last_touch_at) select ${W}, id, now() - interval '2 days' from bench_people where k % 20 = 4`,
  );
  await db.execute(sql`insert into outreach_touches (workspace_id, contact_id, campaign_id, channel, at)
    select ${W}, p.id, c.id, 'email', now() - interval '2 days' from bench_people p, campaigns c where c.workspace_id = ${W} and c.name = '上周活动' and p.k % 20 = 4`);
  await db.execute(sql`analyze`);
  const genMs = performance.now() - t0;
  const [{ n: people }] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from contacts where workspace_id = ${W}`);
  console.log(`generated ${f0(people)} contacts in ${s1(genMs)}`);

  const s = await outreachService.getSettings(db, actor);
  await outreachService.putSettings(db, actor, { capCount: 1, capDays: 7, quietStart: null, quietEnd: null, requireOptIn: true }, s.version);
  const body = { channel: 'email' as const, subject: '{{name}}，会员日', body: '{{account}} 的 {{name}}：会员日活动开始了。' };
  const a = await outreachService.createCampaign(db, actor, {
    ...body,
    name: '会员日（全部）',
    audience: { conditions: [{ field: 'tag', values: ['会员'] }], contactIds: [] },
  });
  const b = await outreachService.createCampaign(db, actor, {
    ...body,
    name: '会员日（活跃）',
    audience: { conditions: [{ field: 'tag', values: ['活跃'] }], contactIds: [] },
  });

  // the preview at size: counts by reason and the first page, as GET …/preview answers
  const pv: number[] = [];
  let preview: Awaited<ReturnType<typeof outreachService.preview>> | null = null;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    preview = await outreachService.preview(db, actor, a.id, { page: 1, pageSize: 50 });
    pv.push(performance.now() - t);
  }
  const excluded = Object.values(preview!.excluded).reduce((x, y) => x + y, 0);
  check(preview!.total === people && preview!.included + excluded === people, `preview total ${preview!.total} vs ${people}`);
  const expectCap = Math.floor(people / 20);
  console.log(`preview of A: ${JSON.stringify({ total: preview!.total, included: preview!.included, excluded: preview!.excluded })}`);

  // the demo's own jobs first (its outbox, mails to nowhere): the send is measured on a runner with nothing else due
  for (let i = 0; i < 240; i++) {
    const [due] = await queryRows<{ n: number; kinds: string | null }>(
      db,
      sql`select count(*)::int as n, string_agg(distinct kind, ', ') as kinds from jobs where status in ('queued', 'running') and run_at <= now()`,
    );
    if (!due.n) break;
    if (i % 10 === 0) console.log(`waiting for ${due.n} due jobs of the demo (${due.kinds}) …`);
    await new Promise((r) => setTimeout(r, 1000));
  }
  // the console's mix with no send running
  const sessions = await signIn(server);
  await smoke(server, sessions);
  await mix(server, sessions, 3, Math.min(CONNECTIONS, 20), new Map());
  const quietTally: Tally = new Map();
  let cpu0 = cpuSeconds(server.pid);
  const quiet = row('mix, no send', await mix(server, sessions, SECONDS, CONNECTIONS, quietTally), cpuSeconds(server.pid) - cpu0);

  // plan both at once (the job runner starts on them at once)
  const t1 = performance.now();
  const [sa, sb] = await Promise.all([outreachService.sendCampaign(db, actor, a.id), outreachService.sendCampaign(d.db, actor, b.id)]);
  const planMs = performance.now() - t1;
  check(sa.status === 'sending' && sb.status === 'sending', 'both campaigns sending');
  const [{ planned, jobs }] = await queryRows<{ planned: number; jobs: number }>(
    db,
    sql`select (select count(*)::int from campaign_recipients where workspace_id = ${W}) as planned,
      (select count(*)::int from jobs where workspace_id = ${W} and kind = 'outreach.batch') as jobs`,
  );
  const decided = async () =>
    (
      await queryRows<{ n: number }>(
        db,
        sql`select count(*)::int as n from campaign_recipients where workspace_id = ${W} and campaign_id in (${a.id}, ${b.id}) and state <> 'planned'`,
      )
    )[0].n;

  // the console's mix while the server sends
  const sendTally: Tally = new Map();
  const d0 = await decided();
  const ts = performance.now();
  cpu0 = cpuSeconds(server.pid);
  const probe = process.env.BENCH_DEBUG
    ? setTimeout(
        async () => {
          const act = await queryRows<{ state: string; wait: string | null; q: string; age: string }>(
            db,
            sql`select state, wait_event_type || ':' || wait_event as wait, left(query, 120) as q, (now() - xact_start)::text as age
            from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and (state <> 'idle' or query ilike '%outreach%')`,
          );
          console.log('mid-mix activity:', JSON.stringify(act, null, 1));
        },
        (SECONDS * 1000) / 2,
      )
    : null;
  const sending = row('mix, while sending', await mix(server, sessions, SECONDS, CONNECTIONS, sendTally), cpuSeconds(server.pid) - cpu0);
  if (probe) clearTimeout(probe);
  const d1 = await decided();
  if (process.env.BENCH_DEBUG) {
    const js = await queryRows<{ kind: string; status: string; n: number; err: string | null }>(
      db,
      sql`select kind, status, count(*)::int as n, max(last_error) as err from jobs where status in ('queued','running') and run_at <= now() group by 1, 2 order by 3 desc limit 12`,
    );
    console.log('due jobs after the mix:', JSON.stringify(js));
  }
  const rate = (d1 - d0) / ((performance.now() - ts) / 1000);
  // and the send alone for as long again (nothing else asking the server)
  const d2 = await decided();
  const ta = performance.now();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const d3 = await decided();
  const aloneRate = (d3 - d2) / ((performance.now() - ta) / 1000);

  const jobState = await queryRows<{ status: string; n: number; err: string | null }>(
    db,
    sql`select status, count(*)::int as n, max(last_error) as err from jobs where workspace_id = ${W} and kind = 'outreach.batch' group by status`,
  );
  if (process.env.BENCH_SERVER_OUTPUT) console.log(server.output().slice(-4000));
  console.log(`send jobs: ${jobState.map((j) => `${j.status} ${j.n}${j.err ? ` (${j.err.slice(0, 200)})` : ''}`).join(', ')}`);
  // the cap at size: nobody over it, and the people touched two days ago not sent again
  const [cap] = await queryRows<{ over: number; resent: number; sent: number; capped: number }>(
    db,
    sql`select
      (select count(*)::int from (select contact_id from outreach_touches where workspace_id = ${W} and at > now() - interval '7 days'
        group by contact_id having count(*) > 1) x) as over,
      (select count(*)::int from outreach_touches t join bench_people p on p.id = t.contact_id
        where t.workspace_id = ${W} and p.k % 20 = 4 and t.campaign_id in (${a.id}, ${b.id})) as resent,
      (select count(*)::int from campaign_recipients where workspace_id = ${W} and state = 'sent') as sent,
      (select count(*)::int from campaign_recipients where workspace_id = ${W} and reason = 'cap_reached') as capped`,
  );
  check(cap.over === 0, `${cap.over} people over the cap`);
  check(cap.resent === 0, `${cap.resent} people touched two days ago sent again`);
  const bad = [quiet, sending].reduce((x, r) => x + r.non2xx + r.errors, 0);
  check(bad === 0, `${bad} non-2xx or errors in the mix`);

  const med = [...pv].sort((x, y) => x - y)[1];
  let commit = '?';
  try {
    commit = execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
  } catch {
    /* not a checkout */
  }
  const mixRow = (r: Row) =>
    `| ${r.label} | ${f0(r.rps)} | ${r.p50} ms | ${r.p99} ms | ${f0(r.requests)} | ${r.non2xx + r.errors} | ${r.cpuMsPerReq.toFixed(2)} |`;
  out.push(
    `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}; load average ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}; commit ${commit}; PostgreSQL at ${url.host}`,
    `Command: BENCH_OUTREACH_CONTACTS=${N} BENCH_LOAD_SECONDS=${SECONDS} BENCH_LOAD_CONNECTIONS=${CONNECTIONS} npx tsx bench/outreach.ts`,
    '',
    `| ${f0(people)} contacts | |`,
    '|---|---:|',
    `| generate (set-based, not the product) | ${s1(genMs)} |`,
    `| preview of A (counts by reason + first page), median of 3 | ${s1(med)} (${pv.map(s1).join(', ')}) |`,
    `| send A and B at once: plan ${f0(planned)} recipients, queue ${f0(jobs)} jobs | ${s1(planMs)} |`,
    `| send rate, job runner, while the mix runs | ${f0(rate)} recipients/s |`,
    `| send rate, job runner, alone | ${f0(aloneRate)} recipients/s → all ${f0(planned)} in ~${f0(planned / Math.max(1, aloneRate) / 60)} min |`,
    `| decided so far: sent · cap reached | ${f0(cap.sent)} · ${f0(cap.capped)} (people touched 2 days ago: ${f0(expectCap)}; over the cap: ${cap.over}; sent again: ${cap.resent}) |`,
    '',
    `| console mix, ${CONNECTIONS} connections × ${SECONDS} s | requests/s | p50 | p99 | requests | non-2xx | server CPU ms/request |`,
    '|---|---:|---:|---:|---:|---:|---:|',
    mixRow(quiet),
    mixRow(sending),
    '',
    `Mix throughput while sending / without: ${(sending.rps / Math.max(1, quiet.rps)).toFixed(2)}; p50 ${(sending.p50 / Math.max(1, quiet.p50)).toFixed(2)}×.`,
  );
} finally {
  const code = await server.kill('SIGTERM');
  if (code !== 0) {
    failures++;
    console.error(`server exited with ${code} on SIGTERM\n${server.output().slice(-3000)}`);
  }
  await d.close();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
}
console.log(`\n${out.join('\n')}`);
if (failures) console.error(`FAILED: ${failures}`);
process.exit(failures ? 1 : 0);
