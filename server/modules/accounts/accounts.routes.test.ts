import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultGradingModel } from './grading.domain.js';
import { accounts } from './accounts.table.js';
import { startTestApp, type Client, type TestApp } from '../../test/harness.js';
import { expectStatus, type Json, uniq } from '../../test/fixtures.js';

let t: TestApp;
let admin: Client, manager: Client, sales: Client, csm: Client, delivery: Client, afterSales: Client, expert: Client, channel: Client;
let admin2: Client;
/** fixtures in the other workspace: every id-taking route is tried with these from w1 */
const w2 = { account: '', contact: '', link: '', segment: '' };

function expectField(res: LightMyRequestResponse, code: number, field: string | RegExp) {
  const body = expectStatus(res, code);
  const fields = (body.fields ?? []).map((f: { field: string }) => f.field);
  if (typeof field === 'string') expect(fields).toContain(field);
  else
    expect(
      fields.some((f: string) => field.test(f)),
      JSON.stringify(fields),
    ).toBe(true);
  expect(typeof body.message).toBe('string');
  return body;
}
async function createAccount(body: Json = {}, as: Client = sales): Promise<Json> {
  return expectStatus(await as.post('/api/accounts', { name: uniq(), industry: '制造', region: '华东', ...body }), 201);
}
async function createContact(accountId: string, body: Json = {}, as: Client = sales): Promise<Json> {
  return expectStatus(await as.post(`/api/accounts/${accountId}/contacts`, { name: uniq('联系人'), side: 'business_head', ...body }), 201);
}
const get360 = async (id: string, as: Client = admin) => expectStatus(await as.get(`/api/accounts/${id}`), 200);
/** What a failed request must not change: the 360 and the audit trail. */
async function snapshot(id: string) {
  // the trail's newest change (a refused request is recorded as access.denied: that is the trail doing its job, not a change)
  const [a, audit] = await Promise.all([admin.get(`/api/accounts/${id}`), admin.get('/api/audit?limit=50')]);
  const changes = (audit.json().items as Json[]).filter((e) => e.action !== 'access.denied');
  return a.body + JSON.stringify(changes[0] ?? null);
}
async function lastAudit(): Promise<Json> {
  return expectStatus(await admin.get('/api/audit?limit=1'), 200).items[0];
}
async function expectAudit(action: string, entityId?: string) {
  const e = await lastAudit();
  expect(e.action).toBe(action);
  if (entityId) expect(e.entityId).toBe(entityId);
  expect(e.actorKind).toBe('staff');
  return e;
}
async function w2Snapshot() {
  const [a, s] = await Promise.all([admin2.get(`/api/accounts/${w2.account}`), admin2.get('/api/segments')]);
  expect(a.statusCode).toBe(200);
  return a.body + s.body;
}

beforeAll(async () => {
  t = await startTestApp();
  [admin, manager, sales, csm, delivery, afterSales, expert, channel, admin2] = await Promise.all([
    t.as('admin'),
    t.as('manager'),
    t.as('sales'),
    t.as('csm'),
    t.as('delivery'),
    t.as('after_sales'),
    t.as('expert'),
    t.as('channel_implementer'),
    t.as('admin', t.w2),
  ]);
  const a = expectStatus(await admin2.post('/api/accounts', { name: 'W2 的客户', industry: '能源', region: '华北', tags: ['w2-only'] }), 201);
  const c = expectStatus(await admin2.post(`/api/accounts/${a.id}/contacts`, { name: 'W2 联系人', side: 'executive' }), 201);
  const l = expectStatus(
    await admin2.post(`/api/accounts/${a.id}/links`, { userId: t.w2.users.sales.id, ourSide: 'sales', contactId: c.id, strength: 3 }),
    201,
  );
  const s = expectStatus(await admin2.post('/api/segments', { name: 'W2 分群', rules: [{ field: 'tier', values: ['A'] }] }), 201);
  Object.assign(w2, { account: a.id, contact: c.id, link: l.id, segment: s.id });
});
afterAll(() => t?.close());

describe('POST /api/accounts', () => {
  it('creates an account, graded at once, with its first stage and ladder entries', async () => {
    await createAccount(); // someone to be ranked against
    const res = await sales.post('/api/accounts', {
      name: '华东精密制造',
      industry: '制造',
      region: '华东',
      ownerId: t.w1.users.sales.id,
      revenueTargetMinor: 200_000_00,
      fiscalYear: 2026,
      products: ['MES', 'WMS'],
      contracts: [{ no: 'HT-001', title: '一期', signedOn: '2026-01-15', amountMinor: 150_000_00 }],
      tags: ['  高潜  客户 ', '高潜 客户', '制造'],
      onTimePaymentPct: 100,
      orderAmountMinor: 9_000_000_000_00,
      prospect: 5,
      profitMarginPct: 100,
    });
    const a = expectStatus(res, 201);
    expect(a).toMatchObject({
      name: '华东精密制造',
      revenueTargetMinor: 20_000_000,
      currency: 'CNY',
      fiscalYear: 2026,
      products: ['MES', 'WMS'],
      contracts: [{ no: 'HT-001', title: '一期', signedOn: '2026-01-15', amountMinor: 15_000_000 }],
      tags: ['高潜 客户', '制造'],
      stage: 'handover',
      ladder: 'participant',
      ownerId: t.w1.users.sales.id,
      tierOverride: null,
    });
    // the reply is the graded account: the largest order and profit in the workspace, paid on time, prospect 5
    expect(a).toMatchObject({ tier: 'A', modelTier: 'A', valueScore: 100, potentialScore: 100 });
    const full = await get360(a.id);
    expect(full.tier).toBe('A');
    expect(full.stageTimeline).toMatchObject([{ fromStage: null, toStage: 'handover', actorName: 'w1-sales' }]);
    expect(full.ladderHistory).toMatchObject([{ fromLevel: null, toLevel: 'participant' }]);
    expect(full.tierHistory).toMatchObject([{ fromTier: null, toTier: 'A', source: 'created' }]);
    expect(full.owner).toEqual({ id: t.w1.users.sales.id, name: 'w1-sales' });
    await expectAudit('account.create', a.id);
  });

  it('defaults the fiscal year to this year and the stage to handover', async () => {
    const a = await createAccount();
    expect(a.fiscalYear).toBe(new Date().getUTCFullYear());
    expect(a).toMatchObject({ stage: 'handover', ladder: 'participant', revenueTargetMinor: 0, tags: [], contracts: [] });
  });

  it('401 without a session', async () => {
    expectStatus(await t.anon.post('/api/accounts', { name: 'x', industry: 'y', region: 'z' }), 401);
  });

  it('403 for a delivery engineer', async () => {
    const name = uniq();
    expectStatus(await delivery.post('/api/accounts', { name, industry: '制造', region: '华东' }), 403);
    expect(expectStatus(await admin.get(`/api/accounts?q=${encodeURIComponent(name)}`), 200).total).toBe(0);
  });

  it.each([
    ['a wrong type', { name: 123 }, 'name'],
    ['a blank name', { name: '   ' }, 'name'],
    ['an unknown field', { workspaceId: randomUUID() }, 'workspaceId'],
    ['negative money', { revenueTargetMinor: -1 }, 'revenueTargetMinor'],
    ['fractional minor units', { orderAmountMinor: 10.5 }, 'orderAmountMinor'],
    ['money as a string', { revenueTargetMinor: '100' }, 'revenueTargetMinor'],
    ['a fractional contract amount', { contracts: [{ no: '1', title: 't', amountMinor: 0.01 }] }, 'contracts.0.amountMinor'],
    ['a bad contract date', { contracts: [{ no: '1', title: 't', signedOn: '2026-13-01' }] }, 'contracts.0.signedOn'],
    ['prospect out of 1–5', { prospect: 6 }, 'prospect'],
    ['on-time share over 100', { onTimePaymentPct: 101 }, 'onTimePaymentPct'],
    ['an unknown stage', { stage: 'won' }, 'stage'],
    ['an owner that is not a uuid', { ownerId: 'bob' }, 'ownerId'],
  ])('400 for %s, naming the field', async (_what, patch, field) => {
    const name = uniq();
    expectField(await sales.post('/api/accounts', { name, industry: '制造', region: '华东', ...patch }), 400, field);
    expect(expectStatus(await admin.get(`/api/accounts?q=${encodeURIComponent(name)}`), 200).total).toBe(0);
  });

  it('400 for an owner or channel partner of another workspace', async () => {
    expectField(await sales.post('/api/accounts', { name: uniq(), industry: 'x', region: 'y', ownerId: t.w2.users.sales.id }), 400, 'ownerId');
    expectField(
      await sales.post('/api/accounts', { name: uniq(), industry: 'x', region: 'y', channelPartnerId: t.w2.partnerId }),
      400,
      'channelPartnerId',
    );
  });

  it('409 for a name already used in the workspace, and nothing is created', async () => {
    const a = await createAccount();
    const before = expectStatus(await admin.get('/api/accounts?pageSize=1'), 200).total;
    const audit = await lastAudit();
    expectField(await manager.post('/api/accounts', { name: a.name, industry: '别的', region: '别处' }), 409, 'name');
    expect(expectStatus(await admin.get('/api/accounts?pageSize=1'), 200).total).toBe(before);
    expect((await lastAudit()).id).toBe(audit.id);
  });

  it('the same name is free in another workspace', async () => {
    expectStatus(await sales.post('/api/accounts', { name: 'W2 的客户', industry: '能源', region: '华北' }), 201);
  });
});

