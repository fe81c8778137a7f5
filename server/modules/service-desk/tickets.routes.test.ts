import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client.js';
import { createJobRunner, ensureSchedule } from '../../platform/jobs.js';
import { jobHandlers } from '../../jobs.js';
import { startTestApp, type Client, type TestApp } from '../../test/harness.js';
import { SLA_SCAN_SCHEDULE, scanSla } from './index.js';
import { deliverEvents } from '../../test/events.js';
import { expectStatus, uploadFile, type Json } from '../../test/fixtures.js';

let t: TestApp;
let admin: Client,
  manager: Client,
  csm: Client,
  afterSales: Client,
  sales: Client,
  _expert: Client,
  channel: Client,
  admin2: Client,
  kp: Client,
  desk2: Client,
  otherAs: Client;
const ids = { accountA: '', accountB: '', desk: '', expertTeam: '', delivery: '', desk2: '', otherAs: '', kpContact: '' };

async function newTicket(body: Json = {}, as: Client = csm): Promise<Json> {
  return expectStatus(
    await as.post('/api/tickets', {
      accountId: ids.accountA,
      title: '工单列表加载缓慢',
      description: '打开工单列表需要 30 秒以上',
      kind: 'product_issue',
      severity: 'high',
      channel: 'phone',
      ...body,
    }),
    201,
  );
}
const detail = async (id: string, as: Client = admin) => expectStatus(await as.get(`/api/tickets/${id}`), 200);
const upload = (as: Client, url: string, name: string, type: string, data: Buffer) => uploadFile(t.app, as, url, { name, type, data });
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(200, 7)]);

beforeAll(async () => {
  t = await startTestApp();
  [admin, manager, csm, afterSales, sales, _expert, channel, admin2] = await Promise.all([
    t.as('admin'),
    t.as('manager'),
    t.as('csm'),
    t.as('after_sales'),
    t.as('sales'),
    t.as('expert'),
    t.as('channel_implementer'),
    t.as('admin', t.w2),
  ]);
  const u = t.w1.users;
  const mk = async (email: string, name: string, role: string) =>
    expectStatus(await admin.post('/api/users', { email, name, role, password: 'Test-pass-2026' }), 201).id as string;
  ids.desk2 = await mk('desk2@w1.test', '客服二号', 'after_sales');
  ids.otherAs = await mk('otheras@w1.test', '交付团队的售后', 'after_sales');
  expectStatus(await admin.patch(`/api/users/${u.after_sales.id}`, { managerId: u.manager.id }), 200);
  expectStatus(await admin.patch(`/api/users/${ids.desk2}`, { managerId: u.manager.id }), 200);
  desk2 = await t.login('desk2@w1.test');
  otherAs = await t.login('otheras@w1.test');
  const team = async (name: string, kind: string, members: string[]) => {
    const tm = expectStatus(await admin.post('/api/teams', { name, kind, leadId: u.manager.id }), 201);
    expectStatus(await admin.put(`/api/teams/${tm.id}/members`, { userIds: members }), 200);
    return tm.id as string;
  };
  ids.desk = await team('客服团队', 'service_desk', [u.after_sales.id, ids.desk2]);
  ids.expertTeam = await team('专家服务团队', 'expert', [u.expert.id]);
  ids.delivery = await team('项目交付团队', 'delivery', [u.delivery.id, ids.otherAs]);
  const account = async (name: string, tier: string) => {
    const a = expectStatus(await sales.post('/api/accounts', { name, industry: '工程机械', region: '华东' }), 201);
    if (a.tier !== tier) expectStatus(await manager.post(`/api/accounts/${a.id}/tier-override`, { tier, reason: '测试需要' }), 200);
    expectStatus(
      await manager.put(`/api/accounts/${a.id}/team`, {
        salesId: u.sales.id,
        deliveryId: u.delivery.id,
        afterSalesId: u.after_sales.id,
        csmId: tier === 'A' || tier === 'C' ? u.csm.id : null,
      }),
      200,
    );
    return a.id as string;
  };
  ids.accountA = await account('华东重工', 'A');
  ids.accountB = await account('普通客户', 'B');
  const c = expectStatus(await sales.post(`/api/accounts/${ids.accountA}/contacts`, { name: '钱工', side: 'operations_it' }), 201);
  ids.kpContact = c.id;
  expectStatus(await sales.post(`/api/contacts/${c.id}/key-person-login`, { email: 'kp@customer.test', password: 'Portal-pass-2026' }), 201);
  kp = await t.login('kp@customer.test', 'Portal-pass-2026', '/api/portal/auth/login');
});
afterAll(() => t?.close());

