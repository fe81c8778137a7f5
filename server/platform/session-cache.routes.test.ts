import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../db/client.js';
import { startTestApp, type TestApp } from '../test/harness.js';
import { SESSION_CACHE_MS } from './auth.service.js';
import { LIVE_CHANNEL } from './live.js';

// The session cache (issue 17, point 4): a signed-in request no longer reads its session and its person from the
// database every time. What must still hold: whatever ends or changes a session takes effect at the next request,
// here and — through the live bus — on every other instance; and a change nothing announces is at most
// SESSION_CACHE_MS old.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

const me = (c: { get(url: string): Promise<{ statusCode: number; json(): unknown }> }) => c.get('/api/auth/me');
const sidHash = async (cookie: string) =>
  crypto
    .createHash('sha256')
    .update(cookie.replace(/^kw_sid=/, ''))
    .digest('hex');

describe('the session cache', () => {
  it('serves a session it read, and refuses it once the row is gone behind its back, within SESSION_CACHE_MS', async () => {
    const c = await t.login(t.w1.users.csm.email);
    expect((await me(c)).statusCode).toBe(200);
    // deleted with no announcement (another tool, a restore): the cache still knows it for a while …
    await t.db.execute(sql`delete from sessions where id_hash = ${await sidHash(c.cookie)}`);
    expect((await me(c)).statusCode).toBe(200);
    // … and not longer than its bound
    await new Promise((r) => setTimeout(r, SESSION_CACHE_MS + 100));
    expect((await me(c)).statusCode).toBe(401);
  }, 20_000);

  it('logout, deactivation, a new role and a suspended workspace take effect at the very next request', async () => {
    const admin = await t.login(t.w1.users.admin.email);
    const loggedOut = await t.login(t.w1.users.sales.email);
    expect((await me(loggedOut)).statusCode).toBe(200);
    expect((await loggedOut.post('/api/auth/logout')).statusCode).toBeLessThan(300);
    expect((await me(loggedOut)).statusCode).toBe(401);

    const deactivated = await t.login(t.w1.users.expert.email);
    expect((await me(deactivated)).statusCode).toBe(200);
    expect((await admin.patch(`/api/users/${t.w1.users.expert.id}`, { active: false })).statusCode).toBe(200);
    expect((await me(deactivated)).statusCode).toBe(401);

    const promoted = await t.login(t.w1.users.delivery.email);
    expect((await me(promoted)).statusCode).toBe(200);
    expect((await admin.patch(`/api/users/${t.w1.users.delivery.id}`, { role: 'after_sales' })).statusCode).toBe(200);
    expect((await me(promoted)).statusCode).toBe(401); // signs in again with the new role

    const w2user = await t.login(t.w2.users.csm.email);
    expect((await me(w2user)).statusCode).toBe(200);
    const { setWorkspaceStatus } = await import('../modules/people/index.js');
    await setWorkspaceStatus(t.db, t.w2.slug, 'suspended');
    expect((await me(w2user)).statusCode).toBe(401);
    await setWorkspaceStatus(t.db, t.w2.slug, 'active');
  });

  it('a new name or language shows at the next request', async () => {
    const admin = await t.login(t.w1.users.admin.email);
    const c = await t.login(t.w1.users.manager.email);
    expect(((await me(c)).json() as { name: string }).name).toBe(t.w1.users.manager.name);
    expect((await admin.patch(`/api/users/${t.w1.users.manager.id}`, { name: '新名字 经理' })).statusCode).toBe(200);
    expect(((await me(c)).json() as { name: string }).name).toBe('新名字 经理');
    expect((await c.patch('/api/auth/me', { locale: 'zh-CN' })).statusCode).toBe(200);
    expect(((await me(c)).json() as { locale: string }).locale).toBe('zh-CN');
    expect((await c.patch('/api/auth/me', { locale: 'en' })).statusCode).toBe(200);
    expect(((await me(c)).json() as { locale: string }).locale).toBe('en');
  });

  it.runIf(process.env.KW_TEST_DB === 'postgres')(
    'on PostgreSQL another instance’s announcement reaches this one: a session it ended is refused here at once',
    async () => {
      const c = await t.login(t.w1.users.csm.email);
      expect((await me(c)).statusCode).toBe(200);
      const idHash = await sidHash(c.cookie);
      // what another instance's logout does: delete the row and NOTIFY in its transaction, on its own connection
      const other = new pg.Client({ connectionString: await urlOf(t) });
      await other.connect();
      try {
        await other.query('begin');
        await other.query('delete from sessions where id_hash = $1', [idHash]);
        await other.query('select pg_notify($1, $2)', [
          LIVE_CHANNEL,
          JSON.stringify({ topic: 'sessions', workspaceId: t.w1.id, scope: { idHash }, at: new Date().toISOString() }),
        ]);
        await other.query('commit');
      } finally {
        await other.end();
      }
      let status = 200;
      for (let i = 0; i < 40 && status === 200; i++) {
        await new Promise((r) => setTimeout(r, 25));
        status = (await me(c)).statusCode;
      }
      expect(status).toBe(401);
    },
  );
});

async function urlOf(app: TestApp): Promise<string> {
  const [{ db, u }] = await queryRows<{ db: string; u: string }>(app.db, sql`select current_database() as db, current_user as u`);
  const base = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
  base.pathname = `/${db}`;
  base.username = u;
  return base.toString();
}
