// HTTP load (issue 9): the real server (`server/main.ts`, demo seeded, JOBS on) under autocannon with a
// realistic read/write mix from several signed-in demo users, first on PGlite, then on PostgreSQL.
//   npx tsx bench/http-load.ts
//   BENCH_LOAD_SECONDS (30)  BENCH_LOAD_CONNECTIONS (100)  BENCH_DATABASE_URL (postgres://postgres@127.0.0.1:5432/test)
//   BENCH_SKIP_PGLITE / BENCH_SKIP_PG leave one database out; BENCH_JOBS=off starts the server without its job runner.
// Each run measures a baseline first (GET /api/health: routing + one `select 1`) so the mix has a ratio.
// Exit code 1 when any request of the mix or the baseline got a non-2xx answer other than a 503 load shed
// (PGlite's bounded admission wait, KW_ADMISSION_TIMEOUT_MS), an error or a timeout; the 503 share is printed.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import autocannon from 'autocannon';
import pg from 'pg';
import { httpLogin, spawnServer, type ServerProcess } from '../ops/server-process.js';

const SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 30);
const CONNECTIONS = Number(process.env.BENCH_LOAD_CONNECTIONS ?? 100);
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const PASSWORD = 'Keyward2026!';
// different roles: leads see everything (and the dashboards), the front line sees its own accounts
const USERS = ['admin', 'manager', 'sales', 'sales2', 'aftersales', 'aftersales2', 'csm', 'delivery'].map((u) => `${u}@demo.keyward.cn`);

type Session = { email: string; lead: boolean; headers: Record<string, string>; accounts: string[]; tickets: string[] };
type Op = {
  name: string;
  write: boolean;
  weight: number;
  usable: (s: Session) => boolean;
  build: (s: Session, n: number) => { method: 'GET' | 'POST'; path: string; body?: unknown };
};

const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)];
const tiers = ['A', 'B', 'C', 'D', 'E'];
const stages = ['handover', 'startup', 'adaptation', 'renewal'];

