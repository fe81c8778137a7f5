import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventJobHandlers } from '../../platform/events.js';
import { createJobRunner } from '../../platform/jobs.js';
import { MAIL_JOB, type OutgoingMail } from '../../platform/mail.js';
import { jobs } from '../../platform/platform.table.js';
import { expectStatus, type Json } from '../../test/fixtures.js';
import { startTestApp, type Client, type TestApp } from '../../test/harness.js';
import { mailHandler } from '../meetings/index.js';
import { startSmtp } from '../meetings/meetings.test-support.js';
import { measuresSubscriptions } from './measures.service.js';
import { OUTREACH_BATCH_JOB, outreachBatchHandler } from './outreach.service.js';
import { outreachClicks, outreachReferrals, outreachTracking } from './outreach.table.js';

let t: TestApp;
let manager: Client, sales: Client, delivery: Client, admin2: Client;
let campaignId: string;
let pa: string, pb: string, pc: string, accA: string, accB: string, accC: string, today: string;
let m: OutgoingMail[];
const fieldsOf = (body: Json) => (body.fields ?? []).map((f: Json) => f.field as string);
const SHOP = 'https://shop.example.com/new?x=1&y=2';
const sendRunner = () => createJobRunner(t.db, { [OUTREACH_BATCH_JOB]: outreachBatchHandler() }, { only: [OUTREACH_BATCH_JOB] });
const mailOf = (email: string) => m.find((x) => x.to[0].email === email)!;
const measures = async () => expectStatus(await sales.get(`/api/outreach/campaigns/${campaignId}/measures`), 200);
const people = async (q: string) => expectStatus(await sales.get(`/api/outreach/campaigns/${campaignId}/measures/people?${q}`), 200);
const names = (p: Json) => (p.items as Json[]).map((i) => i.name).sort();
const path = (url: string) => new URL(url).pathname;

async function account(name: string, toCStage: string | null) {
  return expectStatus(await sales.post('/api/accounts', { name, industry: '零售', region: '华东', tags: ['度量'], toCStage }), 201).id as string;
}
async function contact(accountId: string, name: string, email: string) {
  return expectStatus(await sales.post(`/api/accounts/${accountId}/contacts`, { name, email }), 201).id as string;
}
async function moveStage(accountId: string, toCStage: string) {
  expectStatus(await sales.patch(`/api/accounts/${accountId}`, { toCStage }), 200);
}
async function buy(accountId: string, number: string) {
  const c = expectStatus(
    await sales.post(`/api/accounts/${accountId}/contracts`, {
      number,
      title: `${number} 合同`,
      amountMinor: 1_000_000,
      signedOn: today,
      startsOn: today,
      endsOn: today,
    }),
    201,
  );
  expectStatus(await sales.post(`/api/contracts/${c.id}/payments`, { receivedOn: today, amountMinor: 500_000 }), 201);
}

beforeAll(async () => {
  t = await startTestApp();
  [manager, sales, delivery, admin2] = await Promise.all([t.as('manager'), t.as('sales'), t.as('delivery'), t.as('admin', t.w2)]);
  const s = expectStatus(await manager.get('/api/outreach/settings'), 200);
  expect(s.attributionDays).toBe(14);
  expectStatus(
    await manager.put('/api/outreach/settings', {
      capCount: 10,
      capDays: 7,
      quietStart: null,
      quietEnd: null,
      requireOptIn: false,
      version: s.version,
    }),
    200,
  );
  accA = await account('度量客户甲', 'interest');
  accB = await account('度量客户乙', 'contact');
  accC = await account('度量客户丙', null);
  pa = await contact(accA, '甲一', 'a1@customer.test');
  pb = await contact(accB, '乙一', 'b1@customer.test');
  pc = await contact(accC, '丙一', 'c1@customer.test');
  today = expectStatus(await sales.get(`/api/accounts/${accA}/contracts`), 200).today;
  const c = expectStatus(
    await manager.post('/api/outreach/campaigns', {
      name: '度量活动',
      audience: { conditions: [{ field: 'tag', values: ['度量'] }] },
      subject: '{{name}}，新品',
      body: `{{name}} 您好，新品见 ${SHOP} 。推荐朋友：{{referral_link}}`,
    }),
    201,
  );
  campaignId = c.id;
  expectStatus(await manager.post(`/api/outreach/campaigns/${campaignId}/send`), 200);
  await sendRunner().runDue();
  m = (await t.db.select().from(jobs).where(eq(jobs.kind, MAIL_JOB))).map((j) => j.payload as OutgoingMail).filter((x) => x.listUnsubscribe);
});
afterAll(() => t?.close());

