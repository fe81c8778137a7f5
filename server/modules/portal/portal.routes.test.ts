import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/client.js';
import { jobHandlers } from '../../jobs.js';
import { createJobRunner } from '../../platform/jobs.js';
import type { StaffActor } from '../../platform/actor.js';
import { startTestApp, type Client, type TestApp } from '../../test/harness.js';
import { expectStatus, type Json } from '../../test/fixtures.js';
import { startSmtp } from '../meetings/meetings.test-support.js';
import { inviteKeyPerson, requestReset } from './portal.service.js';

let t: TestApp;
let sales: Client, manager: Client, csm: Client, admin: Client, expert: Client, channel: Client, csm2: Client, admin2: Client;
let kpA: Client, kpB: Client;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let runner: ReturnType<typeof createJobRunner>;
const ids: Record<string, string> = {};
const MISSING = '00000000-0000-4000-8000-000000000000';
const PW = 'Portal-pass-2026';
const count = async (table: string) => (await queryRows<{ n: number }>(t.db, sql.raw(`select count(*)::int as n from ${table}`)))[0].n;
const linkOf = (text: string) => /token=([A-Za-z0-9_-]+)/.exec(text)?.[1] ?? '';
const salesActor = (): StaffActor => ({
  kind: 'staff',
  workspaceId: t.w1.id,
  userId: t.w1.users.sales.id,
  name: 'sales',
  role: 'sales',
  channelPartnerId: null,
  locale: 'zh-CN',
});

const operatorAllowed = process.env.KW_OUTBOUND_ALLOW_HOSTS;
beforeAll(async () => {
  process.env.KW_OUTBOUND_ALLOW_HOSTS = '127.0.0.1'; // the operator lets this installation reach the local SMTP server
  t = await startTestApp();
  [sales, manager, csm, admin, expert, channel] = await Promise.all(
    (['sales', 'manager', 'csm', 'admin', 'expert', 'channel_implementer'] as const).map((r) => t.as(r)),
  );
  csm2 = await t.as('csm', t.w2);
  admin2 = await t.as('admin', t.w2);
  const u = t.w1.users;
  const account = async (name: string, tier: string) => {
    const a = expectStatus(await sales.post('/api/accounts', { name, industry: '工程机械', region: '华东' }), 201);
    if (a.tier !== tier) expectStatus(await manager.post(`/api/accounts/${a.id}/tier-override`, { tier, reason: '测试需要' }), 200);
    expectStatus(
      await manager.put(`/api/accounts/${a.id}/team`, {
        salesId: u.sales.id,
        deliveryId: u.delivery.id,
        afterSalesId: u.after_sales.id,
        csmId: u.csm.id,
      }),
      200,
    );
    return a.id as string;
  };
  ids.A = await account('华东重工', 'A');
  ids.B = await account('华南机械', 'A');
  for (const [k, acc, email] of [
    ['kpA', ids.A, 'kp-a@customer.test'],
    ['kpB', ids.B, 'kp-b@customer.test'],
  ] as const) {
    const c = expectStatus(await sales.post(`/api/accounts/${acc}/contacts`, { name: k === 'kpA' ? '钱工' : '孙工', side: 'operations_it' }), 201);
    ids[`${k}Contact`] = c.id;
    expectStatus(await sales.post(`/api/contacts/${c.id}/key-person-login`, { email, password: PW }), 201);
  }
  kpA = await t.login('kp-a@customer.test', PW, '/api/portal/auth/login');
  kpB = await t.login('kp-b@customer.test', PW, '/api/portal/auth/login');
  smtp = await startSmtp();
  expectStatus(
    await admin.put('/api/meetings/settings', {
      smtpHost: '127.0.0.1',
      smtpPort: smtp.port,
      smtpSecure: false,
      smtpFrom: 'Keyward <noreply@keyward.test>',
    }),
    200,
  );
  runner = createJobRunner(t.db, jobHandlers);
});
afterAll(async () => {
  if (operatorAllowed === undefined) delete process.env.KW_OUTBOUND_ALLOW_HOSTS;
  else process.env.KW_OUTBOUND_ALLOW_HOSTS = operatorAllowed;
  await smtp?.close();
  await t?.close();
});

