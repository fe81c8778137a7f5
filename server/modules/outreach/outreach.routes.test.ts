import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobs } from '../../platform/platform.table.js';
import { createJobRunner } from '../../platform/jobs.js';
import { MAIL_JOB, type OutgoingMail } from '../../platform/mail.js';
import { expectStatus, type Json } from '../../test/fixtures.js';
import { startTestApp, type Client, type TestApp } from '../../test/harness.js';
import { sendMail } from '../meetings/mail.sender.js';
import { startSmtp } from '../meetings/meetings.test-support.js';
import { OUTREACH_BATCH_JOB, outreachBatchHandler } from './outreach.service.js';
import { outreachPeople } from './outreach.table.js';

let t: TestApp;
let manager: Client, sales: Client, delivery: Client, admin2: Client;
const fieldsOf = (body: Json) => (body.fields ?? []).map((f: Json) => f.field as string);
const runner = () => createJobRunner(t.db, { [OUTREACH_BATCH_JOB]: outreachBatchHandler() }, { only: [OUTREACH_BATCH_JOB] });
const mails = async () =>
  (await t.db.select().from(jobs).where(eq(jobs.kind, MAIL_JOB))).map((j) => j.payload as OutgoingMail).filter((m) => m.listUnsubscribe);

async function account(name: string, tags: string[]) {
  return expectStatus(await sales.post('/api/accounts', { name, industry: '零售', region: '华东', tags }), 201).id as string;
}
async function contact(accountId: string, name: string, email: string | null) {
  return expectStatus(await sales.post(`/api/accounts/${accountId}/contacts`, { name, email }), 201).id as string;
}
const campaignBody = (name: string, extra: Json = {}) => ({
  name,
  audience: { conditions: [{ field: 'tag', values: ['会员'] }] },
  subject: '{{name}}，您好',
  body: '{{account}} 的 {{name}}：新品上市。',
  ...extra,
});

beforeAll(async () => {
  t = await startTestApp();
  [manager, sales, delivery, admin2] = await Promise.all([t.as('manager'), t.as('sales'), t.as('delivery'), t.as('admin', t.w2)]);
});
afterAll(() => t?.close());

describe('settings', () => {
  it('reads the defaults, saves from a version, refuses a stale one (412) and a bad field (400), leads only', async () => {
    const s = expectStatus(await sales.get('/api/outreach/settings'), 200);
    expect(s).toMatchObject({ capCount: 2, capDays: 7, quietStart: null, quietEnd: null, requireOptIn: true, version: 1 });
    expect(s).not.toHaveProperty('unsubscribeSecret');
    expectStatus(await delivery.get('/api/outreach/settings'), 403);
    const body = { capCount: 2, capDays: 7, quietStart: null, quietEnd: null, requireOptIn: true };
    expectStatus(await sales.put('/api/outreach/settings', { ...body, version: 1 }), 403);
    expect(fieldsOf(expectStatus(await manager.put('/api/outreach/settings', { ...body, quietStart: '25:00', version: 1 }), 400))).toContain(
      'quietStart',
    );
    expect(fieldsOf(expectStatus(await manager.put('/api/outreach/settings', { ...body, quietStart: '22:00', version: 1 }), 400))).toContain(
      'quietEnd',
    );
    const fromConsole = (method: 'PUT' | 'PATCH', url: string, payload: Json) =>
      t.app.inject({
        method,
        url,
        headers: { cookie: manager.cookie, 'x-csrf-token': manager.csrf, 'content-type': 'application/json', 'x-kw-client': 'console' },
        payload: JSON.stringify(payload),
      });
    expect((await fromConsole('PUT', '/api/outreach/settings', body)).statusCode).toBe(428);
    const draft = expectStatus(await manager.post('/api/outreach/campaigns', campaignBody('版本')), 201);
    expect((await fromConsole('PATCH', `/api/outreach/campaigns/${draft.id}`, { name: '无版本' })).statusCode).toBe(428);
    expect(expectStatus(await manager.patch(`/api/outreach/campaigns/${draft.id}`, { name: '有版本', version: 1 }), 200).version).toBe(2);
    expectStatus(await manager.patch(`/api/outreach/campaigns/${draft.id}`, { name: '过期', version: 1 }), 412);
    expectStatus(await manager.post(`/api/outreach/campaigns/${draft.id}/cancel`), 200);
    expect(expectStatus(await manager.put('/api/outreach/settings', { ...body, version: 1 }), 200).version).toBe(2);
    expectStatus(await manager.put('/api/outreach/settings', { ...body, version: 1 }), 412);
  });
});

