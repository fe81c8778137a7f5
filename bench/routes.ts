// Server CPU per request, route by route, over real HTTP (issue 17, point 4): the real server (`server/main.ts`, demo
// seeded, jobs on) on a fresh PostgreSQL database; for each route of the console's mix, autocannon with one user's
// session for a few seconds, and the server process's CPU (from /proc) over the requests it answered.
//   npm run bench -- routes          BENCH_ROUTES_SECONDS (5)  BENCH_ROUTES_CONNECTIONS (20)  BENCH_DATABASE_URL
// The first row is the baseline of the same run (GET /api/health: routing + `select 1`). Exit code 1 on any non-2xx.
import pg from 'pg';
import autocannon from 'autocannon';
import { spawnServer } from '../ops/server-process.js';
import { cpuSeconds, OPS, signIn } from './http-mix.js';

const SECONDS = Number(process.env.BENCH_ROUTES_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_ROUTES_CONNECTIONS ?? 20);
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const name = `kw_bench_routes_${process.pid}`;
const admin = new pg.Client({ connectionString: PG_URL });
await admin.connect();
await admin.query(`create database ${name}`);
const u = new URL(PG_URL);
u.pathname = `/${name}`;
let failed = false;
try {
  const server = await spawnServer({ env: { JOBS: 'on', SEED_DEMO: 'auto', DATABASE_URL: u.toString() }, timeoutMs: 300_000 });
  try {
    const sessions = await signIn(server);
    const manager = sessions.find((s) => s.email.startsWith('manager@'))!;
    console.log(`Server CPU per request over HTTP, PostgreSQL, ${CONNECTIONS} connections × ${SECONDS} s per route, as the manager\n`);
    console.log('| route | requests/s | server CPU ms / request |\n|---|---:|---:|');
    const routes = [
      { name: 'GET /api/health (baseline)', build: () => ({ method: 'GET' as const, path: '/api/health', body: undefined as unknown }) },
      ...OPS.filter((o) => o.usable(manager)).map((o) => ({ name: o.name, build: (n: number) => o.build(manager, n) })),
    ];
    for (const r of routes) {
      let n = 0;
      const first = r.build(n);
      const run = () =>
        autocannon({
          url: server.url,
          connections: CONNECTIONS,
          duration: SECONDS,
          requests: [
            {
              setupRequest: (req) => {
                const b = r.build(n++);
                return {
                  ...req,
                  method: b.method,
                  path: b.path,
                  headers: { ...manager.headers },
                  body: b.body === undefined ? undefined : JSON.stringify(b.body),
                };
              },
            },
          ],
        });
      await autocannon({
        url: `${server.url}${first.path}`,
        connections: 4,
        amount: 50,
        headers: manager.headers,
        method: first.method,
        body: first.body === undefined ? undefined : JSON.stringify(first.body),
      });
      const c0 = cpuSeconds(server.pid);
      const res = await run();
      const cpu = cpuSeconds(server.pid) - c0;
      const ok = res['2xx'];
      if (res.non2xx || res.errors) {
        failed = true;
        console.error(`${r.name}: ${res.non2xx} non-2xx, ${res.errors} errors`);
      }
      console.log(`| ${r.name} | ${(ok / SECONDS).toFixed(0)} | ${((cpu * 1000) / Math.max(1, ok)).toFixed(2)} |`);
    }
  } finally {
    await server.kill('SIGTERM');
  }
} finally {
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
}
process.exit(failed ? 1 : 0);
