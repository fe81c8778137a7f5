// Starts the real server (the compiled `dist/main.js`, as `npm start` does; built first when missing or
// stale) as a child process: the browser journeys, the crash/backup/two-instance drills and the HTTP load
// and startup benchmarks all use it.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export type ServerProcess = {
  url: string;
  port: number;
  pid: number;
  /** the PGlite folder (also when DATABASE_URL is set: unused then) */
  dataDir: string;
  startupMs: number;
  output: () => string;
  /** resolves with the exit code (null when killed by a signal) */
  exited: Promise<number | null>;
  /** sends a signal and waits for the exit; SIGKILL is the crash drill */
  kill(signal?: NodeJS.Signals): Promise<number | null>;
};

export type SpawnOptions = {
  /** extra environment (DATABASE_URL, JOBS, SEED_DEMO, …) */
  env?: Record<string, string>;
  /** reuse a PGlite folder (a restart after a crash); a new temporary one otherwise */
  dataDir?: string;
  port?: number;
  timeoutMs?: number;
};

/** Spawns Keyward and waits for "Keyward is ready"; rejects with the output if it exits first. */
let built = false;
/** Builds dist/ (and the web bundles) once per process when missing or older than their sources. */
export function ensureBuilt() {
  if (built) return;
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  built = true;
}

export async function spawnServer(opts: SpawnOptions = {}): Promise<ServerProcess> {
  ensureBuilt();
  const port = opts.port ?? (await freePort());
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'kw-srv-'));
  const started = Date.now();
  // BENCH_SERVER_NODE_ARGS: extra node flags for the server (a benchmark's `--cpu-prof --cpu-prof-dir=…`)
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child: ChildProcess = spawn(process.execPath, ['--max-semi-space-size=64', ...nodeArgs, 'dist/main.js'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (b) => (out += b));
  child.stderr!.on('data', (b) => (out += b));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const timeoutMs = opts.timeoutMs ?? 120_000;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start in ${timeoutMs / 1000} s:\n${out}`));
    }, timeoutMs);
    const check = setInterval(() => {
      if (out.includes('Keyward is ready')) {
        clearInterval(check);
        clearTimeout(timer);
        resolve();
      }
    }, 50);
    void exited.then((code) => {
      clearInterval(check);
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid!,
    dataDir,
    startupMs: Date.now() - started,
    output: () => out,
    exited,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Signs in over HTTP and returns what later requests need (cookie + CSRF header). */
export async function httpLogin(baseUrl: string, email: string, password: string, path = '/api/auth/login') {
  const res = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${await res.text()}`);
  const sid = res.headers
    .getSetCookie()
    .find((c) => c.startsWith('kw_sid='))!
    .split(';')[0];
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie: sid, csrf: csrfToken, headers: { cookie: sid, 'x-csrf-token': csrfToken, 'content-type': 'application/json' } };
}
