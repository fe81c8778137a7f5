// `npm run bench -- startup`: how fast Keyward starts and how much memory it holds idle, on PGlite, beside
// a bare Fastify + PGlite process (bench/bare-server.mjs) measured in the same run on the same machine.
//   first start  a new data folder: Keyward seeds the demo workspace; the bare process runs initdb
//   restart      the same folder again (what a deploy or a crash recovery waits for)
//   idle RSS     the process's resident memory 3 s after it answered its first /api/health
// Time is from spawning `node` to the first 200 from GET /api/health. Medians of BENCH_STARTUP_RUNS (3).
// Targets (issue 14): restart ≤ 2 s, first start with the demo ≤ 10 s, idle RSS ≤ 350 MB.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureBuilt, freePort } from '../ops/server-process.js';

const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

type Start = { ms: number; rss: number };

async function start(script: string, dataDir: string, env: Record<string, string> = {}): Promise<Start> {
  const port = await freePort();
  const t0 = performance.now();
  const child: ChildProcess = spawn(process.execPath, [script], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', JOBS: 'off', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (b) => (err += b));
  let exited = false;
  child.once('exit', () => (exited = true));
  try {
    for (;;) {
      if (exited) throw new Error(`${script} exited before it was healthy:\n${err}`);
      try {
        const r = await fetch(`http://127.0.0.1:${port}/api/health`);
        if (r.status === 200) break;
      } catch {
        /* not listening yet */
      }
      await sleep(20);
    }
    const ms = performance.now() - t0;
    await sleep(3000);
    return { ms, rss: rssMiB(child.pid!) };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => (exited ? r(null) : child.once('exit', r)));
  }
}

async function measure(script: string, env?: Record<string, string>) {
  const first: Start[] = [];
  const restart: Start[] = [];
  for (let i = 0; i < RUNS; i++) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kw-startup-'));
    try {
      first.push(await start(script, dir, env));
      restart.push(await start(script, dir, env));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  return {
    first: median(first.map((s) => s.ms)),
    restart: median(restart.map((s) => s.ms)),
    rssFirst: median(first.map((s) => s.rss)),
    rssRestart: median(restart.map((s) => s.rss)),
  };
}

ensureBuilt();
console.log(`startup on PGlite, ${RUNS} runs each (medians), ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}`);
const bare = await measure('bench/bare-server.mjs');
const kw = await measure('dist/main.js');
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mb = (m: number) => `${Math.round(m)} MiB`;
const rows = [
  ['', 'Keyward', 'bare Fastify + PGlite', 'ratio', 'target', 'met'],
  [
    'first start (Keyward: with the demo)',
    s(kw.first),
    s(bare.first),
    `${(kw.first / bare.first).toFixed(1)}×`,
    '≤ 10 s',
    kw.first <= 10_000 ? 'yes' : 'NO',
  ],
  ['restart to healthy', s(kw.restart), s(bare.restart), `${(kw.restart / bare.restart).toFixed(1)}×`, '≤ 2 s', kw.restart <= 2000 ? 'yes' : 'NO'],
  [
    'idle RSS after restart',
    mb(kw.rssRestart),
    mb(bare.rssRestart),
    `${(kw.rssRestart / bare.rssRestart).toFixed(1)}×`,
    '≤ 350 MiB',
    kw.rssRestart <= 350 ? 'yes' : 'NO',
  ],
  ['idle RSS after first start', mb(kw.rssFirst), mb(bare.rssFirst), `${(kw.rssFirst / bare.rssFirst).toFixed(1)}×`, '', ''],
];
const w = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
for (const r of rows) console.log(`  ${r.map((c, i) => c.padEnd(w[i])).join('  ')}`);