describe('ticket numbers', () => {
  it('count per workspace: another workspace’s tickets neither take numbers nor show how many there are', async () => {
    const first = await newTicket();
    const second = await newTicket();
    expect(second.number).toBe(first.number + 1);
    // a ticket in w2 (its own account) starts w2's count and does not move w1's
    const w2Account = expectStatus(await admin2.post('/api/accounts', { name: 'w2 的客户', industry: '能源', region: '华北' }), 201);
    const before = await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from tickets where workspace_id = ${t.w2.id}`);
    const other = expectStatus(
      await admin2.post('/api/tickets', {
        accountId: w2Account.id,
        title: 'w2 工单',
        description: 'x',
        kind: 'product_issue',
        severity: 'low',
        channel: 'phone',
      }),
      201,
    );
    expect(other.number).toBe(before[0].n + 1);
    const third = await newTicket();
    expect(third.number).toBe(second.number + 1);
  });
});

describe('opening a ticket: layered dispatch', () => {
  it('an A account product issue lands with the CSM, then a desk engineer, and says why', async () => {
    const r = await newTicket();
    expect(r.accountableId).toBe(t.w1.users.csm.id);
    expect([t.w1.users.after_sales.id, ids.desk2]).toContain(r.ownerId);
    expect(r.teamId).toBe(ids.desk);
    expect(r.priority).toBe('P2');
    expect(r.dispatchReason['zh-CN']).toMatch(/^A 类客户：客户成功经理 w1-csm 一票到底；产品问题 → 客服团队，SLA P2；按当前负载选定/);
    const d = await detail(r.id);
    expect(d.dispatchReason).toMatch(/^Tier A account: CSM w1-csm owns it end to end; product issue → service desk, SLA P2/);
    const assigned = d.history.filter((h: Json) => h.kind === 'assigned');
    expect(assigned.map((h: Json) => h.toOwnerId)).toEqual([t.w1.users.csm.id, r.ownerId]);
    expect(d.clocks.map((c: Json) => [c.kind, c.state])).toEqual([
      ['first_response', 'running'],
      ['resolution', 'running'],
    ]);
    expect(d.policy).toMatchObject({ tier: 'A', severity: 'high', firstResponseMinutes: 60 });
  });

  it('a B account customisation goes to the delivery contact under the contract', async () => {
    const r = await newTicket({ accountId: ids.accountB, kind: 'customisation', severity: 'medium' });
    expect(r.ownerId).toBe(t.w1.users.delivery.id);
    expect(r.accountableId).toBeNull();
    expect(r.dispatchReason['zh-CN']).toBe('B 类客户；定制化需求 → 交付接口人 w1-delivery，按合同');
  });

  it('balances load inside the team', async () => {
    const a = await newTicket({ accountId: ids.accountB });
    const b = await newTicket({ accountId: ids.accountB });
    expect(new Set([a.ownerId, b.ownerId]).size).toBe(2);
  });

  it('refuses bad input with a readable 400, another workspace’s account with 404', async () => {
    const bad = expectStatus(
      await csm.post('/api/tickets', { accountId: ids.accountA, title: '', description: 'x', kind: 'wish', severity: 'high' }),
      400,
    );
    expect(bad.fields.map((f: Json) => f.field).sort()).toEqual(['kind', 'title']);
    const w2a = expectStatus(await admin2.post('/api/accounts', { name: 'W2 客户', industry: '能源', region: '华北' }), 201);
    expectStatus(await csm.post('/api/tickets', { accountId: w2a.id, title: 'x', description: 'y', kind: 'product_issue', severity: 'low' }), 404);
    expectStatus(await t.anon.get('/api/tickets'), 401);
  });
});

describe("another workspace's ids", () => {
  it('every ticket route answers 404 and nothing changes', async () => {
    const r = await newTicket();
    // everything but the clocks' live business-minute counters
    const snap = async () =>
      JSON.stringify({ ...(await detail(r.id)), clocks: (await detail(r.id)).clocks.map((c: Json) => [c.kind, c.state, c.dueAt]) });
    const before = await snap();
    const u = t.w1.users;
    const calls: [string, string, unknown?][] = [
      ['get', `/api/tickets/${r.id}`],
      ['post', `/api/tickets/${r.id}/messages`, { body: 'x', visibility: 'public' }],
      ['post', `/api/tickets/${r.id}/assign`, { ownerId: u.after_sales.id, reason: 'x' }],
      ['post', `/api/tickets/${r.id}/pause`, { reason: 'x' }],
      ['post', `/api/tickets/${r.id}/resume`],
      ['post', `/api/tickets/${r.id}/resolve`, { resolution: 'x' }],
      ['post', `/api/tickets/${r.id}/close`],
      ['post', `/api/tickets/${r.id}/major`, { reason: 'x' }],
      ['post', `/api/tickets/${r.id}/csat`, { score: 3 }],
      ['get', `/api/accounts/${ids.accountA}/service`],
    ];
    for (const [m, url, body] of calls) {
      const res = m === 'get' ? await admin2.get(url) : await admin2.post(url, body);
      expect(res.statusCode, `${m} ${url}: ${res.body}`).toBe(404);
    }
    expectStatus(await upload(admin2, `/api/tickets/${r.id}/attachments`, 'a.png', 'image/png', PNG), 404);
    // and a w1 ticket cannot be handed to a w2 user
    expectStatus(await manager.post(`/api/tickets/${r.id}/assign`, { ownerId: t.w2.users.after_sales.id, reason: 'x' }), 400);
    expect(await snap()).toBe(before);
  });
});

describe('queues', () => {
  it('mine, team, unassigned and all, with counts', async () => {
    const mine = expectStatus(await csm.get('/api/tickets?queue=mine'), 200);
    expect(mine.total).toBeGreaterThan(0);
    expect(mine.items.every((i: Json) => i.accountName === '华东重工')).toBe(true);
    const team = expectStatus(await afterSales.get('/api/tickets?queue=team'), 200);
    expect(team.items.every((i: Json) => i.teamId === ids.desk)).toBe(true);
    expect(team.counts.team).toBe(team.total);
    expect(expectStatus(await admin.get('/api/tickets?queue=unassigned'), 200).total).toBe(0);
    expectStatus(await admin.get('/api/tickets?queue=nope'), 400);
    // a channel implementer sees only the partner's accounts: none of these
    expect(expectStatus(await channel.get('/api/tickets?queue=all'), 200).total).toBe(0);
  });
  it("an unfiltered queue's total is its count; the same queue counted row by row (a filter that keeps every open ticket) agrees", async () => {
    for (const who of [csm, afterSales, manager, admin])
      for (const queue of ['mine', 'team', 'breaching', 'breached', 'unassigned']) {
        const plain = expectStatus(await who.get(`/api/tickets?queue=${queue}&pageSize=1`), 200);
        const counted = expectStatus(await who.get(`/api/tickets?queue=${queue}&pageSize=1&status=open,in_progress,waiting_customer`), 200);
        expect(plain.total, queue).toBe(counted.total);
        expect(plain.total, queue).toBe(plain.counts[queue]);
      }
    expect(expectStatus(await manager.get('/api/tickets?queue=mine'), 200).total).toBeGreaterThanOrEqual(0);
    // a narrowed list's total comes with its page's rows, and is counted apart for a page past the end
    const first = expectStatus(await admin.get('/api/tickets?queue=all&status=open,in_progress,waiting_customer&pageSize=1'), 200);
    expect(first.total).toBeGreaterThan(1);
    const past = expectStatus(
      await admin.get(`/api/tickets?queue=all&status=open,in_progress,waiting_customer&pageSize=1&page=${first.total + 3}`),
      200,
    );
    expect(past.items).toEqual([]);
    expect(past.total).toBe(first.total);
    const last = expectStatus(await admin.get(`/api/tickets?queue=all&status=open,in_progress,waiting_customer&pageSize=1&page=${first.total}`), 200);
    expect(last.items).toHaveLength(1);
    expect(last.total).toBe(first.total);
  });
});

describe('conversation, visibility and the portal', () => {
  let id = '';
  beforeAll(async () => {
    id = expectStatus(
      await kp.post('/api/portal/tickets', { title: '导出报表报错', description: '点击导出后提示 500', kind: 'product_issue', severity: 'medium' }),
      201,
    ).id;
  });

  it('a key person raises a ticket on their own account through the portal', async () => {
    const d = await detail(id);
    expect(d).toMatchObject({ channel: 'portal', requesterKind: 'key_person', requesterName: '钱工', accountId: ids.accountA });
  });

  it('a key person never sees internal notes or internal files', async () => {
    expectStatus(await afterSales.post(`/api/tickets/${id}/messages`, { body: '内部：怀疑是报表服务内存不足', visibility: 'internal' }), 201);
    expectStatus(await afterSales.post(`/api/tickets/${id}/messages`, { body: '您好，请提供报错截图', visibility: 'public' }), 201);
    const file = expectStatus(
      await upload(afterSales, `/api/tickets/${id}/attachments?visibility=internal`, 'heap.txt', 'text/plain', Buffer.from('heap dump summary')),
      201,
    );
    const staffView = await detail(id);
    expect(staffView.messages.map((m: Json) => m.visibility)).toEqual(['internal', 'public']);
    const portal = expectStatus(await kp.get(`/api/portal/tickets/${id}`), 200);
    expect(portal.messages.map((m: Json) => m.body)).toEqual(['您好，请提供报错截图']);
    expect(JSON.stringify(portal)).not.toContain('内存不足');
    expect(portal.attachments).toEqual([]);
    expect(portal).not.toHaveProperty('history');
    expect(portal).not.toHaveProperty('dispatchReason');
    expectStatus(await kp.get(`/api/portal/tickets/${id}/attachments/${file.id}`), 404);
  });

  it("a key person gets 404 for another account's ticket, and cannot use staff routes", async () => {
    const other = await newTicket({ accountId: ids.accountB });
    expectStatus(await kp.get(`/api/portal/tickets/${other.id}`), 404);
    expectStatus(await kp.post(`/api/portal/tickets/${other.id}/messages`, { body: '看看' }), 404);
    expect(expectStatus(await kp.get('/api/portal/tickets'), 200).items.every((i: Json) => i.title !== '工单列表加载缓慢' || true)).toBe(true);
    const mine = expectStatus(await kp.get('/api/portal/tickets'), 200).items.map((i: Json) => i.id);
    expect(mine).toContain(id);
    expect(mine).not.toContain(other.id);
    expectStatus(await kp.get(`/api/tickets/${id}`), 403);
    expectStatus(await admin2.get(`/api/tickets/${id}`), 404);
  });

  it('attachments: allowed types are stored and served as downloads; too large or forbidden ones are refused', async () => {
    const f = expectStatus(await upload(kp, `/api/portal/tickets/${id}/attachments`, 'error.png', 'image/png', PNG), 201);
    expect(f).toMatchObject({ fileName: 'error.png', contentType: 'image/png', sizeBytes: PNG.length, visibility: 'public' });
    const res = await afterSales.get(`/api/tickets/${id}/attachments/${f.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="error.png"; filename*=UTF-8''error.png`);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(res.rawPayload, PNG)).toBe(0);
    const before = (await detail(id)).attachments.length;
    const html = expectStatus(
      await upload(kp, `/api/portal/tickets/${id}/attachments`, 'x.html', 'text/html', Buffer.from('<html><script>alert(1)</script>')),
      400,
    );
    expect(html.message).toMatch(/not allowed/);
    expectStatus(await upload(kp, `/api/portal/tickets/${id}/attachments`, 'fake.png', 'image/png', Buffer.from('MZ not a png')), 400);
    const big = await upload(
      kp,
      `/api/portal/tickets/${id}/attachments`,
      'big.png',
      'image/png',
      Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024)]),
    );
    expect(big.statusCode).toBe(413);
    expect(big.json().message).toMatch(/over the limit/);
    expect((await detail(id)).attachments.length).toBe(before);
    expectStatus(await upload(kp, `/api/portal/tickets/${ids.kpContact}/attachments`, 'a.png', 'image/png', PNG), 404);
  });
});

describe('reassignment', () => {
  it('an after-sales engineer of another team cannot reassign, and nothing changes', async () => {
    const r = await newTicket();
    const before = await detail(r.id);
    const res = expectStatus(
      await otherAs.post(`/api/tickets/${r.id}/assign`, {
        ownerId: t.w1.users.after_sales.id === r.ownerId ? ids.desk2 : t.w1.users.after_sales.id,
        reason: '我来',
      }),
      403,
    );
    expect(res.message).toMatch(/Only the owner/);
    const after = await detail(r.id);
    expect(after.ownerId).toBe(before.ownerId);
    expect(after.history.length).toBe(before.history.length);
  });

  it('a team member passes it to a teammate with who and why; not to someone outside the team', async () => {
    const r = await newTicket();
    const to = r.ownerId === ids.desk2 ? t.w1.users.after_sales.id : ids.desk2;
    const actor = r.ownerId === ids.desk2 ? desk2 : afterSales;
    const outside = expectStatus(await actor.post(`/api/tickets/${r.id}/assign`, { ownerId: t.w1.users.expert.id, reason: '转专家' }), 400);
    expect(outside.fields[0].field).toBe('ownerId');
    expect((await detail(r.id)).ownerId).toBe(r.ownerId);
    expectStatus(await actor.post(`/api/tickets/${r.id}/assign`, { ownerId: to, reason: '我明天休假' }), 200);
    const d = await detail(r.id);
    expect(d.ownerId).toBe(to);
    const last = d.history.filter((h: Json) => h.kind === 'assigned').at(-1);
    expect(last).toMatchObject({ fromOwnerId: r.ownerId, toOwnerId: to, actorKind: 'staff' });
    expect(last.reason).toMatch(/我明天休假/);
    expectStatus(await actor.post(`/api/tickets/${r.id}/assign`, { ownerId: to, reason: '' }), 400);
  });

  it('the CSM may move it to the expert team; an engineer may not change the team', async () => {
    const r = await newTicket();
    expectStatus(
      await afterSales.post(`/api/tickets/${r.id}/assign`, { ownerId: t.w1.users.expert.id, teamId: ids.expertTeam, reason: '需要专家' }),
      403,
    );
    expectStatus(
      await csm.post(`/api/tickets/${r.id}/assign`, { ownerId: t.w1.users.expert.id, teamId: ids.expertTeam, reason: '需要专家诊断' }),
      200,
    );
    expect(await detail(r.id)).toMatchObject({ ownerId: t.w1.users.expert.id, teamId: ids.expertTeam, teamName: '专家服务团队' });
  });
});

describe('SLA: pause while waiting on the customer, resume on their reply, resolve, rate', () => {
  it('walks the whole lifecycle', async () => {
    const r = expectStatus(
      await kp.post('/api/portal/tickets', { title: '移动端无法登录', description: '提示证书错误', kind: 'product_issue', severity: 'high' }),
      201,
    );
    const owner = r.ownerId === ids.desk2 ? desk2 : afterSales;
    // the customer spoke last: nothing to wait for
    const p = expectStatus(await owner.post(`/api/tickets/${r.id}/pause`, { reason: '等客户截图' }), 409);
    expect(p.message).toMatch(/not waiting on the customer/);
    expect((await detail(r.id)).status).toBe('open');
    expectStatus(await owner.post(`/api/tickets/${r.id}/messages`, { body: '请提供手机型号和截图', visibility: 'public' }), 201);
    let d = await detail(r.id);
    expect(d.status).toBe('in_progress');
    expect(d.clocks.find((c: Json) => c.kind === 'first_response').state).toBe('met');
    expectStatus(await owner.post(`/api/tickets/${r.id}/pause`, { reason: '等客户截图' }), 200);
    d = await detail(r.id);
    expect(d.status).toBe('waiting_customer');
    expect(d.clocks.find((c: Json) => c.kind === 'resolution').state).toBe('paused');
    const [stored] = await queryRows<{ due_at: Date | null }>(
      t.db,
      sql`select due_at from sla_clocks where ticket_id = ${r.id} and kind = 'resolution'`,
    );
    expect(stored.due_at).toBeNull();
    expectStatus(await owner.post(`/api/tickets/${r.id}/pause`, { reason: '再暂停' }), 409);
    // the customer replies: clocks resume, a next-response clock starts
    expectStatus(await kp.post(`/api/portal/tickets/${r.id}/messages`, { body: '华为 Mate 60，截图已上传' }), 201);
    d = await detail(r.id);
    expect(d.status).toBe('in_progress');
    expect(d.pauses).toHaveLength(1);
    expect(d.pauses[0].to).not.toBeNull();
    expect(d.clocks.map((c: Json) => [c.kind, c.state])).toEqual([
      ['first_response', 'met'],
      ['resolution', 'running'],
      ['next_response', 'running'],
    ]);
    expect(d.history.map((h: Json) => h.kind)).toEqual(expect.arrayContaining(['paused', 'resumed']));
    expectStatus(await owner.post(`/api/tickets/${r.id}/resume`), 409);
    // rating before resolution is refused
    expectStatus(await kp.post(`/api/portal/tickets/${r.id}/csat`, { score: 5 }), 409);
    expectStatus(await owner.post(`/api/tickets/${r.id}/resolve`, { resolution: '已更新证书链，请重新登录' }), 200);
    d = await detail(r.id);
    expect(d.status).toBe('resolved');
    expect(d.clocks.every((c: Json) => c.state === 'met')).toBe(true);
    const portal = expectStatus(await kp.get(`/api/portal/tickets/${r.id}`), 200);
    expect(portal.canRate).toBe(true);
    expectStatus(await kp.post(`/api/portal/tickets/${r.id}/csat`, { score: 6 }), 400);
    expectStatus(await kp.post(`/api/portal/tickets/${r.id}/csat`, { score: 5, comment: '响应很快' }), 201);
    d = await detail(r.id);
    expect(d.status).toBe('closed');
    expect(d.csat).toMatchObject({ score: 5, comment: '响应很快', byName: '钱工' });
    expectStatus(await kp.post(`/api/portal/tickets/${r.id}/csat`, { score: 4 }), 409);
    // replies to a closed ticket: 409 and nothing changes
    const n = d.messages.length;
    expect(expectStatus(await kp.post(`/api/portal/tickets/${r.id}/messages`, { body: '又不行了' }), 409).message).toMatch(/closed/);
    expectStatus(await owner.post(`/api/tickets/${r.id}/messages`, { body: '好的', visibility: 'public' }), 409);
    expect((await detail(r.id)).messages.length).toBe(n);
    const byOwner = expectStatus(await admin.get('/api/service-desk/csat?by=owner'), 200).items;
    expect(byOwner.find((x: Json) => x.id === r.ownerId)).toMatchObject({ responses: 1, average: 5 });
    const svc = expectStatus(await csm.get(`/api/accounts/${ids.accountA}/service`), 200);
    expect(svc.csat.responses).toBeGreaterThanOrEqual(1);
    expect(svc.compliance.met).toBeGreaterThanOrEqual(3);
    expect(svc.tickets.some((x: Json) => x.id === r.id)).toBe(true);
  });
});

describe('key moments and opportunities', () => {
  it('a complaint records a key-moment event; so does marking a major issue, once', async () => {
    const c = await newTicket({ kind: 'complaint', title: '对上线延期不满', severity: 'high' });
    expect(c.ownerId).toBe(t.w1.users.csm.id);
    const p = await newTicket({ title: '全线停机' });
    expectStatus(await afterSales.post(`/api/tickets/${p.id}/major`, { reason: '影响客户全部产线' }), 200);
    expectStatus(await afterSales.post(`/api/tickets/${p.id}/major`, { reason: '再次' }), 409);
    expectStatus(await sales.post(`/api/tickets/${p.id}/major`, { reason: 'x' }), 403);
    const km = expectStatus(await csm.get(`/api/service-desk/key-moments?accountId=${ids.accountA}`), 200).items;
    expect(km.filter((k: Json) => k.ticketId === c.id).map((k: Json) => k.cause)).toEqual(['complaint']);
    expect(km.filter((k: Json) => k.ticketId === p.id).map((k: Json) => k.cause)).toEqual(['major_issue']);
    expect((await detail(p.id)).keyMoments).toHaveLength(1);
  });

  it('captures an opportunity linked to the ticket and credited to whoever captured it', async () => {
    const r = await newTicket({ title: '希望增加备件预测功能', kind: 'new_need' });
    const o = expectStatus(await afterSales.post(`/api/tickets/${r.id}/opportunity`, { title: '备件预测模块', amountMinor: 30_000_000 }), 201);
    expect(o).toMatchObject({ sourceKind: 'ticket', sourceId: r.id, capturedById: t.w1.users.after_sales.id, stage: 'captured' });
    const d = await detail(r.id);
    expect(d.opportunities).toEqual([expect.objectContaining({ id: o.id, capturedByName: 'w1-after_sales' })]);
    expectStatus(await admin2.post(`/api/tickets/${r.id}/opportunity`, { title: 'x' }), 404);
  });
});

describe('SLA settings', () => {
  it('a policy change applies to new tickets; open ones keep theirs', async () => {
    const old = await newTicket({ severity: 'low' });
    expectStatus(
      await sales.put('/api/settings/sla/policies', {
        policies: [{ tier: 'A', severity: 'low', firstResponseMinutes: 15, nextResponseMinutes: 30, resolutionMinutes: 120, warnPct: 50 }],
      }),
      403,
    );
    const bad = expectStatus(
      await manager.put('/api/settings/sla/policies', {
        policies: [{ tier: 'A', severity: 'low', firstResponseMinutes: 600, nextResponseMinutes: 30, resolutionMinutes: 120, warnPct: 50 }],
      }),
      400,
    );
    expect(bad.fields[0].field).toBe('policies.0.firstResponseMinutes');
    const put = expectStatus(
      await manager.put('/api/settings/sla/policies', {
        policies: [{ tier: 'A', severity: 'low', firstResponseMinutes: 15, nextResponseMinutes: 30, resolutionMinutes: 120, warnPct: 50 }],
      }),
      200,
    );
    expect(put.policies.find((p: Json) => p.tier === 'A' && p.severity === 'low')).toMatchObject({ firstResponseMinutes: 15, isDefault: false });
    const fresh = await newTicket({ severity: 'low' });
    expect((await detail(old.id)).policy.firstResponseMinutes).toBe(480);
    expect((await detail(fresh.id)).policy.firstResponseMinutes).toBe(15);
  });

  it('the calendar: validated, and open tickets’ deadlines follow it', async () => {
    const bad = expectStatus(
      await manager.put('/api/settings/sla/calendar', {
        name: '上海',
        timezone: 'Asia/Shanghai',
        workingDays: [1, 2, 3, 4, 5],
        periods: [{ start: '13:00', end: '12:00' }],
        holidays: [],
        extraWorkdays: [],
      }),
      400,
    );
    expect(bad.fields[0].field).toBe('periods');
    expectStatus(
      await manager.put('/api/settings/sla/calendar', {
        name: 'x',
        timezone: 'Nowhere/City',
        workingDays: [1],
        periods: [{ start: '09:00', end: '18:00' }],
        holidays: [],
        extraWorkdays: [],
      }),
      400,
    );
    const ok = expectStatus(
      await manager.put('/api/settings/sla/calendar', {
        name: '上海工作日历',
        timezone: 'Asia/Shanghai',
        workingDays: [1, 2, 3, 4, 5],
        periods: [
          { start: '09:00', end: '12:00' },
          { start: '13:30', end: '18:00' },
        ],
        holidays: ['2026-10-01'],
        extraWorkdays: ['2026-10-10'],
      }),
      200,
    );
    expect(ok.moved).toBeGreaterThan(0);
    const s = expectStatus(await csm.get('/api/settings/sla'), 200);
    expect(s.calendar).toMatchObject({ name: '上海工作日历', holidays: ['2026-10-01'], isDefault: false });
    expect(s.policies).toHaveLength(20);
    expectStatus(
      await csm.put('/api/settings/sla/calendar', {
        name: 'x',
        timezone: 'Asia/Shanghai',
        workingDays: [1],
        periods: [{ start: '09:00', end: '18:00' }],
        holidays: [],
        extraWorkdays: [],
      }),
      403,
    );
    const rules = expectStatus(await csm.get('/api/service-desk/dispatch-rules'), 200).items;
    expect(rules).toHaveLength(15);
  });
});

describe('escalation: exactly once per breach, with an injected clock', () => {
  it('records a warning, then breaches and escalates to the manager and the CSM once', async () => {
    const r = await newTicket({ title: '报表数据不一致', severity: 'critical' });
    const created = new Date((await detail(r.id)).createdAt);
    const runner = createJobRunner(t.db, jobHandlers);
    await ensureSchedule(t.db, { ...SLA_SCAN_SCHEDULE, firstRunAt: created });
    const esc = async () =>
      queryRows<{ recipient_id: string; recipient_role: string; kind: string }>(
        t.db,
        sql`select e.recipient_id, e.recipient_role, c.kind from sla_escalations e join sla_clocks c on c.id = e.clock_id where e.ticket_id = ${r.id} order by c.kind, e.recipient_role`,
      );

    await runner.runDue(new Date(created.getTime() + 60_000));
    let d = await detail(r.id);
    expect(d.clocks.every((c: Json) => !c.breachedAt)).toBe(true);
    expect(await esc()).toEqual([]);

    // between the warning moment and the deadline: a warning, once, and no breach
    const fr = d.clocks.find((c: Json) => c.kind === 'first_response');
    const warnTime = new Date(new Date(fr.warnAt).getTime() + 1000);
    expect(warnTime.getTime()).toBeLessThan(new Date(fr.dueAt).getTime());
    await runner.runDue(warnTime);
    await runner.runDue(new Date(warnTime.getTime() + 1000));
    d = await detail(r.id);
    expect(d.history.filter((h: Json) => h.kind === 'warned')).toHaveLength(1);
    expect(d.clocks.every((c: Json) => !c.breachedAt)).toBe(true);
    expect(await esc()).toEqual([]);

    // a month later every clock is past its business-hours deadline
    const later = new Date(created.getTime() + 30 * 86_400_000);
    await runner.runDue(later);
    const first = await esc();
    expect(first).toEqual([
      { recipient_id: t.w1.users.csm.id, recipient_role: 'csm', kind: 'first_response' },
      { recipient_id: t.w1.users.manager.id, recipient_role: 'manager', kind: 'first_response' },
      { recipient_id: t.w1.users.csm.id, recipient_role: 'csm', kind: 'resolution' },
      { recipient_id: t.w1.users.manager.id, recipient_role: 'manager', kind: 'resolution' },
    ]);
    d = await detail(r.id);
    expect(d.clocks.map((c: Json) => c.state)).toEqual(['breached', 'breached']);
    expect(d.clocks[0].breachedAt).toEqual(d.clocks[0].dueAt);
    expect(d.history.filter((h: Json) => h.kind === 'breached')).toHaveLength(2);
    expect(d.history.filter((h: Json) => h.kind === 'escalated')[0].reason).toMatch(/Escalated to: /);
    // the history says the deadline in the workspace's zone (YYYY-MM-DD HH:mm), never as an ISO string
    for (const h of d.history.filter((x: Json) => x.kind === 'breached' || x.kind === 'warned')) {
      expect(h.reason).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
      expect(h.reason).toMatch(/\(\w* ?\d{4}-\d{2}-\d{2} \d{2}:\d{2}\)|（截止 \d{4}-\d{2}-\d{2} \d{2}:\d{2}）/);
    }

    // each breached clock's escalation also reaches its recipients by mail (the notification centre, through the outbox), once each
    const mails = async () =>
      queryRows<{ payload: { to: { email: string }[]; subject: string } }>(
        t.db,
        sql`select j.payload from jobs j join sla_clocks c on j.dedupe_key like 'notice:ticket.escalated:' || c.id || ':%:email' where c.ticket_id = ${r.id} and j.kind = 'meetings.mail' order by c.kind`,
      );
    await deliverEvents(t.db);
    const sent = await mails();
    expect(sent).toHaveLength(4);
    expect(sent.flatMap((m) => m.payload.to.map((x) => x.email)).sort()).toEqual(
      [t.w1.users.csm.email, t.w1.users.manager.email, t.w1.users.csm.email, t.w1.users.manager.email].sort(),
    );
    for (const m of sent) expect(m.payload.subject).toContain('报表数据不一致');

    // the scan runs again (and again): nothing new
    await runner.runDue(new Date(later.getTime() + 61_000));
    await runner.runDue(new Date(later.getTime() + 3_600_000));
    expect(await esc()).toEqual(first);
    expect(await mails()).toHaveLength(4);
    d = await detail(r.id);
    expect(d.history.filter((h: Json) => h.kind === 'breached')).toHaveLength(2);
    expect(expectStatus(await csm.get('/api/tickets?queue=breached'), 200).items.map((i: Json) => i.id)).toContain(r.id);
    // two instances scanning at the same moment (truly concurrent on PostgreSQL) still escalate once
    const r3 = await newTicket({ title: '并发扫描', severity: 'critical' });
    const at = new Date(later.getTime() + 3 * 3_600_000);
    const results = await Promise.all([scanSla(t.db, at), scanSla(t.db, at), scanSla(t.db, at)]);
    expect(results.reduce((n, x) => n + x.breached, 0)).toBe(2);
    const e3 = await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from sla_escalations where ticket_id = ${r3.id}`);
    expect(e3[0].n).toBe(4);
    // a met clock is never breached afterwards
    const owner = r.ownerId === ids.desk2 ? desk2 : afterSales;
    const r2 = await newTicket({ title: '按时响应', severity: 'critical' });
    expectStatus(
      await (r2.ownerId === ids.desk2 ? desk2 : afterSales).post(`/api/tickets/${r2.id}/messages`, { body: '收到，处理中', visibility: 'public' }),
      201,
    );
    await runner.runDue(new Date(later.getTime() + 2 * 3_600_000));
    const d2 = await detail(r2.id);
    expect(d2.clocks.find((c: Json) => c.kind === 'first_response').state).toBe('met');
    expect(owner).toBeTruthy();
  });
});

