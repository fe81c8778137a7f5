// SIGTERM under load (issue #9 part 5), the real process: ~20 requests (reads and ticket writes) are
// kept in flight by 20 client loops; at a random moment the server gets SIGTERM. Then:
//   - every request the server had accepted before the signal completed with a proper (2xx) answer —
//     no connection reset, no 5xx from a database closed under it;
//   - the process exits with code 0 (not the 15 s forced exit of main.ts, not a crash);
//   - every acknowledged write is there after a restart on the same folder/database.
// "Accepted" is observed, not timed: the server runs with LOG_LEVEL=info and logs "incoming request"
// with the URL of each request it has started; every request carries a unique ?probe=N. Requests that
// were still in the client or the kernel (not yet read by the server) may legitimately be refused or
// reset; they are counted and reported, and none of them may have been acknowledged without being
// persisted. Since issue 17 the server first reads what has arrived before it stops listening, so none
// sent before the signal may be lost either — also on a freshly started instance (the `fresh` drills:
// 40 requests in flight from the first moment, no warm-up).
//
// What makes it fail: shutdown closing the database before in-flight requests finish (5xx), closing
// busy keep-alive sockets (reset of an accepted request), a shutdown that hangs or exits non-zero, or a
// write answered before its commit.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnServer, type ServerProcess } from './server-process.js';
import {
  api,
  demoFixture,
  freshPgDatabase,
  login,
  rows,
  START_TIMEOUT_MS,
  TEST_PG,
  waitFor,
  withDirect,
  type Session,
  type Target,
} from './drill-support.js';

const LOOPS = 20;
/** a freshly started instance: 40 requests in flight from the first moment, the signal as they arrive */
const FRESH_LOOPS = 40;
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => {});
});

type Req = { probe: number; what: string; beforeSignal: boolean; done: boolean; status?: number; error?: string; ticketId?: string };

