import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/client.js';
import { deliverEvents } from '../../test/events.js';
import { expectStatus, makeAccount, type Json } from '../../test/fixtures.js';
import { startTestApp, type Client, type TestApp } from '../../test/harness.js';
import { scanSla } from '../service-desk/index.js';
import { deliverNotice } from './notifications.service.js';
import { createJobRunner } from '../../platform/jobs.js';
import { IM_JOB, imSendHandler } from '../channels/index.js';
import { startImReceivers } from '../channels/channels.test-support.js';

let t: TestApp;
let admin: Client, manager: Client, csm: Client, sales: Client, afterSales: Client, delivery: Client, manager2: Client;
let accountA: Json;
let rx: Awaited<ReturnType<typeof startImReceivers>>;
const operatorAllowed = process.env.KW_OUTBOUND_ALLOW_HOSTS;
const runIm = async () => {
  const r = createJobRunner(t.db, { [IM_JOB]: imSendHandler({ timeoutMs: 3000 }) }, { only: [IM_JOB] });
  for (let n = await r.runDue(new Date()); n > 0; n = await r.runDue(new Date()));
};

const notices = async (c: Client, q = '') => expectStatus(await c.get(`/api/notifications${q}`), 200);
const mailJobs = (userEmail: string, like: string) =>
  queryRows<{ run_at: string; payload: { to: { email: string }[]; subject: string; text: string } }>(
    t.db,
    sql`select run_at::text, payload from jobs where kind = 'meetings.mail' and dedupe_key like ${like} and payload::text like ${`%${userEmail}%`} order by id`,
  );

beforeAll(async () => {
  process.env.KW_OUTBOUND_ALLOW_HOSTS = '127.0.0.1'; // the operator lets this installation reach the local IM receivers
  t = await startTestApp({ publicUrl: 'https://keyward.example.cn' });
  rx = await startImReceivers();
  [admin, manager, csm, sales, afterSales, delivery, manager2] = await Promise.all([
    t.as('admin'),
    t.as('manager'),
    t.as('csm'),
    t.as('sales'),
    t.as('after_sales'),
    t.as('delivery'),
    t.as('manager', t.w2),
  ]);
  const u = t.w1.users;
  accountA = await makeAccount(sales, manager, 'A');
  expectStatus(
    await manager.put(`/api/accounts/${accountA.id}/team`, {
      salesId: u.sales.id,
      deliveryId: u.delivery.id,
      afterSalesId: u.after_sales.id,
      csmId: u.csm.id,
    }),
    200,
  );
  // every engineer reports to the manager: a breach of theirs escalates to her
  for (const role of ['after_sales', 'delivery', 'csm', 'sales', 'expert'] as const)
    expectStatus(await admin.patch(`/api/users/${u[role].id}`, { managerId: u.manager.id }), 200);
  // the A account's iron-triangle group is on all three platforms
  for (const [platform, r] of [
    ['wecom', rx.wecom],
    ['dingtalk', rx.dingtalk],
    ['feishu', rx.feishu],
  ] as const)
    expectStatus(
      await manager.post(`/api/accounts/${accountA.id}/robots`, {
        platform,
        name: `铁三角群（${platform}）`,
        webhookUrl: r.url,
        ...(platform === 'wecom' ? {} : { secret: r.secret }),
      }),
      201,
    );
});
afterAll(async () => {
  if (operatorAllowed === undefined) delete process.env.KW_OUTBOUND_ALLOW_HOSTS;
  else process.env.KW_OUTBOUND_ALLOW_HOSTS = operatorAllowed;
  await rx?.close();
  await t?.close();
});

