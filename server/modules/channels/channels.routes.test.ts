import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { queryRows } from '../../db/client.js';
import { createJobRunner } from '../../platform/jobs.js';
import { expectStatus, makeAccount, type Json } from '../../test/fixtures.js';
import { startTestApp, type Client, type TestApp } from '../../test/harness.js';
import { IM_JOB, imSendHandler, queueImCard } from './index.js';
import { startImReceivers } from './channels.test-support.js';

let t: TestApp;
let admin: Client, manager: Client, sales: Client, csm: Client, admin2: Client, manager2: Client;
let account: Json;
let rx: Awaited<ReturnType<typeof startImReceivers>>;
const robots: Record<'wecom' | 'dingtalk' | 'feishu', Json> = {} as never;

const PUBLIC_URL = 'https://keyward.example.cn';
const operatorAllowed = process.env.KW_OUTBOUND_ALLOW_HOSTS;
const publicUrlBefore = process.env.PUBLIC_URL;
const allowOutbound = (hosts: string | null) => {
  if (hosts === null) delete process.env.KW_OUTBOUND_ALLOW_HOSTS;
  else process.env.KW_OUTBOUND_ALLOW_HOSTS = hosts;
};
const runner = () => createJobRunner(t.db, { [IM_JOB]: imSendHandler({ timeoutMs: 3000 }) }, { only: [IM_JOB] });
const imJobs = () =>
  queryRows<{ id: number; status: string; attempts: number; run_at: string | Date; last_error: string | null; payload: Json }>(
    t.db,
    sql`select id, status, attempts, run_at, last_error, payload from jobs where kind = ${IM_JOB} order by id`,
  );
const listed = async (c: Client, id: string) => (expectStatus(await c.get('/api/channels/robots'), 200).items as Json[]).find((r) => r.id === id)!;

beforeAll(async () => {
  allowOutbound('127.0.0.1'); // the operator lets this installation reach the local receivers
  process.env.PUBLIC_URL = PUBLIC_URL;
  t = await startTestApp({ publicUrl: PUBLIC_URL });
  [admin, manager, sales, csm] = await Promise.all((['admin', 'manager', 'sales', 'csm'] as const).map((r) => t.as(r)));
  admin2 = await t.as('admin', t.w2);
  manager2 = await t.as('manager', t.w2);
  account = await makeAccount(sales, manager, 'A');
  rx = await startImReceivers();
});
afterAll(async () => {
  allowOutbound(operatorAllowed ?? null);
  if (publicUrlBefore === undefined) delete process.env.PUBLIC_URL;
  else process.env.PUBLIC_URL = publicUrlBefore;
  await rx?.close();
  await t?.close();
});