describe('GET /api/accounts', () => {
  let tagged: Json;
  let chan: Json;
  beforeAll(async () => {
    tagged = await createAccount({ region: '西南', industry: '烟草', tags: ['列表测试'] });
    chan = await createAccount({ region: '西南', industry: '烟草', channelPartnerId: t.w1.partnerId, tags: ['列表测试'] });
  });

  it('lists with filters, paging and the total', async () => {
    const body = expectStatus(await csm.get('/api/accounts?tag=列表测试&sort=name&order=asc'), 200);
    expect(body).toMatchObject({ total: 2, page: 1, pageSize: 20 });
    expect(body.items.map((i: Json) => i.id).sort()).toEqual([tagged.id, chan.id].sort());
    const c = body.items.find((i: Json) => i.id === chan.id);
    expect(c).toMatchObject({
      tier: 'E',
      channelPartnerId: t.w1.partnerId,
      channelPartnerName: 'w1 渠道商',
      tierOverridden: false,
      tags: ['列表测试'],
    });
    const direct = expectStatus(await csm.get('/api/accounts?tag=列表测试&channel=direct'), 200);
    expect(direct.items.map((i: Json) => i.id)).toEqual([tagged.id]);
    const byTier = expectStatus(await csm.get('/api/accounts?tag=列表测试&tier=E'), 200);
    expect(byTier.items.map((i: Json) => i.id)).toEqual([chan.id]);
    const repeated = expectStatus(await csm.get(`/api/accounts?tag=列表测试&tier=E&tier=${tagged.tier}`), 200);
    expect(repeated.total).toBe(2);
    const paged = expectStatus(await csm.get('/api/accounts?tag=列表测试&pageSize=1&page=2&sort=name'), 200);
    expect(paged).toMatchObject({ total: 2, page: 2, pageSize: 1 });
    expect(paged.items).toHaveLength(1);
    // the total comes with the page's rows; a page past the end has none and is counted apart
    const past = expectStatus(await csm.get('/api/accounts?tag=列表测试&pageSize=1&page=5&sort=name'), 200);
    expect(past).toMatchObject({ total: 2, page: 5, items: [] });
    const q = expectStatus(await csm.get(`/api/accounts?q=${encodeURIComponent(tagged.name.slice(0, 6))}`), 200);
    expect(q.items.map((i: Json) => i.id)).toContain(tagged.id);
  });

  it('an empty query value is no filter', async () => {
    const all = expectStatus(await csm.get('/api/accounts?tag=列表测试'), 200).total;
    expect(expectStatus(await csm.get('/api/accounts?tag=列表测试&tier=&channel=&region='), 200).total).toBe(all);
  });

  it('treats % and _ in the search text literally', async () => {
    expect(expectStatus(await csm.get('/api/accounts?q=%25'), 200).total).toBe(0);
    expect(expectStatus(await csm.get('/api/accounts?q=_'), 200).total).toBe(0);
  });

  it('never lists another workspace’s accounts', async () => {
    const body = expectStatus(await admin.get('/api/accounts?pageSize=200'), 200);
    expect(body.items.map((i: Json) => i.id)).not.toContain(w2.account);
    expect(expectStatus(await admin.get('/api/accounts?tag=w2-only'), 200).total).toBe(0);
  });

  it('401 without a session', async () => {
    expectStatus(await t.anon.get('/api/accounts'), 401);
  });

  it.each([
    ['an unknown tier', 'tier=Z', /^tier/],
    ['an unknown query field', 'workspaceId=x', 'workspaceId'],
    ['a page size over 200', 'pageSize=500', 'pageSize'],
    ['a fractional page', 'page=1.5', 'page'],
    ['an unknown sort', 'sort=password', 'sort'],
    ['an owner that is not a uuid', 'ownerId=x', 'ownerId'],
  ])('400 for %s', async (_what, qs, field) => {
    expectField(await sales.get(`/api/accounts?${qs}`), 400, field);
  });

  it('404 for a segment of another workspace', async () => {
    expectStatus(await sales.get(`/api/accounts?segmentId=${w2.segment}`), 404);
  });
});

describe('the channel implementer', () => {
  let mine: Json, direct: Json, otherPartner: Json;
  beforeAll(async () => {
    mine = await createAccount({ channelPartnerId: t.w1.partnerId, tags: ['渠道可见'] });
    direct = await createAccount({ tags: ['直销机密'] });
    const p = expectStatus(await manager.post('/api/channel-partners', { name: uniq('另一渠道商') }), 201);
    otherPartner = await createAccount({ channelPartnerId: p.id });
  });

  it('lists only its partner’s accounts', async () => {
    const body = expectStatus(await channel.get('/api/accounts?pageSize=200'), 200);
    const ids = body.items.map((i: Json) => i.id);
    expect(ids).toContain(mine.id);
    expect(ids).not.toContain(direct.id);
    expect(ids).not.toContain(otherPartner.id);
    expect(body.items.every((i: Json) => i.channelPartnerId === t.w1.partnerId)).toBe(true);
    expect(body.total).toBe(body.items.length);
  });

  it('reads its partner’s account and gets 404 for any other', async () => {
    expect(expectStatus(await channel.get(`/api/accounts/${mine.id}`), 200).channelPartner).toEqual({ id: t.w1.partnerId, name: 'w1 渠道商' });
    expectStatus(await channel.get(`/api/accounts/${direct.id}`), 404);
    expectStatus(await channel.get(`/api/accounts/${otherPartner.id}`), 404);
    expectStatus(await channel.get(`/api/accounts/${w2.account}`), 404);
  });

  it('sees team gaps and tags of its partner’s accounts only', async () => {
    const gaps = expectStatus(await channel.get('/api/accounts/team-gaps'), 200).items.map((i: Json) => i.id);
    expect(gaps).toContain(mine.id);
    expect(gaps).not.toContain(direct.id);
    const tags = expectStatus(await channel.get('/api/tags'), 200).items;
    expect(tags).toContain('渠道可见');
    expect(tags).not.toContain('直销机密');
  });

  it('sees only its partner’s industries and regions in the filter facets', async () => {
    await createAccount({ channelPartnerId: t.w1.partnerId, industry: '渠道行业', region: '渠道区域' });
    await createAccount({ industry: '直销行业', region: '直销区域' });
    const f = expectStatus(await channel.get('/api/accounts/facets'), 200);
    expect(f.industries).toContain('渠道行业');
    expect(f.regions).toContain('渠道区域');
    expect(f.industries).not.toContain('直销行业');
    const all = expectStatus(await admin.get('/api/accounts/facets'), 200);
    expect(all.industries).toEqual(expect.arrayContaining(['渠道行业', '直销行业']));
    expect([...all.regions].sort()).toEqual(all.regions);
    expect(expectStatus(await (await t.as('admin', t.w2)).get('/api/accounts/facets'), 200).industries).not.toContain('直销行业');
  });

  it('cannot write to its partner’s account (403)', async () => {
    const before = await snapshot(mine.id);
    expectStatus(await channel.patch(`/api/accounts/${mine.id}`, { region: '华南' }), 403);
    expectStatus(await channel.post(`/api/accounts/${mine.id}/stage`, { to: 'startup' }), 403);
    expectStatus(await channel.post(`/api/accounts/${mine.id}/contacts`, { name: '张三' }), 403);
    expect(await snapshot(mine.id)).toBe(before);
  });
});

