import { and, eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectStatus, type Json } from '../../test/fixtures.js';
import { startTestApp, type Client, type TestApp } from '../../test/harness.js';
import { outreachPersonTags } from './outreach.table.js';

let t: TestApp;
let manager: Client, sales: Client, delivery: Client, admin2: Client, kp: Client;
const PW = 'Portal-pass-2026';
const fieldsOf = (body: Json) => (body.fields ?? []).map((f: Json) => f.field as string);
const ids: Record<string, string> = {};
const day = (d: number) => DateTime.now().plus({ days: d }).toISODate()!;

async function account(name: string, tags: string[] = []) {
  return expectStatus(await sales.post('/api/accounts', { name, industry: '零售', region: '华东', tags }), 201).id as string;
}
async function contact(accountId: string, name: string, email: string | null) {
  return expectStatus(await sales.post(`/api/accounts/${accountId}/contacts`, { name, email }), 201).id as string;
}
function upload(client: Client, url: string, filename: string, content: string) {
  const boundary = '----kwpeople';
  const payload =
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: text/csv\r\n\r\n` +
    `${content}\r\n--${boundary}--\r\n`;
  return t.app.inject({
    method: 'POST',
    url,
    headers: {
      cookie: client.cookie,
      'x-csrf-token': client.csrf,
      'content-type': `multipart/form-data; boundary=${boundary}`,
      'accept-language': 'en',
    },
    payload,
  });
}
const portrait = async (id: string, as: Client = sales) => expectStatus(await as.get(`/api/outreach/people/${id}`), 200);

beforeAll(async () => {
  t = await startTestApp();
  [manager, sales, delivery, admin2] = await Promise.all([t.as('manager'), t.as('sales'), t.as('delivery'), t.as('admin', t.w2)]);
  ids.acc = await account('画像客户甲', ['会员']);
  ids.zhang = await contact(ids.acc, '张三', 'zhang@people.test');
  ids.li = await contact(ids.acc, '李四', 'li@people.test');
  ids.accB = await account('画像客户乙');
  ids.wang = await contact(ids.accB, '王五', 'wang@people.test');
  ids.accW2 = expectStatus(await admin2.post('/api/accounts', { name: '别家客户', industry: '零售', region: '华东' }), 201).id;
  ids.other = expectStatus(await admin2.post(`/api/accounts/${ids.accW2}/contacts`, { name: '别家人', email: 'x@w2.test' }), 201).id;
  // 张三 is a key person: a portal login of account 甲 (key tier)
  expectStatus(await manager.post(`/api/accounts/${ids.acc}/tier-override`, { tier: 'A', reason: '测试需要' }), 200);
  expectStatus(await sales.post(`/api/contacts/${ids.zhang}/key-person-login`, { email: 'zhang-kp@people.test', password: PW }), 201);
  kp = await t.login('zhang-kp@people.test', PW, '/api/portal/auth/login');
});
afterAll(() => t?.close());

describe('people list and portrait', () => {
  it('lists the people with stage and tags, filters by text and account; delivery may not read', async () => {
    const all = expectStatus(await sales.get('/api/outreach/people'), 200);
    expect(all.items.map((p: Json) => p.name).sort()).toEqual(['张三', '李四', '王五'].sort());
    expect(all.items.every((p: Json) => p.stage === null && p.tags.length === 0)).toBe(true);
    expect(expectStatus(await sales.get('/api/outreach/people?q=zhang'), 200).items.map((p: Json) => p.name)).toEqual(['张三']);
    expect(expectStatus(await sales.get(`/api/outreach/people?accountId=${ids.accB}`), 200).total).toBe(1);
    expect(fieldsOf(expectStatus(await sales.get('/api/outreach/people?stage=vip'), 400))).toContain('stage');
    expectStatus(await delivery.get('/api/outreach/people'), 403);
    const p = await portrait(ids.zhang);
    expect(p).toMatchObject({ contact: { name: '张三' }, account: { name: '画像客户甲' }, stage: null, timeZone: null, version: 1, tags: [] });
    expect(p.consents).toEqual({ email: null, portal: null });
  });

  it("another workspace's person is not found, for reading and every change", async () => {
    expectStatus(await sales.get(`/api/outreach/people/${ids.other}`), 404);
    expectStatus(await sales.put(`/api/outreach/people/${ids.other}`, { stage: 'interest', timeZone: null, version: 1 }), 404);
    expectStatus(await sales.post(`/api/outreach/people/${ids.other}/tags`, { tag: '窥探' }), 404);
    expectStatus(await sales.del(`/api/outreach/people/${ids.other}/tags?tag=x`), 404);
    expect(expectStatus(await admin2.get('/api/outreach/people'), 200).items.map((p: Json) => p.name)).toEqual(['别家人']);
  });
});

describe('stage and time zone', () => {
  it('sets the stage from a version (history says who), refuses a stale version (412), a bad zone or stage (400)', async () => {
    expect(
      fieldsOf(expectStatus(await sales.put(`/api/outreach/people/${ids.li}`, { stage: 'interest', timeZone: 'Mars/Base', version: 1 }), 400)),
    ).toEqual(['timeZone']);
    expect(fieldsOf(expectStatus(await sales.put(`/api/outreach/people/${ids.li}`, { stage: 'vip', timeZone: null, version: 1 }), 400))).toContain(
      'stage',
    );
    const p = expectStatus(
      await sales.put(`/api/outreach/people/${ids.li}`, { stage: 'purchase', timeZone: 'Europe/Berlin', note: '电话确认', version: 1 }),
      200,
    );
    expect(p).toMatchObject({ stage: 'purchase', timeZone: 'Europe/Berlin', version: 2 });
    expect(p.stageHistory).toEqual([
      expect.objectContaining({ from: null, to: 'purchase', source: 'staff', by: t.w1.users.sales.name, note: '电话确认' }),
    ]);
    expectStatus(await manager.put(`/api/outreach/people/${ids.li}`, { stage: 'loyalty', timeZone: null, version: 1 }), 412);
    // staff may move back; the history keeps both moves
    const back = expectStatus(await manager.put(`/api/outreach/people/${ids.li}`, { stage: 'interest', timeZone: 'Europe/Berlin', version: 2 }), 200);
    expect(back.stageHistory.map((m: Json) => [m.from, m.to])).toEqual([
      ['purchase', 'interest'],
      [null, 'purchase'],
    ]);
    expectStatus(await delivery.put(`/api/outreach/people/${ids.li}`, { stage: 'loyalty', timeZone: null, version: 3 }), 403);
  });
});

describe('manual tags', () => {
  it('adds a tag with who and note, refuses a repeat (409) and an empty one (400), removes it', async () => {
    const added = expectStatus(await sales.post(`/api/outreach/people/${ids.wang}/tags`, { tag: ' 高 价值 ', note: '展会认识' }), 201);
    expect(added.items).toEqual([
      expect.objectContaining({ tag: '高 价值', source: 'manual', note: '展会认识', by: t.w1.users.sales.name, evidence: null }),
    ]);
    expectStatus(await sales.post(`/api/outreach/people/${ids.wang}/tags`, { tag: '高 价值' }), 409);
    expect(fieldsOf(expectStatus(await sales.post(`/api/outreach/people/${ids.wang}/tags`, { tag: '   ' }), 400))).toContain('tag');
    expectStatus(await sales.post(`/api/outreach/people/${ids.wang}/tags`, { tag: '临时' }), 201);
    expect(
      expectStatus(await sales.del(`/api/outreach/people/${ids.wang}/tags?tag=${encodeURIComponent('临时')}`), 200).items.map((x: Json) => x.tag),
    ).toEqual(['高 价值']);
    expectStatus(await sales.del(`/api/outreach/people/${ids.wang}/tags?tag=${encodeURIComponent('临时')}`), 404);
    const byTag = expectStatus(await sales.get(`/api/outreach/people?tag=${encodeURIComponent('高 价值')}`), 200);
    expect(byTag.items.map((p: Json) => p.name)).toEqual(['王五']);
    expect(expectStatus(await sales.get('/api/outreach/person-tags'), 200).items).toEqual([{ tag: '高 价值', count: 1 }]);
  });
});

describe('import', () => {
  it('is all or nothing: a bad row names its line and field and nothing is written', async () => {
    const bad = expectStatus(
      await upload(
        manager,
        '/api/outreach/people-import',
        'people.csv',
        'Email,Tags,To-C stage\nli@people.test,导入A,loyalty\nnobody@people.test,导入A,\n',
      ),
      400,
    );
    expect(bad.fields).toEqual([expect.objectContaining({ row: 3, field: 'email' })]);
    expect((await portrait(ids.li)).tags).toEqual([]);
    expectStatus(await upload(sales, '/api/outreach/people-import', 'people.csv', 'Email,Tags\nli@people.test,导入A\n'), 403);
  });

  it('tags by email or id and moves stages forward only', async () => {
    const ok = expectStatus(
      await upload(
        manager,
        '/api/outreach/people-import',
        'people.csv',
        `Contact ID,Email,Tags,To-C stage\n,LI@people.test,导入A;导入B,repurchase\n${ids.wang},,导入A,contact\n`,
      ),
      200,
    );
    expect(ok).toEqual({ rows: 2, people: 2, tags: 3, stagesMoved: 2 });
    const li = await portrait(ids.li);
    expect(li.stage).toBe('repurchase');
    expect(li.stageHistory[0]).toMatchObject({ from: 'interest', to: 'repurchase', source: 'import', note: 'people.csv' });
    expect(li.tags.map((x: Json) => [x.tag, x.source])).toEqual([
      ['导入A', 'import'],
      ['导入B', 'import'],
    ]);
    // a second import refreshes, never doubles, and never moves a stage back
    const again = expectStatus(
      await upload(manager, '/api/outreach/people-import', 'again.csv', 'Email,Tags,To-C stage\nli@people.test,导入A,interest\n'),
      200,
    );
    expect(again.stagesMoved).toBe(0);
    const li2 = await portrait(ids.li);
    expect(li2.stage).toBe('repurchase');
    expect(li2.tags.filter((x: Json) => x.tag === '导入A')).toEqual([expect.objectContaining({ note: 'again.csv' })]);
  });
});

describe('behaviour rules', () => {
  it('CRUD from a version, 400 naming the field, 412 when stale, leads only', async () => {
    const body = { name: '常看门户', kind: 'portal_views', minCount: 2, days: 30, tag: '门户活跃' };
    expect(fieldsOf(expectStatus(await manager.post('/api/outreach/tag-rules', { ...body, days: 0 }), 400))).toContain('days');
    expect(fieldsOf(expectStatus(await manager.post('/api/outreach/tag-rules', { ...body, kind: 'likes' }), 400))).toContain('kind');
    expectStatus(await sales.post('/api/outreach/tag-rules', body), 403);
    const r = expectStatus(await manager.post('/api/outreach/tag-rules', body), 201);
    expect(r).toMatchObject({ ...body, stage: null, enabled: true, version: 1, lastRunAt: null });
    ids.viewsRule = r.id;
    expect(expectStatus(await manager.put(`/api/outreach/tag-rules/${r.id}`, { ...body, minCount: 3, version: 1 }), 200).version).toBe(2);
    expectStatus(await manager.put(`/api/outreach/tag-rules/${r.id}`, { ...body, minCount: 2, version: 1 }), 412);
    expect(expectStatus(await sales.get('/api/outreach/tag-rules'), 200).items).toHaveLength(1);
    expectStatus(await admin2.get(`/api/outreach/tag-rules/${r.id}`), 404);
    expectStatus(await admin2.put(`/api/outreach/tag-rules/${r.id}`, { ...body, version: 2 }), 404);
    const gone = expectStatus(await manager.post('/api/outreach/tag-rules', { ...body, name: '删掉' }), 201);
    expectStatus(await manager.del(`/api/outreach/tag-rules/${gone.id}`), 200);
    expectStatus(await manager.get(`/api/outreach/tag-rules/${gone.id}`), 404);
  });

  it('a run tags who matches with the evidence, removes the tag when the behaviour no longer matches, never touches manual tags', async () => {
    // 张三 (key person) views the portal 3 times: the rule (≥ 3 in 30 days) matches
    for (const page of ['home', 'value', 'catalog']) expectStatus(await kp.post('/api/portal/views', { page }), 200);
    expectStatus(await sales.post(`/api/outreach/people/${ids.zhang}/tags`, { tag: '门户活跃', note: '手动也有' }), 201);
    const run = expectStatus(await manager.post('/api/outreach/tag-rules/run'), 200);
    expect(run).toMatchObject({ rules: 1, added: 1, removed: 0 });
    const p = await portrait(ids.zhang);
    const ruleTag = p.tags.find((x: Json) => x.source === 'rule');
    expect(ruleTag).toMatchObject({ tag: '门户活跃', ruleId: ids.viewsRule, ruleName: '常看门户' });
    expect(ruleTag.evidence).toMatchObject({ kind: 'portal_views', count: 3, minCount: 3, days: 30 });
    expect(Date.parse(ruleTag.evidence.lastAt)).toBeGreaterThan(Date.now() - 60_000);
    expect((await portrait(ids.li)).tags.some((x: Json) => x.source === 'rule')).toBe(false);
    // the threshold rises above what 张三 did: the rule tag goes, the manual one stays
    const r = expectStatus(await manager.get(`/api/outreach/tag-rules/${ids.viewsRule}`), 200);
    expect(r.lastRunAt).not.toBeNull();
    expectStatus(
      await manager.put(`/api/outreach/tag-rules/${ids.viewsRule}`, {
        name: r.name,
        kind: r.kind,
        minCount: 4,
        days: 30,
        tag: r.tag,
        version: r.version,
      }),
      200,
    );
    expect(expectStatus(await manager.post('/api/outreach/tag-rules/run'), 200)).toMatchObject({ removed: 1, added: 0 });
    const after = await portrait(ids.zhang);
    expect(after.tags.map((x: Json) => [x.tag, x.source])).toEqual([['门户活跃', 'manual']]);
    const rows = await t.db
      .select()
      .from(outreachPersonTags)
      .where(and(eq(outreachPersonTags.workspaceId, t.w1.id), eq(outreachPersonTags.contactId, ids.zhang)));
    expect(rows.map((x) => x.source)).toEqual(['manual']);
  });

  it('purchases move the stage forward (first → purchase, second → repurchase) and tickets count per requester', async () => {
    const rule = (name: string, minCount: number, tag: string, stage: string) =>
      manager.post('/api/outreach/tag-rules', { name, kind: 'purchases', minCount, days: 365, tag, stage });
    expectStatus(await rule('首购', 1, '已购买', 'purchase'), 201);
    expectStatus(await rule('复购', 2, '复购客户', 'repurchase'), 201);
    expectStatus(await manager.post('/api/outreach/tag-rules', { name: '报修多', kind: 'tickets', minCount: 1, days: 30, tag: '常报修' }), 201);
    const contract = (number: string) => ({
      number,
      title: `${number} 合同`,
      amountMinor: 1_000_000,
      signedOn: day(-10),
      startsOn: day(-5),
      endsOn: day(300),
    });
    expectStatus(await sales.post(`/api/accounts/${ids.accB}/contracts`, contract('PP-1')), 201);
    expectStatus(
      await kp.post('/api/portal/tickets', { title: '打不开', description: '门户打不开', kind: 'product_issue', severity: 'medium' }),
      201,
    );
    await manager.post('/api/outreach/tag-rules/run');
    const wang = await portrait(ids.wang);
    expect(wang.stage).toBe('purchase');
    expect(wang.stageHistory[0]).toMatchObject({ from: 'contact', to: 'purchase', source: 'rule', ruleName: '首购' });
    const bought = wang.tags.find((x: Json) => x.tag === '已购买');
    expect(bought.evidence).toMatchObject({ kind: 'purchases', count: 1, days: 365 });
    expect(wang.tags.some((x: Json) => x.tag === '复购客户')).toBe(false);
    expect((await portrait(ids.zhang)).tags.find((x: Json) => x.tag === '常报修')?.evidence).toMatchObject({ kind: 'tickets', count: 1 });

    expectStatus(await sales.post(`/api/accounts/${ids.accB}/contracts`, contract('PP-2')), 201);
    await manager.post('/api/outreach/tag-rules/run');
    const wang2 = await portrait(ids.wang);
    expect(wang2.stage).toBe('repurchase');
    expect(wang2.stageHistory.map((m: Json) => [m.to, m.source])).toEqual([
      ['repurchase', 'rule'],
      ['purchase', 'rule'],
      ['contact', 'import'],
    ]);
    // 李四 is at repurchase by import: a rule never moves anyone back
    expect((await portrait(ids.li)).stage).toBe('repurchase');
  });
});

describe('campaign audience by person tags and stages', () => {
  it('selects exactly the people carrying the tags and at the stages, alone or narrowing a segment', async () => {
    const campaign = async (audience: Json) =>
      expectStatus(
        await manager.post('/api/outreach/campaigns', { name: `人群 ${Math.random()}`, audience, subject: '{{name}} 您好', body: '新品' }),
        201,
      );
    const reached = async (audience: Json) => {
      const c = await campaign(audience);
      const pv = expectStatus(await manager.get(`/api/outreach/campaigns/${c.id}/preview?pageSize=200`), 200);
      return pv.people.map((p: Json) => p.name).sort();
    };
    expect(await reached({ personTags: ['导入A'] })).toEqual(['李四', '王五'].sort());
    expect(await reached({ personStages: ['repurchase'] })).toEqual(['李四', '王五'].sort());
    expect(await reached({ personTags: ['导入B'], personStages: ['repurchase'] })).toEqual(['李四']);
    // a segment (accounts tagged 会员: 张三 and 李四) narrowed by a tag
    expect(await reached({ conditions: [{ field: 'tag', values: ['会员'] }], personTags: ['导入A'] })).toEqual(['李四']);
    expect(await reached({ personTags: ['无人有'] })).toEqual([]);
    expect(
      fieldsOf(
        expectStatus(await manager.post('/api/outreach/campaigns', { name: 'x', audience: { personStages: ['vip'] }, subject: 's', body: 'b' }), 400),
      ),
    ).toContain('audience.personStages.0');
    expect(
      fieldsOf(expectStatus(await manager.post('/api/outreach/campaigns', { name: 'x', audience: {}, subject: 's', body: 'b' }), 400)),
    ).toContain('audience');
  });
});