describe('campaigns, consent and unsubscribe', () => {
  let acc: string, ok: string, noMail: string, withdrawn: string;
  beforeAll(async () => {
    acc = await account('会员客户甲', ['会员']);
    ok = await contact(acc, '张三', 'zhang@customer.test');
    noMail = await contact(acc, '李四', null);
    withdrawn = await contact(acc, '王五', 'wang@customer.test');
    const other = await account('非会员客户', ['普通']);
    await contact(other, '赵六', 'zhao@customer.test');
  });

  it('records consent with its source, keeps the history, and hides it across workspaces', async () => {
    expectStatus(await sales.post(`/api/outreach/contacts/${withdrawn}/consents`, { channel: 'email', granted: true, source: 'form' }), 201);
    const c = expectStatus(
      await sales.post(`/api/outreach/contacts/${withdrawn}/consents`, { channel: 'email', granted: false, note: '电话中要求' }),
      201,
    );
    expect(c).toMatchObject({ granted: false, source: 'staff' });
    const all = expectStatus(await sales.get(`/api/outreach/contacts/${withdrawn}/consents`), 200);
    expect(all.current.email).toMatchObject({ granted: false, source: 'staff' });
    expect(all.history).toHaveLength(2);
    expect(fieldsOf(expectStatus(await sales.post(`/api/outreach/contacts/${ok}/consents`, { channel: 'sms', granted: true }), 400))).toContain(
      'channel',
    );
    expectStatus(await sales.post(`/api/outreach/contacts/${ok}/consents`, { channel: 'email', granted: true, source: 'unsubscribe_link' }), 400);
    expectStatus(await delivery.post(`/api/outreach/contacts/${ok}/consents`, { channel: 'email', granted: true }), 403);
    expectStatus(await admin2.get(`/api/outreach/contacts/${ok}/consents`), 404);
    expectStatus(await admin2.post(`/api/outreach/contacts/${ok}/consents`, { channel: 'email', granted: true }), 404);
  });

  it("refuses a bad campaign naming the field, in the reader's language", async () => {
    expect(fieldsOf(expectStatus(await manager.post('/api/outreach/campaigns', campaignBody('x', { body: '{{phone}} 你好' })), 400))).toEqual([
      'body',
    ]);
    expect(
      fieldsOf(expectStatus(await manager.post('/api/outreach/campaigns', campaignBody('x', { audience: { conditions: [], contactIds: [] } })), 400)),
    ).toEqual(['audience']);
    expect(fieldsOf(expectStatus(await manager.post('/api/outreach/campaigns', campaignBody('')), 400))).toContain('name');
    const zh = await t.app.inject({
      method: 'POST',
      url: '/api/outreach/campaigns',
      headers: { cookie: manager.cookie, 'x-csrf-token': manager.csrf, 'accept-language': 'zh-CN', 'content-type': 'application/json' },
      payload: JSON.stringify(campaignBody('x', { subject: '{{foo}}' })),
    });
    expect(zh.statusCode).toBe(400);
    expect(zh.json().message).toContain('未知的变量');
    expectStatus(await sales.post('/api/outreach/campaigns', campaignBody('x')), 403);
  });

  it('previews who is reached and who not and why, sending nothing', async () => {
    const c = expectStatus(await manager.post('/api/outreach/campaigns', campaignBody('预览活动')), 201);
    let p = expectStatus(await sales.get(`/api/outreach/campaigns/${c.id}/preview`), 200);
    expect(p).toMatchObject({ total: 3, included: 0, excluded: { no_address: 1, unsubscribed: 1, no_consent: 1 } });
    expectStatus(await sales.post(`/api/outreach/contacts/${ok}/consents`, { channel: 'email', granted: true, source: 'form' }), 201);
    p = expectStatus(await sales.get(`/api/outreach/campaigns/${c.id}/preview?reason=included`), 200);
    expect(p).toMatchObject({ included: 1, matching: 1 });
    expect(p.people).toEqual([expect.objectContaining({ contactId: ok, name: '张三', reason: null })]);
    expect(p.sample).toEqual({ subject: '张三，您好', body: '会员客户甲 的 张三：新品上市。' });
    p = expectStatus(await sales.get(`/api/outreach/campaigns/${c.id}/preview?reason=no_address`), 200);
    expect(p.people.map((x: Json) => x.contactId)).toEqual([noMail]);
    // the sample is still what the person who will get it reads, not the first one listed
    expect(p.sample.subject).toBe('张三，您好');
    expect(await mails()).toHaveLength(0);
  });

  it('sends through jobs with List-Unsubscribe; a retried job sends nobody twice; one click withdraws at once', async () => {
    const c = expectStatus(await manager.post('/api/outreach/campaigns', campaignBody('上新活动')), 201);
    const stale = await t.app.inject({
      method: 'POST',
      url: `/api/outreach/campaigns/${c.id}/send`,
      headers: { cookie: manager.cookie, 'x-csrf-token': manager.csrf, 'if-match': `"${c.version + 1}"` },
    });
    expect(stale.statusCode).toBe(412);
    const sent = expectStatus(
      await t.app.inject({
        method: 'POST',
        url: `/api/outreach/campaigns/${c.id}/send`,
        headers: { cookie: manager.cookie, 'x-csrf-token': manager.csrf, 'if-match': `"${c.version}"` },
      }),
      200,
    );
    expect(sent.status).toBe('sending');
    expectStatus(await manager.post(`/api/outreach/campaigns/${c.id}/send`), 409);
    expectStatus(await manager.patch(`/api/outreach/campaigns/${c.id}`, { name: '改名' }), 409);
    expect(await runner().runDue()).toBe(1);
    const got = expectStatus(await sales.get(`/api/outreach/campaigns/${c.id}`), 200);
    expect(got.status).toBe('sent');
    const rec = expectStatus(await sales.get(`/api/outreach/campaigns/${c.id}/recipients`), 200);
    expect(Object.fromEntries(rec.items.map((r: Json) => [r.contactId, r.reason ?? r.state]))).toEqual({
      [ok]: 'sent',
      [noMail]: 'no_address',
      [withdrawn]: 'unsubscribed',
    });
    expect(expectStatus(await sales.get(`/api/outreach/campaigns/${c.id}/recipients?state=excluded`), 200).total).toBe(2);
    let m = await mails();
    expect(m).toHaveLength(1);
    expect(m[0]).toMatchObject({ to: [{ email: 'zhang@customer.test' }], subject: '张三，您好' });
    expect(m[0].text).toContain(m[0].listUnsubscribe!);

    // on the wire: List-Unsubscribe with the link, and the one-click marker (RFC 8058)
    const smtp = await startSmtp();
    const operatorAllowed = process.env.KW_OUTBOUND_ALLOW_HOSTS;
    process.env.KW_OUTBOUND_ALLOW_HOSTS = '127.0.0.1';
    try {
      await sendMail(
        { host: '127.0.0.1', port: smtp.port, secure: false, user: null, password: null, from: 'Keyward <noreply@keyward.test>' },
        m[0],
        { timeoutMs: 5000 },
      );
      const head = smtp.inbox[0].raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
      expect(head).toContain(`List-Unsubscribe: <${m[0].listUnsubscribe}>`);
      expect(head).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    } finally {
      if (operatorAllowed === undefined) delete process.env.KW_OUTBOUND_ALLOW_HOSTS;
      else process.env.KW_OUTBOUND_ALLOW_HOSTS = operatorAllowed;
      await smtp.close();
    }

    // the job again (a retry after a crash): nobody is sent twice
    const [job] = await t.db.select().from(jobs).where(eq(jobs.kind, OUTREACH_BATCH_JOB));
    await outreachBatchHandler()(t.db, { ...job, workspace_id: job.workspaceId, max_attempts: job.maxAttempts });
    expect(await mails()).toHaveLength(1);

    // one click (RFC 8058: a form post), from anyone holding the link
    const url = new URL(m[0].listUnsubscribe!);
    const bad = await t.app.inject({ method: 'POST', url: `${url.pathname}${url.search.slice(0, -3)}abc` });
    expect(bad.statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `${url.pathname}${url.search.slice(0, -3)}abc` })).statusCode).toBe(404);
    const page = await t.app.inject({ method: 'GET', url: `${url.pathname}${url.search}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<form method="post"');
    const res = await t.app.inject({
      method: 'POST',
      url: `${url.pathname}${url.search}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(res.statusCode).toBe(200);
    const consents = expectStatus(await sales.get(`/api/outreach/contacts/${ok}/consents`), 200);
    expect(consents.current.email).toMatchObject({ granted: false, source: 'unsubscribe_link' });

    // a later campaign leaves the person out, in the preview and in the send
    const next = expectStatus(await manager.post('/api/outreach/campaigns', campaignBody('下一次')), 201);
    expect(expectStatus(await sales.get(`/api/outreach/campaigns/${next.id}/preview`), 200).excluded.unsubscribed).toBe(2);
    expectStatus(await manager.post(`/api/outreach/campaigns/${next.id}/send`), 200);
    await runner().runDue();
    m = await mails();
    expect(m).toHaveLength(1);
  });

  it('cancels a campaign not yet sent; a scheduled one waits for its time', async () => {
    const c = expectStatus(
      await manager.post('/api/outreach/campaigns', campaignBody('定时活动', { scheduledAt: new Date(Date.now() + 86_400_000).toISOString() })),
      201,
    );
    expect(expectStatus(await manager.post(`/api/outreach/campaigns/${c.id}/send`), 200).status).toBe('scheduled');
    expect(await runner().runDue()).toBe(0);
    const x = expectStatus(await manager.post(`/api/outreach/campaigns/${c.id}/cancel`), 200);
    expect(x.status).toBe('cancelled');
    expect(expectStatus(await sales.get(`/api/outreach/campaigns/${c.id}/recipients?state=excluded`), 200).items[0].reason).toBe('cancelled');
    expectStatus(await manager.post(`/api/outreach/campaigns/${c.id}/cancel`), 409);
    await runner().runDue(new Date(Date.now() + 2 * 86_400_000));
    expect(expectStatus(await sales.get(`/api/outreach/campaigns/${c.id}/recipients?state=sent`), 200).total).toBe(0);
  });

  it('a repeated create with the same Idempotency-Key answers the first campaign, creating one', async () => {
    const post = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/outreach/campaigns',
        headers: { cookie: manager.cookie, 'x-csrf-token': manager.csrf, 'content-type': 'application/json', 'idempotency-key': 'campaign-once-1' },
        payload: JSON.stringify(campaignBody('只建一次')),
      });
    const a = await post();
    const b = await post();
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(201);
    expect(b.headers['idempotent-replayed']).toBe('true');
    expect(b.json().id).toBe(a.json().id);
    const items = expectStatus(await manager.get('/api/outreach/campaigns?status=draft'), 200).items as Json[];
    expect(items.filter((c) => c.name === '只建一次')).toHaveLength(1);
  });

  it("keeps one workspace's campaigns from another's", async () => {
    const c = expectStatus(await manager.post('/api/outreach/campaigns', campaignBody('隔离活动')), 201);
    expectStatus(await admin2.get(`/api/outreach/campaigns/${c.id}`), 404);
    expectStatus(await admin2.get(`/api/outreach/campaigns/${c.id}/preview`), 404);
    expectStatus(await admin2.get(`/api/outreach/campaigns/${c.id}/recipients`), 404);
    expectStatus(await admin2.patch(`/api/outreach/campaigns/${c.id}`, { name: '偷改' }), 404);
    expectStatus(await admin2.post(`/api/outreach/campaigns/${c.id}/send`), 404);
    expectStatus(await admin2.post(`/api/outreach/campaigns/${c.id}/cancel`), 404);
    expect(expectStatus(await admin2.get('/api/outreach/campaigns'), 200).items).toEqual([]);
    // w2 naming w1's contacts: refused, naming the field
    const w1Contact = (expectStatus(await manager.get(`/api/outreach/campaigns/${c.id}/preview`), 200).people as Json[])[0].contactId;
    const bad = expectStatus(await admin2.post('/api/outreach/campaigns', campaignBody('越界', { audience: { contactIds: [w1Contact] } })), 400);
    expect(fieldsOf(bad)).toEqual(['audience.contactIds']);
    expect(expectStatus(await manager.get(`/api/outreach/campaigns/${c.id}`), 200).status).toBe('draft');
  });
});