describe('invitation and reset by mail (one-time links, hashed at rest)', () => {
  let contactId: string;
  it('staff invite a contact; the mail arrives over SMTP with a link; the token is stored only as a hash', async () => {
    contactId = expectStatus(await sales.post(`/api/accounts/${ids.A}/contacts`, { name: '李总', side: 'executive' }), 201).id;
    expectStatus(await expert.post(`/api/contacts/${contactId}/key-person-invite`, { email: 'li@customer.test' }), 403);
    expectStatus(await kpA.post(`/api/contacts/${contactId}/key-person-invite`, { email: 'li@customer.test' }), 403);
    expectStatus(await csm2.post(`/api/contacts/${contactId}/key-person-invite`, { email: 'li@customer.test' }), 404);
    // an address already in use (a key person or staff) is refused
    expectStatus(await sales.post(`/api/contacts/${contactId}/key-person-invite`, { email: 'KP-B@customer.test' }), 409);
    expectStatus(await sales.post(`/api/contacts/${contactId}/key-person-invite`, { email: t.w1.users.csm.email }), 409);
    const r = expectStatus(await sales.post(`/api/contacts/${contactId}/key-person-invite`, { email: 'li@customer.test' }), 201);
    expect(r).toMatchObject({ email: 'li@customer.test', accountId: ids.A });
    await runner.runDue(new Date());
    const mail = smtp.inbox.find((m) => m.to.includes('li@customer.test'))!;
    expect(mail.subject).toContain('WS w1');
    const token = linkOf(mail.text);
    expect(token.length).toBeGreaterThan(20);
    const stored = await queryRows<{ token_hash: string }>(t.db, sql`select token_hash from key_person_tokens`);
    expect(stored.map((s) => s.token_hash)).not.toContain(token);
    // no password works before the link is used
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/portal/auth/login', payload: { email: 'li@customer.test', password: PW } })).statusCode,
    ).toBe(401);
    expectStatus(await t.anon.post('/api/portal/auth/accept-invite', { token, password: 'short' }), 400);
    expectStatus(await t.anon.post('/api/portal/auth/accept-invite', { token, password: PW }), 200);
    const li = await t.login('li@customer.test', PW, '/api/portal/auth/login');
    expect(expectStatus(await li.get('/api/auth/me'), 200).account).toMatchObject({ id: ids.A });
    // single use: the same link again is refused, nothing changes
    const again = expectStatus(await t.anon.post('/api/portal/auth/accept-invite', { token, password: 'Another-pass-2026' }), 400);
    expect(again.error).toBe('invalid');
    await t.login('li@customer.test', PW, '/api/portal/auth/login');
    // a reset token is not an invite token and vice versa
    expectStatus(await t.anon.post('/api/portal/auth/reset', { token, password: 'Another-pass-2026' }), 400);
  });
  it('an expired invitation is refused (injected clock)', async () => {
    const c = expectStatus(await sales.post(`/api/accounts/${ids.A}/contacts`, { name: '周工', side: 'operations_it' }), 201);
    await inviteKeyPerson(t.db, salesActor(), c.id, {
      email: 'zhou@customer.test',
      publicUrl: 'http://x',
      now: new Date(Date.now() - 8 * 86_400_000),
    });
    await runner.runDue(new Date());
    const token = linkOf(smtp.inbox.find((m) => m.to.includes('zhou@customer.test'))!.text);
    const r = expectStatus(await t.anon.post('/api/portal/auth/accept-invite', { token, password: PW }), 400);
    expect(r.message).toMatch(/expired/);
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/portal/auth/login', payload: { email: 'zhou@customer.test', password: PW } })).statusCode,
    ).toBe(401);
  });
  it('reset: the answer never reveals whether the address exists; the link works once and expires', async () => {
    const before = smtp.inbox.length;
    const known = await t.anon.post('/api/portal/auth/reset-request', { email: 'KP-A@customer.test' });
    const unknown = await t.anon.post('/api/portal/auth/reset-request', { email: 'nobody@customer.test' });
    const staffAddr = await t.anon.post('/api/portal/auth/reset-request', { email: t.w1.users.sales.email });
    expect(known.statusCode).toBe(202);
    expect(unknown.statusCode).toBe(202);
    expect(unknown.body).toBe(known.body);
    expect(staffAddr.body).toBe(known.body);
    // asking again within a minute answers the same and sends nothing more
    expect((await t.anon.post('/api/portal/auth/reset-request', { email: 'kp-a@customer.test' })).body).toBe(known.body);
    await runner.runDue(new Date());
    const sent = smtp.inbox.slice(before);
    expect(sent.map((m) => m.to[0])).toEqual(['kp-a@customer.test']);
    const token = linkOf(sent[0].text);
    expectStatus(await t.anon.post('/api/portal/auth/reset', { token, password: 'New-portal-2026' }), 200);
    expectStatus(await t.anon.post('/api/portal/auth/reset', { token, password: 'Newer-portal-2026' }), 400);
    // the reset ended kpA's sessions; sign in with the new password
    expectStatus(await kpA.get('/api/portal/team'), 401);
    kpA = await t.login('kp-a@customer.test', 'New-portal-2026', '/api/portal/auth/login');
    // expired after an hour
    await requestReset(t.db, { email: 'kp-a@customer.test', publicUrl: 'http://x', now: new Date(Date.now() - 2 * 3_600_000) });
    await runner.runDue(new Date());
    const old = linkOf(smtp.inbox.at(-1)!.text);
    expect(expectStatus(await t.anon.post('/api/portal/auth/reset', { token: old, password: 'Newest-portal-2026' }), 400).message).toMatch(/expired/);
    expectStatus(await t.anon.post('/api/portal/auth/reset', { token: 'x'.repeat(43), password: 'Newest-portal-2026' }), 400);
  });
});