describe('a breach on an A account reaches the escalated manager', () => {
  it('in her bell, her workbench queue and "my tickets", and by mail — once', async () => {
    const ticket = expectStatus(
      await csm.post('/api/tickets', {
        accountId: accountA.id,
        title: '生产线停机',
        description: '二号线 PLC 无响应',
        kind: 'product_issue',
        severity: 'critical',
        channel: 'phone',
      }),
      201,
    );
    await deliverEvents(t.db);
    const owner = ticket.ownerId as string;
    expect(owner).toBeTruthy();
    // the dispatched owner heard of it (unless they raised it themselves)
    const ownerNotice = (
      await queryRows<{ kind: string }>(t.db, sql`select kind from notifications where user_id = ${owner} and record_id = ${ticket.id}`)
    ).map((r) => r.kind);
    expect(ownerNotice).toEqual(owner === t.w1.users.csm.id ? [] : ['ticket_assigned']);

    const before = (await notices(manager)).unread;
    const later = new Date(Date.now() + 30 * 86_400_000);
    const r = await scanSla(t.db, later);
    expect(r.breached).toBeGreaterThanOrEqual(2);
    await deliverEvents(t.db);
    await scanSla(t.db, new Date(later.getTime() + 60_000)); // a second scan: nothing new
    await deliverEvents(t.db);

    const mine = await notices(manager);
    const about = mine.items.filter((n: Json) => n.recordId === ticket.id);
    expect(about.map((n: Json) => n.kind)).toEqual(['sla_breached', 'sla_breached']); // one per breached clock
    expect(about[0]).toMatchObject({
      urgent: true,
      link: `/service-desk/tickets/${ticket.id}`,
      params: { number: ticket.number, accountName: accountA.name },
      readAt: null,
    });
    expect(mine.unread).toBe(before + 2);
    expect(expectStatus(await manager.get('/api/notifications/unread-count'), 200).unread).toBe(before + 2);

    const wb = expectStatus(await manager.get('/api/workbench'), 200);
    const q = wb.queue.items.find((i: Json) => i.id === ticket.id);
    expect(q).toMatchObject({ escalatedToMe: true, slaState: 'breached' });
    const myTickets = expectStatus(await manager.get('/api/tickets?queue=mine'), 200).items.map((i: Json) => i.id);
    expect(myTickets).toContain(ticket.id);

    const mails = await mailJobs(t.w1.users.manager.email, `notice:ticket.escalated:%`);
    const forTicket = mails.filter((m) => m.payload.subject.includes('生产线停机'));
    expect(forTicket).toHaveLength(2);
    expect(forTicket[0].payload.subject).toBe(`SLA 超时已升级给你：#${ticket.number} 生产线停机（${accountA.name}）`);
    expect(forTicket[0].payload.text).toContain(`https://keyward.example.cn/service-desk/tickets/${ticket.id}`);

    // and the account's group on WeCom, DingTalk and Feishu: each card signed as its platform documents (the receivers verify)
    await runIm();
    for (const r of [rx.wecom, rx.dingtalk, rx.feishu]) {
      const cards = r.messages().filter((m) => JSON.stringify(m.body).includes('生产线停机'));
      expect(cards.length, r.url).toBe(2); // one per breached clock, naming the people it was escalated to
      expect(JSON.stringify(cards[0].body)).toContain(t.w1.users.manager.name);
      expect(JSON.stringify(cards[0].body)).toContain(`https://keyward.example.cn/service-desk/tickets/${ticket.id}`);
      expect(r.received.every((m) => m.verified)).toBe(true);
    }
  });
});

describe('reading and marking', () => {
  it('filters by kind and unread, pages with before, marks only my own, and the other workspace sees nothing', async () => {
    const all = await notices(manager);
    expect(all.items.length).toBeGreaterThan(0);
    const breaches = await notices(manager, '?kind=sla_breached');
    expect(breaches.items.every((n: Json) => n.kind === 'sla_breached')).toBe(true);
    const page1 = await notices(manager, '?limit=1');
    expect(page1.items).toHaveLength(1);
    const page2 = await notices(manager, `?limit=1&before=${encodeURIComponent(page1.items[0].createdAt)}`);
    expect(page2.items.every((n: Json) => n.id !== page1.items[0].id)).toBe(true);

    // somebody else's ids (the other workspace's manager, my colleague) change nothing
    const one = all.items[0];
    expect(expectStatus(await manager2.post('/api/notifications/read', { ids: [one.id] }), 200).updated).toBe(0);
    expect(expectStatus(await csm.post('/api/notifications/read', { ids: [one.id] }), 200).updated).toBe(0);
    expect((await notices(manager2)).items).toEqual([]);

    const r = expectStatus(await manager.post('/api/notifications/read', { ids: [one.id] }), 200);
    expect(r.updated).toBe(1);
    expect(r.unread).toBe(all.unread - 1);
    expect((await notices(manager, '?unread=true')).items.some((n: Json) => n.id === one.id)).toBe(false);
    const rest = expectStatus(await manager.post('/api/notifications/read', { all: true }), 200);
    expect(rest).toEqual({ updated: all.unread - 1, unread: 0 });

    // bad input names the field and changes nothing
    const bad = expectStatus(await manager.post('/api/notifications/read', { ids: ['nope'] }), 400);
    expect(JSON.stringify(bad)).toContain('ids');
    expectStatus(await manager.get('/api/notifications?kind=everything'), 400);
  });
});