describe('IM robots: configuration', () => {
  it('workspace robots are the admin’s: 401 without a session, 403 for other roles', async () => {
    expectStatus(await t.anon.get('/api/channels/robots'), 401);
    for (const c of [manager, sales, csm]) expectStatus(await c.get('/api/channels/robots'), 403);
    expectStatus(await manager.post('/api/channels/robots', { platform: 'wecom', name: 'x', webhookUrl: rx.wecom.url }), 403);
  });

  it('refuses a wrong address shape, a secret WeCom does not use, a stray field: 400 naming the field', async () => {
    const bad: [Json, string][] = [
      [{ platform: 'wecom', name: '群', webhookUrl: rx.dingtalk.url }, 'webhookUrl'],
      [{ platform: 'dingtalk', name: '群', webhookUrl: rx.wecom.url }, 'webhookUrl'],
      [{ platform: 'feishu', name: '群', webhookUrl: `${new URL(rx.feishu.url).origin}/open-apis/bot/v2/hook/` }, 'webhookUrl'],
      [{ platform: 'dingtalk', name: '群', webhookUrl: 'file:///etc/passwd' }, 'webhookUrl'],
      [{ platform: 'wecom', name: '群', webhookUrl: rx.wecom.url, secret: 'SEC0123456789abcdef' }, 'secret'],
      [{ platform: 'dingtalk', name: '群', webhookUrl: rx.dingtalk.url, secret: 'has space in it' }, 'secret'],
      [{ platform: 'slack', name: '群', webhookUrl: rx.wecom.url }, 'platform'],
      [{ platform: 'wecom', name: '', webhookUrl: rx.wecom.url }, 'name'],
      [{ platform: 'wecom', name: '群', webhookUrl: rx.wecom.url, allowHosts: ['127.0.0.1'] }, 'allowHosts'],
    ];
    for (const [body, field] of bad) {
      const r = expectStatus(await admin.post('/api/channels/robots', body), 400);
      expect(r.fields[0].field, JSON.stringify(body)).toBe(field);
      expect(r.message).not.toMatch(/channels\./); // words, not catalog keys
    }
    expect(expectStatus(await admin.get('/api/channels/robots'), 200).items).toEqual([]);
  });

  it('a workspace admin cannot reach loopback: refused unless the operator allows the host', async () => {
    allowOutbound(null);
    onTestFinished(() => allowOutbound('127.0.0.1'));
    for (const webhookUrl of [
      rx.wecom.url,
      rx.wecom.url.replace('127.0.0.1', 'localhost'),
      'http://169.254.169.254/cgi-bin/webhook/send?key=abcdefgh',
    ]) {
      const r = expectStatus(await admin.post('/api/channels/robots', { platform: 'wecom', name: '群', webhookUrl }), 400);
      expect(r.fields[0].field).toBe('webhookUrl');
      expect(r.message).toMatch(/operator/);
    }
  });

  it('creates one robot per platform; the secret and the address token never come back', async () => {
    robots.wecom = expectStatus(
      await admin.post('/api/channels/robots', { platform: 'wecom', name: '服务群（企业微信）', webhookUrl: rx.wecom.url }),
      201,
    );
    robots.dingtalk = expectStatus(
      await admin.post('/api/channels/robots', {
        platform: 'dingtalk',
        name: '服务群（钉钉）',
        webhookUrl: rx.dingtalk.url,
        secret: rx.dingtalk.secret,
      }),
      201,
    );
    robots.feishu = expectStatus(
      await admin.post('/api/channels/robots', { platform: 'feishu', name: '服务群（飞书）', webhookUrl: rx.feishu.url, secret: rx.feishu.secret }),
      201,
    );
    expect(robots.dingtalk).toMatchObject({ platform: 'dingtalk', accountId: null, secretSet: true, enabled: true, lastFailure: null });
    expect(robots.wecom.secretSet).toBe(false);
    const everything = JSON.stringify([
      robots,
      expectStatus(await admin.get('/api/channels/robots'), 200),
      expectStatus(await admin.get('/api/audit?limit=20'), 200),
    ]);
    for (const r of [rx.wecom, rx.dingtalk, rx.feishu]) {
      expect(everything).not.toContain(r.secret);
      const token =
        r.platform === 'feishu' ? r.url.split('/').at(-1)! : new URL(r.url).searchParams.get(r.platform === 'wecom' ? 'key' : 'access_token')!;
      expect(everything).not.toContain(token);
    }
    expect(robots.dingtalk.webhookHint).toMatch(/\/robot\/send\?access_token=\w{4}…\w{4}$/);
    expect(robots.dingtalk.secretHint).toMatch(/^SEC…\w{4}$/);
    expect(expectStatus(await admin.get('/api/channels/robots'), 200).items).toHaveLength(3);
  });

  it('another workspace sees none of them and reaches none of them (404, nothing leaked)', async () => {
    expect(expectStatus(await admin2.get('/api/channels/robots'), 200).items).toEqual([]);
    const id = robots.wecom.id;
    for (const res of [
      await admin2.patch(`/api/channels/robots/${id}`, { name: '改名' }),
      await admin2.del(`/api/channels/robots/${id}`),
      await admin2.post(`/api/channels/robots/${id}/test`),
      await admin2.get(`/api/accounts/${account.id}/robots`),
      await manager2.post(`/api/accounts/${account.id}/robots`, { platform: 'wecom', name: 'x', webhookUrl: rx.wecom.url }),
    ]) {
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain('服务群');
    }
    expect(rx.wecom.received).toHaveLength(0);
    expect((await listed(admin, id)).name).toBe('服务群（企业微信）');
  });
});