describe('the community of one account', () => {
  it('team: account name and the iron triangle, no ids of users; no-store', async () => {
    const res = await kpA.get('/api/portal/team');
    expect(res.headers['cache-control']).toBe('no-store');
    const r = expectStatus(res, 200);
    expect(r.account).toEqual({ id: ids.A, name: '华东重工' });
    expect(r.team.map((m: Json) => m.seat).sort()).toEqual(['after_sales', 'csm', 'delivery', 'sales']);
    expect(Object.keys(r.team[0]).sort()).toEqual(['email', 'initials', 'name', 'seat']);
    expectStatus(await t.anon.get('/api/portal/team'), 401);
    expectStatus(await sales.get('/api/portal/team'), 403);
  });

  it('content: staff publish; rich text sanitised on save and on render; key persons see published only', async () => {
    const xss = '<p>重工行业数字化<script>alert(1)</script><img src=x onerror="alert(2)"><a href="javascript:alert(3)">看</a></p>';
    expectStatus(await kpA.post('/api/portal-admin/posts', { kind: 'news', title: 'x' }), 403);
    expectStatus(await expert.post('/api/portal-admin/posts', { kind: 'news', title: 'x' }), 403);
    const p = expectStatus(
      await csm.post('/api/portal-admin/posts', { kind: 'product', title: '<b>智能运维平台</b>', bodyHtml: xss, hot: true, tasks: ['solution'] }),
      201,
    );
    expect(p.bodyHtml).not.toMatch(/script|onerror|javascript:/);
    expect(p.bodyHtml).toContain('重工行业数字化');
    const draft = expectStatus(await csm.post('/api/portal-admin/posts', { kind: 'news', title: '草稿', published: false }), 201);
    ids.post = p.id;
    // something unsafe stored before the sanitiser (e.g. an old row) is still cleaned on render
    await t.db.execute(sql`update portal_posts set body_html = ${xss} where id = ${p.id}`);
    const seen = expectStatus(await kpA.get(`/api/portal/posts/${p.id}`), 200);
    expect(seen.bodyHtml).not.toMatch(/script|onerror|javascript:/);
    expect(seen.title).toBe('<b>智能运维平台</b>'); // plain text: the web renders it as text
    const list = expectStatus(await kpA.get('/api/portal/posts'), 200).items.map((i: Json) => i.id);
    expect(list).toContain(p.id);
    expect(list).not.toContain(draft.id);
    expectStatus(await kpA.get(`/api/portal/posts/${draft.id}`), 404);
    // another workspace's post is the same 404 as a missing one
    const other = expectStatus(await admin2.post('/api/portal-admin/posts', { kind: 'news', title: '别家新闻' }), 201);
    const a = await kpA.get(`/api/portal/posts/${other.id}`);
    const b = await kpA.get(`/api/portal/posts/${MISSING}`);
    expect([a.statusCode, a.body]).toEqual([b.statusCode, b.body]);
    expectStatus(await admin2.patch(`/api/portal-admin/posts/${p.id}`, { title: 'x' }), 404);
  });

  it('service menu: no internal costs; request creates a value-add task for the CSM; other workspace items 404', async () => {
    const items = expectStatus(await kpA.get('/api/portal/catalog'), 200).items as Json[];
    expect(items.length).toBeGreaterThan(0);
    expect(JSON.stringify(items)).not.toMatch(/internalCost|kpiCredit|priceMinor|eligibleTiers/);
    const tasks = await count('value_add_tasks');
    const r = expectStatus(await kpA.post(`/api/portal/catalog/${items[0].id}/request`, { note: '希望下月安排<script>alert(1)</script>' }), 201);
    expect(r.item.id).toBe(items[0].id);
    expect(await count('value_add_tasks')).toBe(tasks + 1);
    const [task] = await queryRows<{ account_id: string; owner_id: string; status: string }>(
      t.db,
      sql`select account_id, owner_id, status from value_add_tasks order by created_at desc limit 1`,
    );
    expect(task).toEqual({ account_id: ids.A, owner_id: t.w1.users.csm.id, status: 'planned' });
    // an account id in the body is refused, never honoured
    expectStatus(await kpA.post(`/api/portal/catalog/${items[0].id}/request`, { note: 'x', accountId: ids.B }), 400);
    expect(await count('value_add_tasks')).toBe(tasks + 1);
    await admin2.get('/api/value-add/catalog');
    const [w2item] = await queryRows<{ id: string }>(t.db, sql`select id from catalog_items where workspace_id = ${t.w2.id} limit 1`);
    const a = await kpA.post(`/api/portal/catalog/${w2item?.id ?? MISSING}/request`, {});
    const b = await kpA.post(`/api/portal/catalog/${MISSING}/request`, {});
    expect([a.statusCode, a.body]).toEqual([b.statusCode, b.body]);
    expect(a.statusCode).toBe(404);
  });

  it('service menu: only items visible to customers, once each, in customer-facing words; an admin edits the words and the flag', async () => {
    const staffItems = expectStatus(await admin.get('/api/value-add/catalog'), 200).items as Json[];
    const items = expectStatus(await kpA.get('/api/portal/catalog'), 200).items as Json[];
    // the shipped catalog is one list: no service twice, neither for staff nor for the customer
    expect(new Set(staffItems.map((i) => i.nameZh)).size).toBe(staffItems.length);
    expect(new Set(items.map((i) => i.name)).size).toBe(items.length);
    expect(items.length).toBe(staffItems.filter((i) => i.customerVisible).length);
    for (const i of items) {
      expect(Object.keys(i).sort()).toEqual(['description', 'id', 'name', 'pricing']);
      expect(i.description, i.name).toBeTruthy();
    }
    // internal tactics never reach the customer, neither as a name nor as a step
    const text = JSON.stringify(items);
    for (const internal of ['私下拜会', '行为规律', '特别预算', 'Private visit', 'Special budget', 'behaviour', '申请特别预算', '记录关键人偏好'])
      expect(text).not.toContain(internal);
    const hidden = staffItems.find((i) => i.code === 'core.private_visit')!;
    expect(hidden.customerVisible).toBe(false);
    expectStatus(await kpA.post(`/api/portal/catalog/${hidden.id}/request`, {}), 404);

    // the admin shows an item under customer-facing words; a visible item needs them (400 naming the field)
    const bad = await admin.patch(`/api/value-add/catalog/${hidden.id}`, { customerVisible: true, customerNameZh: null });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields[0].field).toBe('customerNameZh');
    expectStatus(
      await admin.patch(`/api/value-add/catalog/${hidden.id}`, {
        customerVisible: true,
        customerNameZh: '高层交流',
        customerNameEn: 'Executive exchange',
        customerDescriptionZh: '与您的管理层定期交流。',
        customerDescriptionEn: 'A regular exchange with your management.',
      }),
      200,
    );
    const after = expectStatus(await kpA.get('/api/portal/catalog'), 200).items as Json[];
    const shown = after.find((i) => i.id === hidden.id)!;
    expect([shown.name, shown.description]).toEqual(['Executive exchange', 'A regular exchange with your management.']);
    expect(JSON.stringify(after)).not.toContain('私下拜会');
    expectStatus(await admin.patch(`/api/value-add/catalog/${hidden.id}`, { customerVisible: false }), 200);
    expect((expectStatus(await kpA.get('/api/portal/catalog'), 200).items as Json[]).map((i) => i.id)).not.toContain(hidden.id);
    // only a lead (catalog.manage) edits it
    expectStatus(await csm.patch(`/api/value-add/catalog/${hidden.id}`, { customerVisible: true }), 403);
  });

  it('delivery status: the milestones of the account’s delivery projects, in customer words; each key person sees only their account', async () => {
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const plus = (d: number) => new Date(Date.parse(today) + d * 86_400_000).toISOString().slice(0, 10);
    const contract = async (accountId: string, number: string) =>
      expectStatus(
        await sales.post(`/api/accounts/${accountId}/contracts`, {
          number,
          title: `${number} 合同`,
          amountMinor: 1_000_000,
          signedOn: plus(-100),
          startsOn: plus(-100),
          endsOn: plus(300),
        }),
        201,
      ).id;
    const cA = await contract(ids.A, 'PT-A');
    const cB = await contract(ids.B, 'PT-B');
    const pA = expectStatus(await manager.post(`/api/contracts/${cA}/projects`, { name: '二期 MES' }), 201).id;
    const pB = expectStatus(await manager.post(`/api/contracts/${cB}/projects`, { name: '华南项目' }), 201).id;
    const ms = async (projectId: string, title: string, plannedOn: string, actualOn: string | null = null) =>
      expectStatus(await manager.post(`/api/projects/${projectId}/milestones`, { title, plannedOn, actualOn }), 201).id;
    await ms(pA, '蓝图确认', plus(-40), plus(-41));
    await ms(pA, '网关部署', plus(-3));
    const next = await ms(pA, '上线验收', plus(10));
    await ms(pA, '正式上线', plus(30));
    await ms(pB, '华南蓝图', plus(5));
    const mine = expectStatus(await kpA.get('/api/portal/milestones'), 200).items as Json[];
    expect(mine.map((m) => [m.project, m.title, m.status])).toEqual([
      ['二期 MES', '蓝图确认', 'done'],
      ['二期 MES', '网关部署', 'delayed'],
      ['二期 MES', '上线验收', 'planned'],
      ['二期 MES', '正式上线', 'planned'],
    ]);
    // nothing internal reaches the key person: no hours, acceptance, manager or contract
    for (const m of mine) expect(Object.keys(m).sort()).toEqual(['doneOn', 'dueOn', 'id', 'project', 'status', 'title']);
    expect(expectStatus(await kpB.get('/api/portal/milestones'), 200).items.map((i: Json) => i.title)).toEqual(['华南蓝图']);
    expect(expectStatus(await kpB.get('/api/portal/milestones'), 200).items.map((i: Json) => i.status)).toEqual(['in_progress']);
    // the late one reached: the next one not reached becomes the one in progress
    const late = mine.find((m) => m.title === '网关部署')!;
    expectStatus(await manager.patch(`/api/project-milestones/${late.id}`, { actualOn: plus(-1) }), 200);
    const after = expectStatus(await kpA.get('/api/portal/milestones'), 200).items as Json[];
    expect(after.find((m) => m.id === next)!.status).toBe('in_progress');
    // staff preview what the customer sees; another workspace gets 404; key persons cannot write milestones
    expect(expectStatus(await csm.get(`/api/accounts/${ids.A}/milestones`), 200).items).toHaveLength(4);
    expectStatus(await csm2.get(`/api/accounts/${ids.A}/milestones`), 404);
    expectStatus(await kpA.post(`/api/projects/${pA}/milestones`, { title: 'x', plannedOn: today }), 403);
  });

  it('needs: post, discuss with the iron triangle; another account sees 404 identical to a missing id; no staff-only fields', async () => {
    const d = expectStatus(
      await kpA.post('/api/portal/demands', { title: '<img src=x onerror=alert(1)>产线数据接入', body: '希望把二期产线数据接入平台' }),
      201,
    );
    ids.demand = d.id;
    expect(d).not.toHaveProperty('accountId');
    expect(d).not.toHaveProperty('opportunityId');
    expectStatus(await kpA.post('/api/portal/demands', { title: 'x', body: 'y', accountId: ids.B }), 400);
    const dB = expectStatus(await kpB.post('/api/portal/demands', { title: '华南的需求', body: '内容' }), 201);
    for (const [method, url, body] of [
      ['get', `/api/portal/demands/%s`, undefined],
      ['post', `/api/portal/demands/%s/messages`, { body: '看看' }],
    ] as const) {
      const a = await (kpA as Json)[method](url.replace('%s', dB.id), body);
      const b = await (kpA as Json)[method](url.replace('%s', MISSING), body);
      expect([a.statusCode, a.body]).toEqual([b.statusCode, b.body]);
      expect(a.statusCode).toBe(404);
    }
    const mine = expectStatus(await kpA.get('/api/portal/demands'), 200).items.map((i: Json) => i.id);
    expect(mine).toContain(d.id);
    expect(mine).not.toContain(dB.id);
    const staffList = expectStatus(await csm.get(`/api/portal-admin/demands?accountId=${ids.A}`), 200).items;
    expect(staffList.map((i: Json) => i.id)).toContain(d.id);
    expect(staffList.every((i: Json) => i.accountId === ids.A)).toBe(true);
    expectStatus(await csm2.get(`/api/portal-admin/demands/${d.id}`), 404);
    expectStatus(await channel.get(`/api/portal-admin/demands/${d.id}`), 404);
    expectStatus(await kpA.get(`/api/portal-admin/demands/${d.id}`), 403);
    expectStatus(await csm.post(`/api/portal-admin/demands/${d.id}/messages`, { body: '收到，我们周三来现场' }), 201);
    expectStatus(await kpA.post(`/api/portal/demands/${d.id}/messages`, { body: '好的' }), 201);
    const thread = expectStatus(await kpA.get(`/api/portal/demands/${d.id}`), 200);
    expect(thread.messages.map((m: Json) => [m.authorKind, m.body])).toEqual([
      ['staff', '收到，我们周三来现场'],
      ['key_person', '好的'],
    ]);
    expect(thread).not.toHaveProperty('opportunityId');
    // the lists count the need's own messages
    expect(expectStatus(await kpA.get('/api/portal/demands'), 200).items.find((i: Json) => i.id === d.id).messages).toBe(2);
    expect(expectStatus(await csm.get(`/api/portal-admin/demands?accountId=${ids.A}`), 200).items.find((i: Json) => i.id === d.id)).toMatchObject({
      messages: 2,
      accountName: expect.any(String),
      by: expect.any(String),
    });
    const cap = expectStatus(await csm.post(`/api/portal-admin/demands/${d.id}/capture`, {}), 201);
    const [opp] = await queryRows<{ source_kind: string; account_id: string }>(
      t.db,
      sql`select source_kind, account_id from opportunities where id = ${cap.opportunityId}`,
    );
    expect(opp).toEqual({ source_kind: 'portal_demand', account_id: ids.A });
    expectStatus(await csm.post(`/api/portal-admin/demands/${d.id}/capture`, {}), 409);
    expect(JSON.stringify(expectStatus(await kpA.get(`/api/portal/demands/${d.id}`), 200))).not.toContain(cap.opportunityId);
    expectStatus(await csm.patch(`/api/portal-admin/demands/${d.id}`, { status: 'closed' }), 200);
    expectStatus(await kpA.post(`/api/portal/demands/${d.id}/messages`, { body: '再问一下' }), 409);
  });

  it("existing portal routes stay bound to the key person's account (tickets, value report)", async () => {
    const tk = expectStatus(
      await kpB.post('/api/portal/tickets', { title: '华南工单', description: '描述', kind: 'product_issue', severity: 'medium' }),
      201,
    );
    const a = await kpA.get(`/api/portal/tickets/${tk.id}`);
    const b = await kpA.get(`/api/portal/tickets/${MISSING}`);
    expect([a.statusCode, a.body]).toEqual([b.statusCode, b.body]);
    expect(expectStatus(await kpA.get('/api/portal/tickets'), 200).items.map((i: Json) => i.id)).not.toContain(tk.id);
    const rep = await kpA.get('/api/portal/value/report');
    expect(rep.headers['cache-control']).toBe('no-store');
  });

  it("behaviour signals reach the 360's portal tab with suggestions and their reasons", async () => {
    expectStatus(await kpA.post('/api/portal/views', { page: 'value' }), 200);
    expectStatus(await kpA.post('/api/portal/views', { page: 'elsewhere' }), 400);
    await kpA.get(`/api/portal/posts/${ids.post}`);
    const d2 = expectStatus(await kpA.post('/api/portal/demands', { title: '培训需求', body: '新员工培训' }), 201);
    const act = expectStatus(await csm.get(`/api/accounts/${ids.A}/portal-activity`), 200);
    expect(act.counts.view).toBeGreaterThanOrEqual(3);
    expect(act.counts.request).toBe(1);
    expect(act.keyPersons.map((k: Json) => k.email)).toContain('kp-a@customer.test');
    const interest = act.suggestions.find((s: Json) => s.subjectType === 'post' && s.subjectId === ids.post);
    expect(interest.reason).toMatch(/2/);
    const need = act.suggestions.find((s: Json) => s.subjectType === 'demand' && s.subjectId === d2.id);
    expect(need.kind).toBe('opportunity');
    expect(need.reason).toContain('钱工');
    expect(act.recent.every((r: Json) => r.by)).toBe(true);
    expectStatus(await csm2.get(`/api/accounts/${ids.A}/portal-activity`), 404);
    expectStatus(await kpA.get(`/api/accounts/${ids.A}/portal-activity`), 403);
    // B's activity shows nothing of A
    const actB = expectStatus(await csm.get(`/api/accounts/${ids.B}/portal-activity`), 200);
    expect(JSON.stringify(actB)).not.toContain('钱工');
  });
});