async function sigtermDrill(kind: 'pglite' | 'postgres', opts: { fresh?: boolean } = {}) {
  const loopCount = opts.fresh ? FRESH_LOOPS : LOOPS;
  let env: Record<string, string> = { JOBS: 'off', LOG_LEVEL: 'info' };
  let target: Target;
  if (kind === 'postgres') {
    const d = await freshPgDatabase('kw_sigterm');
    cleanups.push(d.drop);
    target = { kind, url: d.url };
    env = { ...env, DATABASE_URL: d.url };
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kw-sigterm-'));
  cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  if (kind === 'pglite') target = { kind, dataDir };
  let server: ServerProcess = await spawnServer({ env, dataDir, timeoutMs: START_TIMEOUT_MS });
  cleanups.push(() => server.kill('SIGKILL'));
  const admin = await login(server.url);
  const fx = await demoFixture(admin);
  const sessions = await Promise.all(Array.from({ length: 4 }, () => login(server.url)));
  const someTicket = (
    await api<{ id: string }>(admin, 'POST', '/api/tickets', {
      accountId: fx.accounts[0].id,
      title: 'warm-up',
      description: 'sigterm drill',
      kind: 'product_issue',
      severity: 'low',
    })
  ).body.id;

  const reqs: Req[] = [];
  let probe = 0;
  let signalled = false;
  const one = async (s: Session, i: number) => {
    const r: Req = { probe: ++probe, what: '', beforeSignal: !signalled, done: false };
    reqs.push(r);
    const acc = fx.accounts[(r.probe * 7 + i) % fx.accounts.length];
    const q = `?probe=${r.probe}`;
    const pick = r.probe % 5;
    try {
      let res: { status: number; body: any };
      if (pick === 0 || pick === 1) {
        r.what = 'POST /api/tickets';
        res = await api(s, 'POST', `/api/tickets${q}`, {
          accountId: acc.id,
          title: `sigterm ${r.probe}`,
          description: 'sigterm drill',
          kind: 'expert_request',
          severity: 'medium',
        });
        if (res.status === 201) r.ticketId = res.body.id;
      } else if (pick === 2) {
        r.what = 'GET service tab';
        res = await api(s, 'GET', `/api/accounts/${acc.id}/service${q}`);
      } else if (pick === 3) {
        r.what = 'GET ticket';
        res = await api(s, 'GET', `/api/tickets/${someTicket}${q}`);
      } else {
        r.what = 'GET budget';
        res = await api(s, 'GET', `/api/accounts/${acc.id}/value-add/budget${q}`);
      }
      r.status = res.status;
    } catch (err) {
      r.error = String((err as Error & { cause?: Error }).cause?.message ?? (err as Error).message);
    }
    r.done = true;
  };
  const loops = Array.from({ length: loopCount }, async (_, i) => {
    while (!signalled) await one(sessions[i % sessions.length], i);
  });

  // warm up, then signal at a random moment while the loops keep ~20 requests in flight; a fresh
  // instance gets the signal while its first 40 requests are still arriving (cold caches, nothing answered yet)
  if (opts.fresh) {
    await waitFor('40 requests sent', () => reqs.length >= FRESH_LOOPS, 10_000, 1);
    await new Promise((r) => setTimeout(r, 20 + Math.random() * 80));
  } else {
    const warm = 60 + Math.floor(Math.random() * 80);
    await waitFor(`${warm} answered requests`, () => reqs.filter((r) => r.done).length >= warm, 90_000, 10);
    await new Promise((r) => setTimeout(r, Math.random() * 300));
  }
  signalled = true;
  const inFlightAtSignal = reqs.filter((r) => !r.done).length;
  const exit = server.kill('SIGTERM');
  await Promise.all(loops);
  const code = await exit;
  const out = server.output();

  const accepted = new Set<number>();
  for (const line of out.split('\n')) {
    if (!line.includes('"incoming request"')) continue;
    const m = /[?&]probe=(\d+)/.exec(line);
    if (m) accepted.add(Number(m[1]));
  }
  const sent = reqs.filter((r) => r.beforeSignal);
  const acceptedReqs = sent.filter((r) => accepted.has(r.probe));
  const bad = acceptedReqs.filter((r) => r.error || !r.status || r.status >= 300);
  // not read by the server before it closed: refused, or (on a keep-alive socket) a 503 "closing" answer
  // or a reset of the idle socket — the request was never processed, so a client may retry it
  const notAccepted = sent.filter((r) => !accepted.has(r.probe));
  console.log(
    `[sigterm ${kind}${opts.fresh ? ' fresh' : ''}] ${sent.length} requests before the signal, ${inFlightAtSignal} in flight at the signal; ` +
      `${acceptedReqs.length} accepted by the server; ${notAccepted.length} never reached it (${notAccepted.map((r) => r.error ?? r.status).join(', ') || '—'}); exit ${code}`,
  );
  expect(inFlightAtSignal, 'the drill needs requests in flight at the signal').toBeGreaterThan(0);
  expect(
    bad.map((r) => `${r.probe} ${r.what}: ${r.error ?? r.status}`),
    'accepted requests must complete with a proper answer',
  ).toEqual([]);
  // and none is lost on the way in: a request sent before the signal was read and answered (a fresh
  // instance, slow to read its sockets, used to reset or 503 7–24 of 40 — issue 17)
  expect(
    notAccepted.map((r) => `${r.probe} ${r.what}: ${r.error ?? r.status}`),
    'requests sent before the signal must be read, not reset',
  ).toEqual([]);
  expect(code, out.slice(-3000)).toBe(0);
  expect(out).not.toMatch(/"level":(50|60)/); // no error or fatal logged during the shutdown

  // acknowledged writes survive: restart on the same folder/database
  const acked = sent.filter((r) => r.ticketId).map((r) => r.ticketId!);
  server = await spawnServer({ env: { ...env, LOG_LEVEL: 'warn' }, dataDir, timeoutMs: START_TIMEOUT_MS });
  const again = await login(server.url);
  for (const id of acked) expect((await api(again, 'GET', `/api/tickets/${id}`)).status, `ticket ${id}`).toBe(200);
  expect(await server.kill('SIGTERM')).toBe(0);
  await withDirect(target!, async (db) => {
    const titles = new Set((await rows<{ title: string }>(db, sql`select title from tickets where title like 'sigterm %'`)).map((r) => r.title));
    for (const r of sent.filter((x) => x.ticketId)) expect(titles.has(`sigterm ${r.probe}`), `acknowledged ticket of request ${r.probe}`).toBe(true);
    // a write the server never read cannot be there (else "accepted" above would be mis-detected)
    for (const r of notAccepted.filter((x) => x.what === 'POST /api/tickets'))
      expect(titles.has(`sigterm ${r.probe}`), `unread request ${r.probe}`).toBe(false);
  });
  console.log(`[sigterm ${kind}] ${acked.length} acknowledged ticket writes present after restart`);
}

describe('SIGTERM under load', () => {
  it('PGlite: accepted requests finish, exit 0, acknowledged writes persisted', () => sigtermDrill('pglite'));
  it('PGlite, a freshly started instance: the requests in flight finish like on a warm one', () => sigtermDrill('pglite', { fresh: true }));
  it.skipIf(!TEST_PG)('PostgreSQL: accepted requests finish, exit 0, acknowledged writes persisted', () => sigtermDrill('postgres'));
  it.skipIf(!TEST_PG)('PostgreSQL, a freshly started instance: the requests in flight finish', () => sigtermDrill('postgres', { fresh: true }));
  if (!TEST_PG) it.skip('PostgreSQL SIGTERM drill skipped: set TEST_DATABASE_URL to run it', () => {});
});