describe('GET /api/accounts/:id (the 360)', () => {
  it('shows tier and reasons, stages, ladder, team, contacts and the relationship map', async () => {
    const a = await createAccount({ onTimePaymentPct: null, prospect: null, profitMarginPct: null });
    const c = await createContact(a.id, { side: 'executive', orgGroups: ['promotion_committee'] });
    expectStatus(
      await sales.post(`/api/accounts/${a.id}/links`, {
        userId: t.w1.users.manager.id,
        ourSide: 'executive',
        contactId: c.id,
        strength: 4,
        lastContactAt: '2026-01-01T00:00:00Z',
      }),
      201,
    );
    const full = await get360(a.id);
    expect(full).toMatchObject({
      id: a.id,
      stage: 'handover',
      daysInStage: 0,
      allowedNextStages: ['startup', 'churn'],
      ladder: 'participant',
      channelPartner: null,
      owner: null,
    });
    expect(full.tierExplanation).toContain('Missing data assumed neutral: credit (on-time payment, 12 months), prospect, profit contribution rank.');
    expect(full.tierExplanation).toContain(`${full.valueScore}`);
    expect(full.contacts).toMatchObject([{ id: c.id, side: 'executive', orgGroups: ['promotion_committee'], hasPortalLogin: false }]);
    expect(full.links).toMatchObject([{ userName: 'w1-manager', contactName: c.name, theirSide: 'executive', strength: 4 }]);
    expect(full.team).toEqual({ sales: null, delivery: null, afterSales: null, csm: null });
    expect(full.teamGaps.length).toBeGreaterThan(0);
    expect(full.relationshipGaps.length).toBeGreaterThan(0);
    expect(full.relationshipGaps.some((g: string) => /not been in touch/.test(g))).toBe(true);
  });

  it('speaks the reader’s language', async () => {
    const a = await createAccount();
    const zh = await t.app.inject({ method: 'GET', url: `/api/accounts/${a.id}`, headers: { cookie: admin.cookie, 'accept-language': 'zh-CN' } });
    // the signed-in user's locale is unset, so the header decides
    expect(zh.json().tierExplanation).toMatch(/当前价值|潜力/);
    expect(zh.json().relationshipGaps).toEqual(['尚未建立任何关系连线。']);
  });

  it('401 without a session; 400 for an id that is not a uuid', async () => {
    expectStatus(await t.anon.get(`/api/accounts/${randomUUID()}`), 401);
    expectField(await sales.get('/api/accounts/not-a-uuid'), 400, 'id');
  });

  it('404 for an unknown id and for an id of another workspace', async () => {
    expectStatus(await sales.get(`/api/accounts/${randomUUID()}`), 404);
    const res = expectStatus(await sales.get(`/api/accounts/${w2.account}`), 404);
    expect(res.error).toBe('not_found');
    expect(res.message).not.toContain('W2');
  });
});

describe('PATCH /api/accounts/:id', () => {
  it('changes details, and the reply and the 360 show them', async () => {
    const a = await createAccount();
    const res = expectStatus(await csm.patch(`/api/accounts/${a.id}`, { region: '华南', tags: ['续约重点'], revenueTargetMinor: 5_000_00 }), 200);
    expect(res).toMatchObject({ region: '华南', tags: ['续约重点'], revenueTargetMinor: 500_000, name: a.name });
    expect(await get360(a.id)).toMatchObject({ region: '华南', tags: ['续约重点'] });
    const e = await expectAudit('account.update', a.id);
    expect(e.before).toMatchObject({ region: '华东' });
    expect(e.after).toMatchObject({ region: '华南' });
  });

  it('an empty patch changes nothing but succeeds', async () => {
    const a = await createAccount();
    expect(expectStatus(await csm.patch(`/api/accounts/${a.id}`, {}), 200)).toMatchObject({ id: a.id, name: a.name, region: a.region });
  });

  it('regrades when a grading input changes, and the reply carries the new tier', async () => {
    const a = await createAccount();
    expect(a.tier).not.toBe('E');
    const res = expectStatus(await sales.patch(`/api/accounts/${a.id}`, { channelPartnerId: t.w1.partnerId }), 200);
    expect(res).toMatchObject({ channelPartnerId: t.w1.partnerId, tier: 'E', modelTier: 'E' });
    const full = await get360(a.id);
    expect(full.tier).toBe('E');
    expect(full.tierHistory[0]).toMatchObject({ fromTier: a.tier, toTier: 'E', source: 'model' });
  });

  it('401, 403 for a delivery engineer, 404 for another workspace (left unchanged)', async () => {
    const a = await createAccount();
    expectStatus(await t.anon.patch(`/api/accounts/${a.id}`, { region: 'x' }), 401);
    expectStatus(await delivery.patch(`/api/accounts/${a.id}`, { region: 'x' }), 403);
    const before = await w2Snapshot();
    expectStatus(await sales.patch(`/api/accounts/${w2.account}`, { region: 'x' }), 404);
    expect(await w2Snapshot()).toBe(before);
  });

  it('400 for bad fields, 409 for a taken name — and nothing changes', async () => {
    const a = await createAccount();
    const b = await createAccount();
    const before = await snapshot(a.id);
    expectField(await sales.patch(`/api/accounts/${a.id}`, { revenueTargetMinor: -100 }), 400, 'revenueTargetMinor');
    expectField(await sales.patch(`/api/accounts/${a.id}`, { orderAmountMinor: 1.25 }), 400, 'orderAmountMinor');
    expectField(await sales.patch(`/api/accounts/${a.id}`, { stage: 'renewal' }), 400, 'stage');
    expectField(await sales.patch(`/api/accounts/${a.id}`, { tier: 'A' }), 400, 'tier');
    expectField(await sales.patch(`/api/accounts/${a.id}`, { tags: 'x' }), 400, 'tags');
    expectField(
      await sales.patch(`/api/accounts/${a.id}`, { ownerId: t.w1.users.sales.id, channelPartnerId: t.w2.partnerId }),
      400,
      'channelPartnerId',
    );
    expectField(await sales.patch(`/api/accounts/${a.id}`, { name: b.name }), 409, 'name');
    expect(await snapshot(a.id)).toBe(before);
  });
});

describe('POST /api/accounts/:id/stage', () => {
  it('moves the stage; the 360 timeline shows it and daysInStage starts again', async () => {
    const a = await createAccount();
    await t.db
      .update(accounts)
      .set({ stageEnteredAt: new Date(Date.now() - 10 * 86_400_000 - 3_600_000) })
      .where(eq(accounts.id, a.id));
    expect((await get360(a.id)).daysInStage).toBe(10);
    const res = expectStatus(await delivery.post(`/api/accounts/${a.id}/stage`, { to: 'startup', note: '启动会已开' }), 200);
    expect(res.stage).toBe('startup');
    const full = await get360(a.id);
    expect(full).toMatchObject({ stage: 'startup', daysInStage: 0, allowedNextStages: ['adaptation', 'churn'] });
    expect(full.stageTimeline).toMatchObject([
      { fromStage: null, toStage: 'handover' },
      { fromStage: 'handover', toStage: 'startup', note: '启动会已开', actorName: 'w1-delivery' },
    ]);
    const e = await expectAudit('account.stage', a.id);
    expect(e).toMatchObject({ before: { stage: 'handover' }, after: { stage: 'startup' } });
  });

  it('walks the whole lifecycle: renewal starts a new adaptation cycle, churn, win-back', async () => {
    const a = await createAccount();
    for (const to of ['startup', 'adaptation', 'renewal', 'adaptation', 'renewal', 'churn', 'handover']) {
      expect(expectStatus(await csm.post(`/api/accounts/${a.id}/stage`, { to }), 200).stage).toBe(to);
    }
    expect((await get360(a.id)).stageTimeline).toHaveLength(8);
  });

  it('409 for an illegal move, with the allowed ones named, and nothing changes', async () => {
    const a = await createAccount();
    const before = await snapshot(a.id);
    const body = expectField(await sales.post(`/api/accounts/${a.id}/stage`, { to: 'renewal' }), 409, 'to');
    expect(body.message).toBe('Cannot move from handover to renewal; allowed next: startup, churn.');
    expectField(await sales.post(`/api/accounts/${a.id}/stage`, { to: 'handover' }), 409, 'to');
    expect(await snapshot(a.id)).toBe(before);
  });

  it('400 for an unknown stage or field; 401; 403 for after-sales; 404 for another workspace', async () => {
    const a = await createAccount();
    expectField(await sales.post(`/api/accounts/${a.id}/stage`, { to: 'won' }), 400, 'to');
    expectField(await sales.post(`/api/accounts/${a.id}/stage`, { to: 'startup', at: '2020-01-01' }), 400, 'at');
    expectStatus(await t.anon.post(`/api/accounts/${a.id}/stage`, { to: 'startup' }), 401);
    expectStatus(await afterSales.post(`/api/accounts/${a.id}/stage`, { to: 'startup' }), 403);
    const before = await w2Snapshot();
    expectStatus(await sales.post(`/api/accounts/${w2.account}/stage`, { to: 'startup' }), 404);
    expect(await w2Snapshot()).toBe(before);
    expect((await get360(a.id)).stage).toBe('handover');
  });
});

