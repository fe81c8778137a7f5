import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TIMEZONE } from './time.js';
import { startTestApp, PASSWORD, type TestApp } from '../test/harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

describe('staff sign-in and sessions', () => {
  it('signs in, sets an HttpOnly SameSite cookie, and /me returns the role, permissions and a CSRF token', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: t.w1.users.admin.email, password: PASSWORD } });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'kw_sid')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    expect(res.json()).toMatchObject({ kind: 'staff', role: 'admin', workspace: { id: t.w1.id } });
    expect(res.json().permissions).toContain('audit.read');
    expect(res.body).not.toContain('password');
    const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: `kw_sid=${cookie.value}` } });
    expect(me.json().id).toBe(t.w1.users.admin.id);
    // the zone every screen formats times in: the workspace's, not the browser's
    expect(me.json().workspace.timezone).toBe(DEFAULT_TIMEZONE);
  });

  it('gives a new session id at every login', async () => {
    const a = await t.login(t.w1.users.sales.email);
    const b = await t.login(t.w1.users.sales.email);
    expect(a.cookie).not.toBe(b.cookie);
  });

  it('answers unknown email and wrong password identically', async () => {
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'nobody@x.test', password: 'whatever1234' },
      headers: { 'accept-language': 'en' },
    });
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: t.w1.users.csm.email, password: 'whatever1234' },
      headers: { 'accept-language': 'en' },
    });
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.body).toBe(wrong.body);
  });

  it('throttles after five failures for the same email and address, even with the right password', async () => {
    const email = t.w1.users.expert.email;
    for (let i = 0; i < 5; i++) {
      const r = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: 'wrong-pass-1' } });
      expect(r.statusCode).toBe(401);
    }
    const locked = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email, password: PASSWORD },
      headers: { 'accept-language': 'zh-CN' },
    });
    expect(locked.statusCode).toBe(429);
    expect(locked.json().message).toContain('分钟');
  });

  it('refuses a cookie-authenticated write without the CSRF token', async () => {
    const c = await t.as('admin');
    const res = await t.app.inject({
      method: 'PATCH',
      url: '/api/auth/me',
      headers: { cookie: c.cookie, 'content-type': 'application/json' },
      payload: { locale: 'en' },
    });
    expect(res.statusCode).toBe(403);
    const ok = await c.patch('/api/auth/me', { locale: 'en' });
    expect(ok.statusCode).toBe(200);
  });

  it('logout ends the session on the server', async () => {
    const c = await t.login(t.w1.users.delivery.email);
    expect((await c.post('/api/auth/logout')).statusCode).toBe(200);
    expect((await c.get('/api/auth/me')).statusCode).toBe(401);
  });

  it('a password change ends every session of that user and needs a strong password', async () => {
    const a = await t.login(t.w1.users.after_sales.email);
    const b = await t.login(t.w1.users.after_sales.email);
    const weak = await a.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'short' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().fields[0].field).toBe('newPassword');
    const wrong = await a.post('/api/auth/password', { currentPassword: 'nope-nope-1', newPassword: 'Another-pass-2026' });
    expect(wrong.statusCode).toBe(400);
    const res = await a.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'Another-pass-2026' });
    expect(res.statusCode).toBe(200);
    expect((await a.get('/api/auth/me')).statusCode).toBe(401);
    expect((await b.get('/api/auth/me')).statusCode).toBe(401);
    await t.login(t.w1.users.after_sales.email, 'Another-pass-2026');
  });

  it('rejects unknown fields and malformed JSON with the field named', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'a@b.c', password: 'x', admin: true },
      headers: { 'accept-language': 'en' },
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().fields[0].field).toBe('admin');
    const bad = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: '{"email":', headers: { 'content-type': 'application/json' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toBe('invalid');
  });

  it('refuses oversized bodies with 413', async () => {
    const c = await t.as('admin');
    const res = await c.patch('/api/auth/me', { locale: 'x'.repeat(1100 * 1024) });
    expect(res.statusCode).toBe(413);
  });

  it('serves health and the OpenAPI document without a session', async () => {
    expect((await t.anon.get('/api/health')).json()).toMatchObject({ status: 'ok' });
    const doc = (await t.anon.get('/api/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/api/accounts/{id}');
  });
});

describe('audit trail', () => {
  it('records writes with before/after, without secrets, and only admins read it', async () => {
    const admin = await t.as('admin');
    const res = await admin.get('/api/audit?entityType=user');
    expect(res.statusCode).toBe(200);
    const entries = res.json().items;
    expect(entries.some((e: { action: string }) => e.action === 'password.change')).toBe(true);
    expect(JSON.stringify(entries)).not.toMatch(/scrypt\$/);
    expect((await (await t.as('manager')).get('/api/audit')).statusCode).toBe(403);
  });

  it('never shows another workspace its entries', async () => {
    const admin2 = await t.as('admin', t.w2);
    const items = (await admin2.get('/api/audit?limit=200')).json().items as { actorId: string }[];
    const w1Ids = new Set(Object.values(t.w1.users).map((u) => u.id));
    expect(items.some((i) => w1Ids.has(i.actorId))).toBe(false);
  });
});
