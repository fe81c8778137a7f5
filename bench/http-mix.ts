/**
 * The HTTP read/write mix of the staff console (issue 9): the demo users, the weighted operations, signing in,
 * a smoke pass, the autocannon run with its per-operation tally, and the server's CPU and memory from /proc.
 * Shared by `bench/http-load.ts` and `bench/outreach.ts` (the mix while a campaign sends).
 */
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import autocannon from 'autocannon';
import { httpLogin, type ServerProcess } from '../ops/server-process.js';

export const PASSWORD = 'Keyward2026!';
// different roles: leads see everything (and the dashboards), the front line sees its own accounts
export const USERS = ['admin', 'manager', 'sales', 'sales2', 'aftersales', 'aftersales2', 'csm', 'delivery'].map((u) => `${u}@demo.keyward.cn`);

export type Session = { email: string; lead: boolean; headers: Record<string, string>; accounts: string[]; tickets: string[] };
export type Op = {
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
export const OPS: Op[] = [
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

export async function signIn(s: ServerProcess): Promise<Session[]> {
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
export async function smoke(s: ServerProcess, sessions: Session[]) {
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

export type TallyRow = { n: number; bad: Map<number, number>; sample?: string; ms: number[] };
export type Tally = Map<string, TallyRow>;

/** Per phase: connections that never got an answer, and what `ss` saw of the server's sockets while it ran. */
export type Starve = { silentClients: number; clients: number; maxUnread: number; maxAcceptQueue: number; samples: number };

/**
 * Where a request waits when the client times out (issue 17, point 3): sampled every 500 ms with `ss` — server-side
 * sockets holding bytes the server has not read (Recv-Q > 0) and connections waiting in the listen queue not yet
 * accepted. Linux only; nothing is sampled where `ss` is missing.
 */
export function sampleSockets(port: number, into: Starve): () => void {
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

export function mix(s: ServerProcess, sessions: Session[], seconds: number, connections: number, tally: Tally, starve?: Starve) {
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

export function memKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** CPU seconds the process has used (user + system), from /proc/<pid>/stat (clock ticks of 1/100 s). */
export function cpuSeconds(pid: number): number {
  try {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}

export type Row = {
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
export const row = (label: string, r: autocannon.Result, cpu: number): Row => ({
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
