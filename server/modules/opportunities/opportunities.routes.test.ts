import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobRunner } from '../../platform/jobs.js';
import { startTestApp, type Client, type TestApp } from '../../test/harness.js';
import { expectStatus, makeAccount, yuan, type Json } from '../../test/fixtures.js';
import { WEBHOOK_JOB, webhookHandler } from './pipeline.service.js';
import { verifySignature } from './webhook.domain.js';
import { RefusedTarget, safePost } from './webhook.sender.js';

let t: TestApp;
let admin: Client, manager: Client, sales: Client, csm: Client, afterSales: Client, expert: Client, channel: Client, admin2: Client;
let account: Json;

/** A local receiver on 127.0.0.1: records requests; the next answers can be scripted. */
type Received = { headers: http.IncomingHttpHeaders; body: string; url: string };
const received: Received[] = [];
const script: ((res: http.ServerResponse) => void)[] = [];
let receiver: http.Server;
let base = '';

const operatorAllowed = process.env.KW_OUTBOUND_ALLOW_HOSTS;
beforeAll(async () => {
  delete process.env.KW_OUTBOUND_ALLOW_HOSTS; // the operator allows nothing internal until a test says so
  t = await startTestApp();
  [admin, manager, sales, csm, afterSales, expert, channel] = await Promise.all(
    ['admin', 'manager', 'sales', 'csm', 'after_sales', 'expert', 'channel_implementer'].map((r) => t.as(r as never)),
  );
  admin2 = await t.as('admin', t.w2);
  account = await makeAccount(sales, manager, 'A', { revenueTargetMinor: yuan(10_000_000) });
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body, url: req.url ?? '' });
      const next = script.shift();
      if (next) next(res);
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(async () => {
  if (operatorAllowed === undefined) delete process.env.KW_OUTBOUND_ALLOW_HOSTS;
  else process.env.KW_OUTBOUND_ALLOW_HOSTS = operatorAllowed;
  await new Promise((r) => receiver?.close(r));
  await t?.close();
});

async function capture(body: Json = {}, as: Client = csm) {
  return expectStatus(
    await as.post(`/api/accounts/${account.id}/opportunities`, {
      title: '扩容需求',
      sourceKind: 'visit',
      amountMinor: yuan(500_000),
      product: '服务云',
      ...body,
    }),
    201,
  );
}

describe('opportunity pipeline', () => {
  it('captures with the capturer credited, and refuses bad input', async () => {
    const o = await capture();
    expect(o).toMatchObject({
      stage: 'captured',
      capturedByName: 'w1-csm',
      amountMinor: yuan(500_000),
      sourceKind: 'visit',
      allowedNext: ['incubating', 'lost'],
    });
    expect(o.events).toHaveLength(1);
    expectStatus(await csm.post(`/api/accounts/${account.id}/opportunities`, { title: 'x', sourceKind: 'visit', amountMinor: 10.5 }), 400);
    expectStatus(await csm.post(`/api/accounts/${account.id}/opportunities`, { title: 'x', sourceKind: 'visit', amountMinor: -1 }), 400);
    expectStatus(await csm.post(`/api/accounts/${account.id}/opportunities`, { title: 'x', sourceKind: 'ticket' }), 400);
    expectStatus(await admin2.post(`/api/accounts/${account.id}/opportunities`, { title: 'x', sourceKind: 'visit' }), 404);
    expectStatus(await channel.post(`/api/accounts/${account.id}/opportunities`, { title: 'x', sourceKind: 'visit' }), 403);
    expectStatus(await t.anon.get('/api/opportunities'), 401);
  });

  it('moves one stage at a time; lost needs a reason; won is for sales and managers', async () => {
    const o = await capture({ title: '培训采购' });
    expectStatus(await csm.post(`/api/opportunities/${o.id}/stage`, { to: 'handed_to_sales' }), 400);
    expectStatus(await csm.post(`/api/opportunities/${o.id}/incubation`, { success: true }), 400); // not incubating yet
    expect(expectStatus(await afterSales.post(`/api/opportunities/${o.id}/stage`, { to: 'incubating' }), 200).stage).toBe('incubating');
    expectStatus(await csm.post(`/api/opportunities/${o.id}/incubation`, { success: false }), 400);
    const lost = expectStatus(await csm.post(`/api/opportunities/${o.id}/incubation`, { success: false, reason: '客户今年无预算' }), 200);
    expect(lost).toMatchObject({ stage: 'lost', lostReason: '客户今年无预算' });
    expectStatus(await sales.post(`/api/opportunities/${o.id}/stage`, { to: 'won' }), 400);
    expectStatus(await admin2.post(`/api/opportunities/${o.id}/stage`, { to: 'incubating' }), 404);
    expectStatus(await admin2.get(`/api/opportunities/${o.id}`), 404);
  });

  it('a successful incubation is handed to sales automatically; sales closes it; the board shows every stage', async () => {
    const o = await capture({ title: '二期扩容' });
    expectStatus(await csm.post(`/api/opportunities/${o.id}/stage`, { to: 'incubating' }), 200);
    const handed = expectStatus(await csm.post(`/api/opportunities/${o.id}/incubation`, { success: true }), 200);
    expect(handed.stage).toBe('handed_to_sales');
    expect(handed.handedAt).toBeTruthy();
    expect(handed.events.map((e: Json) => e.toStage)).toEqual(['captured', 'incubating', 'handed_to_sales']);
    expect(handed.events[2].note).toMatch(/handed to sales automatically/);
    const denied = expectStatus(await afterSales.post(`/api/opportunities/${o.id}/stage`, { to: 'won' }), 403);
    expect(denied.message).toMatch(/confirmed by sales or a manager/);
    expectStatus(await csm.post(`/api/opportunities/${o.id}/stage`, { to: 'lost', reason: 'x' }), 403);
    const board = expectStatus(await expert.get('/api/opportunities/board'), 200);
    expect(board.columns.map((c: Json) => c.stage)).toEqual(['captured', 'incubating', 'handed_to_sales', 'won', 'lost']);
    const col = board.columns.find((c: Json) => c.stage === 'handed_to_sales');
    expect(col.items.map((i: Json) => i.id)).toContain(o.id);
    expect(col.amountMinor).toBe(col.items.reduce((s: number, i: Json) => s + i.amountMinor, 0));
    const won = expectStatus(await sales.post(`/api/opportunities/${o.id}/stage`, { to: 'won' }), 200);
    expect(won).toMatchObject({ stage: 'won' });
    expect(won.closedAt).toBeTruthy();
    const mine = expectStatus(await csm.get('/api/opportunities?mine=true&stage=won'), 200).items;
    expect(mine.map((i: Json) => i.id)).toEqual([o.id]);
    expect(expectStatus(await admin2.get('/api/opportunities/board'), 200).columns.every((c: Json) => c.count === 0)).toBe(true);
  });
});

