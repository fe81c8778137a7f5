import { sql } from 'drizzle-orm';
import ical from 'node-ical';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { queryRows } from '../../db/client.js';
import { jobHandlers } from '../../jobs.js';
import { createJobRunner } from '../../platform/jobs.js';

import { startTestApp, type Client, type TestApp } from '../../test/harness.js';
import { deliverEvents } from '../../test/events.js';
import { expectStatus, makeAccount, type Json } from '../../test/fixtures.js';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { scanMeetings, setTestMailWindow } from './meetings.jobs.js';
import { startFakeLlm, startSmtp } from './meetings.test-support.js';
import { eq } from 'drizzle-orm';
import { users } from '../../db/schema.js';

let t: TestApp;
let admin: Client, manager: Client, sales: Client, csm: Client, afterSales: Client, delivery: Client, expert: Client, channel: Client, admin2: Client;
let account: Json;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let llm: Awaited<ReturnType<typeof startFakeLlm>>;
let runner: ReturnType<typeof createJobRunner>;

const HOUR = 3_600_000;
const inHours = (h: number) => new Date(Math.ceil(Date.now() / HOUR) * HOUR + h * HOUR);
const count = async (table: string) => (await queryRows<{ n: number }>(t.db, sql.raw(`select count(*)::int as n from ${table}`)))[0].n;
const snapshot = async () => ({
  meetings: await count('meetings'),
  attendees: await count('meeting_attendees'),
  jobs: await count('jobs'),
  series: await count('meeting_series'),
  items: await count('action_items'),
});
const runJobs = (now = new Date()) => runner.runDue(now);

/** The operator's list of internal hosts outbound calls may reach (KW_OUTBOUND_ALLOW_HOSTS): set per test, restored after. */
const operatorAllowed = process.env.KW_OUTBOUND_ALLOW_HOSTS;
const allowOutbound = (hosts: string | null) => {
  if (hosts === null) delete process.env.KW_OUTBOUND_ALLOW_HOSTS;
  else process.env.KW_OUTBOUND_ALLOW_HOSTS = hosts;
};

beforeAll(async () => {
  allowOutbound('127.0.0.1'); // the operator lets this installation reach the local SMTP server and LLM
  setTestMailWindow(1500); // a failed test mail answers when this window ends (12 s in the product)
  t = await startTestApp();
  [admin, manager, sales, csm, afterSales, delivery, expert, channel] = await Promise.all(
    (['admin', 'manager', 'sales', 'csm', 'after_sales', 'delivery', 'expert', 'channel_implementer'] as const).map((r) => t.as(r)),
  );
  admin2 = await t.as('admin', t.w2);
  account = await makeAccount(sales, manager, 'A');
  const u = t.w1.users;
  expectStatus(
    await manager.put(`/api/accounts/${account.id}/team`, {
      salesId: u.sales.id,
      deliveryId: u.delivery.id,
      afterSalesId: u.after_sales.id,
      csmId: u.csm.id,
    }),
    200,
  );
  smtp = await startSmtp({ user: 'keyward', pass: 's3cret-smtp' });
  llm = await startFakeLlm();
  runner = createJobRunner(t.db, jobHandlers);
});
afterAll(async () => {
  allowOutbound(operatorAllowed ?? null);
  setTestMailWindow(12_000);
  await smtp?.close();
  await llm?.close();
  await t?.close();
});

const adHoc = (over: Json = {}) => ({
  accountId: account.id,
  kind: 'ad_hoc',
  cause: 'requirement_change',
  title: '客户重大需求变化沟通',
  agenda: '1. 变化内容\n2. 影响评估',
  startsAt: inHours(48).toISOString(),
  endsAt: inHours(49).toISOString(),
  ...over,
});