describe('the tracked mail', () => {
  it('has an HTML part with the open pixel and the links rewritten; the text part and List-Unsubscribe stay', () => {
    expect(m).toHaveLength(3);
    const a = mailOf('a1@customer.test');
    expect(a.html).toMatch(/<img src="[^"]+\/api\/outreach\/o\/[A-Za-z0-9_-]{80,100}"/);
    expect(a.html).toMatch(/<a href="[^"]+\/api\/outreach\/c\/[^"]+">https:\/\/shop\.example\.com\/new\?x=1&#38;y=2<\/a>/);
    expect(a.html).not.toContain(`href="${SHOP}`);
    expect(a.text).toMatch(/\/api\/outreach\/c\/\S+ 。/);
    expect(a.text).not.toContain(SHOP);
    expect(a.text).toContain('/api/outreach/ref/');
    expect(a.text).toContain(a.listUnsubscribe!);
    expect(a.deliveryRef).toBe(`outreach:${campaignId}:${pa}`);
  });

  it('counts one opener for two opens; a forged pixel is 404 and records nothing', async () => {
    const pixel = path(/<img src="([^"]+)"/.exec(mailOf('a1@customer.test').html!)![1]);
    for (let i = 0; i < 2; i++) {
      const r = await t.app.inject({ method: 'GET', url: pixel });
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toBe('image/gif');
    }
    const forged = `${pixel.slice(0, -3)}${pixel.endsWith('AAA') ? 'BBB' : 'AAA'}`;
    expect((await t.app.inject({ method: 'GET', url: forged })).statusCode).toBe(404);
    const [row] = await t.db
      .select()
      .from(outreachTracking)
      .where(and(eq(outreachTracking.campaignId, campaignId), eq(outreachTracking.contactId, pa)));
    expect(row.openCount).toBe(2);
    expect(row.openedFirstAt!.getTime()).toBeLessThanOrEqual(row.openedLastAt!.getTime());
    const x = await measures();
    expect(x.totals.opened).toBe(1);
    expect(names(await people('metric=opened'))).toEqual(['甲一']);
  });

  it('redirects a click 302 to the link of the campaign; a forged or other-purpose token is 404 and records nothing', async () => {
    const link = path(/<a href="([^"]+\/api\/outreach\/c\/[^"]+)"/.exec(mailOf('a1@customer.test').html!)![1]);
    const r = await t.app.inject({ method: 'GET', url: link });
    expect(r.statusCode).toBe(302);
    expect(r.headers.location).toBe(SHOP);
    // the index 0 → 1 with the signature kept; and the pixel's token on the click route
    const bytes = Buffer.from(link.split('/').pop()!, 'base64url');
    bytes[49] = 1;
    const forged = `/api/outreach/c/${bytes.toString('base64url')}`;
    expect((await t.app.inject({ method: 'GET', url: forged })).statusCode).toBe(404);
    const pixelToken = /\/api\/outreach\/o\/([^"]+)"/.exec(mailOf('a1@customer.test').html!)![1];
    expect((await t.app.inject({ method: 'GET', url: `/api/outreach/c/${pixelToken}` })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/outreach/c/not-a-token' })).statusCode).toBe(404);
    const clicks = await t.db.select().from(outreachClicks).where(eq(outreachClicks.campaignId, campaignId));
    expect(clicks.map((c) => [c.contactId, c.linkIndex])).toEqual([[pa, 0]]);
    expect((await measures()).totals.clicked).toBe(1);
  });

  it('counts a mail delivered once the mail job handed it to the mail server', async () => {
    expect((await measures()).totals.delivered).toBe(0);
    const smtp = await startSmtp();
    const before = process.env.SMTP_URL;
    process.env.SMTP_URL = `smtp://127.0.0.1:${smtp.port}`;
    try {
      const runner = createJobRunner(
        t.db,
        { [MAIL_JOB]: mailHandler(), ...eventJobHandlers(measuresSubscriptions) },
        { only: [MAIL_JOB, 'event', 'event.deliver'] },
      );
      for (let i = 0; i < 5 && (await runner.runDue()) > 0; i++);
      const ours = smtp.inbox.filter((x) => x.to[0]?.endsWith('@customer.test'));
      expect(ours).toHaveLength(3);
      expect(ours[0].raw).toMatch(/Content-Type: text\/html/i);
      expect(ours[0].raw.replace(/\r?\n[ \t]+/g, ' ')).toContain(
        `List-Unsubscribe: <${m.find((x) => x.to[0].email === ours[0].to[0])!.listUnsubscribe}>`,
      );
    } finally {
      if (before === undefined) delete process.env.SMTP_URL;
      else process.env.SMTP_URL = before;
      await smtp.close();
    }
    const x = await measures();
    expect(x.totals.delivered).toBe(3);
    expect(names(await people('metric=delivered'))).toEqual(['丙一', '乙一', '甲一'].sort());
  });
});

describe('attribution within the window', () => {
  it('attributes forward stage moves, contracts and payments to the last touch within 14 days; older touches get none', async () => {
    // 丙's mail was sent 20 days ago: outside the window
    await t.db
      .update(outreachTracking)
      .set({ sentAt: sql`now() - interval '20 days'` })
      .where(and(eq(outreachTracking.campaignId, campaignId), eq(outreachTracking.contactId, pc)));
    await moveStage(accA, 'purchase'); // interest → purchase: a conversion
    await moveStage(accB, 'interest'); // contact → interest: forward, not a conversion
    await moveStage(accC, 'interest'); // outside the window
    await moveStage(accB, 'contact'); // backwards: not counted
    await buy(accA, 'DL-A-1');
    await buy(accC, 'DL-C-1');
    const x = await measures();
    expect(x.totals).toMatchObject({ stage_moves: 2, purchases: 1, payments: 1, renewals: 0 });
    expect(names(await people('metric=stage_moves'))).toEqual(['乙一', '甲一'].sort());
    const moves = (await people('metric=stage_moves')).items as Json[];
    expect(moves.find((i) => i.name === '甲一')).toMatchObject({ stageReached: 'purchase', stage: 'interest', campaignName: '度量活动' });
    expect(names(await people('metric=payments'))).toEqual(['甲一']);
    expect(x.growth.convert).toBe(2); // 甲's move into purchase and 甲's new contract

    // a longer window reaches 丙's touch
    const s = expectStatus(await manager.get('/api/outreach/settings'), 200);
    const base = { capCount: 10, capDays: 7, quietStart: null, quietEnd: null, requireOptIn: false };
    const v = expectStatus(await manager.put('/api/outreach/settings', { ...base, attributionDays: 30, version: s.version }), 200).version;
    expect((await measures()).totals).toMatchObject({ stage_moves: 3, purchases: 2, payments: 2 });
    // left out: unchanged; then back to 14
    expect(expectStatus(await manager.put('/api/outreach/settings', { ...base, version: v }), 200).attributionDays).toBe(30);
    expect(fieldsOf(expectStatus(await manager.put('/api/outreach/settings', { ...base, attributionDays: 0, version: v + 1 }), 400))).toEqual([
      'attributionDays',
    ]);
    expectStatus(await manager.put('/api/outreach/settings', { ...base, attributionDays: 14, version: v + 1 }), 200);
    expect((await measures()).totals).toMatchObject({ stage_moves: 2, purchases: 1, payments: 1 });
  });
});

describe('referrals (裂变)', () => {
  it('shows the page in the reader language, stores a referral with consent, refuses bad input naming the field', async () => {
    const link = path(/(https?:\/\/\S+\/api\/outreach\/ref\/\S+)/.exec(mailOf('b1@customer.test').text)![1]);
    const zh = await t.app.inject({ method: 'GET', url: link, headers: { 'accept-language': 'zh-CN' } });
    expect(zh.statusCode).toBe(200);
    expect(zh.body).toContain('推荐给朋友');
    expect(zh.body).toContain('<form method="post"');
    const en = await t.app.inject({ method: 'GET', url: link, headers: { 'accept-language': 'en' } });
    expect(en.body).toContain('Recommend us');

    const post = (payload: Json) =>
      t.app.inject({ method: 'POST', url: link, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(payload) });
    const ok = await post({ name: '新朋友', email: 'friend@new.test', company: '新公司', consent: true });
    expect(ok.statusCode).toBe(201);
    const form = await t.app.inject({
      method: 'POST',
      url: link,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'zh-CN' },
      payload: `name=${encodeURIComponent('表单朋友')}&email=&phone=13800001111&company=&consent=on`,
    });
    expect(form.statusCode).toBe(201);
    expect(form.body).toContain('谢谢');

    expect(fieldsOf((await post({ name: '坏邮箱', email: 'not-an-email', consent: true })).json())).toEqual(['email']);
    expect((await post({ name: '坏邮箱', email: 'not-an-email', consent: true })).statusCode).toBe(400);
    const noConsent = await post({ name: '没同意', email: 'x@new.test', consent: false });
    expect(noConsent.statusCode).toBe(400);
    expect(fieldsOf(noConsent.json())).toEqual(['consent']);
    expect(fieldsOf((await post({ name: '', email: 'x@new.test', consent: true })).json())).toEqual(['name']);
    expect(fieldsOf((await post({ name: '无联系', consent: true })).json())).toEqual(['email']);
    const badForm = await t.app.inject({
      method: 'POST',
      url: link,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'name=x&email=bad',
    });
    expect(badForm.statusCode).toBe(400);
    expect(badForm.body).toContain('data-field="email"');

    // a forged link: 404, nothing stored or counted
    const forged = `${link.slice(0, -3)}${link.endsWith('AAA') ? 'BBB' : 'AAA'}`;
    expect((await t.app.inject({ method: 'GET', url: forged })).statusCode).toBe(404);
    const forgedPost = await t.app.inject({
      method: 'POST',
      url: forged,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ name: '伪造', email: 'x@new.test', consent: true }),
    });
    expect(forgedPost.statusCode).toBe(404);

    const stored = await t.db.select().from(outreachReferrals).where(eq(outreachReferrals.campaignId, campaignId));
    expect(stored.map((r) => r.name).sort()).toEqual(['新朋友', '表单朋友'].sort());
    expect(stored.every((r) => r.referrerContactId === pb && r.consent && r.consentText.length > 0)).toBe(true);
    const x = await measures();
    expect(x.totals).toMatchObject({ referral_visits: 2, referrals: 2 });
    const who = await people('metric=referrals');
    expect(names(who)).toEqual(['新朋友', '表单朋友'].sort());
    expect((who.items as Json[]).every((i) => i.referredBy === '乙一' && i.stage === 'contact')).toBe(true);
  });
});

describe('the measures', () => {
  it('count what the events are, per stage and growth action, and open the people behind each number', async () => {
    const x = await measures();
    expect(x.attributionDays).toBe(14);
    expect(x.totals).toMatchObject({
      planned: 3,
      sent: 3,
      excluded: 0,
      delivered: 3,
      opened: 1,
      clicked: 1,
      stage_moves: 2,
      purchases: 1,
      renewals: 0,
      payments: 1,
      referral_visits: 2,
      referrals: 2,
    });
    const stage = (s: string) => (x.byStage as Json[]).find((b) => b.stage === s)!;
    expect(stage('interest').counts).toMatchObject({ sent: 1, opened: 1, clicked: 1, stage_moves: 1, purchases: 1 });
    expect(stage('contact').counts).toMatchObject({ sent: 1, stage_moves: 1, referrals: 2 });
    expect(stage('none').counts).toMatchObject({ sent: 1, stage_moves: 0 });
    // acquire: 乙 reached at contact + 2 referrals; activate: 甲 (interest) opened and clicked, once
    expect(x.growth).toEqual({ acquire: 3, activate: 1, retain: 0, convert: 2, referral: 2 });
    expect(names(await people('metric=acquire'))).toEqual(['乙一', '新朋友', '表单朋友'].sort());
    expect(names(await people('metric=activate&stage=interest'))).toEqual(['甲一']);
    expect((await people('metric=activate&stage=contact')).total).toBe(0);
    const page = await people('metric=sent&pageSize=2&page=2');
    expect(page.total).toBe(3);
    expect(page.items).toHaveLength(1);

    const all = expectStatus(await sales.get('/api/outreach/measures'), 200);
    const row = (all.campaigns as Json[]).find((c) => c.id === campaignId)!;
    expect(row.counts).toEqual(x.totals);
    expect(row.growth).toEqual(x.growth);
    const drill = expectStatus(await sales.get(`/api/outreach/measures/people?metric=convert&campaignId=${campaignId}`), 200);
    expect(drill.total).toBe(2);
    expect(names(drill)).toEqual(['甲一', '甲一']);
    expectStatus(await sales.get('/api/outreach/measures?from=2030-01-01T00:00:00Z&to=2020-01-01T00:00:00Z'), 400);
    expectStatus(await sales.get(`/api/outreach/campaigns/${campaignId}/measures/people?metric=nonsense`), 400);
  });

  it("hides one workspace's measures from another, and from roles without outreach.read", async () => {
    expectStatus(await admin2.get(`/api/outreach/campaigns/${campaignId}/measures`), 404);
    expectStatus(await admin2.get(`/api/outreach/campaigns/${campaignId}/measures/people?metric=sent`), 404);
    const other = expectStatus(await admin2.get('/api/outreach/measures'), 200);
    expect(other.campaigns).toEqual([]);
    expect(other.totals.sent).toBe(0);
    expect(expectStatus(await admin2.get(`/api/outreach/measures/people?metric=sent&campaignId=${campaignId}`), 200).total).toBe(0);
    expectStatus(await delivery.get(`/api/outreach/campaigns/${campaignId}/measures`), 403);
    expectStatus(await delivery.get('/api/outreach/measures'), 403);
  });
});