describe('outgoing webhook', () => {
  let secret = '';
  const runner = () => createJobRunner(t.db, { [WEBHOOK_JOB]: webhookHandler({ timeoutMs: 3000 }) }, { only: [WEBHOOK_JOB] });

  async function handOver(title: string) {
    const o = await capture({ title });
    expectStatus(await csm.post(`/api/opportunities/${o.id}/stage`, { to: 'incubating' }), 200);
    expectStatus(await csm.post(`/api/opportunities/${o.id}/incubation`, { success: true }), 200);
    return o;
  }
  const deliveries = async () => expectStatus(await admin.get('/api/opportunities/webhook/deliveries'), 200).items as Json[];

  it('only an admin configures it; internal targets are refused unless allow-listed', async () => {
    expectStatus(await afterSales.put('/api/opportunities/webhook', { url: 'https://crm.example.com/hook' }), 403);
    expectStatus(await manager.put('/api/opportunities/webhook', { url: 'https://crm.example.com/hook' }), 403);
    for (const url of [
      `${base}/hook`,
      'http://localhost:9/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://10.0.0.8/hook',
      'http://[::1]/hook',
      'file:///etc/passwd',
    ]) {
      const r = expectStatus(await admin.put('/api/opportunities/webhook', { url }), 400);
      expect(r.fields[0].field).toBe('url');
    }
    expect(expectStatus(await admin.get('/api/opportunities/webhook'), 200).webhook).toBeNull();
    // a workspace admin cannot allow loopback: the per-workspace allow-list is gone from the API
    const own = expectStatus(await admin.put('/api/opportunities/webhook', { url: `${base}/hook`, allowHosts: ['127.0.0.1'] }), 400);
    expect(own.fields[0].field).toBe('allowHosts');
    expect(expectStatus(await admin.get('/api/opportunities/webhook'), 200).webhook).toBeNull();
    // the operator can (KW_OUTBOUND_ALLOW_HOSTS)
    process.env.KW_OUTBOUND_ALLOW_HOSTS = '127.0.0.1';
    const ok = expectStatus(await admin.put('/api/opportunities/webhook', { url: `${base}/hook` }), 200).webhook;
    expect(ok.allowHosts).toBeUndefined();
    expect(ok.secret).toMatch(/^whsec_/);
    secret = ok.secret;
    const shown = expectStatus(await admin.get('/api/opportunities/webhook'), 200).webhook;
    expect(shown.secret).toBeUndefined();
    expect(shown.secretHint).not.toContain(secret.slice(8, 20));
    expect(JSON.stringify(expectStatus(await admin.get('/api/audit?limit=1'), 200))).not.toContain(secret);
  });

  it('a hand-over is delivered signed through the outbox, and logged', async () => {
    received.length = 0;
    const o = await handOver('对接销售CRM');
    expect(received).toHaveLength(0); // nothing is sent inside the request
    expect(await runner().runDue(new Date())).toBe(1);
    expect(received).toHaveLength(1);
    const r = received[0];
    expect(r.url).toBe('/hook');
    expect(r.headers['x-keyward-event']).toBe('opportunity.handed_to_sales');
    const sig = String(r.headers['x-keyward-signature']);
    expect(verifySignature(secret, r.body, sig, Math.floor(Date.now() / 1000))).toBe(true);
    expect(verifySignature(secret, r.body.replace('对接', '改过'), sig, Math.floor(Date.now() / 1000))).toBe(false);
    const payload = JSON.parse(r.body);
    expect(payload).toMatchObject({
      event: 'opportunity.handed_to_sales',
      opportunity: { id: o.id, title: '对接销售CRM', amountMinor: yuan(500_000), stage: 'handed_to_sales', account: { id: account.id, tier: 'A' } },
    });
    expect(r.headers['x-keyward-delivery']).toBe(payload.deliveryId);
    const [d] = await deliveries();
    expect(d).toMatchObject({ outcome: 'delivered', statusCode: 200, attempt: 1, opportunityId: o.id });
  });

  it('retries a failing receiver with backoff until it answers', async () => {
    received.length = 0;
    script.push(
      (res) => res.writeHead(503).end('busy'),
      (res) => res.writeHead(500).end(),
    );
    await handOver('重试测试');
    const now = Date.now();
    await runner().runDue(new Date(now));
    await runner().runDue(new Date(now + 1000)); // not due yet: backoff
    expect(received).toHaveLength(1);
    await runner().runDue(new Date(now + 60_000));
    await runner().runDue(new Date(now + 3_600_000));
    expect(received).toHaveLength(3);
    const log = (await deliveries()).slice(0, 3).reverse();
    expect(log.map((d) => [d.attempt, d.outcome, d.statusCode])).toEqual([
      [1, 'failed', 503],
      [2, 'failed', 500],
      [3, 'delivered', 200],
    ]);
    expect(new Set(log.map((d) => d.deliveryId)).size).toBe(1);
    expect(log[0].error).toBe('busy');
  });

  it('refuses a redirect to an internal address, and is not retried', async () => {
    received.length = 0;
    script.push((res) => res.writeHead(307, { location: 'http://169.254.169.254/latest/meta-data' }).end());
    await handOver('重定向测试');
    const now = Date.now();
    await runner().runDue(new Date(now));
    await runner().runDue(new Date(now + 3_600_000));
    expect(received).toHaveLength(1);
    const [d] = await deliveries();
    expect(d).toMatchObject({ outcome: 'refused', attempt: 1 });
    expect(d.error).toMatch(/169\.254\.169\.254/);
  });

  it('the sender refuses names that resolve to internal addresses (DNS), unless allow-listed', async () => {
    const resolve = async (host: string) => (host === 'crm.example.test' ? [{ address: '127.0.0.1', family: 4 }] : []);
    const url = `http://crm.example.test:${new URL(base).port}/hook`;
    await expect(safePost(url, '{}', {}, { allowHosts: [], resolve })).rejects.toBeInstanceOf(RefusedTarget);
    await expect(safePost(url.replace('crm.example.test', 'localhost'), '{}', {}, { allowHosts: [] })).rejects.toBeInstanceOf(RefusedTarget);
    const ok = await safePost(url, '{}', {}, { allowHosts: ['crm.example.test'], resolve });
    expect(ok.status).toBe(200);
    // a public name whose answer includes one private address is refused as a whole (DNS rebinding)
    const mixed = async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '10.1.2.3', family: 4 },
    ];
    await expect(safePost('http://mixed.example.test/hook', '{}', {}, { allowHosts: [], resolve: mixed })).rejects.toBeInstanceOf(RefusedTarget);
    // a redirect to a name that resolves inside is refused too
    script.push((res) => res.writeHead(302, { location: 'http://inside.example.test/x' }).end());
    const both = async (host: string) =>
      host === 'inside.example.test' ? [{ address: '192.168.1.10', family: 4 }] : [{ address: '127.0.0.1', family: 4 }];
    await expect(safePost(`${base}/hook`, '{}', {}, { allowHosts: ['127.0.0.1'], resolve: both })).rejects.toBeInstanceOf(RefusedTarget);
  });

  it('only admins read the delivery log', async () => {
    expectStatus(await manager.get('/api/opportunities/webhook/deliveries'), 403);
    expect(expectStatus(await admin2.get('/api/opportunities/webhook/deliveries'), 200).items).toEqual([]);
  });
});