describe('OpenAPI', () => {
  it('documents the staff and portal ticket routes', async () => {
    const doc = expectStatus(await t.anon.get('/api/openapi.json'), 200);
    for (const p of [
      '/api/tickets',
      '/api/tickets/{id}',
      '/api/tickets/{id}/pause',
      '/api/portal/tickets',
      '/api/portal/tickets/{id}/csat',
      '/api/settings/sla',
      '/api/service-desk/dispatch-rules',
    ])
      expect(Object.keys(doc.paths)).toContain(p);
  });
});

describe('bulk reassign', () => {
  const fieldsOf = (body: Json) => (body.fields ?? []).map((f: Json) => f.field);
  it('applies the one-by-one rules to each ticket: done and refused rows, a refusal undoes nothing', async () => {
    const [r1, r2] = [await newTicket(), await newTicket()];
    const w2Account = expectStatus(await admin2.post('/api/accounts', { name: 'w2 批量客户', industry: '能源', region: '华北' }), 201);
    const w2Ticket = expectStatus(
      await admin2.post('/api/tickets', {
        accountId: w2Account.id,
        title: 'w2 工单',
        description: 'x',
        kind: 'product_issue',
        severity: 'low',
        channel: 'phone',
      }),
      201,
    );
    // someone who may reassign neither (not the owner, not in its team): every row refused, with the same words as one by one
    const none = expectStatus(await otherAs.post('/api/tickets/bulk/assign', { ids: [r1.id, r2.id], ownerId: ids.desk2, reason: '我来' }), 200);
    expect(none.done).toEqual([]);
    expect(none.refused.map((x: Json) => x.id)).toEqual([r1.id, r2.id]);
    expect(none.refused[0].reason).toMatch(/Only the owner/);
    expect((await detail(r1.id)).ownerId).toBe(r1.ownerId);
    // a lead: both done (neither already with the new owner); the other workspace's ticket refused as not found, and left alone
    for (const r of [r1, r2])
      if (r.ownerId === ids.desk2)
        expectStatus(await manager.post(`/api/tickets/${r.id}/assign`, { ownerId: t.w1.users.after_sales.id, reason: '准备' }), 200);
    const res = expectStatus(
      await manager.post('/api/tickets/bulk/assign', { ids: [r1.id, w2Ticket.id, r2.id], ownerId: ids.desk2, reason: '集中处理' }),
      200,
    );
    expect(res.done).toEqual([r1.id, r2.id]);
    expect(res.refused).toHaveLength(1);
    expect(res.refused[0].id).toBe(w2Ticket.id);
    expect(res.refused[0].reason).toMatch(/not found/);
    for (const r of [r1, r2]) {
      const d = await detail(r.id);
      expect(d.ownerId).toBe(ids.desk2);
      expect(d.history.filter((h: Json) => h.kind === 'assigned').at(-1).reason).toMatch(/集中处理/);
    }
    expect(expectStatus(await admin2.get(`/api/tickets/${w2Ticket.id}`), 200).ownerId).toBe(w2Ticket.ownerId);
  });

  it('400 naming the field: no ids, more than 200, no reason; 403 without the permission', async () => {
    const r = await newTicket();
    expect(fieldsOf(expectStatus(await manager.post('/api/tickets/bulk/assign', { ids: [], ownerId: ids.desk2, reason: 'x' }), 400))).toContain(
      'ids',
    );
    const many = Array.from({ length: 201 }, () => r.id);
    expect(fieldsOf(expectStatus(await manager.post('/api/tickets/bulk/assign', { ids: many, ownerId: ids.desk2, reason: 'x' }), 400))).toContain(
      'ids',
    );
    expect(fieldsOf(expectStatus(await manager.post('/api/tickets/bulk/assign', { ids: [r.id], ownerId: ids.desk2, reason: '' }), 400))).toContain(
      'reason',
    );
    expect(fieldsOf(expectStatus(await manager.post('/api/tickets/bulk/assign', { ids: ['x'], ownerId: ids.desk2, reason: 'y' }), 400))[0]).toMatch(
      /^ids/,
    );
    expectStatus(await kp.post('/api/tickets/bulk/assign', { ids: [r.id], ownerId: ids.desk2, reason: 'y' }), 403);
  });
});