// weights add up to 100; writes are 15 %
const OPS: Op[] = [
  {
    name: 'GET /api/accounts (filters)',
    write: false,
    weight: 16,
    usable: () => true,
    build: () => ({
      method: 'GET',
      path: pick([
        `/api/accounts?tier=${pick(tiers)},${pick(tiers)}&sort=updatedAt&order=desc`,
        `/api/accounts?stage=${pick(stages)}&pageSize=50`,
        '/api/accounts?q=%E9%87%8D%E5%B7%A5',
        '/api/accounts?sort=valueScore&order=desc&page=2',
      ]),
    }),
  },
  {
    name: 'GET /api/accounts/:id',
    write: false,
    weight: 14,
    usable: (s) => s.accounts.length > 0,
    build: (s) => ({ method: 'GET', path: `/api/accounts/${pick(s.accounts)}` }),
  },
  {
    name: 'GET /api/tickets (queues)',
    write: false,
    weight: 16,
    usable: () => true,
    build: () => ({ method: 'GET', path: `/api/tickets?queue=${pick(['mine', 'team', 'breaching', 'unassigned', 'all'])}` }),
  },
  {
    name: 'GET /api/tickets/:id',
    write: false,
    weight: 10,
    usable: (s) => s.tickets.length > 0,
    build: (s) => ({ method: 'GET', path: `/api/tickets/${pick(s.tickets)}` }),
  },
  { name: 'GET /api/dashboards', write: false, weight: 8, usable: (s) => s.lead, build: () => ({ method: 'GET', path: '/api/dashboards' }) },
  {
    name: 'GET /api/meetings',
    write: false,
    weight: 8,
    usable: () => true,
    build: (s) => ({ method: 'GET', path: `/api/meetings?scope=${s.lead ? pick(['mine', 'all']) : 'mine'}` }),
  },
  {
    name: 'GET /api/opportunities',
    write: false,
    weight: 8,
    usable: () => true,
    build: () => ({ method: 'GET', path: pick(['/api/opportunities', '/api/opportunities?mine=true']) }),
  },
  { name: 'GET /api/auth/me', write: false, weight: 5, usable: () => true, build: () => ({ method: 'GET', path: '/api/auth/me' }) },
  {
    name: 'POST /api/tickets',
    write: true,
    weight: 4,
    usable: (s) => s.accounts.length > 0,
    build: (s, n) => ({
      method: 'POST',
      path: '/api/tickets',
      body: {
        accountId: pick(s.accounts),
        title: `压测工单 ${n}`,
        description: '客户反馈报表导出偶发超时，请排查。',
        kind: pick(['product_issue', 'expert_request', 'new_need']),
        severity: pick(['high', 'medium', 'low']),
        channel: 'phone',
      },
    }),
  },
  {
    name: 'POST /api/tickets/:id/messages',
    write: true,
    weight: 5,
    usable: (s) => s.tickets.length > 0,
    build: (s, n) => ({
      method: 'POST',
      path: `/api/tickets/${pick(s.tickets)}/messages`,
      body: { body: `跟进记录 ${n}：已联系客户确认现象。`, visibility: pick(['public', 'internal']) },
    }),
  },
  {
    name: 'POST /api/accounts/:id/relationship-assessments',
    write: true,
    weight: 3,
    usable: (s) => s.accounts.length > 0,
    build: (s, n) => ({
      method: 'POST',
      path: `/api/accounts/${pick(s.accounts)}/relationship-assessments`,
      body: {
        metric: pick(['closeness', 'solution_acceptance', 'price_acceptance']),
        score: 1 + (n % 5),
        evidence: `季度拜访 ${n}：客户认可服务方案。`,
      },
    }),
  },
  {
    name: 'POST /api/accounts/:id/behaviour-facts',
    write: true,
    weight: 3,
    usable: (s) => s.accounts.length > 0,
    build: (s, n) => ({
      method: 'POST',
      path: `/api/accounts/${pick(s.accounts)}/behaviour-facts`,
      body: {
        aspect: pick(['budget_cycle', 'decision_process', 'procurement_habits', 'key_person_preferences']),
        content: `拜访了解 ${n}：预算每年三季度定稿。`,
        source: 'private_visit',
      },
    }),
  },
];