describe('IM robots: the test card', () => {
  it('reaches each receiver, which verifies the platform’s signature; the robot records the success', async () => {
    for (const p of ['wecom', 'dingtalk', 'feishu'] as const) {
      const r = expectStatus(await admin.post(`/api/channels/robots/${robots[p].id}/test`), 200);
      expect(r, p).toEqual({ ok: true, message: 'The test message was delivered.' });
      expect(rx[p].messages(), p).toHaveLength(1);
      expect(
        rx[p].received.filter((m) => !m.verified),
        p,
      ).toEqual([]);
      expect((await listed(admin, robots[p].id)).lastSuccessAt).not.toBeNull();
    }
    const link = `${PUBLIC_URL}/settings/channels`;
    const wecom = rx.wecom.messages()[0].body as Json;
    expect(wecom.msgtype).toBe('markdown');
    expect(wecom.markdown.content).toContain('## Keyward 测试消息');
    expect(wecom.markdown.content).toContain(`[查看详情](${link})`);
    const ding = rx.dingtalk.messages()[0];
    expect(new URL(ding.url, 'http://x').searchParams.get('sign')).toBeTruthy();
    expect((ding.body as Json).markdown).toMatchObject({ title: 'Keyward 测试消息' });
    expect((ding.body as Json).markdown.text).toContain('服务群（钉钉）');
    const feishu = rx.feishu.messages()[0].body as Json;
    expect(feishu).toMatchObject({ msg_type: 'interactive', card: { header: { title: { content: 'Keyward 测试消息' } } } });
    expect(feishu.card.elements[0]).toMatchObject({ tag: 'markdown' });
    expect(feishu.card.elements[1].actions[0]).toMatchObject({ tag: 'button', url: link });
  });

  it('a wrong secret: the receiver refuses the signature and the robot shows a worded failure', async () => {
    for (const p of ['dingtalk', 'feishu'] as const) {
      expectStatus(await admin.patch(`/api/channels/robots/${robots[p].id}`, { secret: `${rx[p].secret.slice(0, -4)}ffff` }), 200);
      const n = rx[p].messages().length;
      const r = expectStatus(await admin.post(`/api/channels/robots/${robots[p].id}/test`), 200);
      expect(r.ok).toBe(false);
      expect(r.message).toMatch(/refused the message \(platform code (310000|19021)\)/);
      expect(rx[p].messages()).toHaveLength(n);
      expect(rx[p].received.at(-1)!.refusal).toBe('sign does not match');
      const shown = await listed(admin, robots[p].id);
      expect(shown.lastFailure).toMatchObject({ reason: 'rejected' });
      expect(shown.lastFailure.message).toBe(r.message);
      expectStatus(await admin.patch(`/api/channels/robots/${robots[p].id}`, { secret: rx[p].secret }), 200);
      expect(expectStatus(await admin.post(`/api/channels/robots/${robots[p].id}/test`), 200).ok).toBe(true);
    }
  });

  it('a closed port and a port that is not the platform answer the same words, never the port’s state', async () => {
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const sockets = new Set<net.Socket>();
    const other = net.createServer((sock) => {
      sockets.add(sock);
      sock.end('SSH-2.0-OpenSSH_9.6\r\n');
    });
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    onTestFinished(() => {
      for (const s of sockets) s.destroy();
      other.close();
    });
    const answers: string[] = [];
    for (const port of [closedPort, (other.address() as AddressInfo).port]) {
      const r = expectStatus(
        await admin.post('/api/channels/robots', {
          platform: 'wecom',
          name: `端口 ${port}`,
          webhookUrl: `http://127.0.0.1:${port}/cgi-bin/webhook/send?key=abcdefgh`,
        }),
        201,
      );
      answers.push((await admin.post(`/api/channels/robots/${r.id}/test`)).body);
      expectStatus(await admin.del(`/api/channels/robots/${r.id}`), 200);
    }
    expect(answers[0]).toBe(answers[1]);
    expect(JSON.parse(answers[0])).toEqual({ ok: false, message: expect.stringMatching(/did not reach the robot/) });
    expect(answers[0]).not.toMatch(/ECONN|refused|reset|timeout|socket|SSH|\d{4,5}/i);
  });
});