describe('POST /api/accounts/:id/ladder', () => {
  it('climbs one step and falls any depth with a reason, all in the history', async () => {
    const a = await createAccount();
    expect(expectStatus(await sales.post(`/api/accounts/${a.id}/ladder`, { to: 'supplier' }), 200).ladder).toBe('supplier');
    await expectAudit('account.ladder', a.id);
    expectStatus(await sales.post(`/api/accounts/${a.id}/ladder`, { to: 'key_supplier' }), 200);
    expect(expectStatus(await csm.post(`/api/accounts/${a.id}/ladder`, { to: 'participant', reason: '客户换帅' }), 200).ladder).toBe('participant');
    expect((await get360(a.id)).ladderHistory).toMatchObject([
      { fromLevel: null, toLevel: 'participant' },
      { fromLevel: 'participant', toLevel: 'supplier' },
      { fromLevel: 'supplier', toLevel: 'key_supplier' },
      { fromLevel: 'key_supplier', toLevel: 'participant', reason: '客户换帅', actorName: 'w1-csm' },
    ]);
  });

  it('409 for a skip; 400 for a fall without a reason; nothing changes', async () => {
    const a = await createAccount();
    expectStatus(await sales.post(`/api/accounts/${a.id}/ladder`, { to: 'supplier' }), 200);
    const before = await snapshot(a.id);
    const skip = expectField(await sales.post(`/api/accounts/${a.id}/ladder`, { to: 'strategic_partner' }), 409, 'to');
    expect(skip.message).toBe('The ladder goes up one step at a time: the next step is key supplier.');
    expectField(await sales.post(`/api/accounts/${a.id}/ladder`, { to: 'participant' }), 400, 'reason');
    expectField(await sales.post(`/api/accounts/${a.id}/ladder`, { to: 'participant', reason: '   ' }), 400, 'reason');
    expectField(await sales.post(`/api/accounts/${a.id}/ladder`, { to: 'supplier' }), 409, 'to');
    expectField(await sales.post(`/api/accounts/${a.id}/ladder`, { to: 'partner' }), 400, 'to');
    expect(await snapshot(a.id)).toBe(before);
  });

  it('401; 403 for delivery; 404 for another workspace', async () => {
    const a = await createAccount();
    expectStatus(await t.anon.post(`/api/accounts/${a.id}/ladder`, { to: 'supplier' }), 401);
    expectStatus(await delivery.post(`/api/accounts/${a.id}/ladder`, { to: 'supplier' }), 403);
    const before = await w2Snapshot();
    expectStatus(await sales.post(`/api/accounts/${w2.account}/ladder`, { to: 'supplier' }), 404);
    expect(await w2Snapshot()).toBe(before);
  });
});

describe('tier override', () => {
  it('is recorded in the tier history and explained; clearing it returns the model tier', async () => {
    const a = await createAccount();
    const to = a.modelTier === 'A' ? 'B' : 'A';
    const res = expectStatus(await manager.post(`/api/accounts/${a.id}/tier-override`, { tier: to, reason: '  集团战略客户  ' }), 200);
    expect(res).toMatchObject({ tier: to, modelTier: a.modelTier, tierOverride: to, tierOverrideReason: '集团战略客户' });
    let full = await get360(a.id);
    expect(full.tierHistory[0]).toMatchObject({ fromTier: a.tier, toTier: to, source: 'override', reason: '集团战略客户', actorName: 'w1-manager' });
    expect(full.tierExplanation).toContain('because: 集团战略客户');
    expect(full.tierExplanation).toContain(`The model says ${a.modelTier}.`);
    const listed = expectStatus(await admin.get(`/api/accounts?q=${encodeURIComponent(a.name)}`), 200).items[0];
    expect(listed).toMatchObject({ tier: to, tierOverridden: true });
    await expectAudit('account.tier_override', a.id);

    // a regrade keeps the override
    expectStatus(await admin.post('/api/grading/recompute'), 200);
    expect((await get360(a.id)).tier).toBe(to);

    const cleared = expectStatus(await admin.del(`/api/accounts/${a.id}/tier-override`), 200);
    expect(cleared).toMatchObject({ tier: a.modelTier, tierOverride: null, tierOverrideReason: null });
    full = await get360(a.id);
    expect(full.tierHistory.find((h: Json) => h.source === 'override_cleared')).toMatchObject({ fromTier: to, toTier: a.modelTier });
    expect(full.tierExplanation).not.toContain('because');
    await expectAudit('account.tier_override.clear', a.id);
  });

  it('400: reason required, E refused, channel accounts refused, the model’s own tier refused — nothing changes', async () => {
    const a = await createAccount();
    const ch = await createAccount({ channelPartnerId: t.w1.partnerId });
    const other = a.modelTier === 'A' ? 'B' : 'A';
    const before = await snapshot(a.id);
    expectField(await manager.post(`/api/accounts/${a.id}/tier-override`, { tier: other, reason: '  ' }), 400, 'reason');
    expectField(await manager.post(`/api/accounts/${a.id}/tier-override`, { tier: other }), 400, 'reason');
    expectField(await manager.post(`/api/accounts/${a.id}/tier-override`, { tier: 'E', reason: 'x' }), 400, 'tier');
    expectField(await manager.post(`/api/accounts/${a.id}/tier-override`, { tier: a.modelTier, reason: 'x' }), 400, 'tier');
    expectField(await manager.post(`/api/accounts/${a.id}/tier-override`, { tier: 'S', reason: 'x' }), 400, 'tier');
    expect(await snapshot(a.id)).toBe(before);
    expectField(await manager.post(`/api/accounts/${ch.id}/tier-override`, { tier: 'A', reason: '大客户' }), 400, 'tier');
    expect((await get360(ch.id)).tier).toBe('E');
  });

  it('an override does not survive the account becoming a channel account', async () => {
    const a = await createAccount();
    const to = a.modelTier === 'A' ? 'B' : 'A';
    expectStatus(await manager.post(`/api/accounts/${a.id}/tier-override`, { tier: to, reason: 'r' }), 200);
    expect(expectStatus(await manager.patch(`/api/accounts/${a.id}`, { channelPartnerId: t.w1.partnerId }), 200)).toMatchObject({
      tier: 'E',
      tierOverride: null,
      tierOverrideReason: null,
    });
  });

  it('409 when clearing an override that is not there', async () => {
    const a = await createAccount();
    const before = await snapshot(a.id);
    expectStatus(await manager.del(`/api/accounts/${a.id}/tier-override`), 409);
    expect(await snapshot(a.id)).toBe(before);
  });

  it('401; 403 for after-sales (set) and sales (clear); 404 for another workspace', async () => {
    const a = await createAccount();
    const to = a.modelTier === 'A' ? 'B' : 'A';
    expectStatus(await t.anon.post(`/api/accounts/${a.id}/tier-override`, { tier: to, reason: 'r' }), 401);
    expectStatus(await t.anon.del(`/api/accounts/${a.id}/tier-override`), 401);
    expectStatus(await afterSales.post(`/api/accounts/${a.id}/tier-override`, { tier: to, reason: 'r' }), 403);
    expectStatus(await manager.post(`/api/accounts/${a.id}/tier-override`, { tier: to, reason: 'r' }), 200);
    expectStatus(await sales.del(`/api/accounts/${a.id}/tier-override`), 403);
    expect((await get360(a.id)).tierOverride).toBe(to);
    const before = await w2Snapshot();
    expectStatus(await manager.post(`/api/accounts/${w2.account}/tier-override`, { tier: 'A', reason: 'r' }), 404);
    expectStatus(await manager.del(`/api/accounts/${w2.account}/tier-override`), 404);
    expect(await w2Snapshot()).toBe(before);
  });
});

describe('PUT /api/accounts/:id/team', () => {
  const team = () => ({
    salesId: t.w1.users.sales.id,
    deliveryId: t.w1.users.delivery.id,
    afterSalesId: t.w1.users.after_sales.id,
    csmId: t.w1.users.csm.id,
  });

  it('sets the iron triangle and CSM; the 360 shows it with no team gaps', async () => {
    const a = await createAccount();
    const res = expectStatus(await manager.put(`/api/accounts/${a.id}/team`, team()), 200);
    expect(res).toMatchObject(team());
    const full = await get360(a.id);
    expect(full.team).toEqual({
      sales: { id: t.w1.users.sales.id, name: 'w1-sales' },
      delivery: { id: t.w1.users.delivery.id, name: 'w1-delivery' },
      afterSales: { id: t.w1.users.after_sales.id, name: 'w1-after_sales' },
      csm: { id: t.w1.users.csm.id, name: 'w1-csm' },
    });
    expect(full.teamGaps).toEqual([]);
    const gaps = expectStatus(await manager.get('/api/accounts/team-gaps'), 200).items.map((i: Json) => i.id);
    expect(gaps).not.toContain(a.id);
    await expectAudit('account.team', a.id);
  });

  it('400 for a seat held by the wrong role or a user of another workspace; nothing changes', async () => {
    const a = await createAccount();
    const before = await snapshot(a.id);
    expectField(await manager.put(`/api/accounts/${a.id}/team`, { ...team(), salesId: t.w1.users.delivery.id }), 400, 'salesId');
    expectField(await manager.put(`/api/accounts/${a.id}/team`, { ...team(), csmId: t.w2.users.csm.id }), 400, 'csmId');
    expectField(await manager.put(`/api/accounts/${a.id}/team`, { salesId: t.w1.users.sales.id }), 400, 'deliveryId');
    expectField(await manager.put(`/api/accounts/${a.id}/team`, { ...team(), expertId: null }), 400, 'expertId');
    expect(await snapshot(a.id)).toBe(before);
  });

  it('401; 403 for sales; 404 for another workspace', async () => {
    const a = await createAccount();
    expectStatus(await t.anon.put(`/api/accounts/${a.id}/team`, team()), 401);
    expectStatus(await sales.put(`/api/accounts/${a.id}/team`, team()), 403);
    const before = await w2Snapshot();
    expectStatus(await manager.put(`/api/accounts/${w2.account}/team`, { salesId: null, deliveryId: null, afterSalesId: null, csmId: null }), 404);
    expect(await w2Snapshot()).toBe(before);
  });
});

