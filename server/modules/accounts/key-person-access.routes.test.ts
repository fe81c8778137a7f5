// Key persons can be revoked: portal access off (next request 401), contacts with history archived, never
// deleted, and no database error code in any reply.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type Client, type TestApp } from '../../test/harness.js';
import { expectStatus, makeAccount, uniq, type Json } from '../../test/fixtures.js';

const PW = 'Portal-pass-2026';

describe('revoking key persons', () => {
  let t: TestApp;
  let sales: Client;
  let manager: Client;
  beforeAll(async () => {
    t = await startTestApp();
    sales = await t.as('sales');
    manager = await t.as('manager');
  });
  afterAll(async () => t?.close());

  async function keyPerson(accountId: string) {
    const email = `${uniq('kp')}@customer.test`.toLowerCase();
    const c = expectStatus(
      await sales.post(`/api/accounts/${accountId}/contacts`, { name: '关键人', email, side: 'business_head', isKeyPerson: true }),
      201,
    );
    const login = expectStatus(await sales.post(`/api/contacts/${c.id}/key-person-login`, { email, password: PW }), 201);
    const session = await t.login(email, PW, '/api/portal/auth/login');
    return { contact: c, login, email, session };
  }

  it('turning access off ends the sessions at once and refuses sign-in; turning it on restores it', async () => {
    const a = await makeAccount(sales, manager, 'A');
    const kp = await keyPerson(a.id);
    expect((await kp.session.get('/api/portal/team')).statusCode).toBe(200);
    const off = expectStatus(await sales.patch(`/api/key-persons/${kp.login.id}`, { active: false }), 200);
    expect(off).toMatchObject({ id: kp.login.id, active: false });
    expect((await kp.session.get('/api/portal/team')).statusCode).toBe(401);
    const again = await t.app.inject({ method: 'POST', url: '/api/portal/auth/login', payload: { email: kp.email, password: PW } });
    expect(again.statusCode).toBe(401);
    expectStatus(await sales.patch(`/api/key-persons/${kp.login.id}`, { active: true }), 200);
    expect((await t.login(kp.email, PW, '/api/portal/auth/login')).csrf).toBeTruthy();
  });

  it('a contact with history is archived, not deleted: gone from the list, portal access ended, the record kept', async () => {
    const a = await makeAccount(sales, manager, 'A');
    const kp = await keyPerson(a.id);
    // history: a need raised in the portal
    expectStatus(await kp.session.post('/api/portal/demands', { title: '报表导出太慢', body: '月底导出要等十分钟' }), 201);
    const res = await sales.del(`/api/contacts/${kp.contact.id}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ ok: true, archived: true });
    expect(res.body).not.toMatch(/\b23\d{3}\b/);
    expect((await kp.session.get('/api/portal/demands')).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/api/portal/auth/login', payload: { email: kp.email, password: PW } })).statusCode).toBe(401);
    const list = expectStatus(await sales.get(`/api/accounts/${a.id}`), 200) as Json;
    expect(JSON.stringify(list)).not.toContain(kp.contact.id);
    // the need stays, with who raised it
    const needs = expectStatus(await sales.get(`/api/accounts/${a.id}/portal-activity`), 200) as Json;
    expect(JSON.stringify(needs.needs)).toContain('报表导出太慢');
    // an archived contact's access cannot be turned back on
    const reopen = await sales.patch(`/api/key-persons/${kp.login.id}`, { active: true });
    expect(reopen.statusCode).toBe(400);
    expect(reopen.json().fields[0].field).toBe('active');
    const audit = expectStatus(await (await t.as('admin')).get(`/api/audit?entityId=${kp.contact.id}`), 200).items as Json[];
    expect(audit.map((e) => e.action)).toContain('contact.archive');
  });

  it('a contact without history is deleted outright', async () => {
    const a = await makeAccount(sales, manager, 'B');
    const c = expectStatus(await sales.post(`/api/accounts/${a.id}/contacts`, { name: '临时联系人', side: 'other' }), 201);
    expect(expectStatus(await sales.del(`/api/contacts/${c.id}`), 200)).toEqual({ ok: true, archived: false });
    expect(JSON.stringify(expectStatus(await sales.get(`/api/accounts/${a.id}`), 200))).not.toContain(c.id);
  });

  it('401 without a session, 403 for a role without the permission, 404 across workspaces; nothing changes', async () => {
    const a = await makeAccount(sales, manager, 'A');
    const kp = await keyPerson(a.id);
    expect((await t.anon.patch(`/api/key-persons/${kp.login.id}`, { active: false })).statusCode).toBe(401);
    expect((await (await t.as('after_sales')).patch(`/api/key-persons/${kp.login.id}`, { active: false })).statusCode).toBe(403);
    expect((await (await t.as('admin', t.w2)).patch(`/api/key-persons/${kp.login.id}`, { active: false })).statusCode).toBe(404);
    expect((await (await t.as('sales', t.w2)).del(`/api/contacts/${kp.contact.id}`)).statusCode).toBe(404);
    const bad = await sales.patch(`/api/key-persons/${kp.login.id}`, { active: 'no' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields[0].field).toBe('active');
    expect((await kp.session.get('/api/portal/team')).statusCode).toBe(200);
  });
});