describe('choices: channels per kind and quiet hours', () => {
  it('keeps defaults, refuses half or malformed quiet hours, and a kind turned off reaches nobody by that channel', async () => {
    const p = expectStatus(await delivery.get('/api/notifications/preferences'), 200);
    expect(p.kinds.find((k: Json) => k.kind === 'sla_breached')).toEqual({ kind: 'sla_breached', urgent: true, inApp: true, email: true, im: true });
    expect(p.quietStart).toBeNull();

    const half = expectStatus(await delivery.put('/api/notifications/preferences', { quietStart: '22:00' }), 400);
    expect(JSON.stringify(half)).toContain('quietEnd');
    const malformed = expectStatus(await delivery.put('/api/notifications/preferences', { quietStart: '25:00', quietEnd: '07:00' }), 400);
    expect(JSON.stringify(malformed)).toContain('quietStart');
    expect(expectStatus(await delivery.get('/api/notifications/preferences'), 200)).toEqual(p);

    const saved = expectStatus(
      await delivery.put('/api/notifications/preferences', {
        kinds: [{ kind: 'portal_need', inApp: false, email: true, im: false }],
        quietStart: '22:00',
        quietEnd: '07:30',
      }),
      200,
    );
    expect(saved.kinds.find((k: Json) => k.kind === 'portal_need')).toMatchObject({ inApp: false, email: true, im: false });
    expect(saved).toMatchObject({ quietStart: '22:00', quietEnd: '07:30' });

    // 23:10 in the workspace (Asia/Shanghai by default) = 15:10 UTC: the mail waits until 07:30 there (23:30 UTC)
    const at = new Date('2026-12-03T15:10:00Z');
    const out = await deliverNotice(
      t.db,
      t.w1.id,
      {
        kind: 'portal_need',
        userIds: [t.w1.users.delivery.id, t.w1.users.sales.id],
        title: '夜间需求',
        params: { accountName: accountA.name },
        recordType: 'demand',
        recordId: crypto.randomUUID(),
        accountId: accountA.id,
        dedupe: 'test:quiet',
      },
      at,
    );
    expect(out.inApp).toBe(1); // sales only: delivery turned the bell off for this kind
    const [m] = await mailJobs(t.w1.users.delivery.email, 'notice:test:quiet:%');
    expect(new Date(m.run_at).toISOString()).toBe('2026-12-03T23:30:00.000Z');
    const [s] = await mailJobs(t.w1.users.sales.email, 'notice:test:quiet:%');
    // the salesperson set no quiet hours: their mail is due at once, not held (the clock of the test run, not the notice's)
    expect(new Date(s.run_at).getTime()).toBeLessThanOrEqual(Date.now());

    // the same happening delivered again is the same notice, mail and all
    const again = await deliverNotice(
      t.db,
      t.w1.id,
      {
        kind: 'portal_need',
        userIds: [t.w1.users.sales.id],
        title: '夜间需求',
        recordType: 'demand',
        recordId: crypto.randomUUID(),
        accountId: accountA.id,
        dedupe: 'test:quiet',
      },
      at,
    );
    expect(again.inApp).toBe(0);
    expect(await mailJobs(t.w1.users.sales.email, 'notice:test:quiet:%')).toHaveLength(1);
  });
});

describe('what else reaches people', () => {
  it('a hand-over reaches the salesperson', async () => {
    const opp = expectStatus(
      await afterSales.post(`/api/accounts/${accountA.id}/opportunities`, { title: '二期扩容', sourceKind: 'visit', amountMinor: 5_000_000 }),
      201,
    );
    expectStatus(await csm.post(`/api/opportunities/${opp.id}/stage`, { to: 'incubating' }), 200);
    expectStatus(await csm.post(`/api/opportunities/${opp.id}/incubation`, { success: true }), 200);
    await deliverEvents(t.db);
    const s = (await notices(sales)).items.find((n: Json) => n.recordId === opp.id);
    expect(s).toMatchObject({ kind: 'opportunity_handed', link: `/opportunities?open=${opp.id}` });
  });

  it('the bell is live: an open stream hears the new unread count', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (t.app.server.address() as AddressInfo).port;
    const chunks: string[] = [];
    const req = await new Promise<http.ClientRequest>((resolve) => {
      const r = http.get({ host: '127.0.0.1', port, path: '/api/notifications/stream', headers: { cookie: csm.cookie } }, (res) => {
        expect(res.statusCode).toBe(200);
        res.setEncoding('utf8');
        res.on('data', (d: string) => chunks.push(d));
        resolve(r);
      });
    });
    const unread = expectStatus(await csm.get('/api/notifications/unread-count'), 200).unread;
    await deliverNotice(t.db, t.w1.id, {
      kind: 'booking_pending',
      userIds: [t.w1.users.csm.id],
      title: '现场巡检',
      recordType: 'booking',
      recordId: crypto.randomUUID(),
      accountId: accountA.id,
      dedupe: `test:live:${Date.now()}`,
    });
    for (let i = 0; i < 50 && !chunks.join('').includes(`"unread":${unread + 1}`); i++) await new Promise((r) => setTimeout(r, 50));
    expect(chunks.join('')).toContain(`event: unread\ndata: {"unread":${unread + 1}}`);
    req.destroy();
  });
});