describe('GET /api/accounts/team-gaps', () => {
  it('lists accounts missing a required seat, with the reason in words', async () => {
    const a = await createAccount();
    const items = expectStatus(await csm.get('/api/accounts/team-gaps'), 200).items;
    const mine = items.find((i: Json) => i.id === a.id);
    expect(mine).toMatchObject({ name: a.name, tier: a.tier });
    expect(mine.missing).toEqual(expect.arrayContaining(['salesId', 'deliveryId', 'afterSalesId']));
    expect(mine.messages).toContain(`Tier ${a.tier} account without a sales rep.`);
    expect(items.map((i: Json) => i.id)).not.toContain(w2.account);
  });
  it('401 without a session', async () => {
    expectStatus(await t.anon.get('/api/accounts/team-gaps'), 401);
  });
});

describe('contacts', () => {
  it('POST adds a contact; 400 bad email; 401; 403 for an expert; 404 for another workspace', async () => {
    const a = await createAccount();
    const c = expectStatus(
      await csm.post(`/api/accounts/${a.id}/contacts`, {
        name: '李总',
        title: 'CIO',
        email: 'li@cust.test',
        side: 'executive',
        orgGroups: ['promotion_committee', 'promotion_committee', 'rollout'],
      }),
      201,
    );
    expect(c).toMatchObject({
      accountId: a.id,
      name: '李总',
      title: 'CIO',
      side: 'executive',
      orgGroups: ['promotion_committee', 'rollout'],
      isKeyPerson: false,
    });
    await expectAudit('contact.create', c.id);
    expect((await get360(a.id)).contacts.map((x: Json) => x.id)).toEqual([c.id]);
    const before = await snapshot(a.id);
    expectField(await csm.post(`/api/accounts/${a.id}/contacts`, { name: '王', email: 'not-an-email' }), 400, 'email');
    expectField(await csm.post(`/api/accounts/${a.id}/contacts`, { name: '王', side: 'ceo' }), 400, 'side');
    expectField(await csm.post(`/api/accounts/${a.id}/contacts`, { name: '王', orgGroups: ['board'] }), 400, 'orgGroups.0');
    expectStatus(await t.anon.post(`/api/accounts/${a.id}/contacts`, { name: '王' }), 401);
    expectStatus(await expert.post(`/api/accounts/${a.id}/contacts`, { name: '王' }), 403);
    expect(await snapshot(a.id)).toBe(before);
    const w2before = await w2Snapshot();
    expectStatus(await csm.post(`/api/accounts/${w2.account}/contacts`, { name: '王' }), 404);
    expect(await w2Snapshot()).toBe(w2before);
  });

  it('PATCH changes a contact; empty patch is fine; 400; 401; 403; 404 for another workspace', async () => {
    const a = await createAccount();
    const c = await createContact(a.id);
    const res = expectStatus(await sales.patch(`/api/contacts/${c.id}`, { title: '运维总监', side: 'operations_it', phone: '138 0000 0000' }), 200);
    expect(res).toMatchObject({ id: c.id, name: c.name, title: '运维总监', side: 'operations_it', phone: '138 0000 0000' });
    await expectAudit('contact.update', c.id);
    expect(expectStatus(await sales.patch(`/api/contacts/${c.id}`, {}), 200)).toMatchObject({ id: c.id, title: '运维总监' });
    const before = await snapshot(a.id);
    expectField(await sales.patch(`/api/contacts/${c.id}`, { accountId: randomUUID() }), 400, 'accountId');
    expectField(await sales.patch(`/api/contacts/${c.id}`, { name: '' }), 400, 'name');
    expectStatus(await t.anon.patch(`/api/contacts/${c.id}`, { title: 'x' }), 401);
    expectStatus(await expert.patch(`/api/contacts/${c.id}`, { title: 'x' }), 403);
    expect(await snapshot(a.id)).toBe(before);
    const w2before = await w2Snapshot();
    expectStatus(await sales.patch(`/api/contacts/${w2.contact}`, { title: 'x' }), 404);
    expect(await w2Snapshot()).toBe(w2before);
  });

  it('DELETE removes a contact and its links; 401; 403; 404 for another workspace', async () => {
    const a = await createAccount();
    const c = await createContact(a.id);
    expectStatus(
      await sales.post(`/api/accounts/${a.id}/links`, { userId: t.w1.users.sales.id, ourSide: 'sales', contactId: c.id, strength: 2 }),
      201,
    );
    expectStatus(await t.anon.del(`/api/contacts/${c.id}`), 401);
    expectStatus(await expert.del(`/api/contacts/${c.id}`), 403);
    const w2before = await w2Snapshot();
    expectStatus(await sales.del(`/api/contacts/${w2.contact}`), 404);
    expect(await w2Snapshot()).toBe(w2before);
    expect(expectStatus(await sales.del(`/api/contacts/${c.id}`), 200)).toEqual({ ok: true, archived: false });
    await expectAudit('contact.delete', c.id);
    const full = await get360(a.id);
    expect(full.contacts).toEqual([]);
    expect(full.links).toEqual([]);
    expectStatus(await sales.del(`/api/contacts/${c.id}`), 404);
  });
});

describe('key-person logins', () => {
  let account: Json;
  let contact: Json;
  const email = 'kp.li@customer.test';
  const password = 'Portal-pass-2026';

  beforeAll(async () => {
    account = await createAccount();
    contact = await createContact(account.id);
  });

  it('gives a contact a portal login bound to the account', async () => {
    const res = expectStatus(await csm.post(`/api/contacts/${contact.id}/key-person-login`, { email, password }), 201);
    expect(res).toMatchObject({ email, accountId: account.id, contactId: contact.id });
    expect(res).not.toHaveProperty('passwordHash');
    const e = await expectAudit('key_person.create', res.id);
    expect(JSON.stringify(e)).not.toMatch(/scrypt\$/);
    const full = await get360(account.id);
    expect(full.contacts.find((c: Json) => c.id === contact.id)).toMatchObject({ isKeyPerson: true, hasPortalLogin: true });
  });

  it('the key person signs in to the portal and gets 403 on every staff route', async () => {
    const kp = await t.login(email, password, '/api/portal/auth/login');
    expect(expectStatus(await kp.get('/api/auth/me'), 200)).toMatchObject({ kind: 'key_person', account: { id: account.id } });
    expectStatus(await kp.get('/api/accounts'), 403);
    expectStatus(await kp.get(`/api/accounts/${account.id}`), 403);
    expectStatus(await kp.patch(`/api/accounts/${account.id}`, { region: 'x' }), 403);
    expectStatus(await kp.post('/api/accounts', { name: 'kp', industry: 'x', region: 'y' }), 403);
    expectStatus(await kp.post(`/api/accounts/${account.id}/stage`, { to: 'startup' }), 403);
    expectStatus(await kp.get('/api/users'), 403);
    expectStatus(await kp.get('/api/settings/grading'), 403);
    expectStatus(await kp.get('/api/audit'), 403);
    // and cannot sign in to the staff console with the same credentials
    const staffLogin = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
    expect(staffLogin.statusCode).toBe(401);
  });

  it('400 for a weak password or bad email; 409 for a second login or a taken email — nothing changes', async () => {
    const c2 = await createContact(account.id);
    const before = await snapshot(account.id);
    expectField(await csm.post(`/api/contacts/${c2.id}/key-person-login`, { email: 'kp2@customer.test', password: 'short' }), 400, 'password');
    expectField(await csm.post(`/api/contacts/${c2.id}/key-person-login`, { email: 'nope', password }), 400, 'email');
    expectStatus(await csm.post(`/api/contacts/${contact.id}/key-person-login`, { email: 'kp3@customer.test', password }), 409);
    expectField(await csm.post(`/api/contacts/${c2.id}/key-person-login`, { email: t.w1.users.sales.email.toUpperCase(), password }), 409, 'email');
    expectField(await csm.post(`/api/contacts/${c2.id}/key-person-login`, { email: email.toUpperCase(), password }), 409, 'email');
    expect(await snapshot(account.id)).toBe(before);
  });

  it('401; 403 for delivery; 404 for a contact of another workspace', async () => {
    const c3 = await createContact(account.id);
    expectStatus(await t.anon.post(`/api/contacts/${c3.id}/key-person-login`, { email: 'kp4@customer.test', password }), 401);
    expectStatus(await delivery.post(`/api/contacts/${c3.id}/key-person-login`, { email: 'kp4@customer.test', password }), 403);
    const w2before = await w2Snapshot();
    expectStatus(await csm.post(`/api/contacts/${w2.contact}/key-person-login`, { email: 'kp5@customer.test', password }), 404);
    expect(await w2Snapshot()).toBe(w2before);
  });

  it('removing the contact ends the portal login', async () => {
    const c = await createContact(account.id);
    expectStatus(await csm.post(`/api/contacts/${c.id}/key-person-login`, { email: 'kp.gone@customer.test', password }), 201);
    const kp = await t.login('kp.gone@customer.test', password, '/api/portal/auth/login');
    expectStatus(await csm.del(`/api/contacts/${c.id}`), 200);
    expectStatus(await kp.get('/api/auth/me'), 401);
  });
});

