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
import { spawnServer } from '../ops/server-process.js';
import { cpuSeconds, memKb, mix, OPS, row, sampleSockets, signIn, smoke, type Row, type Starve, type Tally } from './http-mix.js';

const SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 30);
const CONNECTIONS = Number(process.env.BENCH_LOAD_CONNECTIONS ?? 100);
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
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