describe('list filters', () => {
  it('status, severity, owner and account tier narrow the queue; a bad value is a 400 naming the field', async () => {
    const low = await newTicket({ severity: 'low', title: '筛选-低' });
    const onB = await newTicket({ accountId: ids.accountB, severity: 'high', title: '筛选-B' });
    const items = async (qs: string) =>
      (expectStatus(await admin.get(`/api/tickets?queue=all&pageSize=200&${qs}`), 200).items as Json[]).map((x) => x.id);
    const bySeverity = await items('severity=low');
    expect(bySeverity).toContain(low.id);
    expect(bySeverity).not.toContain(onB.id);
    const byTier = await items('tier=B');
    expect(byTier).toContain(onB.id);
    expect(byTier).not.toContain(low.id);
    if (low.ownerId) {
      const byOwner = await items(`ownerId=${low.ownerId}`);
      expect(byOwner).toContain(low.id);
      expect(
        (expectStatus(await admin.get(`/api/tickets?queue=all&pageSize=200&ownerId=${low.ownerId}`), 200).items as Json[]).every(
          (x) => x.ownerId === low.ownerId,
        ),
      ).toBe(true);
    }
    expect(await items('severity=low&tier=B')).not.toContain(low.id);
    for (const [qs, field] of [
      ['severity=urgent', 'severity'],
      ['tier=Z', 'tier'],
      ['ownerId=nope', 'ownerId'],
    ]) {
      const body = expectStatus(await admin.get(`/api/tickets?${qs}`), 400);
      expect((body.fields ?? []).map((f: Json) => f.field).join(',')).toMatch(new RegExp(field));
    }
  });
});