async function getJson(s: ServerProcess, sess: Session, path: string) {
  const res = await fetch(`${s.url}${path}`, { headers: sess.headers });
  if (res.status !== 200) throw new Error(`${sess.email} GET ${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<{ items: { id: string }[] }>;
}

async function signIn(s: ServerProcess): Promise<Session[]> {
  const out: Session[] = [];
  for (const email of USERS) {
    const { headers } = await httpLogin(s.url, email, PASSWORD);
    const me = (await (await fetch(`${s.url}/api/auth/me`, { headers })).json()) as { role: string };
    const sess: Session = { email, lead: ['admin', 'manager'].includes(me.role), headers, accounts: [], tickets: [] };
    sess.accounts = (await getJson(s, sess, '/api/accounts?pageSize=200')).items.map((a) => a.id);
    sess.tickets = (await getJson(s, sess, '/api/tickets?queue=all&status=open,in_progress,waiting_customer&pageSize=100')).items.map((t) => t.id);
    out.push(sess);
  }
  return out;
}

/** Every operation once per user before the load: a wrong route or body shows up here, not as noise. */
async function smoke(s: ServerProcess, sessions: Session[]) {
  let n = 0;
  for (const sess of sessions) {
    for (const op of OPS) {
      if (!op.usable(sess)) continue;
      const r = op.build(sess, n++);
      const res = await fetch(`${s.url}${r.path}`, {
        method: r.method,
        headers: sess.headers,
        body: r.body === undefined ? undefined : JSON.stringify(r.body),
      });
      if (res.status >= 300) throw new Error(`smoke: ${sess.email} ${op.name} ${r.method} ${r.path}: ${res.status} ${await res.text()}`);
    }
  }
}

type TallyRow = { n: number; bad: Map<number, number>; sample?: string; ms: number[] };
type Tally = Map<string, TallyRow>;

/** Per phase: connections that never got an answer, and what `ss` saw of the server's sockets while it ran. */
type Starve = { silentClients: number; clients: number; maxUnread: number; maxAcceptQueue: number; samples: number };

/**
 * Where a request waits when the client times out (issue 17, point 3): sampled every 500 ms with `ss` — server-side
 * sockets holding bytes the server has not read (Recv-Q > 0) and connections waiting in the listen queue not yet
 * accepted. Linux only; nothing is sampled where `ss` is missing.
 */
function sampleSockets(port: number, into: Starve): () => void {
  const t = setInterval(() => {
    try {
      const est = execSync(`ss -tnH state established '( sport = :${port} )'`, { encoding: 'utf8' });
      const unread = est.split('\n').filter((l) => l.trim() && Number(l.trim().split(/\s+/)[0]) > 0).length;
      const lst = execSync(`ss -ltnH '( sport = :${port} )'`, { encoding: 'utf8' }).trim().split(/\s+/);
      into.maxUnread = Math.max(into.maxUnread, unread);
      into.maxAcceptQueue = Math.max(into.maxAcceptQueue, Number(lst[1]) || 0);
      into.samples++;
    } catch {
      /* no ss here */
    }
  }, 500);
  return () => clearInterval(t);
}

function mix(s: ServerProcess, sessions: Session[], seconds: number, connections: number, tally: Tally, starve?: Starve) {
  let n = 0;
  const plan = sessions.map((sess) => {
    const ops = OPS.filter((o) => o.usable(sess));
    const total = ops.reduce((a, o) => a + o.weight, 0);
    return { sess, ops, total };
  });
  return autocannon({
    url: s.url,
    connections,
    duration: seconds,
    timeout: 30,
    // count each connection's answers: a timeout of a connection that never got one is a client starved for the whole run
    setupClient: (client: { on(e: string, f: () => void): void }) => {
      if (!starve) return;
      starve.clients++;
      let answered = false;
      starve.silentClients++;
      client.on('response', () => {
        if (answered) return;
        answered = true;
        starve.silentClients--;
      });
    },
    requests: [
      {
        setupRequest: (_req, context) => {
          const p = pick(plan);
          let x = Math.random() * p.total;
          const op =
            p.ops.find((o) => {
              x -= o.weight;
              return x < 0;
            }) ?? p.ops[0];
          const r = op.build(p.sess, n++);
          (context as { op?: string; t0?: number }).op = op.name;
          (context as { t0?: number }).t0 = performance.now();
          // a fresh headers object each time: autocannon writes Content-Length into the one it is given
          const headers: Record<string, string> = { cookie: p.sess.headers.cookie, 'x-csrf-token': p.sess.headers['x-csrf-token'] };
          if (r.body === undefined) return { method: r.method, path: r.path, headers };
          return { method: r.method, path: r.path, headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(r.body) };
        },
        onResponse: (status, body, context) => {
          const name = (context as { op?: string }).op ?? '?';
          const t: TallyRow = tally.get(name) ?? { n: 0, bad: new Map(), ms: [] };
          t.ms.push(performance.now() - ((context as { t0?: number }).t0 ?? 0));
          t.n++;
          if (status < 200 || status >= 300) {
            t.bad.set(status, (t.bad.get(status) ?? 0) + 1);
            t.sample ??= `${status} ${body.slice(0, 300)}`;
          }
          tally.set(name, t);
        },
      },
    ],
  });
}

function memKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** CPU seconds the process has used (user + system), from /proc/<pid>/stat (clock ticks of 1/100 s). */
function cpuSeconds(pid: number): number {
  try {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}

type Row = {
  label: string;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  /** 503 + Retry-After from the PGlite admission gate (load shed, nothing done): counted apart */
  shed: number;
  errors: number;
  timeouts: number;
  requests: number;
  cores: number;
  cpuMsPerReq: number;
};
const row = (label: string, r: autocannon.Result, cpu: number): Row => ({
  label,
  rps: r.requests.average,
  p50: r.latency.p50,
  p99: r.latency.p99,
  non2xx: r.non2xx,
  shed: (r as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats?.['503']?.count ?? 0,
  errors: r.errors,
  timeouts: r.timeouts,
  requests: r.requests.total,
  cores: cpu / r.duration,
  cpuMsPerReq: (1000 * cpu) / Math.max(1, r.requests.total),
});

type DbResult = { db: string; startupMs: number; base: Row; load: Row; peakRssMb: number; hwmMb: number; writes: number; tally: Tally };

let shutdownFailures = 0;

async function runOn(db: string, env: Record<string, string>): Promise<DbResult> {
  // BENCH_SERVER_LOG=<file>: the server logs every request (LOG_LEVEL=info) and its output is kept there
  const logTo = process.env.BENCH_SERVER_LOG;
  const server = await spawnServer({
    env: { JOBS: process.env.BENCH_JOBS ?? 'on', SEED_DEMO: 'auto', ...(logTo ? { LOG_LEVEL: 'info' } : {}), ...env },
    timeoutMs: 300_000,
  });
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, memKb(server.pid, 'VmRSS'))), 500);
  try {
    console.log(`${db}: server ready in ${server.startupMs} ms (pid ${server.pid}, demo seeded)`);
    const sessions = await signIn(server);
    console.log(
      `${db}: signed in ${sessions.map((x) => `${x.email.split('@')[0]} (${x.accounts.length} accounts, ${x.tickets.length} tickets)`).join(', ')}`,
    );
    await smoke(server, sessions);
    // warm-up (JIT, planner, connection pool) — not measured
    await mix(server, sessions, 3, Math.min(CONNECTIONS, 20), new Map());
    console.log(`${db}: baseline GET /api/health, ${CONNECTIONS} connections, ${SECONDS} s …`);
    let cpu0 = cpuSeconds(server.pid);
    const base = await autocannon({ url: `${server.url}/api/health`, connections: CONNECTIONS, duration: SECONDS, timeout: 30 });
    const baseCpu = cpuSeconds(server.pid) - cpu0;
    console.log(`${db}: mix, ${CONNECTIONS} connections, ${SECONDS} s …`);
    const tally: Tally = new Map();
    const starve: Starve = { silentClients: 0, clients: 0, maxUnread: 0, maxAcceptQueue: 0, samples: 0 };
    const stopSampling = sampleSockets(Number(new URL(server.url).port), starve);
    cpu0 = cpuSeconds(server.pid);
    let load: autocannon.Result;
    try {
      load = await mix(server, sessions, SECONDS, CONNECTIONS, tally, starve);
    } finally {
      stopSampling();
    }
    console.log(
      `${db}: mix — clients (connections incl. reconnects) that never got an answer: ${starve.silentClients} of ${starve.clients}; ` +
        `server sockets with unread bytes, most at once: ${starve.maxUnread}; listen queue, most at once: ${starve.maxAcceptQueue} (${starve.samples} samples)`,
    );
    const loadCpu = cpuSeconds(server.pid) - cpu0;
    peakRss = Math.max(peakRss, memKb(server.pid, 'VmRSS'));
    const hwm = memKb(server.pid, 'VmHWM');
    const writes = [...tally].filter(([k]) => OPS.find((o) => o.name === k)?.write).reduce((a, [, t]) => a + t.n, 0);
    return {
      db,
      startupMs: server.startupMs,
      base: row('baseline GET /api/health', base, baseCpu),
      load: row('read/write mix', load, loadCpu),
      peakRssMb: peakRss / 1024,
      hwmMb: hwm / 1024,
      writes,
      tally,
    };
  } finally {
    clearInterval(sampler);
    const code = await server.kill('SIGTERM');
    if (logTo) fs.writeFileSync(`${logTo}.${db.replace(/\W+/g, '')}`, server.output());
    if (code !== 0) {
      shutdownFailures++;
      console.error(`${db}: server exited with ${code} on SIGTERM (expected 0)\n${server.output().slice(-3000)}`);
    } else console.log(`${db}: server stopped on SIGTERM with exit code 0`);
    if (!env.DATABASE_URL) fs.rmSync(server.dataDir, { recursive: true, force: true });
  }
}

const f0 = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 0 });
const f1 = (x: number) => x.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

function table(r: DbResult): string {
  const lines = [
    `| ${r.db} | requests/s | p50 | p99 | requests | non-2xx | of which 503 (shed) | errors (timeouts) | server CPU (cores) | server CPU ms/request |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...[r.base, r.load].map(
      (x) =>
        `| ${x.label} | ${f0(x.rps)} | ${x.p50} ms | ${x.p99} ms | ${f0(x.requests)} | ${x.non2xx} | ${x.shed} (${((100 * x.shed) / Math.max(1, x.requests)).toFixed(1)} %) | ${x.errors} (${x.timeouts}) | ${x.cores.toFixed(2)} | ${x.cpuMsPerReq.toFixed(2)} |`,
    ),
    '',
    `Mix / baseline throughput: ${(r.load.rps / r.base.rps).toFixed(3)} (1 : ${f1(r.base.rps / r.load.rps)}). Writes: ${f0(r.writes)} of ${f0(r.load.requests)} (${((100 * r.writes) / Math.max(1, r.load.requests)).toFixed(1)} %). ` +
      `Server memory: peak RSS sampled ${f0(r.peakRssMb)} MiB, VmHWM ${f0(r.hwmMb)} MiB. Start (migrate + seed): ${f1(r.startupMs / 1000)} s.`,
    '',
    '| operation | requests | non-2xx | p50 | p99 |',
    '|---|---:|---:|---:|---:|',
    ...OPS.map((o) => {
      const t = r.tally.get(o.name);
      const bad = t ? [...t.bad].map(([s, c]) => `${c}× ${s}`).join(', ') : '';
      const ms = [...(t?.ms ?? [])].sort((a, b) => a - b);
      const q = (p: number) => (ms.length ? `${f0(ms[Math.min(ms.length - 1, Math.floor(p * ms.length))])} ms` : '–');
      return `| ${o.name}${o.write ? ' (write)' : ''} | ${f0(t?.n ?? 0)} | ${bad || 0} | ${q(0.5)} | ${q(0.99)} |`;
    }),
  ];
  return lines.join('\n');
}

