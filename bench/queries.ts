// Statements and CPU per request (issue 17, point 4): the HTTP load mix's routes, one by one and as the weighted
// mix, served in-process (`app.inject`) by the demo workspace on PostgreSQL, counting every statement the pool sends.
//   npm run bench -- queries        (= npx tsx bench/queries.ts)
//   BENCH_DATABASE_URL (default: the local test database; a scratch database is created and dropped)
//   BENCH_QUERIES_N (requests per route, 40)   BENCH_QUERIES_MIX (requests of the weighted mix per user, 1,500)
//   BENCH_QUERIES_SHOW=1 also prints each route's statements (their first 160 characters) for one request
// The baseline of the same run is GET /api/health with the same session cookie: what routing, the session and one
// `select 1` cost in this process. Statement counts are exact; CPU is this process's (user + system), so the
// machine's load shows in it — compare with the baseline and across commits in runs made one after another.
// Exit code 1 when a route answers other than its expected status.
import pg from 'pg';
import { buildApp } from '../server/app.js';
import { openPostgres } from '../server/db/client.js';
import { seedDemo } from '../server/demo/seed.js';
import { PG_URL } from './lib.js';

const N = Number(process.env.BENCH_QUERIES_N ?? 40);
const MIX = Number(process.env.BENCH_QUERIES_MIX ?? 1500);

let statements = 0;
let shown: string[] | null = null;
const query = pg.Client.prototype.query as (...a: unknown[]) => unknown;
(pg.Client.prototype as unknown as { query: (...a: unknown[]) => unknown }).query = function (this: pg.Client, ...a: unknown[]) {
  statements++;
  if (shown) {
    const q = a[0] as string | { text?: string; name?: string };
    const text = typeof q === 'string' ? q : `${q.name ? `[${q.name}] ` : ''}${q.text ?? ''}`;
    shown.push(text.replace(/\s+/g, ' ').slice(0, 160));
  }
  return query.apply(this, a);
};

type Req = { name: string; method: 'GET' | 'POST'; url: string; body?: unknown; weight: number; lead?: boolean };

const admin = new pg.Client({ connectionString: PG_URL });
await admin.connect();
const dbName = `kw_bench_queries_${process.pid}`;
await admin.query(`create database ${dbName}`);
const u = new URL(PG_URL);
u.pathname = `/${dbName}`;
const database = await openPostgres(u.toString());
let failed = false;
try {
  await database.migrate();
  await seedDemo(database.db);
  const app = await buildApp({ database, logLevel: 'warn' });
  console.log(`Statements and CPU per request, in-process, PostgreSQL (${N} requests per route, ${MIX} per user for the mix)\n`);
  for (const who of ['manager', 'aftersales']) {
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: `${who}@demo.keyward.cn`, password: 'Keyward2026!' },
    });
    const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const headers = { cookie, 'x-csrf-token': login.json().csrfToken as string, 'content-type': 'application/json' };
    const get = async (url: string) => (await app.inject({ method: 'GET', url, headers })).json();
    const account = (await get('/api/accounts?pageSize=5')).items[0].id as string;
    const ticket = (await get('/api/tickets?queue=all&status=open,in_progress&pageSize=5')).items[0].id as string;
    const lead = who === 'manager';
    // the weights of bench/http-load.ts's mix (dashboards only for the leads)
    const all: Req[] = [
      { name: 'GET /api/health (baseline)', method: 'GET', url: '/api/health', weight: 0 },
      { name: 'GET /api/accounts (filters)', method: 'GET', url: '/api/accounts?tier=A,B&sort=updatedAt&order=desc', weight: 16 },
      { name: 'GET /api/accounts/:id', method: 'GET', url: `/api/accounts/${account}`, weight: 14 },
      { name: 'GET /api/tickets (queues)', method: 'GET', url: '/api/tickets?queue=mine', weight: 16 },
      { name: 'GET /api/tickets/:id', method: 'GET', url: `/api/tickets/${ticket}`, weight: 10 },
      { name: 'GET /api/dashboards', method: 'GET', url: '/api/dashboards', weight: lead ? 8 : 0, lead: true },
      { name: 'GET /api/meetings', method: 'GET', url: '/api/meetings?scope=mine', weight: 8 },
      { name: 'GET /api/opportunities', method: 'GET', url: '/api/opportunities', weight: 8 },
      { name: 'GET /api/auth/me', method: 'GET', url: '/api/auth/me', weight: 5 },
      {
        name: 'POST /api/tickets',
        method: 'POST',
        url: '/api/tickets',
        body: { accountId: account, title: '压测工单', description: '报表导出偶发超时。', kind: 'product_issue', severity: 'low', channel: 'phone' },
        weight: 4,
      },
      {
        name: 'POST /api/tickets/:id/messages',
        method: 'POST',
        url: `/api/tickets/${ticket}/messages`,
        body: { body: '跟进', visibility: 'internal' },
        weight: 5,
      },
      {
        name: 'POST …/relationship-assessments',
        method: 'POST',
        url: `/api/accounts/${account}/relationship-assessments`,
        body: { metric: 'closeness', score: 3, evidence: '季度拜访' },
        weight: 3,
      },
      {
        name: 'POST …/behaviour-facts',
        method: 'POST',
        url: `/api/accounts/${account}/behaviour-facts`,
        body: { aspect: 'budget_cycle', content: '预算三季度定稿', source: 'private_visit' },
        weight: 3,
      },
    ];
    const reqs = all.filter((r) => !r.lead || lead);
    const send = async (r: Req) => {
      const res = await app.inject({ method: r.method, url: r.url, headers, payload: r.body === undefined ? undefined : JSON.stringify(r.body) });
      if (res.statusCode !== (r.method === 'POST' ? 201 : 200)) {
        failed = true;
        console.error(`${who} ${r.name}: ${res.statusCode} ${res.body.slice(0, 200)}`);
      }
    };
    const measure = async (n: number, next: () => Req) => {
      statements = 0;
      const c0 = process.cpuUsage();
      for (let i = 0; i < n; i++) await send(next());
      const c = process.cpuUsage(c0);
      return { q: statements / n, cpu: (c.user + c.system) / 1000 / n };
    };
    console.log(`| ${who} | statements / request | CPU ms / request |\n|---|---:|---:|`);
    for (const r of reqs) {
      await send(r); // warm (JIT, plans)
      if (process.env.BENCH_QUERIES_SHOW) {
        shown = [];
        await send(r);
        console.log(shown.map((t) => `    ${t}`).join('\n'));
        shown = null;
      }
      const m = await measure(N, () => r);
      console.log(`| ${r.name} | ${m.q.toFixed(1)} | ${m.cpu.toFixed(2)} |`);
    }
    const bag = reqs.flatMap((r) => Array.from({ length: r.weight }, () => r));
    const m = await measure(MIX, () => bag[Math.floor(Math.random() * bag.length)]);
    console.log(`| **weighted mix** | **${m.q.toFixed(2)}** | **${m.cpu.toFixed(2)}** |\n`);
  }
  await app.close();
} finally {
  await database.close();
  await admin.query(`drop database ${dbName} with (force)`);
  await admin.end();
}
process.exit(failed ? 1 : 0);