describe('relationship links', () => {
  let account: Json;
  let contact: Json;
  beforeAll(async () => {
    account = await createAccount();
    contact = await createContact(account.id, { side: 'executive' });
  });

  it('POST adds a link shown on the map', async () => {
    const res = expectStatus(
      await expert.post(`/api/accounts/${account.id}/links`, {
        userId: t.w1.users.expert.id,
        ourSide: 'service',
        contactId: contact.id,
        strength: 5,
        lastContactAt: '2026-02-01T08:00:00.000Z',
        note: '技术交流',
      }),
      201,
    );
    expect(res).toMatchObject({
      userId: t.w1.users.expert.id,
      ourSide: 'service',
      contactId: contact.id,
      strength: 5,
      lastContactAt: '2026-02-01T08:00:00.000Z',
      note: '技术交流',
    });
    await expectAudit('link.create', res.id);
    expect((await get360(account.id)).links).toMatchObject([
      { id: res.id, userName: 'w1-expert', contactName: contact.name, theirSide: 'executive' },
    ]);
  });

  it('POST: 400 for a contact of another account or a bad strength; 409 for a duplicate; nothing changes', async () => {
    const other = await createAccount();
    const otherContact = await createContact(other.id);
    const before = await snapshot(account.id);
    expectField(
      await sales.post(`/api/accounts/${account.id}/links`, {
        userId: t.w1.users.sales.id,
        ourSide: 'sales',
        contactId: otherContact.id,
        strength: 3,
      }),
      400,
      'contactId',
    );
    expectField(
      await sales.post(`/api/accounts/${account.id}/links`, { userId: t.w1.users.sales.id, ourSide: 'sales', contactId: w2.contact, strength: 3 }),
      400,
      'contactId',
    );
    expectField(
      await sales.post(`/api/accounts/${account.id}/links`, { userId: t.w2.users.sales.id, ourSide: 'sales', contactId: contact.id, strength: 3 }),
      400,
      'userId',
    );
    expectField(
      await sales.post(`/api/accounts/${account.id}/links`, { userId: t.w1.users.sales.id, ourSide: 'sales', contactId: contact.id, strength: 6 }),
      400,
      'strength',
    );
    expectField(
      await sales.post(`/api/accounts/${account.id}/links`, { userId: t.w1.users.sales.id, ourSide: 'sales', contactId: contact.id, strength: 2.5 }),
      400,
      'strength',
    );
    expectField(
      await sales.post(`/api/accounts/${account.id}/links`, { userId: t.w1.users.sales.id, ourSide: 'board', contactId: contact.id, strength: 2 }),
      400,
      'ourSide',
    );
    expectField(
      await sales.post(`/api/accounts/${account.id}/links`, { userId: t.w1.users.expert.id, ourSide: 'sales', contactId: contact.id, strength: 2 }),
      409,
      'contactId',
    );
    expect(await snapshot(account.id)).toBe(before);
  });

  it('POST: 401; 403 for the channel implementer; 404 for another workspace', async () => {
    const body = { userId: t.w1.users.sales.id, ourSide: 'sales', contactId: contact.id, strength: 3 };
    expectStatus(await t.anon.post(`/api/accounts/${account.id}/links`, body), 401);
    const chAccount = await createAccount({ channelPartnerId: t.w1.partnerId });
    const chContact = await createContact(chAccount.id);
    expectStatus(
      await channel.post(`/api/accounts/${chAccount.id}/links`, { ...body, userId: t.w1.users.channel_implementer.id, contactId: chContact.id }),
      403,
    );
    const w2before = await w2Snapshot();
    expectStatus(await sales.post(`/api/accounts/${w2.account}/links`, { ...body, contactId: w2.contact }), 404);
    expect(await w2Snapshot()).toBe(w2before);
  });

  it('PATCH changes a link; 400; 401; 403; 404 for another workspace', async () => {
    const c = await createContact(account.id);
    const l = expectStatus(
      await sales.post(`/api/accounts/${account.id}/links`, { userId: t.w1.users.sales.id, ourSide: 'sales', contactId: c.id, strength: 2 }),
      201,
    );
    const res = expectStatus(await sales.patch(`/api/links/${l.id}`, { strength: 4, lastContactAt: '2026-03-01T00:00:00Z', note: '拜访' }), 200);
    expect(res).toMatchObject({ id: l.id, strength: 4, lastContactAt: '2026-03-01T00:00:00.000Z', note: '拜访', ourSide: 'sales' });
    await expectAudit('link.update', l.id);
    expect(expectStatus(await sales.patch(`/api/links/${l.id}`, {}), 200)).toMatchObject({ id: l.id, strength: 4 });
    const before = await snapshot(account.id);
    expectField(await sales.patch(`/api/links/${l.id}`, { strength: 0 }), 400, 'strength');
    expectField(await sales.patch(`/api/links/${l.id}`, { contactId: contact.id }), 400, 'contactId');
    expectField(await sales.patch(`/api/links/${l.id}`, { lastContactAt: 'yesterday' }), 400, 'lastContactAt');
    expectStatus(await t.anon.patch(`/api/links/${l.id}`, { strength: 1 }), 401);
    expectStatus(await channel.patch(`/api/links/${l.id}`, { strength: 1 }), 403);
    expect(await snapshot(account.id)).toBe(before);
    const w2before = await w2Snapshot();
    expectStatus(await sales.patch(`/api/links/${w2.link}`, { strength: 1 }), 404);
    expect(await w2Snapshot()).toBe(w2before);
  });

  it('DELETE removes a link; 401; 403; 404 for another workspace', async () => {
    const c = await createContact(account.id);
    const l = expectStatus(
      await sales.post(`/api/accounts/${account.id}/links`, { userId: t.w1.users.delivery.id, ourSide: 'delivery', contactId: c.id, strength: 3 }),
      201,
    );
    expectStatus(await t.anon.del(`/api/links/${l.id}`), 401);
    expectStatus(await channel.del(`/api/links/${l.id}`), 403);
    const w2before = await w2Snapshot();
    expectStatus(await sales.del(`/api/links/${w2.link}`), 404);
    expect(await w2Snapshot()).toBe(w2before);
    expect(expectStatus(await delivery.del(`/api/links/${l.id}`), 200)).toEqual({ ok: true });
    await expectAudit('link.delete', l.id);
    expect((await get360(account.id)).links.map((x: Json) => x.id)).not.toContain(l.id);
    expectStatus(await delivery.del(`/api/links/${l.id}`), 404);
  });
});

