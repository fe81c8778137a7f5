// Where the mix's server CPU goes (issue 17, point 4): the weighted mix of bench/queries.ts served in-process by the
// demo workspace on PostgreSQL under the V8 sampling profiler, then self time grouped by package and by function.
//   npx tsx bench/profile.ts            BENCH_PROFILE_MIX (requests per user, 2,000)  BENCH_PROFILE_OUT (write the .cpuprofile)
// Self time: the samples spent in a function's own code (not its callees). "ours" = server/, by file.
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import pg from 'pg';
import { buildApp } from '../server/app.js';
import { openPostgres } from '../server/db/client.js';
import { seedDemo } from '../server/demo/seed.js';
import { PG_URL } from './lib.js';

const MIX = Number(process.env.BENCH_PROFILE_MIX ?? 2000);
const admin = new pg.Client({ connectionString: PG_URL });
await admin.connect();
const dbName = `kw_bench_profile_${process.pid}`;
await admin.query(`create database ${dbName}`);
const u = new URL(PG_URL);
u.pathname = `/${dbName}`;
const database = await openPostgres(u.toString());
type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount: number; children?: number[] };
try {
  await database.migrate();
  await seedDemo(database.db);
  const app = await buildApp({ database, logLevel: 'warn' });
  const bags: { headers: Record<string, string>; bag: { method: 'GET' | 'POST'; url: string; body?: unknown }[] }[] = [];
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
    const w: [number, 'GET' | 'POST', string, unknown?][] = [
      [16, 'GET', '/api/accounts?tier=A,B&sort=updatedAt&order=desc'],
      [14, 'GET', `/api/accounts/${account}`],
      [16, 'GET', '/api/tickets?queue=mine'],
      [10, 'GET', `/api/tickets/${ticket}`],
      [who === 'manager' ? 8 : 0, 'GET', '/api/dashboards'],
      [8, 'GET', '/api/meetings?scope=mine'],
      [8, 'GET', '/api/opportunities'],
      [5, 'GET', '/api/auth/me'],
      [
        4,
        'POST',
        '/api/tickets',
        { accountId: account, title: '压测工单', description: '报表导出偶发超时。', kind: 'product_issue', severity: 'low', channel: 'phone' },
      ],
      [5, 'POST', `/api/tickets/${ticket}/messages`, { body: '跟进', visibility: 'internal' }],
      [3, 'POST', `/api/accounts/${account}/relationship-assessments`, { metric: 'closeness', score: 3, evidence: '季度拜访' }],
      [3, 'POST', `/api/accounts/${account}/behaviour-facts`, { aspect: 'budget_cycle', content: '预算三季度定稿', source: 'private_visit' }],
    ];
    const only = process.env.BENCH_PROFILE_ONLY;
    if (only)
      for (const x of w) if (!x[2].startsWith(only) || (process.env.BENCH_PROFILE_METHOD && x[1] !== process.env.BENCH_PROFILE_METHOD)) x[0] = 0;
    bags.push({ headers, bag: w.flatMap(([n, method, url, body]) => Array.from({ length: n }, () => ({ method, url, body }))) });
  }
  const run = async (n: number) => {
    for (let i = 0; i < n; i++) {
      for (const { headers, bag } of bags) {
        const r = bag[Math.floor(Math.random() * bag.length)];
        const res = await app.inject({ method: r.method, url: r.url, headers, payload: r.body === undefined ? undefined : JSON.stringify(r.body) });
        if (res.statusCode >= 300) throw new Error(`${r.method} ${r.url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
      }
    }
  };
  await run(200); // warm
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  const c0 = process.cpuUsage();
  await run(MIX);
  const c = process.cpuUsage(c0);
  const { profile } = (await session.post('Profiler.stop')) as { profile: { nodes: Node[] } };
  if (process.env.BENCH_PROFILE_OUT) fs.writeFileSync(process.env.BENCH_PROFILE_OUT, JSON.stringify(profile));
  console.log(`CPU ms / request: ${((c.user + c.system) / 1000 / (MIX * 2)).toFixed(2)} (${MIX * 2} requests)\n`);
  const total = profile.nodes.reduce((s, n) => s + n.hitCount, 0);
  const by = (key: (n: Node) => string) => {
    const m = new Map<string, number>();
    for (const n of profile.nodes) m.set(key(n), (m.get(key(n)) ?? 0) + n.hitCount);
    return [...m].sort((a, b) => b[1] - a[1]);
  };
  const where = (n: Node) => {
    const url = n.callFrame.url;
    const nm = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
    if (nm) return nm[1];
    if (url.includes('/server/')) return `ours ${url.slice(url.indexOf('/server/') + 1)}`;
    if (url.startsWith('node:')) return url;
    return url || `(${n.callFrame.functionName || 'program'})`;
  };
  const show = (title: string, rows: [string, number][], k = 30) => {
    console.log(`| ${title} | self % |\n|---|---:|`);
    for (const [name, hits] of rows.slice(0, k)) console.log(`| ${name} | ${((hits / total) * 100).toFixed(1)} |`);
    console.log();
  };
  show('where', by(where));
  show(
    'function',
    by((n) => `${n.callFrame.functionName || '(anon)'} ${where(n)}:${n.callFrame.lineNumber}`),
    45,
  );
  await app.close();
} finally {
  await database.close();
  await admin.query(`drop database ${dbName} with (force)`);
  await admin.end();
}
process.exit(0);
