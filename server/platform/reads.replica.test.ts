// Read replicas (issue 17, point 5a), against a real streaming replica of the test PostgreSQL: .ci/run makes one
// on port 5433 (pg_basebackup -R) and sets TEST_REPLICA_URL. Runs in the `postgres` project only, and only then.
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { openPostgres, queryRows, type Database, type Db } from '../db/client.js';
import { startTestApp, type TestApp } from '../test/harness.js';
import { testDbKind } from '../test/test-db.js';
import { lsnValue, maskUrl, WAL_COOKIE } from './reads.js';

const replicaBase = process.env.TEST_REPLICA_URL;
const why =
  testDbKind !== 'postgres'
    ? 'needs PostgreSQL (KW_TEST_DB=postgres)'
    : 'needs a streaming replica: set TEST_REPLICA_URL (.ci/run makes one on 5433)';

describe.skipIf(testDbKind !== 'postgres' || !replicaBase)(`reads on a streaming replica (skipped unless: ${why})`, () => {
  let t: TestApp;
  let replica: Database;
  let down: Database;
  let rapp: FastifyInstance, rapp2: FastifyInstance, rdown: FastifyInstance;
  let replicaQueries = 0;
  const warnings: string[] = [];
  const tag = Math.random().toString(36).slice(2, 7);
  let cookieA: string, csrfA: string, cookieB: string;

  const get = (app: FastifyInstance, url: string, cookie: string) => app.inject({ method: 'GET', url, headers: { cookie, 'accept-language': 'en' } });

  /** the replica has replayed everything the primary has written so far */
  async function caughtUp(db: Db) {
    const [{ lsn }] = await queryRows<{ lsn: string }>(t.db, sql`select pg_current_wal_lsn()::text as lsn`);
    for (let i = 0; i < 200; i++) {
      const [r] = await queryRows<{ lsn: string }>(db, sql`select pg_last_wal_replay_lsn()::text as lsn`);
      if (lsnValue(r.lsn) >= lsnValue(lsn)) return;
      await new Promise((res) => setTimeout(res, 50));
    }
    throw new Error('the replica did not catch up in 10 s');
  }

  beforeAll(async () => {
    t = await startTestApp();
    const [{ name }] = await queryRows<{ name: string }>(t.db, sql`select current_database() as name`);
    const u = new URL(replicaBase!);
    u.pathname = `/${name}`;
    // the clone of this file's database reaches the replica by streaming: wait until it can be opened there
    for (let i = 0; ; i++) {
      try {
        replica = await openPostgres(u.toString(), { max: 4, applicationName: 'keyward-reads-test', quiet: true });
        await queryRows(replica.db, sql`select 1`);
        break;
      } catch (err) {
        await replica?.close().catch(() => {});
        if (i > 100) throw err;
        await new Promise((res) => setTimeout(res, 100));
      }
    }
    // a per-pool counter: every query the replica's pool runs checks out a connection
    (replica.db as unknown as { $client: { on(e: string, f: () => void): void } }).$client.on('acquire', () => replicaQueries++);
    rapp = await buildApp({ database: t.database, replica, replicaUrl: u.toString(), logLevel: 'silent' });
    // a second instance behind the same load balancer (its own memory): knows a person's write only by the cookie
    rapp2 = await buildApp({ database: t.database, replica, replicaUrl: u.toString(), logLevel: 'silent' });
    // an instance whose replica is unreachable (nothing listens on port 1)
    down = await openPostgres('postgres://postgres:s3cret-pw@127.0.0.1:1/nowhere', { max: 1, connectionTimeoutMillis: 1000, quiet: true });
    rdown = await buildApp({
      database: t.database,
      replica: down,
      replicaUrl: 'postgres://postgres:s3cret-pw@127.0.0.1:1/nowhere',
      logLevel: 'silent',
    });
    rdown.log.warn = ((m: string) => warnings.push(String(m))) as typeof rdown.log.warn;
    // sessions live in the database: the harness's logins work on every instance
    const a = await t.as('manager');
    const b = await t.as('admin');
    cookieA = a.cookie;
    csrfA = a.csrf;
    cookieB = b.cookie;
    await a.post('/api/accounts', { name: `华北能源${tag}`, industry: '能源', region: '华北' });
    await caughtUp(replica.db);
  });

  afterAll(async () => {
    await queryRows(replica?.db, sql`select pg_wal_replay_resume()`).catch(() => {});
    await rapp?.close();
    await rapp2?.close();
    await rdown?.close();
    await replica?.close();
    await down?.close();
    await t?.close();
  });

  it('the replica pool is a standby of this database', async () => {
    const [r] = await queryRows<{ standby: boolean }>(replica.db, sql`select pg_is_in_recovery() as standby`);
    expect(r.standby).toBe(true);
  });

  it('a dashboard, a search and an export are served by the replica and answer as the primary does', async () => {
    for (const url of ['/api/dashboards', `/api/search?q=${encodeURIComponent(`华北能源${tag}`)}`, '/api/accounts/export?format=csv']) {
      const before = { routed: rapp.reads.counts.replica, queries: replicaQueries };
      const fromReplica = await get(rapp, url, cookieA);
      expect(fromReplica.statusCode, url).toBe(200);
      expect(rapp.reads.counts.replica, url).toBe(before.routed + 1);
      expect(replicaQueries, url).toBeGreaterThan(before.queries);
      // the harness's app has no replica: the primary's answer
      const fromPrimary = await get(t.app, url, cookieA);
      // the same answer; a dashboard also says when each app took its snapshot
      const same = (body: string) => body.replace(/"asOf":"[^"]+",?/, '');
      expect(same(fromPrimary.body), url).toBe(same(fromReplica.body));
    }
    const hits = (await get(rapp, `/api/search?q=${encodeURIComponent(`华北能源${tag}`)}`, cookieA)).json();
    expect(hits.groups.find((g: { kind: string }) => g.kind === 'account').items).toHaveLength(1);
  });

  it('right after a write, the writer reads from the primary and sees it; another person may read the replica', async () => {
    // hold the replica still, so that it certainly lacks the write
    await queryRows(replica.db, sql`select pg_wal_replay_pause()`);
    try {
      const name = `西北风电${tag}`;
      const res = await rapp.inject({
        method: 'POST',
        url: '/api/accounts',
        headers: { cookie: cookieA, 'x-csrf-token': csrfA, 'content-type': 'application/json', 'accept-language': 'en' },
        payload: JSON.stringify({ name, industry: '能源', region: '西北' }),
      });
      expect(res.statusCode).toBe(201);
      const wal = res.cookies.find((c) => c.name === WAL_COOKIE);
      expect(wal?.value).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
      const search = `/api/search?q=${encodeURIComponent(name)}`;
      const accountHits = (r: { json(): { groups: { kind: string; items: unknown[] }[] } }) =>
        r.json().groups.find((g) => g.kind === 'account')?.items.length ?? 0;

      // the writer: the primary, with the new account
      let before = { ...rapp.reads.counts };
      let q = replicaQueries;
      const mine = await get(rapp, search, cookieA);
      expect(mine.statusCode).toBe(200);
      expect(rapp.reads.counts).toEqual({ primary: before.primary + 1, replica: before.replica });
      expect(replicaQueries).toBe(q);
      expect(accountHits(mine)).toBe(1);

      // another person: the replica, which has not replayed the write yet (so it is the replica that answered)
      before = { ...rapp.reads.counts };
      q = replicaQueries;
      const theirs = await get(rapp, search, cookieB);
      expect(theirs.statusCode).toBe(200);
      expect(rapp.reads.counts).toEqual({ primary: before.primary, replica: before.replica + 1 });
      expect(replicaQueries).toBeGreaterThan(q);
      expect(accountHits(theirs)).toBe(0);

      // the writer on another instance, known only by the WAL cookie the write answered with: the primary
      const other = await get(rapp2, search, `${cookieA}; ${WAL_COOKIE}=${wal!.value}`);
      expect(accountHits(other)).toBe(1);
      expect(rapp2.reads.counts.primary).toBe(1);
    } finally {
      await queryRows(replica.db, sql`select pg_wal_replay_resume()`);
    }
    // once the replica has replayed the write, the writer reads from it again (after its 1 s check)
    await caughtUp(replica.db);
    await new Promise((res) => setTimeout(res, 1100));
    const before = rapp.reads.counts.replica;
    const again = await get(rapp, `/api/search?q=${encodeURIComponent(`西北风电${tag}`)}`, cookieA);
    expect(rapp.reads.counts.replica).toBe(before + 1);
    expect(again.json().groups.find((g: { kind: string }) => g.kind === 'account').items).toHaveLength(1);
  });

  it('with the replica unreachable the routes answer from the primary, and say so once without the password', async () => {
    for (const url of ['/api/dashboards', '/api/search?q=%E8%83%BD%E6%BA%90', '/api/kpi/scorecards']) {
      const res = await get(rdown, url, cookieB);
      expect(res.statusCode, url).toBe(200);
    }
    expect(rdown.reads.counts).toEqual({ primary: 3, replica: 0 });
    expect(rdown.reads.status()?.usable).toBe(false);
    const said = warnings.filter((w) => w.includes('read replica'));
    expect(said).toHaveLength(1);
    expect(said[0]).toContain('127.0.0.1:1');
    expect(said[0]).not.toContain('s3cret-pw');
  });

  it('masks a password in a URL', () => {
    expect(maskUrl('postgres://u:pw@h:5433/db')).toBe('postgres://u:***@h:5433/db');
    expect(maskUrl('postgres://u@h/db')).toBe('postgres://u@h/db');
  });
});