describe('grading settings', () => {
  const model = {
    valueWeights: { credit: 25, orderAmount: 25, prospect: 0, profit: 50 },
    potentialWeights: { credit: 0, orderAmount: 30, prospect: 70, profit: 0 },
    thresholds: { valueHigh: 100, valueLow: 30, potentialHigh: 90 },
  };

  it('GET returns the model (the default until changed); 401 without a session', async () => {
    // version 0: the workspace is still on the default model (optimistic concurrency, platform/concurrency.ts)
    expect(expectStatus(await delivery.get('/api/settings/grading'), 200)).toEqual({ ...defaultGradingModel, version: 0 });
    expectStatus(await t.anon.get('/api/settings/grading'), 401);
  });

  it('PUT changes the model and regrades every account; the explanation uses the new thresholds', async () => {
    const top = expectStatus(await admin.get('/api/accounts?sort=valueScore&order=desc&pageSize=1'), 200).items[0];
    expect(top.valueScore).toBe(100);
    const total = expectStatus(await admin.get('/api/accounts?pageSize=1'), 200).total;
    const res = expectStatus(await manager.put('/api/settings/grading', model), 200);
    expect(res).toMatchObject({ model, total });
    expect(res.changed).toBeGreaterThanOrEqual(0);
    await expectAudit('grading.model.update');
    expect(expectStatus(await sales.get('/api/settings/grading'), 200)).toEqual({ ...model, version: 1 });
    expect((await get360(top.id)).tierExplanation).toContain('current value 100 ≥ 100');
    // a recompute right after changes nothing
    expect(expectStatus(await admin.post('/api/grading/recompute'), 200)).toEqual({ changed: 0, total });
    await expectAudit('grading.recompute');
    // the other workspace keeps its own model
    expect(expectStatus(await admin2.get('/api/settings/grading'), 200)).toEqual({ ...defaultGradingModel, version: 0 });
    const back = expectStatus(await manager.put('/api/settings/grading', defaultGradingModel), 200);
    expect(back.changed).toBe(res.changed);
  });

  it('400 when an axis does not add up to 100 — the message names the axis — and nothing changes', async () => {
    const before = (await admin.get('/api/settings/grading')).body;
    const audit = await lastAudit();
    const v = expectField(
      await manager.put('/api/settings/grading', { ...model, valueWeights: { credit: 25, orderAmount: 25, prospect: 0, profit: 49 } }),
      400,
      'valueWeights',
    );
    expect(v.message).toBe('The valueWeights weights must add up to 100; they add up to 99.');
    const p = expectField(
      await manager.put('/api/settings/grading', { ...model, potentialWeights: { credit: 50, orderAmount: 30, prospect: 70, profit: 0 } }),
      400,
      'potentialWeights',
    );
    expect(p.message).toContain('potentialWeights');
    expect(p.message).toContain('150');
    expect((await admin.get('/api/settings/grading')).body).toBe(before);
    expect((await lastAudit()).id).toBe(audit.id);
  });

  it('400 for thresholds out of order, bad weights, unknown fields', async () => {
    expectField(
      await manager.put('/api/settings/grading', { ...model, thresholds: { valueHigh: 40, valueLow: 70, potentialHigh: 60 } }),
      400,
      'thresholds',
    );
    expectField(
      await manager.put('/api/settings/grading', { ...model, thresholds: { valueHigh: 50, valueLow: 50, potentialHigh: 60 } }),
      400,
      'thresholds',
    );
    expectField(
      await manager.put('/api/settings/grading', { ...model, valueWeights: { credit: -10, orderAmount: 60, prospect: 0, profit: 50 } }),
      400,
      'valueWeights.credit',
    );
    expectField(
      await manager.put('/api/settings/grading', { ...model, valueWeights: { credit: 25.5, orderAmount: 24.5, prospect: 0, profit: 50 } }),
      400,
      'valueWeights.credit',
    );
    expectField(await manager.put('/api/settings/grading', { ...model, valueWeights: { ...model.valueWeights, loyalty: 0 } }), 400, 'loyalty');
    expectField(
      await manager.put('/api/settings/grading', { valueWeights: model.valueWeights, potentialWeights: model.potentialWeights }),
      400,
      'thresholds',
    );
    expect(expectStatus(await admin.get('/api/settings/grading'), 200)).toEqual({ ...defaultGradingModel, version: 2 });
  });

  it('PUT: 401; 403 for sales', async () => {
    expectStatus(await t.anon.put('/api/settings/grading', model), 401);
    expectStatus(await sales.put('/api/settings/grading', model), 403);
    expect(expectStatus(await admin.get('/api/settings/grading'), 200)).toEqual({ ...defaultGradingModel, version: 2 });
  });

  it('POST /api/grading/recompute: 401; 403 for a CSM', async () => {
    expectStatus(await t.anon.post('/api/grading/recompute'), 401);
    expectStatus(await csm.post('/api/grading/recompute'), 403);
  });
});

describe('segments and tags', () => {
  let a: Json;
  beforeAll(async () => {
    a = await createAccount({ region: '东北', tags: ['分群测试'] });
  });

  it('POST creates a segment; the account list filters by it', async () => {
    const s = expectStatus(
      await csm.post('/api/segments', {
        name: '东北分群',
        description: '东北的客户',
        rules: [
          { field: 'region', values: ['东北'] },
          { field: 'tag', values: ['分群测试'] },
        ],
      }),
      201,
    );
    expect(s).toMatchObject({
      name: '东北分群',
      description: '东北的客户',
      rules: [
        { field: 'region', values: ['东北'] },
        { field: 'tag', values: ['分群测试'] },
      ],
    });
    await expectAudit('segment.create', s.id);
    const listed = expectStatus(await sales.get(`/api/accounts?segmentId=${s.id}`), 200);
    expect(listed.items.map((i: Json) => i.id)).toEqual([a.id]);
    expect(expectStatus(await delivery.get('/api/segments'), 200).items.map((x: Json) => x.id)).toContain(s.id);
  });

  it('a segment whose conditions cannot both hold lists nothing', async () => {
    const s = expectStatus(
      await csm.post('/api/segments', {
        name: uniq('矛盾'),
        rules: [
          { field: 'tier', values: ['A'] },
          { field: 'tier', values: ['B'] },
        ],
      }),
      201,
    );
    expect(expectStatus(await sales.get(`/api/accounts?segmentId=${s.id}`), 200)).toMatchObject({ total: 0, items: [] });
  });

  it('POST: 400 for a value the field cannot take, no rules, unknown fields; 409 for a taken name; 401; 403 for delivery', async () => {
    expectField(await csm.post('/api/segments', { name: uniq('s'), rules: [{ field: 'tier', values: ['Z'] }] }), 400, 'rules.0.values');
    expectField(await csm.post('/api/segments', { name: uniq('s'), rules: [] }), 400, 'rules');
    expectField(await csm.post('/api/segments', { name: uniq('s'), rules: [{ field: 'password', values: ['x'] }] }), 400, 'rules.0.field');
    expectField(await csm.post('/api/segments', { name: uniq('s'), rules: [{ field: 'tier', values: ['A'] }], owner: 'me' }), 400, 'owner');
    expectField(await csm.post('/api/segments', { name: '东北分群', rules: [{ field: 'tier', values: ['A'] }] }), 409, 'name');
    expectStatus(await t.anon.post('/api/segments', { name: uniq('s'), rules: [{ field: 'tier', values: ['A'] }] }), 401);
    expectStatus(await delivery.post('/api/segments', { name: uniq('s'), rules: [{ field: 'tier', values: ['A'] }] }), 403);
    // the name is per workspace
    expectStatus(await admin2.post('/api/segments', { name: '东北分群', rules: [{ field: 'tier', values: ['A'] }] }), 201);
  });

  it('PATCH changes a segment; 409 for a taken name; 401; 403; 404 for another workspace', async () => {
    const s = expectStatus(await csm.post('/api/segments', { name: uniq('改'), rules: [{ field: 'tier', values: ['A'] }] }), 201);
    const res = expectStatus(await csm.patch(`/api/segments/${s.id}`, { rules: [{ field: 'stage', values: ['renewal', 'churn'] }] }), 200);
    expect(res).toMatchObject({ id: s.id, name: s.name, rules: [{ field: 'stage', values: ['renewal', 'churn'] }] });
    await expectAudit('segment.update', s.id);
    expect(expectStatus(await csm.patch(`/api/segments/${s.id}`, {}), 200)).toMatchObject({ id: s.id, name: s.name });
    const before = (await csm.get('/api/segments')).body;
    expectField(await csm.patch(`/api/segments/${s.id}`, { name: '东北分群' }), 409, 'name');
    expectField(await csm.patch(`/api/segments/${s.id}`, { rules: [{ field: 'stage', values: ['done'] }] }), 400, 'rules.0.values');
    expectStatus(await t.anon.patch(`/api/segments/${s.id}`, { name: 'x' }), 401);
    expectStatus(await delivery.patch(`/api/segments/${s.id}`, { name: 'x' }), 403);
    expect((await csm.get('/api/segments')).body).toBe(before);
    const w2before = await w2Snapshot();
    expectStatus(await csm.patch(`/api/segments/${w2.segment}`, { name: '偷改' }), 404);
    expect(await w2Snapshot()).toBe(w2before);
  });

  it('DELETE removes a segment; 401; 403; 404 for another workspace', async () => {
    const s = expectStatus(await csm.post('/api/segments', { name: uniq('删'), rules: [{ field: 'tier', values: ['A'] }] }), 201);
    expectStatus(await t.anon.del(`/api/segments/${s.id}`), 401);
    expectStatus(await delivery.del(`/api/segments/${s.id}`), 403);
    const w2before = await w2Snapshot();
    expectStatus(await csm.del(`/api/segments/${w2.segment}`), 404);
    expect(await w2Snapshot()).toBe(w2before);
    expect(expectStatus(await csm.del(`/api/segments/${s.id}`), 200)).toEqual({ ok: true });
    await expectAudit('segment.delete', s.id);
    expect(expectStatus(await csm.get('/api/segments'), 200).items.map((x: Json) => x.id)).not.toContain(s.id);
    expectStatus(await csm.del(`/api/segments/${s.id}`), 404);
    expectStatus(await sales.get(`/api/accounts?segmentId=${s.id}`), 404);
  });

  it('GET /api/segments: 401', async () => {
    expectStatus(await t.anon.get('/api/segments'), 401);
  });

  it('GET /api/tags lists the workspace’s tags only; 401', async () => {
    const tags = expectStatus(await expert.get('/api/tags'), 200).items;
    expect(tags).toContain('分群测试');
    expect(tags).not.toContain('w2-only');
    expect([...tags].sort()).toEqual(tags);
    expectStatus(await t.anon.get('/api/tags'), 401);
  });
});