describe('the frequency cap under concurrency', () => {
  it('two campaigns sent at once to the same 50 people with a cap of 1 touch each person exactly once', async () => {
    const s = expectStatus(await manager.get('/api/outreach/settings'), 200);
    expectStatus(
      await manager.put('/api/outreach/settings', {
        capCount: 1,
        capDays: 7,
        quietStart: null,
        quietEnd: null,
        requireOptIn: false,
        version: s.version,
      }),
      200,
    );
    const acc = await account('并发客户', ['并发']);
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) ids.push(await contact(acc, `顾客${i}`, `race${i}@customer.test`));
    // the people's lock rows exist already (as after any earlier send): only the row lock orders the two senders
    // (a first insert of the row would also make the second wait, on the unique key, and hide a missing lock)
    await t.db.insert(outreachPeople).values(ids.map((contactId) => ({ workspaceId: t.w1.id, contactId })));
    const audience = { conditions: [{ field: 'tag', values: ['并发'] }] };
    const a = expectStatus(await manager.post('/api/outreach/campaigns', campaignBody('并发甲', { audience })), 201);
    const b = expectStatus(await manager.post('/api/outreach/campaigns', campaignBody('并发乙', { audience })), 201);
    expectStatus(await manager.post(`/api/outreach/campaigns/${a.id}/send`), 200);
    expectStatus(await manager.post(`/api/outreach/campaigns/${b.id}/send`), 200);
    // two workers, each claiming one campaign's batch, running at the same time
    const [na, nb] = await Promise.all([runner().runDue(new Date(), 1), runner().runDue(new Date(), 1)]);
    expect(na + nb).toBe(2);
    const ra = expectStatus(await manager.get(`/api/outreach/campaigns/${a.id}/recipients?pageSize=200`), 200).items as Json[];
    const rb = expectStatus(await manager.get(`/api/outreach/campaigns/${b.id}/recipients?pageSize=200`), 200).items as Json[];
    expect(ra).toHaveLength(50);
    const other = new Map(rb.map((r) => [r.contactId, r]));
    for (const r of ra) {
      const o = other.get(r.contactId)!;
      const states = [r, o].map((x) => (x.state === 'sent' ? 'sent' : x.reason)).sort();
      expect(states, r.contactId).toEqual(['cap_reached', 'sent']);
    }
    const sentMail = (await mails()).filter((m) => m.to[0].email.startsWith('race'));
    expect(sentMail).toHaveLength(50);
    expect(new Set(sentMail.map((m) => m.to[0].email)).size).toBe(50);
    expect(
      (
        await t.db
          .select()
          .from(jobs)
          .where(and(eq(jobs.kind, OUTREACH_BATCH_JOB), eq(jobs.status, 'done')))
      ).length,
    ).toBeGreaterThanOrEqual(2);
  });
});