const results: DbResult[] = [];
if (!process.env.BENCH_SKIP_PGLITE) results.push(await runOn('PGlite', {}));
if (!process.env.BENCH_SKIP_PG) {
  const name = `kw_bench_http_${process.pid}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const u = new URL(PG_URL);
  u.pathname = `/${name}`;
  try {
    results.push(await runOn('PostgreSQL 15', { DATABASE_URL: u.toString() }));
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

let commit = '?';
try {
  commit = execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
} catch {
  /* not a checkout */
}
console.log(
  `\nMachine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, ${f0(os.totalmem() / 2 ** 30)} GiB; load average ${os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}; node ${process.version}; commit ${commit}`,
);
console.log(`Command: BENCH_LOAD_SECONDS=${SECONDS} BENCH_LOAD_CONNECTIONS=${CONNECTIONS} npx tsx bench/http-load.ts\n`);
let bad = 0;
for (const r of results) {
  console.log(`${table(r)}\n`);
  for (const [name, t] of r.tally) if (t.sample) console.log(`  ${name}: first non-2xx: ${t.sample}`);
  // a 503 with Retry-After is the server saying it cannot serve in time (PGlite's bounded admission,
  // issue 17): reported as the shed share, not a failure; anything else non-2xx, and any timeout, is
  bad += r.base.non2xx - r.base.shed + r.base.errors + r.load.non2xx - r.load.shed + r.load.errors;
  console.log(
    `${r.db}: 503 share (load shed) — baseline ${r.base.shed} of ${f0(r.base.requests)} (${((100 * r.base.shed) / Math.max(1, r.base.requests)).toFixed(2)} %), ` +
      `mix ${r.load.shed} of ${f0(r.load.requests)} (${((100 * r.load.shed) / Math.max(1, r.load.requests)).toFixed(2)} %); timeouts ${r.base.timeouts + r.load.timeouts}`,
  );
}
bad += shutdownFailures;
if (bad) console.error(`FAILED: ${bad} non-2xx answers, errors or unclean shutdowns`);
process.exit(bad ? 1 : 0);