describe('every account and contact write leaves an audit entry', () => {
  it('the account’s trail, newest first, has one entry per write', async () => {
    const a = await createAccount();
    await manager.patch(`/api/accounts/${a.id}`, { region: '华中' });
    await manager.post(`/api/accounts/${a.id}/stage`, { to: 'startup' });
    await manager.post(`/api/accounts/${a.id}/ladder`, { to: 'supplier' });
    await manager.post(`/api/accounts/${a.id}/tier-override`, { tier: a.modelTier === 'A' ? 'B' : 'A', reason: 'r' });
    await manager.del(`/api/accounts/${a.id}/tier-override`);
    await manager.put(`/api/accounts/${a.id}/team`, { salesId: t.w1.users.sales.id, deliveryId: null, afterSalesId: null, csmId: null });
    // failed writes add nothing
    await manager.post(`/api/accounts/${a.id}/stage`, { to: 'renewal' });
    await manager.post(`/api/accounts/${a.id}/ladder`, { to: 'strategic_partner' });
    const items = expectStatus(await admin.get(`/api/audit?entityType=account&entityId=${a.id}`), 200).items;
    expect(items.map((i: Json) => i.action)).toEqual([
      'account.team',
      'account.tier_override.clear',
      'account.tier_override',
      'account.ladder',
      'account.stage',
      'account.update',
      'account.create',
    ]);
    expect(items.every((i: Json) => i.actorName === 'w1-manager' || i.action === 'account.create')).toBe(true);
  });
});

describe('every route needs a session', () => {
  const publicRoutes = new Set([
    'POST /api/auth/login',
    'POST /api/portal/auth/login',
    'GET /api/health',
    'POST /api/portal/auth/accept-invite',
    'POST /api/portal/auth/reset-request',
    'POST /api/portal/auth/reset',
    'GET /api/setup',
    'POST /api/setup',
    'POST /api/auth/accept-invite',
    'POST /api/auth/reset',
    'POST /api/auth/forgot',
    'GET /api/auth/sso/{workspace}',
    'GET /api/auth/sso/{workspace}/start',
    'GET /api/auth/sso/callback',
    // the one-click unsubscribe link of outreach mail (a signed token, no session)
    'GET /api/outreach/unsubscribe',
    'POST /api/outreach/unsubscribe',
    // its signed tracking links: the open pixel, a tracked link, a person's referral page and form
    'GET /api/outreach/o/{token}',
    'GET /api/outreach/c/{token}',
    'GET /api/outreach/ref/{token}',
    'POST /api/outreach/ref/{token}',
  ]);

  it('each non-public /api/ route in the OpenAPI document answers 401 without one', async () => {
    const doc = expectStatus(await t.anon.get('/api/openapi.json'), 200);
    const routes: [string, string][] = [];
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
      for (const method of Object.keys(ops)) {
        if (['get', 'post', 'put', 'patch', 'delete'].includes(method)) routes.push([method.toUpperCase(), path]);
      }
    }
    // both modules' routes are in the document
    const names = routes.map(([m, p]) => `${m} ${p}`);
    for (const r of [
      'GET /api/accounts',
      'PUT /api/accounts/{id}/team',
      'POST /api/contacts/{id}/key-person-login',
      'PATCH /api/links/{id}',
      'DELETE /api/segments/{id}',
      'PUT /api/settings/grading',
      'POST /api/users',
      'PUT /api/teams/{id}/members',
      'PATCH /api/settings/workspace',
    ]) {
      expect(names).toContain(r);
    }
    const checked: string[] = [];
    for (const [method, path] of routes) {
      if (!path.startsWith('/api/') || publicRoutes.has(`${method} ${path}`)) continue;
      const url = path.replace(/\{[^}]+\}/g, () => randomUUID());
      const res = await t.app.inject({ method: method as 'GET', url, ...(method === 'GET' || method === 'DELETE' ? {} : { payload: {} }) });
      expect(res.statusCode, `${method} ${path} → ${res.statusCode} ${res.body}`).toBe(401);
      expect(res.json().error).toBe('unauthenticated');
      checked.push(`${method} ${path}`);
    }
    expect(checked.length).toBeGreaterThanOrEqual(35);
    expect((await t.anon.get('/api/health')).statusCode).toBe(200);
  });

  it('a forged or expired session cookie is no session', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/accounts', headers: { cookie: 'kw_sid=forged-session-id' } });
    expect(res.statusCode).toBe(401);
  });
});

describe('bulk actions on a selection', () => {
  it('move the stage of each selected account as one by one: done, refused with the reason, the other workspace left alone', async () => {
    const [a, b] = [await createAccount(), await createAccount()];
    const w2Before = await w2Snapshot();
    const res = expectStatus(await sales.post('/api/accounts/bulk/stage', { ids: [a.id, w2.account, b.id], to: 'startup', note: '批量' }), 200);
    expect(res.done).toEqual([a.id, b.id]);
    expect(res.refused).toEqual([{ id: w2.account, reason: expect.stringMatching(/not found/) }]);
    expect(expectStatus(await sales.get(`/api/accounts?ids=${a.id},${b.id}`), 200).items.map((x: Json) => x.stage)).toEqual(['startup', 'startup']);
    // an illegal move is a refused row worded as the single action words it; the legal one still happens
    const c = await createAccount();
    const mixed = expectStatus(await sales.post('/api/accounts/bulk/stage', { ids: [a.id, c.id], to: 'startup' }), 200);
    expect(mixed.done).toEqual([c.id]);
    expect(mixed.refused[0].id).toBe(a.id);
    expect(mixed.refused[0].reason).toMatch(/already/);
    expect(await w2Snapshot()).toBe(w2Before);
    expectStatus(await channel.post('/api/accounts/bulk/stage', { ids: [a.id], to: 'startup' }), 403);
  });

  it('add a tag to each selected account (kept once); 400 naming the field; the selection exports alone', async () => {
    const [a, b, other] = [await createAccount({ tags: ['老客户'] }), await createAccount(), await createAccount()];
    const w2Before = await w2Snapshot();
    const res = expectStatus(await sales.post('/api/accounts/bulk/tag', { ids: [a.id, b.id, a.id, w2.account], tag: '重点跟进' }), 200);
    expect(res.done).toEqual([a.id, b.id]);
    expect(res.refused.map((x: Json) => x.id)).toEqual([w2.account]);
    expectStatus(await sales.post('/api/accounts/bulk/tag', { ids: [a.id], tag: '重点跟进' }), 200);
    const listed = expectStatus(await sales.get(`/api/accounts?ids=${a.id},${b.id}&sort=name`), 200).items as Json[];
    expect(listed.find((x) => x.id === a.id)!.tags).toEqual(['老客户', '重点跟进']);
    expect(listed.find((x) => x.id === b.id)!.tags).toEqual(['重点跟进']);
    expect(await w2Snapshot()).toBe(w2Before);
    expectField(await sales.post('/api/accounts/bulk/tag', { ids: [], tag: 'x' }), 400, 'ids');
    expectField(await sales.post('/api/accounts/bulk/tag', { ids: Array.from({ length: 201 }, () => a.id), tag: 'x' }), 400, 'ids');
    expectField(await sales.post('/api/accounts/bulk/tag', { ids: [a.id], tag: '' }), 400, 'tag');
    expectField(await sales.post('/api/accounts/bulk/stage', { ids: [a.id], to: 'nowhere' }), 400, 'to');
    expectStatus(await channel.post('/api/accounts/bulk/tag', { ids: [a.id], tag: 'x' }), 403);
    // the export of a selection: those accounts, not the rest of the list
    const csv = (await sales.get(`/api/accounts/export?ids=${a.id},${b.id}`)).body;
    expect(csv).toContain(a.name);
    expect(csv).toContain(b.name);
    expect(csv).not.toContain(other.name);
    expectField(await sales.get('/api/accounts?ids=not-a-uuid'), 400, /ids/);
  });
});
