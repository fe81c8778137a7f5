import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type Client, type TestApp } from '../../test/harness.js';
import { expectStatus, type Json } from '../../test/fixtures.js';

let t: TestApp;
let manager: Client, sales: Client, csm: Client, admin2: Client, kp: Client;

beforeAll(async () => {
  t = await startTestApp();
  [manager, sales, csm, admin2] = await Promise.all([t.as('manager'), t.as('sales'), t.as('csm'), t.as('admin', t.w2)]);
  const a = expectStatus(await sales.post('/api/accounts', { name: '视图客户', industry: '制造', region: '华东' }), 201);
  const c = expectStatus(await sales.post(`/api/accounts/${a.id}/contacts`, { name: '钱工', side: 'operations_it' }), 201);
  expectStatus(await sales.post(`/api/contacts/${c.id}/key-person-login`, { email: 'kp-views@customer.test', password: 'Portal-pass-2026' }), 201);
  kp = await t.login('kp-views@customer.test', 'Portal-pass-2026', '/api/portal/auth/login');
});
afterAll(() => t?.close());

const names = async (as: Client, page = 'accounts') =>
  (expectStatus(await as.get(`/api/saved-views?page=${page}`), 200).items as Json[]).map((v) => v.name);
const fieldsOf = (body: Json) => (body.fields ?? []).map((f: Json) => f.field as string);

describe('saved views', () => {
  it("save, list and delete one's own views of a page; others neither see nor delete them", async () => {
    const v = expectStatus(
      await sales.post('/api/saved-views', { page: 'accounts', name: '华东A级', query: { tier: ['A'], region: '华东', sort: 'name' } }),
      201,
    );
    expect(v).toMatchObject({ page: 'accounts', name: '华东A级', shared: false, mine: true, query: { tier: ['A'], region: '华东', sort: 'name' } });
    expectStatus(await sales.post('/api/saved-views', { page: 'tickets', name: '我的严重工单', query: { queue: 'mine', status: ['new'] } }), 201);
    expect(await names(sales)).toEqual(['华东A级']);
    expect(await names(sales, 'tickets')).toEqual(['我的严重工单']);
    expect(await names(csm)).toEqual([]);
    // a second view of the same name on the same page is a conflict naming the field; another person may use the name
    expect(fieldsOf(expectStatus(await sales.post('/api/saved-views', { page: 'accounts', name: '华东A级', query: {} }), 409))).toEqual(['name']);
    expectStatus(await csm.post('/api/saved-views', { page: 'accounts', name: '华东A级', query: {} }), 201);
    // another person's view, or another workspace's: 404, and it stays
    expectStatus(await csm.del(`/api/saved-views/${v.id}`), 404);
    expectStatus(await admin2.del(`/api/saved-views/${v.id}`), 404);
    expect(await names(sales)).toEqual(['华东A级']);
    expectStatus(await sales.del(`/api/saved-views/${v.id}`), 200);
    expect(await names(sales)).toEqual([]);
    expectStatus(await sales.del(`/api/saved-views/${v.id}`), 404);
  });

  it('a lead shares a view with the workspace; others see it but cannot delete it; no one else may share', async () => {
    const shared = expectStatus(
      await manager.post('/api/saved-views', { page: 'tickets', name: '本周超时', query: { queue: 'breached' }, shared: true }),
      201,
    );
    const seen = (expectStatus(await csm.get('/api/saved-views?page=tickets'), 200).items as Json[]).find((x) => x.id === shared.id);
    expect(seen).toMatchObject({ shared: true, mine: false });
    expect(await names(admin2, 'tickets')).toEqual([]);
    expectStatus(await csm.del(`/api/saved-views/${shared.id}`), 403);
    expect(fieldsOf(expectStatus(await sales.post('/api/saved-views', { page: 'tickets', name: '共享', query: {}, shared: true }), 403))).toEqual([
      'shared',
    ]);
    expectStatus(await manager.del(`/api/saved-views/${shared.id}`), 200);
  });

  it('400 naming the field; key persons are refused', async () => {
    expect(fieldsOf(expectStatus(await sales.post('/api/saved-views', { page: 'nope', name: 'x', query: {} }), 400))).toContain('page');
    expect(fieldsOf(expectStatus(await sales.post('/api/saved-views', { page: 'accounts', name: ' ', query: {} }), 400))).toContain('name');
    expect(fieldsOf(expectStatus(await sales.post('/api/saved-views', { page: 'accounts', name: 'x', query: { tier: 3 } }), 400))[0]).toMatch(
      /^query/,
    );
    expect(fieldsOf(expectStatus(await sales.get('/api/saved-views'), 400))).toContain('page');
    expectStatus(await sales.del('/api/saved-views/not-a-uuid'), 400);
    expectStatus(await kp.get('/api/saved-views?page=accounts'), 403);
  });
});