describe('settings (admin only; secrets never returned; LLM URL SSRF-guarded)', () => {
  it('403 for other roles, 401 without a session', async () => {
    expectStatus(await t.anon.get('/api/meetings/settings'), 401);
    for (const c of [manager, sales, csm]) expectStatus(await c.get('/api/meetings/settings'), 403);
    expectStatus(await manager.put('/api/meetings/settings', { smtpHost: 'x' }), 403);
  });
  it('stores SMTP and LLM secrets but never returns them', async () => {
    const s = expectStatus(
      await admin.put('/api/meetings/settings', {
        smtpHost: '127.0.0.1',
        smtpPort: smtp.port,
        smtpSecure: false,
        smtpUser: 'keyward',
        smtpPassword: 's3cret-smtp',
        smtpFrom: 'Keyward <noreply@keyward.test>',
        escalateAfterDays: 2,
      }),
      200,
    );
    expect(s).toMatchObject({ smtpHost: '127.0.0.1', smtpPasswordSet: true, llmApiKeySet: false });
    const body = JSON.stringify(expectStatus(await admin.get('/api/meetings/settings'), 200));
    expect(body).not.toContain('s3cret-smtp');
    const audit = await queryRows<{ after: unknown }>(t.db, sql`select after from audit_log where action = 'meetings.settings'`);
    expect(JSON.stringify(audit)).not.toContain('s3cret-smtp');
  });
  it('refuses an LLM URL on loopback or a private range, a CRLF value, an incomplete SMTP: 400 naming the field, nothing changed', async () => {
    allowOutbound(null); // the operator allows nothing internal here
    onTestFinished(() => allowOutbound('127.0.0.1'));
    const before = JSON.stringify(expectStatus(await admin.get('/api/meetings/settings'), 200));
    for (const url of [
      'http://127.0.0.1:8080/v1',
      'http://10.1.2.3/v1',
      'http://192.168.1.5/v1',
      'http://localhost:1234/v1',
      'http://[::1]/v1',
      'http://169.254.169.254/latest',
      'file:///etc/passwd',
    ]) {
      const r = expectStatus(await admin.put('/api/meetings/settings', { llmBaseUrl: url, llmModel: 'm', llmApiKey: 'sk-x' }), 400);
      expect(r.fields[0].field).toBe('llmBaseUrl');
    }
    expect(expectStatus(await admin.put('/api/meetings/settings', { smtpFrom: 'a@b.c\r\nBcc: evil@x.cn' }), 400).fields[0].field).toBe('smtpFrom');
    expect(expectStatus(await admin.put('/api/meetings/settings', { smtpPort: null }), 400).fields[0].field).toBe('smtpPort');
    expect(JSON.stringify(expectStatus(await admin.get('/api/meetings/settings'), 200))).toBe(before);
    expectStatus(await admin2.get('/api/meetings/settings'), 200); // w2 has its own (empty) settings
    expect(expectStatus(await admin2.get('/api/meetings/settings'), 200).smtpHost).toBeNull();
  });
  it('"send test" reaches the SMTP server with the configured credentials', async () => {
    const n = smtp.inbox.length;
    const r = expectStatus(await admin.post('/api/meetings/settings/test-mail', {}), 200);
    expect(r).toEqual({ ok: true, error: null });
    expect(smtp.inbox.length).toBe(n + 1);
    expect(smtp.inbox.at(-1)!.to).toEqual([t.w1.users.admin.email]);
    expect(smtp.logins.at(-1)).toBe('keyward');
  });
  it('a workspace SMTP host on loopback is refused unless the operator allows it (a workspace admin cannot)', async () => {
    allowOutbound(null);
    try {
      for (const smtpHost of ['127.0.0.1', 'localhost', '10.0.0.25', '169.254.169.254', '[::1]']) {
        const r = expectStatus(await admin.put('/api/meetings/settings', { smtpHost, smtpPort: smtp.port }), 400);
        expect(r.fields[0].field).toBe('smtpHost');
        expect(r.message).toMatch(/operator/);
      }
      // already saved while the operator allowed it: refused at the connection, nothing reaches the server
      const n = smtp.inbox.length;
      const r = expectStatus(await admin.post('/api/meetings/settings/test-mail', {}), 200);
      expect(r.ok).toBe(false);
      expect(smtp.inbox.length).toBe(n);
    } finally {
      allowOutbound('127.0.0.1');
    }
    expect(expectStatus(await admin.post('/api/meetings/settings/test-mail', {}), 200).ok).toBe(true);
  });
  it('"send test" answers one worded failure whether the port is closed or something else listens there', async () => {
    // a closed port: listen, note the port, close
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    // a port where a non-SMTP server answers (an HTTP-like reply, then hang up)
    const other = net.createServer((sock) => sock.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n'));
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    const otherPort = (other.address() as AddressInfo).port;
    try {
      const answers: string[] = [];
      const took: number[] = [];
      for (const smtpPort of [closedPort, otherPort]) {
        expectStatus(await admin.put('/api/meetings/settings', { smtpPort }), 200);
        const started = Date.now();
        const res = await admin.post('/api/meetings/settings/test-mail', {});
        took.push(Date.now() - started);
        expect(res.statusCode).toBe(200);
        answers.push(res.body);
      }
      expect(answers[0]).toBe(answers[1]);
      // nor by the time: both answer when the window ends (a refused connection would otherwise answer at once)
      for (const ms of took) expect(ms).toBeGreaterThanOrEqual(1450);
      expect(Math.abs(took[0] - took[1])).toBeLessThan(400);
      const r = JSON.parse(answers[0]);
      expect(r.ok).toBe(false);
      expect(r.error).toMatch(/SMTP/);
      expect(r.error).not.toMatch(/ECONN|refused|timeout|timed out|greeting|EHLO|HTTP|\d{4,5}/i);
    } finally {
      await new Promise((r) => other.close(r));
      expectStatus(await admin.put('/api/meetings/settings', { smtpPort: smtp.port }), 200);
    }
  });
});

describe('meetings: create, invite, bad input', () => {
  it('an ad-hoc meeting: invitation mail with an ICS the independent parser reads back, and in-app notices', async () => {
    const m = expectStatus(await sales.post('/api/meetings', adHoc({ attendeeIds: [t.w1.users.csm.id, t.w1.users.expert.id] })), 201);
    expect(m.occurrences).toBe(1);
    const before = smtp.inbox.length;
    await runJobs();
    const mail = smtp.inbox.slice(before).find((x) => x.subject.includes('客户重大需求变化沟通'))!;
    expect(mail).toBeTruthy();
    expect(mail.to.sort()).toEqual([t.w1.users.csm.email, t.w1.users.expert.email, t.w1.users.sales.email].sort());
    expect(mail.subject).toBe('[会议邀请] 客户重大需求变化沟通');
    const ev = Object.values(ical.sync.parseICS(mail.ics!)).find((c) => c.type === 'VEVENT') as ical.VEvent;
    expect(ev.uid).toBe(`${m.id}@keyward`);
    expect(ev.summary).toBe('客户重大需求变化沟通');
    expect(new Date(ev.start).toISOString()).toBe(inHours(48).toISOString());
    expect(mail.raw).toMatch(/method=REQUEST/i);
    await deliverEvents(t.db);
    const notes = expectStatus(await csm.get('/api/notifications'), 200).items;
    expect(notes.some((n: Json) => n.kind === 'meeting_invited' && n.recordId === m.id && n.link === `/meetings/${m.id}`)).toBe(true);
    const d = expectStatus(await expert.get(`/api/meetings/${m.id}`), 200);
    expect(d.attendees.map((a: Json) => [a.name, a.response]).sort()).toEqual([
      ['w1-csm', 'needs_action'],
      ['w1-expert', 'needs_action'],
      ['w1-sales', 'accepted'],
    ]);
    expect(expectStatus(await expert.post(`/api/meetings/${m.id}/respond`, { response: 'declined' }), 200).response).toBe('declined');
    expectStatus(await delivery.post(`/api/meetings/${m.id}/respond`, { response: 'accepted' }), 403);
  });

  it('a key-moment SOW review invites the iron triangle, sales included', async () => {
    const m = expectStatus(
      await afterSales.post('/api/meetings', adHoc({ kind: 'key_moment', cause: 'sow_review', title: '工作说明书提交前评审' })),
      201,
    );
    const d = expectStatus(await afterSales.get(`/api/meetings/${m.id}`), 200);
    expect(d.attendees.map((a: Json) => a.role).sort()).toEqual(['after_sales', 'csm', 'delivery', 'sales']);
  });

  it('a periodic series (every half month, bounded) expands into meetings with one invite carrying the RRULE', async () => {
    const start = new Date(Date.UTC(2027, 0, 20, 2, 0));
    const m = expectStatus(
      await csm.post('/api/meetings', {
        ...adHoc(),
        kind: 'periodic',
        cause: 'status_review',
        title: '客户现状及需求分析',
        startsAt: start.toISOString(),
        endsAt: new Date(start.getTime() + HOUR).toISOString(),
        rrule: 'FREQ=MONTHLY;BYMONTHDAY=1,16;COUNT=4',
      }),
      201,
    );
    expect(m.occurrences).toBe(4);
    const list = expectStatus(await csm.get(`/api/meetings?scope=account&accountId=${account.id}&kind=periodic`), 200).items;
    expect(list.map((x: Json) => x.startsAt)).toEqual([
      '2027-02-01T02:00:00.000Z',
      '2027-02-16T02:00:00.000Z',
      '2027-03-01T02:00:00.000Z',
      '2027-03-16T02:00:00.000Z',
    ]);
    const before = smtp.inbox.length;
    await runJobs();
    const mail = smtp.inbox.slice(before).find((x) => x.subject.includes('客户现状及需求分析'))!;
    const ev = Object.values(ical.sync.parseICS(mail.ics!)).find((c) => c.type === 'VEVENT') as ical.VEvent;
    expect(ev.uid).toBe(`${m.seriesId}@keyward`);
    expect(ev.rrule!.all().map((d) => d.toISOString())).toEqual(list.map((x: Json) => x.startsAt));
    // cancelling one occurrence: the series' UID with that occurrence's RECURRENCE-ID
    expectStatus(await csm.post(`/api/meetings/${list[1].id}/cancel`), 200);
    const n = smtp.inbox.length;
    await runJobs();
    const cancel = smtp.inbox.slice(n).find((x) => x.subject.includes('客户现状及需求分析'))!;
    expect(cancel.ics).toContain('METHOD:CANCEL');
    const cev = Object.values(ical.sync.parseICS(cancel.ics!)).find((c) => c.type === 'VEVENT') as ical.VEvent;
    expect(cev.uid).toBe(`${m.seriesId}@keyward`);
    expect(new Date(cev.recurrenceid as unknown as Date).toISOString()).toBe('2027-02-16T02:00:00.000Z');
  });

  it('refuses bad input with 400 naming the field, and changes nothing', async () => {
    const before = await snapshot();
    const cases: [Json, string][] = [
      [adHoc({ endsAt: inHours(47).toISOString() }), 'endsAt'],
      [adHoc({ title: '周会\r\nBcc: evil@x.cn' }), 'title'],
      [adHoc({ location: '会议室\nX' }), 'location'],
      [adHoc({ attendeeIds: [t.w2.users.sales.id] }), 'attendeeIds.0'],
      [adHoc({ kind: 'periodic', cause: 'status_review', rrule: 'FREQ=MONTHLY' }), 'rrule'],
      [adHoc({ kind: 'periodic', cause: 'status_review', rrule: 'FREQ=DAILY;COUNT=500' }), 'rrule'],
      [adHoc({ kind: 'periodic', cause: 'status_review' }), 'rrule'],
      [adHoc({ cause: 'complaint' }), 'cause'],
      [adHoc({ startsAt: 'not-a-date' }), 'startsAt'],
    ];
    for (const [body, field] of cases) {
      const r = expectStatus(await csm.post('/api/meetings', body), 400);
      expect(r.fields?.map((f: Json) => f.field).join(',')).toContain(field);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('401, 403 by role, 404 across workspaces and channels', async () => {
    expectStatus(await t.anon.get('/api/meetings'), 401);
    expectStatus(await t.anon.post('/api/meetings', adHoc()), 401);
    expectStatus(await expert.post('/api/meetings', adHoc({ kind: 'periodic', cause: 'status_review', rrule: 'FREQ=MONTHLY;COUNT=2' })), 403);
    expectStatus(await admin2.post('/api/meetings', adHoc()), 404);
    expectStatus(await channel.post('/api/meetings', adHoc()), 404);
    const [m] = expectStatus(await csm.get('/api/meetings?scope=mine'), 200).items;
    expectStatus(await admin2.get(`/api/meetings/${m.id}`), 404);
    expectStatus(await channel.get(`/api/meetings/${m.id}`), 404);
    expectStatus(await admin2.put(`/api/meetings/${m.id}/minutes`, { minutes: 'x' }), 404);
    expect(expectStatus(await admin2.get('/api/meetings?scope=all'), 200).items).toEqual([]);
    expect(expectStatus(await channel.get('/api/meetings?scope=all'), 200).items).toEqual([]);
    expectStatus(await delivery.post(`/api/meetings/${m.id}/cancel`), m.organizerId === t.w1.users.delivery.id ? 200 : 403);
  });

  it('an update raises the ICS sequence; a cancellation sends METHOD:CANCEL', async () => {
    const m = expectStatus(
      await sales.post('/api/meetings', adHoc({ title: '客户组织调整沟通', cause: 'customer_change', attendeeIds: [t.w1.users.csm.id] })),
      201,
    );
    await runJobs();
    expect(expectStatus(await sales.patch(`/api/meetings/${m.id}`, { startsAt: inHours(72).toISOString() }), 200).sequence).toBe(1);
    expectStatus(await csm.patch(`/api/meetings/${m.id}`, { title: 'x' }), 403);
    expectStatus(await sales.patch(`/api/meetings/${m.id}`, { title: 'x\r\ny' }), 400);
    expect(expectStatus(await sales.post(`/api/meetings/${m.id}/cancel`), 200).status).toBe('cancelled');
    expectStatus(await sales.post(`/api/meetings/${m.id}/cancel`), 409);
    const before = smtp.inbox.length;
    await runJobs();
    const mails = smtp.inbox.slice(before).filter((x) => x.subject.includes('客户组织调整沟通'));
    const evs = mails.map((x) => ({
      raw: x.raw,
      ev: Object.values(ical.sync.parseICS(x.ics!)).find((c) => c.type === 'VEVENT') as ical.VEvent & { sequence: string },
    }));
    expect(evs.map((e) => [String(e.ev.sequence), e.ev.status])).toEqual([
      ['1', 'CONFIRMED'],
      ['2', 'CANCELLED'],
    ]);
    expect(new Date(evs[0].ev.start).toISOString()).toBe(inHours(72).toISOString());
    expect(evs[1].raw).toMatch(/method=CANCEL/i);
  });
});

describe('minutes, summary and action items', () => {
  let meetingId: string;
  const minutes = `客户现状：二期项目上线平稳，报表响应偏慢。
会议决定：本季度优先解决报表性能问题。
w1-delivery负责在下周三前提交报表性能优化方案。
w1-sales跟进客户采购流程，截止12月15日确认预算。`;

  it('saves minutes at once; the offline summary (no LLM configured) lists the action items with owners', async () => {
    meetingId = expectStatus(
      await csm.post(
        '/api/meetings',
        adHoc({
          kind: 'key_moment',
          cause: 'sow_review',
          title: '方案评审会',
          startsAt: new Date('2026-11-25T02:00:00Z').toISOString(),
          endsAt: new Date('2026-11-25T03:00:00Z').toISOString(),
        }),
      ),
      201,
    ).id;
    expectStatus(await expert.put(`/api/meetings/${meetingId}/minutes`, { minutes }), 403); // not invited
    const saved = expectStatus(await csm.put(`/api/meetings/${meetingId}/minutes`, { minutes }), 200);
    expect(saved.summaryStatus).toBe('pending');
    await runJobs();
    const d = expectStatus(await csm.get(`/api/meetings/${meetingId}`), 200);
    expect(d.summaryStatus).toBe('done');
    expect(d.summary.source).toBe('offline');
    expect(d.status).toBe('held'); // it took place (25 November): saving its minutes marks it held
    // notes written before a meeting starts keep it scheduled (never "held" a day early)
    const ahead = expectStatus(await csm.post('/api/meetings', adHoc({ title: '下周的复盘会' })), 201).id;
    expect(expectStatus(await csm.put(`/api/meetings/${ahead}/minutes`, { minutes: '准备：带上上月报表' }), 200).status).toBe('scheduled');
    await runJobs(); // its summary is made now (offline), not by the LLM tests below
    expect(d.summary.decisions).toEqual(['会议决定：本季度优先解决报表性能问题']);
    // the customer's concern and the dates named travel with the summary (amounts and scope, when named, too)
    expect(d.summary.concerns).toEqual(['客户现状：二期项目上线平稳，报表响应偏慢']);
    expect(d.summary.dates).toEqual([
      { text: '下周三', on: '2026-12-02' },
      { text: '12月15日', on: '2026-12-15' },
    ]);
    expect(d.actionItems.map((a: Json) => [a.title, a.ownerName, a.dueOn, a.source])).toEqual([
      ['w1-delivery负责在下周三前提交报表性能优化方案', 'w1-delivery', '2026-12-02', 'summary'],
      ['w1-sales跟进客户采购流程，截止12月15日确认预算', 'w1-sales', '2026-12-15', 'summary'],
    ]);
    const mine = expectStatus(await delivery.get('/api/meetings/action-items'), 200).items;
    expect(mine.map((a: Json) => a.title)).toContain('w1-delivery负责在下周三前提交报表性能优化方案');
    // the list counts this meeting's open action items (and only this meeting's)
    const listed = expectStatus(await csm.get(`/api/meetings?scope=account&accountId=${d.accountId}`), 200).items.find(
      (x: Json) => x.id === meetingId,
    );
    expect(listed.openActions).toBe(2);
  });

  it('the LLM path: only this meeting is sent, the key travels as a bearer token, the reply becomes the summary', async () => {
    expectStatus(await admin.put('/api/meetings/settings', { llmBaseUrl: llm.baseUrl, llmModel: 'fake-model', llmApiKey: 'sk-test-123' }), 200);
    const s = expectStatus(await admin.get('/api/meetings/settings'), 200);
    expect(s).toMatchObject({ llmBaseUrl: llm.baseUrl, llmApiKeySet: true });
    expect(JSON.stringify(s)).not.toContain('sk-test-123');
    llm.respond(() =>
      llm.completion({
        summary: '报表性能为本季度重点。',
        decisions: ['优先解决报表性能'],
        actionItems: [{ title: '提交优化方案', owner: 'w1-delivery', due: '2026-12-02' }],
      }),
    );
    const n = llm.requests.length;
    expectStatus(await csm.put(`/api/meetings/${meetingId}/minutes`, { minutes: `${minutes}\n补充：客户关注移动端。` }), 200);
    await runJobs();
    expect(llm.requests.length).toBe(n + 1);
    const req = llm.requests.at(-1)!;
    expect(req.auth).toBe('Bearer sk-test-123');
    expect(req.body.model).toBe('fake-model');
    const sent = JSON.parse(req.body.messages[1].content);
    expect(Object.keys(sent).sort()).toEqual(['agenda', 'attendees', 'date', 'minutes', 'title']);
    expect(sent.title).toBe('方案评审会');
    expect(JSON.stringify(req.body)).not.toContain('客户重大需求变化沟通'); // no other meeting's data
    const d = expectStatus(await csm.get(`/api/meetings/${meetingId}`), 200);
    expect(d.summary).toMatchObject({ source: 'llm', summary: '报表性能为本季度重点。', model: 'fake-model' });
    expect(d.actionItems.map((a: Json) => [a.title, a.ownerName, a.dueOn])).toEqual([['提交优化方案', 'w1-delivery', '2026-12-02']]);
  });

  it('when the LLM fails (after its retries) the offline summariser answers; saving never waited', async () => {
    llm.respond(() => ({ status: 500, body: { error: { message: 'boom' } } }));
    const n = llm.requests.length;
    const started = Date.now();
    expectStatus(await csm.put(`/api/meetings/${meetingId}/minutes`, { minutes }), 200);
    expect(Date.now() - started).toBeLessThan(2000);
    await runJobs();
    expect(llm.requests.length).toBe(n + 3); // 1 call + 2 retries
    const d = expectStatus(await csm.get(`/api/meetings/${meetingId}`), 200);
    expect(d.summary.source).toBe('offline');
    expect(d.summary.error).toMatch(/500/);
    expect(d.actionItems).toHaveLength(2);
    // an LLM on a host the operator did not allow is refused at the socket
    allowOutbound(null);
    expectStatus(await csm.put(`/api/meetings/${meetingId}/minutes`, { minutes }), 200);
    const m = llm.requests.length;
    await runJobs();
    expect(llm.requests.length).toBe(m);
    expect(expectStatus(await csm.get(`/api/meetings/${meetingId}`), 200).summary.source).toBe('offline');
    allowOutbound('127.0.0.1');
    expectStatus(await admin.put('/api/meetings/settings', { llmBaseUrl: null, llmModel: null, llmApiKey: null }), 200);
  });

  it('action items: add, owner from another workspace refused, done by the owner, captured opportunity', async () => {
    expect(
      expectStatus(await csm.post(`/api/meetings/${meetingId}/action-items`, { title: '整理客户组织架构', ownerId: t.w2.users.csm.id }), 400)
        .fields[0].field,
    ).toBe('ownerId');
    expectStatus(await csm.post(`/api/meetings/${meetingId}/action-items`, { title: 'a\nb', ownerId: t.w1.users.csm.id }), 400);
    const a = expectStatus(
      await csm.post(`/api/meetings/${meetingId}/action-items`, {
        title: '整理客户组织架构',
        ownerId: t.w1.users.after_sales.id,
        dueOn: '2026-12-01',
      }),
      201,
    );
    expectStatus(await expert.patch(`/api/meetings/action-items/${a.id}`, { status: 'done' }), 403);
    expectStatus(await admin2.patch(`/api/meetings/action-items/${a.id}`, { status: 'done' }), 404);
    expect(expectStatus(await afterSales.patch(`/api/meetings/action-items/${a.id}`, { status: 'done' }), 200).status).toBe('done');
    expectStatus(await afterSales.patch(`/api/meetings/action-items/${a.id}`, { status: 'cancelled' }), 400);
    const o = expectStatus(await csm.post(`/api/meetings/${meetingId}/opportunities`, { title: '移动端审批模块', amountMinor: 30_000_000 }), 201);
    expect(o.stage).toBe('captured');
    const opp = expectStatus(await csm.get(`/api/opportunities/${o.id}`), 200);
    expect(opp).toMatchObject({ sourceKind: 'meeting', sourceId: meetingId });
    expectStatus(await channel.post(`/api/meetings/${meetingId}/opportunities`, { title: 'x' }), 403);
  });
});

describe('supervision with an injected clock', () => {
  it('reminds before the meeting, before due, when overdue, escalates to the manager — each exactly once, on SMTP and in the app', async () => {
    await t.db.update(users).set({ managerId: t.w1.users.manager.id }).where(eq(users.id, t.w1.users.delivery.id));
    const start = inHours(24 * 10);
    const m = expectStatus(
      await csm.post(
        '/api/meetings',
        adHoc({
          title: '督导测试会',
          startsAt: start.toISOString(),
          endsAt: new Date(start.getTime() + HOUR).toISOString(),
          attendeeIds: [t.w1.users.delivery.id],
        }),
      ),
      201,
    );
    const dueOn = new Date(start.getTime() + 3 * 86_400_000).toISOString().slice(0, 10);
    const a = expectStatus(
      await csm.post(`/api/meetings/${m.id}/action-items`, { title: '提交整改报告', ownerId: t.w1.users.delivery.id, dueOn }),
      201,
    );
    const item = (await queryRows<{ due_at: Date | string }>(t.db, sql`select due_at from action_items where id = ${a.id}`))[0];
    const dueAt = new Date(item.due_at);
    // Asia/Shanghai: overdue from 00:00 the day after
    expect(dueAt.toISOString()).toBe(new Date(`${dueOn}T16:00:00.000Z`).toISOString());
    await runJobs();
    // only this item is watched here: earlier tests' items are closed
    await t.db.execute(sql`update action_items set status = 'done' where id <> ${a.id}`);
    await t.db.execute(sql`update meetings set status = 'held' where id <> ${m.id}`);
    const at = (ms: number) => new Date(ms);
    const results: Json[] = [];
    for (const now of [
      at(start.getTime() - 31 * 60_000), // nothing yet
      at(start.getTime() - 30 * 60_000), // meeting reminder
      at(start.getTime() - 10 * 60_000), // not again
      at(dueAt.getTime() - 24 * HOUR - 1), // nothing
      at(dueAt.getTime() - 24 * HOUR), // due soon
      at(dueAt.getTime() - 1), // not again
      at(dueAt.getTime()), // overdue
      at(dueAt.getTime() + 2 * 86_400_000 - 1), // not yet escalated
      at(dueAt.getTime() + 2 * 86_400_000), // escalated
      at(dueAt.getTime() + 5 * 86_400_000), // nothing more
    ]) {
      const r = await scanMeetings(t.db, now);
      results.push({ reminders: r.reminders, due_soon: r.due_soon, overdue: r.overdue, escalate: r.escalate });
    }
    expect(results).toEqual([
      { reminders: 0, due_soon: 0, overdue: 0, escalate: 0 },
      { reminders: 1, due_soon: 0, overdue: 0, escalate: 0 },
      { reminders: 0, due_soon: 0, overdue: 0, escalate: 0 },
      { reminders: 0, due_soon: 0, overdue: 0, escalate: 0 },
      { reminders: 0, due_soon: 1, overdue: 0, escalate: 0 },
      { reminders: 0, due_soon: 0, overdue: 0, escalate: 0 },
      { reminders: 0, due_soon: 0, overdue: 1, escalate: 0 },
      { reminders: 0, due_soon: 0, overdue: 0, escalate: 0 },
      { reminders: 0, due_soon: 0, overdue: 0, escalate: 1 },
      { reminders: 0, due_soon: 0, overdue: 0, escalate: 0 },
    ]);
    const before = smtp.inbox.length;
    await runJobs(at(dueAt.getTime() + 6 * 86_400_000));
    const arrived = smtp.inbox.slice(before).map((x) => [x.subject, x.to.join(',')]);
    expect(arrived).toEqual(
      expect.arrayContaining([
        ['[会议提醒] 督导测试会', expect.stringContaining(t.w1.users.delivery.email)],
        ['[行动项即将到期] 提交整改报告', t.w1.users.delivery.email],
        ['[行动项已逾期] 提交整改报告', t.w1.users.delivery.email],
        ['[行动项逾期升级] 提交整改报告', t.w1.users.manager.email],
      ]),
    );
    expect(arrived.filter((x) => String(x[0]).includes('提交整改报告'))).toHaveLength(3);
    await deliverEvents(t.db);
    const notes = expectStatus(await manager.get('/api/notifications'), 200).items.filter((n: Json) => n.recordId === a.id);
    expect(notes.map((n: Json) => n.kind)).toEqual(['action_escalated']);
    const mine = expectStatus(await delivery.get('/api/meetings/action-items?status=open'), 200).items.find((x: Json) => x.id === a.id);
    expect(mine).toMatchObject({ escalatedToId: t.w1.users.manager.id });
  });

  it('a complaint ticket becomes one key-moment meeting with the iron triangle, sales included, whatever the number of scans', async () => {
    const ticket = expectStatus(
      await csm.post('/api/tickets', {
        accountId: account.id,
        title: '对上线延期不满',
        description: '客户投诉上线延期',
        kind: 'complaint',
        severity: 'high',
        channel: 'phone',
      }),
      201,
    );
    const now = new Date();
    const [a, b] = await Promise.all([scanMeetings(t.db, now), scanMeetings(t.db, now)]);
    expect(a.keyMoments + b.keyMoments).toBe(1);
    expect((await scanMeetings(t.db, now)).keyMoments).toBe(0);
    const ev = (await queryRows<{ status: string }>(t.db, sql`select status from key_moment_events where ticket_id = ${ticket.id}`))[0];
    expect(ev.status).toBe('meeting_scheduled');
    const list = expectStatus(await sales.get('/api/meetings?scope=mine&kind=key_moment'), 200).items.filter((x: Json) => x.cause === 'complaint');
    expect(list).toHaveLength(1);
    const d = expectStatus(await sales.get(`/api/meetings/${list[0].id}`), 200);
    expect(d.ticketId).toBe(ticket.id);
    expect(d.title).toContain('客户投诉');
    expect(d.attendees.map((x: Json) => x.role)).toEqual(expect.arrayContaining(['sales', 'delivery', 'after_sales', 'csm']));
    const before = smtp.inbox.length;
    await runJobs();
    const inv = smtp.inbox.slice(before).find((x) => x.subject.includes('客户投诉'))!;
    expect(inv.to).toContain(t.w1.users.sales.email);
    expect(inv.ics).toContain('METHOD:REQUEST');
  });
});

describe('key persons at meetings; key moments inside the business calendar', () => {
  it('a complaint from the portal at 00:51 proposes 09:00 that working day, with the complaining key person invited', async () => {
    const c = expectStatus(await sales.post(`/api/accounts/${account.id}/contacts`, { name: '周工', side: 'operations_it' }), 201);
    const kpRow = expectStatus(
      await sales.post(`/api/contacts/${c.id}/key-person-login`, { email: 'zhou@customer.test', password: 'Customer-pass-2026' }),
      201,
    );
    const kp = await t.login('zhou@customer.test', 'Customer-pass-2026', '/api/portal/auth/login');
    const ticket = expectStatus(
      await kp.post('/api/portal/tickets', {
        title: '夜间系统宕机无人响应',
        description: '凌晨系统宕机，热线无人接听',
        kind: 'complaint',
        severity: 'high',
      }),
      201,
    );
    // the complaint arrived at 00:51 on a Thursday in the workspace's zone (Shanghai): 2026-12-02 16:51 UTC
    const at = new Date('2026-12-02T16:51:00Z');
    await t.db.execute(sql`update key_moment_events set created_at = ${at.toISOString()}::timestamptz where ticket_id = ${ticket.id}`);
    const before = smtp.inbox.length;
    expect((await scanMeetings(t.db, at)).keyMoments).toBe(1);
    const [m] = await queryRows<{ id: string; starts_at: Date; guest_title: string }>(
      t.db,
      sql`select id, starts_at, guest_title from meetings where ticket_id = ${ticket.id}`,
    );
    expect(new Date(m.starts_at).toISOString()).toBe('2026-12-03T01:00:00.000Z'); // 09:00 Shanghai
    expect(m.guest_title).toBe('关于「夜间系统宕机无人响应」的沟通会');
    const d = expectStatus(await sales.get(`/api/meetings/${m.id}`), 200);
    expect(d.guests).toEqual([{ keyPersonId: kpRow.id, name: '周工' }]);

    // the key person gets the ICS (their title, no internal agenda) and sees it in the portal
    await runJobs();
    const mine = smtp.inbox.slice(before).filter((x) => x.to.includes('zhou@customer.test'));
    expect(mine).toHaveLength(1);
    expect(mine[0].subject).toBe('[会议邀请] 关于「夜间系统宕机无人响应」的沟通会');
    expect(mine[0].text).not.toContain('关系风险');
    expect(mine[0].ics).toContain('METHOD:REQUEST');
    expect(mine[0].ics).not.toContain('关系风险');
    expect(mine[0].ics).not.toContain('关键时点');
    const staffMail = smtp.inbox.slice(before).find((x) => x.to.includes(t.w1.users.sales.email) && x.subject.startsWith('[会议邀请]'))!;
    expect(staffMail.text).toContain('关系风险'); // the team's invitation keeps the agenda
    const portal = expectStatus(await kp.get('/api/portal/meetings'), 200).items;
    // (the portal lists from "now": the proposed 09:00 is in the past of the real clock only if this runs later than that day)
    const listed = await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from meeting_guests where meeting_id = ${m.id}`);
    expect(listed[0].n).toBe(1);
    for (const p of portal) expect(Object.keys(p).sort()).toEqual(['endsAt', 'id', 'location', 'organizerName', 'startsAt', 'status', 'title']);
  });

  it('staff invite key persons of the account only; they see it in the portal and hear of changes', async () => {
    const c = expectStatus(await sales.post(`/api/accounts/${account.id}/contacts`, { name: '吴总', side: 'executive' }), 201);
    const kpRow = expectStatus(
      await sales.post(`/api/contacts/${c.id}/key-person-login`, { email: 'wu@customer.test', password: 'Customer-pass-2026' }),
      201,
    );
    const kp = await t.login('wu@customer.test', 'Customer-pass-2026', '/api/portal/auth/login');
    const other = await makeAccount(sales, manager, 'A');
    const oc = expectStatus(await sales.post(`/api/accounts/${other.id}/contacts`, { name: '郑工', side: 'operations_it' }), 201);
    const otherKp = expectStatus(
      await sales.post(`/api/contacts/${oc.id}/key-person-login`, { email: 'zheng@customer.test', password: 'Customer-pass-2026' }),
      201,
    );

    const bad = expectStatus(await sales.post('/api/meetings', adHoc({ keyPersonIds: [otherKp.id] })), 400);
    expect(JSON.stringify(bad)).toContain('keyPersonIds.0');
    const m = expectStatus(await sales.post('/api/meetings', adHoc({ title: '季度业务回顾', keyPersonIds: [kpRow.id] })), 201);
    const listed = expectStatus(await kp.get('/api/portal/meetings'), 200).items;
    expect(listed.find((x: Json) => x.id === m.id)).toMatchObject({
      title: '季度业务回顾',
      status: 'scheduled',
      organizerName: t.w1.users.sales.name,
    });
    expect(JSON.stringify(listed)).not.toContain('变化内容'); // the agenda stays inside
    expectStatus(await sales.get('/api/portal/meetings'), 403);

    const before = smtp.inbox.length;
    expectStatus(await sales.patch(`/api/meetings/${m.id}`, { keyPersonIds: [] }), 200);
    await runJobs();
    const toWu = smtp.inbox.slice(before).filter((x) => x.to.includes('wu@customer.test'));
    expect(toWu.map((x) => x.ics?.match(/METHOD:(\w+)/)?.[1])).toEqual(['REQUEST', 'CANCEL']);
    expect(expectStatus(await kp.get('/api/portal/meetings'), 200).items.some((x: Json) => x.id === m.id)).toBe(false);
  });
});