describe('export of a selection', () => {
  const csvRows = (body: Buffer) => parse(body.toString('utf8'), { bom: true, relax_column_count: true }) as string[][];
  const get = (c: Client, url: string, lang = 'zh-CN') =>
    t.app.inject({ method: 'GET', url, headers: { cookie: c.cookie, 'accept-language': lang } });

  it('CSV of the ticked tickets: labels not codes, times and the file date in the workspace zone, formulas neutralised', async () => {
    const a = await newTicket({ title: '=导出-甲', severity: 'critical', kind: 'complaint' });
    const b = await newTicket({ title: '导出-乙', severity: 'low' });
    const notPicked = await newTicket({ title: '导出-丙' });
    // 17:30 UTC is 01:30 the next day in the workspace's zone (Asia/Shanghai)
    await t.db.execute(sql`update tickets set created_at = '2026-03-01T17:30:00Z' where id = ${a.id}`);
    const zone = expectStatus(await admin.get('/api/auth/me'), 200).workspace.timezone as string;
    expect(zone).toBe('Asia/Shanghai');
    const res = await get(manager, `/api/tickets/export?ids=${a.id},${b.id}&format=csv`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' })
      .format(new Date())
      .replace(/-/g, '');
    expect(res.headers['content-disposition']).toContain(`filename="tickets-${day}.csv"`);
    const [header, ...rows] = csvRows(res.rawPayload);
    expect(header).toEqual(expect.arrayContaining(['工单号', '标题', '客户', '类型', '严重程度', '状态', '创建时间', 'SLA 到期']));
    expect(rows).toHaveLength(2);
    const row = (n: number) => Object.fromEntries(header.map((h, i) => [h, rows.find((r) => r[0] === String(n))![i]]));
    expect(row(a.number)).toMatchObject({ 标题: "'=导出-甲", 类型: '投诉', 严重程度: '紧急', 创建时间: '2026-03-02 01:30' });
    expect(['新建', '处理中']).toContain(row(a.number).状态);
    expect(row(b.number)).toMatchObject({ 标题: '导出-乙', 严重程度: '低', 类型: '产品问题' });
    const text = res.rawPayload.toString('utf8');
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:|\b(critical|complaint|product_issue|in_progress)\b/);
    expect(text).not.toContain('导出-丙');
    expect(rows.map((r) => r[0])).not.toContain(String(notPicked.number));
  });

  it('XLSX in English; another workspace gets none of these rows; 400 without ids or past 200; 401 and the portal 403', async () => {
    const a = await newTicket({ title: '导出-英文' });
    const res = await get(manager, `/api/tickets/export?ids=${a.id}&format=xlsx`, 'en');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/filename="tickets-\d{8}\.xlsx"/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws.name).toBe('Tickets');
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(expect.arrayContaining(['Ticket no.', 'Severity', 'Status', 'Created']));
    const cells = (ws.getRow(2).values as unknown[]).slice(1);
    expect(cells[0]).toBe(a.number);
    expect(cells[header.indexOf('Severity')]).toBe('high');
    const other = csvRows((await get(admin2, `/api/tickets/export?ids=${a.id}`)).rawPayload);
    expect(other).toHaveLength(1); // the header only
    expect((await get(manager, '/api/tickets/export')).statusCode).toBe(400);
    const many = Array.from({ length: 201 }, () => a.id).join(',');
    expect((await get(manager, `/api/tickets/export?ids=${many}`)).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: `/api/tickets/export?ids=${a.id}` })).statusCode).toBe(401);
    expect((await get(kp, `/api/tickets/export?ids=${a.id}`)).statusCode).toBe(403);
  });
});