describe("a campaign's own cap and quiet hours", () => {
  it('skips people touched within its own window; waits out quiet hours with recipients still planned', async () => {
    const s = expectStatus(await manager.get('/api/outreach/settings'), 200);
    const base = { capCount: 5, capDays: 7, quietStart: null, quietEnd: null, requireOptIn: false };
    let v = expectStatus(await manager.put('/api/outreach/settings', { ...base, version: s.version }), 200).version;
    const acc = await account('自有上限客户', ['上限']);
    const p = await contact(acc, '孙七', 'sun@customer.test');
    const audience = { conditions: [], contactIds: [p] };
    const first = expectStatus(await manager.post('/api/outreach/campaigns', campaignBody('第一次', { audience })), 201);
    expectStatus(await manager.post(`/api/outreach/campaigns/${first.id}/send`), 200);
    await runner().runDue();
    const strict = expectStatus(await manager.post('/api/outreach/campaigns', campaignBody('严格', { audience, cap: { count: 1, days: 30 } })), 201);
    expect(expectStatus(await manager.get(`/api/outreach/campaigns/${strict.id}/preview`), 200).excluded).toEqual({ cap_reached: 1 });
    const loose = expectStatus(await manager.post('/api/outreach/campaigns', campaignBody('宽松', { audience })), 201);
    expect(expectStatus(await manager.get(`/api/outreach/campaigns/${loose.id}/preview`), 200).included).toBe(1);

    // quiet hours around the workspace's present hour (Asia/Shanghai)
    const hh = (d: number) =>
      String(
        (Number(new Intl.DateTimeFormat('en-GB', { hour: '2-digit', hour12: false, timeZone: 'Asia/Shanghai' }).format(new Date())) + d + 24) % 24,
      ).padStart(2, '0');
    v = expectStatus(
      await manager.put('/api/outreach/settings', { ...base, quietStart: `${hh(-1)}:00`, quietEnd: `${hh(1)}:00`, version: v }),
      200,
    ).version;
    expectStatus(await manager.post(`/api/outreach/campaigns/${loose.id}/send`), 200);
    expect(await runner().runDue()).toBe(1);
    const [job] = await t.db
      .select()
      .from(jobs)
      .where(and(eq(jobs.kind, OUTREACH_BATCH_JOB), eq(jobs.status, 'queued')));
    expect(job.lastError).toBe('quiet hours');
    expect(job.runAt.getTime()).toBeGreaterThan(Date.now());
    expect(expectStatus(await manager.get(`/api/outreach/campaigns/${loose.id}/recipients?state=planned`), 200).total).toBe(1);
    expectStatus(await manager.put('/api/outreach/settings', { ...base, version: v }), 200);
    await runner().runDue(job.runAt);
    expect(expectStatus(await manager.get(`/api/outreach/campaigns/${loose.id}/recipients?state=sent`), 200).total).toBe(1);
  });
});