describe('IM cards through the outbox (queueImCard)', () => {
  const card = (over: Json = {}) => ({
    workspaceId: t.w1.id,
    title: '工单即将超时',
    markdown: '**华东重工** 的工单「设备无法启动」将在 30 分钟后超出 SLA。',
    link: `/service-desk/tickets/${account.id}`,
    dedupeKey: `sla:${Math.random()}`,
    ...over,
  });
  const counts = () => ({ wecom: rx.wecom.messages().length, dingtalk: rx.dingtalk.messages().length, feishu: rx.feishu.messages().length });
  // the tests send faster than Feishu's 5 a second: each starts with the robots' send record empty
  beforeEach(async () => {
    await t.db.execute(sql`update im_robots set recent_sends = '{}'`);
  });

  it('goes to the workspace robots (one job each, sent signed by the runner, link made absolute); a repeated key queues nothing new', async () => {
    const before = counts();
    const c = card();
    expect(await t.db.transaction((tx) => queueImCard(tx, c))).toBe(3);
    expect(await t.db.transaction((tx) => queueImCard(tx, c))).toBe(3);
    expect((await imJobs()).filter((j) => j.status === 'queued')).toHaveLength(3);
    expect(counts()).toEqual(before); // nothing is sent inside the transaction
    expect(await runner().runDue(new Date())).toBe(3);
    expect(counts()).toEqual({ wecom: before.wecom + 1, dingtalk: before.dingtalk + 1, feishu: before.feishu + 1 });
    const last = rx.wecom.messages().at(-1)!.body as Json;
    expect(last.markdown.content).toContain(`(${PUBLIC_URL}/service-desk/tickets/${account.id})`);
    expect(last.markdown.content).toContain('**华东重工**');
    expect((await imJobs()).every((j) => j.status === 'done')).toBe(true);
  });

  it('an account with its own iron-triangle robot gets the card there, not in the workspace groups', async () => {
    expectStatus(await t.anon.get(`/api/accounts/${account.id}/robots`), 401);
    expectStatus(await sales.get(`/api/accounts/${account.id}/robots`), 403);
    expectStatus(await csm.post(`/api/accounts/${account.id}/robots`, { platform: 'feishu', name: 'x', webhookUrl: rx.feishu.url }), 403);
    const own = expectStatus(
      await manager.post(`/api/accounts/${account.id}/robots`, {
        platform: 'feishu',
        name: '华东重工铁三角群',
        webhookUrl: rx.feishu.url,
        secret: rx.feishu.secret,
      }),
      201,
    );
    expect(own.accountId).toBe(account.id);
    expect(expectStatus(await manager.get(`/api/accounts/${account.id}/robots`), 200).items.map((r: Json) => r.id)).toEqual([own.id]);
    expect((expectStatus(await admin.get('/api/channels/robots'), 200).items as Json[]).map((r) => r.id)).not.toContain(own.id);
    // a manager manages the account's robot, not the workspace's
    expectStatus(await manager.patch(`/api/channels/robots/${own.id}`, { name: '华东重工铁三角' }), 200);
    expectStatus(await manager.patch(`/api/channels/robots/${robots.wecom.id}`, { name: 'x' }), 403);
    const before = counts();
    expect(await t.db.transaction((tx) => queueImCard(tx, card({ accountId: account.id, urgent: true })))).toBe(1);
    await runner().runDue(new Date());
    expect(counts()).toEqual({ ...before, feishu: before.feishu + 1 });
    const sent = rx.feishu.messages().at(-1)!;
    expect(sent.url).toBe(new URL(rx.feishu.url).pathname);
    expect((sent.body as Json).card.header).toMatchObject({ template: 'red', title: { content: '【紧急】工单即将超时' } });
    // switched off: the workspace's robots take the account's cards again
    expectStatus(await manager.patch(`/api/channels/robots/${own.id}`, { enabled: false }), 200);
    expect(await t.db.transaction((tx) => queueImCard(tx, card({ accountId: account.id })))).toBe(3);
    await runner().runDue(new Date());
    expectStatus(await manager.del(`/api/channels/robots/${own.id}`), 200);
    expectStatus(await manager.post(`/api/channels/robots/${own.id}/test`), 404);
  });

  it("the platform's rate-limit answer queues the card again a minute later; it goes out then", async () => {
    rx.wecom.next({ body: { errcode: 45009, errmsg: 'api freq out of limit' } });
    const n = rx.wecom.messages().length;
    expect(await t.db.transaction((tx) => queueImCard(tx, card()))).toBe(3);
    const started = Date.now();
    await runner().runDue(new Date());
    const waiting = (await imJobs()).filter((j) => j.status === 'queued');
    expect(waiting).toHaveLength(1);
    expect(waiting[0].payload.robotId).toBe(robots.wecom.id);
    expect(new Date(waiting[0].run_at).getTime()).toBeGreaterThanOrEqual(started + 59_000);
    expect(waiting[0].last_error).toMatch(/rate-limit code 45009/);
    const shown = await listed(admin, robots.wecom.id);
    expect(shown.lastFailure).toMatchObject({ reason: 'rate_limited', code: 45009 });
    expect(shown.lastFailure.message).toMatch(/rate limit/);
    await runner().runDue(new Date(Date.now() + 61_000));
    expect(rx.wecom.messages()).toHaveLength(n + 2); // the refused one and the one that went through
    expect((await imJobs()).every((j) => j.status === 'done')).toBe(true);
  });

  it('a robot that used its budget (20 a minute on DingTalk, recorded in the database) is not sent to: the job waits for a slot', async () => {
    const now = Date.now();
    const stamps = Array.from({ length: 20 }, (_, i) => new Date(now - 50_000 + i * 1000).toISOString());
    await t.db.execute(
      sql`update im_robots set recent_sends = ${`{${stamps.map((s) => `"${s}"`).join(',')}}`}::timestamptz[] where id = ${robots.dingtalk.id}`,
    );
    const n = rx.dingtalk.messages().length;
    const tried = rx.dingtalk.received.length;
    expect(await t.db.transaction((tx) => queueImCard(tx, card()))).toBe(3);
    await runner().runDue(new Date());
    expect(rx.dingtalk.received).toHaveLength(tried); // nothing went out
    const waiting = (await imJobs()).filter((j) => j.status === 'queued');
    expect(waiting.map((j) => j.payload.robotId)).toEqual([robots.dingtalk.id]);
    expect(waiting[0].attempts).toBe(0); // waiting for a slot spends no attempt
    expect(Math.abs(new Date(waiting[0].run_at).getTime() - (now - 50_000 + 60_000))).toBeLessThan(1000);
    // the test button says so in words too, without sending
    const r = expectStatus(await admin.post(`/api/channels/robots/${robots.dingtalk.id}/test`), 200);
    expect(r).toMatchObject({ ok: false, message: expect.stringMatching(/rate limit/) });
    expect(rx.dingtalk.received).toHaveLength(tried);
    await t.db.execute(sql`update im_robots set recent_sends = '{}' where id = ${robots.dingtalk.id}`);
    await runner().runDue(new Date(now + 15_000));
    expect(rx.dingtalk.messages().length).toBe(n + 1);
  });

  it('other failures are retried with the runner’s backoff; a disabled or deleted robot is skipped', async () => {
    rx.feishu.next({ status: 500, body: { code: 1 } });
    expect(await t.db.transaction((tx) => queueImCard(tx, card()))).toBe(3);
    const now = Date.now();
    await runner().runDue(new Date(now));
    const [retry] = (await imJobs()).filter((j) => j.status === 'queued');
    expect(retry.payload.robotId).toBe(robots.feishu.id);
    expect(retry.attempts).toBe(1);
    expect(new Date(retry.run_at).getTime()).toBeGreaterThan(now + 20_000);
    expect((await listed(admin, robots.feishu.id)).lastFailure).toMatchObject({ reason: 'unreachable' });
    await runner().runDue(new Date(now + 3_600_000));
    expect((await imJobs()).every((j) => j.status === 'done')).toBe(true);
    // switched off between queueing and sending: dropped quietly
    expect(await t.db.transaction((tx) => queueImCard(tx, card()))).toBe(3);
    expectStatus(await admin.patch(`/api/channels/robots/${robots.wecom.id}`, { enabled: false }), 200);
    const n = rx.wecom.received.length;
    await runner().runDue(new Date());
    expect(rx.wecom.received).toHaveLength(n);
    expect((await imJobs()).filter((j) => j.status !== 'done')).toEqual([]);
    expect(await t.db.transaction((tx) => queueImCard(tx, card()))).toBe(2);
    await runner().runDue(new Date());
    // no robot at all in another workspace: nothing queued
    expect(await t.db.transaction((tx) => queueImCard(tx, card({ workspaceId: t.w2.id })))).toBe(0);
  });
});
