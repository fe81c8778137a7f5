import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobRunner } from '../../platform/jobs.js';
import { MAIL_JOB } from '../../platform/mail.js';
import { jobs } from '../../platform/platform.table.js';
import { expectStatus, type Json } from '../../test/fixtures.js';
import { startTestApp, type Client, type TestApp } from '../../test/harness.js';
import { BATCH_SIZE, OUTREACH_BATCH_JOB, outreachBatchHandler } from './outreach.service.js';

// The portal channel (a key person's inbox) and sending at size: the audience planned and assessed in SQL,
// one send job per batch; what the preview forecasts is what the batches decide.
let t: TestApp;
let manager: Client, sales: Client, admin2: Client;
const PW = 'Portal-pass-2026';
const runner = () => createJobRunner(t.db, { [OUTREACH_BATCH_JOB]: outreachBatchHandler() }, { only: [OUTREACH_BATCH_JOB] });

async function account(name: string, tags: string[]) {
  return expectStatus(await sales.post('/api/accounts', { name, industry: '零售', region: '华东', tags }), 201).id as string;
}
async function contact(accountId: string, name: string, email: string | null) {
  return expectStatus(await sales.post(`/api/accounts/${accountId}/contacts`, { name, email }), 201).id as string;
}
const consent = async (id: string, channel: 'email' | 'portal', granted: boolean) =>
  expectStatus(await sales.post(`/api/outreach/contacts/${id}/consents`, { channel, granted, source: 'form' }), 201);
async function settings(patch: Json) {
  const s = expectStatus(await manager.get('/api/outreach/settings'), 200);
  const { version, ...rest } = s;
  return expectStatus(await manager.put('/api/outreach/settings', { ...rest, ...patch, version }), 200);
}

beforeAll(async () => {
  t = await startTestApp();
  [manager, sales, admin2] = await Promise.all([t.as('manager'), t.as('sales'), t.as('admin', t.w2)]);
});
afterAll(() => t?.close());

describe('the portal channel', () => {
  let withLogin: string, without: string, other: string, kp: Client, kpOther: Client;

  beforeAll(async () => {
    const acc = await account('门户客户', ['门户']);
    withLogin = await contact(acc, '赵门户', 'zhao@portal.customer.test');
    without = await contact(acc, '钱无号', 'qian@portal.customer.test');
    other = await contact(acc, '孙另一', 'sun@portal.customer.test');
    for (const [id, email] of [
      [withLogin, 'kp-zhao@portal.customer.test'],
      [other, 'kp-sun@portal.customer.test'],
    ]) {
      expectStatus(await sales.post(`/api/contacts/${id}/key-person-login`, { email, password: PW }), 201);
    }
    kp = await t.login('kp-zhao@portal.customer.test', PW, '/api/portal/auth/login');
    kpOther = await t.login('kp-sun@portal.customer.test', PW, '/api/portal/auth/login');
    await consent(withLogin, 'portal', true);
    await consent(without, 'portal', true);
  });

  it('reaches only people with a portal login, into their own inbox; read marks stay theirs', async () => {
    const c = expectStatus(
      await manager.post('/api/outreach/campaigns', {
        name: '门户培训邀请',
        channel: 'portal',
        audience: { conditions: [], contactIds: [withLogin, without, other] },
        subject: '{{name}}，培训邀请',
        body: '{{account}} 的 {{name}}：下周二线上培训。',
      }),
      201,
    );
    const p = expectStatus(await manager.get(`/api/outreach/campaigns/${c.id}/preview`), 200);
    // `other` has a login but no consent on the portal channel (opt-in required by default)
    expect(p).toMatchObject({ total: 3, included: 1, excluded: { no_address: 1, no_consent: 1 } });
    expectStatus(await manager.post(`/api/outreach/campaigns/${c.id}/send`), 200);
    expect(await runner().runDue()).toBe(1);
    const rec = expectStatus(await manager.get(`/api/outreach/campaigns/${c.id}/recipients`), 200);
    expect(Object.fromEntries(rec.items.map((r: Json) => [r.contactId, r.reason ?? r.state]))).toEqual({
      [withLogin]: 'sent',
      [without]: 'no_address',
      [other]: 'no_consent',
    });
    // no mail on the portal channel
    expect((await t.db.select().from(jobs).where(eq(jobs.kind, MAIL_JOB))).filter((j) => (j.payload as Json).listUnsubscribe)).toHaveLength(0);

    const inbox = expectStatus(await kp.get('/api/portal/messages'), 200);
    expect(inbox).toMatchObject({ unread: 1, receiving: true });
    expect(inbox.items).toEqual([
      expect.objectContaining({ subject: '赵门户，培训邀请', body: '门户客户 的 赵门户：下周二线上培训。', read: false }),
    ]);
    const msg = inbox.items[0].id;
    expect(expectStatus(await kpOther.get('/api/portal/messages'), 200).items).toEqual([]);
    // another key person cannot mark it (404, as for a message that does not exist)
    expectStatus(await kpOther.post(`/api/portal/messages/${msg}/read`), 404);
    expect(expectStatus(await kp.get('/api/portal/messages'), 200).unread).toBe(1);
    expect(expectStatus(await kp.post(`/api/portal/messages/${msg}/read`), 200)).toMatchObject({ id: msg, read: true });
    expect(expectStatus(await kp.get('/api/portal/messages'), 200).unread).toBe(0);
    // staff are not key persons here
    expectStatus(await manager.get('/api/portal/messages'), 403);
  });

  it("a key person's own opt-out in the portal is a withdrawal at once, with its source", async () => {
    expect(expectStatus(await kp.put('/api/portal/messages/receiving', { receiving: false }), 200)).toEqual({ receiving: false });
    expectStatus(await kp.put('/api/portal/messages/receiving', { receiving: 'no' }), 400);
    expect(expectStatus(await kp.get('/api/portal/messages'), 200).receiving).toBe(false);
    const consents = expectStatus(await sales.get(`/api/outreach/contacts/${withLogin}/consents`), 200);
    expect(consents.current.portal).toMatchObject({ granted: false, source: 'form' });
    const c = expectStatus(
      await manager.post('/api/outreach/campaigns', {
        name: '门户第二次',
        channel: 'portal',
        audience: { conditions: [], contactIds: [withLogin] },
        subject: '再次邀请',
        body: '内容',
      }),
      201,
    );
    expect(expectStatus(await manager.get(`/api/outreach/campaigns/${c.id}/preview`), 200).excluded).toEqual({ unsubscribed: 1 });
    // changing one's mind back is recorded too
    expectStatus(await kp.put('/api/portal/messages/receiving', { receiving: true }), 200);
    expect(expectStatus(await sales.get(`/api/outreach/contacts/${withLogin}/consents`), 200).history.map((h: Json) => h.granted)).toEqual([
      true,
      false,
      true,
    ]);
  });
});