describe('live needs for staff (server-sent events)', () => {
  it('the CSM sees a new need and a reply as they happen; another workspace and key persons do not', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (t.app.server.address() as AddressInfo).port;
    const open = (c: Client, q = '') =>
      new Promise<{ status: number; chunks: string[]; req: http.ClientRequest }>((resolve) => {
        const chunks: string[] = [];
        const req = http.get({ host: '127.0.0.1', port, path: `/api/portal-admin/events${q}`, headers: { cookie: c.cookie } }, (res) => {
          res.setEncoding('utf8');
          res.on('data', (d: string) => chunks.push(d));
          resolve({ status: res.statusCode!, chunks, req });
        });
        req.on('error', () => undefined);
      });
    const mine = await open(csm, `?accountId=${ids.A}`);
    const other = await open(csm2);
    const kpStream = await open(kpA);
    expect(mine.status).toBe(200);
    expect(kpStream.status).toBe(403);
    const scoped = await open(csm2, `?accountId=${ids.A}`);
    expect(scoped.status).toBe(404);
    const d = expectStatus(await kpA.post('/api/portal/demands', { title: '实时需求', body: '现在就要' }), 201);
    await expectStatus(await kpB.post('/api/portal/demands', { title: 'B 的需求', body: 'x' }), 201);
    await new Promise((r) => setTimeout(r, 200));
    const text = mine.chunks.join('');
    expect(text).toContain('event: demand.created');
    expect(text).toContain(d.id);
    expect(text).not.toContain(ids.B);
    expect(other.chunks.join('')).not.toContain('demand.created');
    for (const s of [mine, other, kpStream, scoped]) s.req.destroy();
  });
});