describe('sending at size', () => {
  it('plans the audience in batches, one job each; the preview forecasts exactly what the batches decide', async () => {
    await settings({ capCount: 2, capDays: 7, quietStart: null, quietEnd: null, requireOptIn: true });
    const acc = await account('批量客户', ['批量']);
    const n = BATCH_SIZE * 2 + 17;
    const ids: string[] = [];
    for (let i = 0; i < n; i++) ids.push(await contact(acc, `批量${String(i).padStart(3, '0')}`, i % 10 === 3 ? null : `b${i}@bulk.customer.test`));
    // a matrix of reasons: every 10th person from 0 withdrew, every 7th gave no consent, the rest opted in
    for (let i = 0; i < n; i++) {
      if (i % 10 === 0) await consent(ids[i], 'email', false);
      else if (i % 7 !== 0) await consent(ids[i], 'email', true);
    }
    // people touched twice this week (the workspace cap of 2 reached), or once (the campaign's own cap of 1)
    const audienceOf = (list: readonly string[]) => ({ conditions: [], contactIds: list });
    const twice = ids.filter((_, i) => i % 10 === 5);
    const once = ids.filter((_, i) => i % 10 === 6);
    for (const [k, list] of [
      ['暖场一', [...twice, ...once]],
      ['暖场二', twice],
    ] as const) {
      const c = expectStatus(await manager.post('/api/outreach/campaigns', { name: k, audience: audienceOf(list), subject: 's', body: 'b' }), 201);
      expectStatus(await manager.post(`/api/outreach/campaigns/${c.id}/send`), 200);
      await runner().runDue();
    }
    const big = expectStatus(
      await manager.post('/api/outreach/campaigns', {
        name: '全量',
        audience: { conditions: [{ field: 'tag', values: ['批量'] }], contactIds: [] },
        subject: '{{name}}',
        body: 'b',
      }),
      201,
    );
    // with its own cap of one touch a week, whoever was touched once this week is skipped too (a forecast only)
    const strict = expectStatus(
      await manager.post('/api/outreach/campaigns', {
        name: '严格',
        audience: { conditions: [], contactIds: [...twice, ...once] },
        subject: 's',
        body: 'b',
        cap: { count: 1, days: 7 },
      }),
      201,
    );
    const sp = expectStatus(await manager.get(`/api/outreach/campaigns/${strict.id}/preview?pageSize=200`), 200);
    const strictReason = new Map(sp.people.map((x: Json) => [x.contactId, x.reason]));
    for (const id of [...twice, ...once]) expect(['cap_reached', 'no_address', 'unsubscribed', 'no_consent']).toContain(strictReason.get(id));
    expect(once.filter((id) => strictReason.get(id) === 'cap_reached').length).toBeGreaterThan(0);
    const forecast = new Map<string, string | null>();
    for (let page = 1; ; page++) {
      const p = expectStatus(await manager.get(`/api/outreach/campaigns/${big.id}/preview?page=${page}&pageSize=200`), 200);
      for (const x of p.people) forecast.set(x.contactId, x.reason);
      if (p.people.length < 200) {
        expect(p.total).toBe(n);
        break;
      }
    }
    const reasons = new Set(forecast.values());
    expect(reasons).toEqual(new Set([null, 'no_address', 'unsubscribed', 'no_consent', 'cap_reached']));
    // the workspace's cap of two: twice this week is the cap, once is not
    expect(once.some((id) => forecast.get(id) === null)).toBe(true);
    expect(twice.filter((id) => forecast.get(id) === 'cap_reached').length).toBeGreaterThan(0);

    expectStatus(await manager.post(`/api/outreach/campaigns/${big.id}/send`), 200);
    const queued = await t.db
      .select()
      .from(jobs)
      .where(and(eq(jobs.kind, OUTREACH_BATCH_JOB), eq(jobs.status, 'queued')));
    expect(queued.map((j) => (j.payload as Json).batch).sort()).toEqual([0, 1, 2]);
    expect(await runner().runDue()).toBe(3);
    const decided = new Map<string, string | null>();
    for (let page = 1; ; page++) {
      const r = expectStatus(await manager.get(`/api/outreach/campaigns/${big.id}/recipients?page=${page}&pageSize=200`), 200);
      for (const x of r.items) decided.set(x.contactId, x.state === 'sent' ? null : x.reason);
      if (r.items.length < 200) break;
    }
    expect(decided).toEqual(forecast);
    expect(expectStatus(await manager.get(`/api/outreach/campaigns/${big.id}`), 200).status).toBe('sent');
    // a batch job run again decides nobody twice
    const [again] = queued;
    await outreachBatchHandler()(t.db, {
      id: again.id,
      workspace_id: again.workspaceId,
      kind: again.kind,
      payload: again.payload,
      attempts: 0,
      max_attempts: 5,
    });
    const mails = (await t.db.select().from(jobs).where(eq(jobs.kind, MAIL_JOB))).filter((j) => (j.payload as Json).subject?.startsWith('批量'));
    expect(mails).toHaveLength([...forecast.values()].filter((r) => r === null).length);
  });

  it("reads quiet hours in the person's own time zone where set: they wait, the others are sent", async () => {
    const zone = 'America/New_York';
    const hourIn = (tz: string, d: number) =>
      String((Number(new Intl.DateTimeFormat('en-GB', { hour: '2-digit', hour12: false, timeZone: tz }).format(new Date())) + d + 24) % 24).padStart(
        2,
        '0',
      );
    // quiet around New York's present hour: half a day away from the workspace's (Asia/Shanghai), which is not quiet
    await settings({ capCount: 5, capDays: 7, quietStart: `${hourIn(zone, -1)}:00`, quietEnd: `${hourIn(zone, 1)}:00`, requireOptIn: false });
    const acc = await account('时区客户', ['时区']);
    const abroad = await contact(acc, '纽约客', 'ny@zone.customer.test');
    const home = await contact(acc, '本地客', 'home@zone.customer.test');
    const portrait = expectStatus(await manager.get(`/api/outreach/people/${abroad}`), 200);
    expectStatus(
      await manager.put(`/api/outreach/people/${abroad}`, { stage: null, timeZone: zone, version: portrait.version ?? portrait.profile?.version }),
      200,
    );
    const c = expectStatus(
      await manager.post('/api/outreach/campaigns', {
        name: '时区',
        audience: { conditions: [], contactIds: [abroad, home] },
        subject: 's',
        body: 'b',
      }),
      201,
    );
    expectStatus(await manager.post(`/api/outreach/campaigns/${c.id}/send`), 200);
    expect(await runner().runDue()).toBe(1);
    const states = async () =>
      Object.fromEntries(
        expectStatus(await manager.get(`/api/outreach/campaigns/${c.id}/recipients`), 200).items.map((r: Json) => [r.contactId, r.state]),
      );
    expect(await states()).toEqual({ [abroad]: 'planned', [home]: 'sent' });
    const [job] = await t.db
      .select()
      .from(jobs)
      .where(and(eq(jobs.kind, OUTREACH_BATCH_JOB), eq(jobs.status, 'queued'), eq(jobs.workspaceId, t.w1.id)));
    expect(job.lastError).toBe('quiet hours');
    // it comes back at the end of New York's quiet hours (within two hours), and then sends the one waiting
    // (the handler reads the real clock: the quiet hours are lifted instead of waiting for them to end)
    expect(job.runAt.getTime() - Date.now()).toBeGreaterThan(0);
    expect(job.runAt.getTime() - Date.now()).toBeLessThanOrEqual(2 * 3_600_000);
    await settings({ quietStart: null, quietEnd: null });
    await runner().runDue(job.runAt);
    expect(await states()).toEqual({ [abroad]: 'sent', [home]: 'sent' });
  });

  it("another workspace's campaign is not found, for the preview and the send", async () => {
    const c = expectStatus(
      await manager.post('/api/outreach/campaigns', {
        name: '本空间',
        audience: { conditions: [{ field: 'tag', values: ['批量'] }], contactIds: [] },
        subject: 's',
        body: 'b',
      }),
      201,
    );
    expectStatus(await admin2.get(`/api/outreach/campaigns/${c.id}/preview`), 404);
    expectStatus(await admin2.post(`/api/outreach/campaigns/${c.id}/send`), 404);
    expect(expectStatus(await manager.get(`/api/outreach/campaigns/${c.id}`), 200).status).toBe('draft');
  });
});
