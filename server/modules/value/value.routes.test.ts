import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type Client, type TestApp } from '../../test/harness.js';
import { expectStatus, type Json, uniq, uploadFile } from '../../test/fixtures.js';

let t: TestApp;
let admin: Client, manager: Client, sales: Client, csm: Client, afterSales: Client, channel: Client, manager2: Client, sales2: Client;

function expectField(res: LightMyRequestResponse, code: number, field: string) {
  const body = expectStatus(res, code);
  expect(
    (body.fields ?? []).map((f: { field: string }) => f.field),
    JSON.stringify(body),
  ).toContain(field);
  expect(typeof body.message).toBe('string');
  return body;
}
async function createAccount(name = uniq(), as: Client = sales): Promise<Json> {
  return expectStatus(await as.post('/api/accounts', { name, industry: '制造', region: '华东' }), 201);
}

const upload = (c: Client, url: string, name: string, data: string, type = 'text/csv') => uploadFile(t.app, c, url, { name, type, data });

let library: Json;
const ind = (key: string) => library.indicators.find((i: Json) => i.key === key) as Json;
const project = async (accountId: string, as: Client = sales) => expectStatus(await as.get(`/api/accounts/${accountId}/value`), 200);

beforeAll(async () => {
  t = await startTestApp();
  [admin, manager, sales, csm, afterSales, channel] = await Promise.all([
    t.as('admin'),
    t.as('manager'),
    t.as('sales'),
    t.as('csm'),
    t.as('after_sales'),
    t.as('channel_implementer'),
  ]);
  [manager2, sales2] = await Promise.all([t.as('manager', t.w2), t.as('sales', t.w2)]);
});
afterAll(async () => {
  await t?.close();
});

describe('the API document', () => {
  it('describes every value route', async () => {
    const doc = expectStatus(await t.anon.get('/api/openapi.json'), 200);
    for (const p of [
      '/api/value/library',
      '/api/accounts/{id}/value',
      '/api/accounts/{id}/value/items',
      '/api/value/items/{id}/actuals',
      '/api/accounts/{id}/value/actuals/import',
      '/api/accounts/{id}/value/report.pdf',
      '/api/portal/value/report',
    ]) {
      expect(doc.paths, p).toHaveProperty([p]);
    }
  });
});

describe('the indicator library', () => {
  it('needs a session', async () => {
    expectStatus(await t.anon.get('/api/value/library'), 401);
    expectStatus(await t.anon.post('/api/value/library', {}), 401);
  });

  it('copies the default for after-sales service software into the workspace on first use: 9 stages × 3 dimensions', async () => {
    library = expectStatus(await sales.get('/api/value/library'), 200);
    expect(library.stages).toHaveLength(9);
    expect(library.dimensions).toHaveLength(3);
    for (const s of library.stages)
      for (const d of library.dimensions)
        expect(library.indicators.filter((i: Json) => i.stage === s.key && i.dimension === d.key).length).toBeGreaterThanOrEqual(2);
    expect(ind('onsite_visits')).toMatchObject({
      unit: 'count',
      direction: 'down',
      formula: 'improvement * visit_cost',
      name: { 'zh-CN': '月上门次数' },
    });
    // idempotent, and the other workspace gets its own copy
    expect(expectStatus(await sales.get('/api/value/library'), 200).indicators).toHaveLength(library.indicators.length);
    const other = expectStatus(await sales2.get('/api/value/library'), 200);
    expect(other.indicators.map((i: Json) => i.id)).not.toContain(ind('onsite_visits').id);
  });

  it('lets leads add and edit indicators; others get 403', async () => {
    const body = {
      stage: 'handling',
      dimension: 'cost',
      name: { 'zh-CN': '单次上门油费', en: 'Fuel per visit' },
      unit: 'yuan',
      direction: 'down',
      formula: 'improvement * monthly_visits',
      params: [{ name: 'monthly_visits', label: { 'zh-CN': '月上门次数', en: 'Visits per month' }, unit: '次', default: 600 }],
    };
    expectStatus(await sales.post('/api/value/library', body), 403);
    expectStatus(await csm.post('/api/value/library', body), 403);
    const created = expectStatus(await manager.post('/api/value/library', { ...body, key: 'fuel_per_visit' }), 201);
    expect(created).toMatchObject({ key: 'fuel_per_visit', active: true });
    expectStatus(await manager.post('/api/value/library', { ...body, key: 'fuel_per_visit' }), 409);
    const changed = expectStatus(
      await admin.patch(`/api/value/library/${created.id}`, { name: { 'zh-CN': '单次上门燃油费', en: 'Fuel cost per visit' } }),
      200,
    );
    expect(changed.name.en).toBe('Fuel cost per visit');
    expectStatus(await sales.patch(`/api/value/library/${created.id}`, { active: false }), 403);
    expectStatus(await manager2.patch(`/api/value/library/${created.id}`, { active: false }), 404);
  });

  it('refuses formulas with unknown names or injection, and bad units, changing nothing', async () => {
    const before = expectStatus(await manager.get('/api/value/library'), 200).indicators.length;
    const base = {
      stage: 'intake',
      dimension: 'cost',
      name: { 'zh-CN': '测试', en: 'Test' },
      unit: 'percent',
      direction: 'up',
      params: [{ name: 'cost', label: { 'zh-CN': '成本', en: 'Cost' }, unit: '元', default: 10 }],
    };
    const unknown = expectField(await manager.post('/api/value/library', { ...base, formula: 'improvement * price' }), 400, 'formula');
    expect(unknown.message).toMatch(/unknown names: price/);
    for (const formula of ['process.exit()', 'constructor', '__proto__', 'a;b', '1e999', `${'('.repeat(80)}1${')'.repeat(80)}`, 'eval(1)']) {
      expectField(await manager.post('/api/value/library', { ...base, formula }), 400, 'formula');
    }
    expectField(await manager.post('/api/value/library', { ...base, formula: 'improvement * cost', unit: 'furlongs' }), 400, 'unit');
    expectField(
      await manager.post('/api/value/library', { ...base, formula: 'improvement * cost', params: [{ ...base.params[0], name: 'improvement' }] }),
      400,
      'params',
    );
    const id = ind('onsite_visits').id;
    expectField(await manager.patch(`/api/value/library/${id}`, { formula: 'improvement * visit_price' }), 400, 'formula');
    expect(expectStatus(await manager.get('/api/value/library'), 200).indicators.length).toBe(before);
    expect(expectStatus(await manager.get('/api/value/library'), 200).indicators.find((i: Json) => i.id === id).formula).toBe(
      'improvement * visit_cost',
    );
  });
});

describe('a value project', () => {
  let account: Json;
  let visits: Json; // the chosen on-site visits indicator
  const visitsBody = () => ({
    indicatorId: ind('onsite_visits').id,
    baseline: 120,
    baselinePeriod: '2026-01',
    target: 80,
    unit: 'count',
    paramValues: { visit_cost: 380 },
    internalNote: '客户内部口径待确认',
  });

  beforeAll(async () => {
    account = await createAccount('远航<b>制造</b>');
  });

  it('needs a session, a role that may manage value, and an account the actor sees', async () => {
    expectStatus(await t.anon.get(`/api/accounts/${account.id}/value`), 401);
    expectStatus(await t.anon.post(`/api/accounts/${account.id}/value/items`, visitsBody()), 401);
    expectStatus(await afterSales.post(`/api/accounts/${account.id}/value/items`, visitsBody()), 403);
    expectStatus(await channel.post(`/api/accounts/${account.id}/value/items`, visitsBody()), 403);
    expectStatus(await channel.get(`/api/accounts/${account.id}/value`), 404); // not their channel's account
    expectStatus(await manager2.get(`/api/accounts/${account.id}/value`), 404);
    expectStatus(await manager2.post(`/api/accounts/${account.id}/value/items`, visitsBody()), 404);
    expect((await project(account.id)).items).toEqual([]);
  });

  it('chooses an indicator with baseline, target and the customer’s parameters, and shows the expected money', async () => {
    const p = expectStatus(await csm.post(`/api/accounts/${account.id}/value/items`, visitsBody()), 201);
    expect(p.items).toHaveLength(1);
    visits = p.items[0];
    // (120 − 80) visits avoided × 380 yuan = 15,200 yuan a month
    expect(visits).toMatchObject({
      key: 'onsite_visits',
      baseline: 120,
      target: 80,
      status: 'no_data',
      expectedPerPeriodMinor: 1_520_000,
      expectedError: null,
      realisedTotalMinor: 0,
      internalNote: '客户内部口径待确认',
    });
    expect(visits.params).toEqual([expect.objectContaining({ name: 'visit_cost', default: 350, value: 380 })]);
    expect(p.totals).toMatchObject({ expectedPerPeriodMinor: 1_520_000, realisedTotalMinor: 0 });
    expectStatus(await csm.post(`/api/accounts/${account.id}/value/items`, visitsBody()), 409);
  });

  it('refuses bad terms with the field named, changing nothing', async () => {
    const before = JSON.stringify(await project(account.id));
    const fix = ind('first_time_fix_rate').id;
    const good = { indicatorId: fix, baseline: 72.5, baselinePeriod: '2026-01', target: 85 };
    expect(expectField(await csm.post(`/api/accounts/${account.id}/value/items`, { ...good, target: 70 }), 400, 'target').message).toMatch(
      /Higher is better/,
    );
    expectField(await csm.post(`/api/accounts/${account.id}/value/items`, { ...good, target: 72.5 }), 400, 'target');
    expectField(await csm.post(`/api/accounts/${account.id}/value/items`, { ...good, unit: 'hour' }), 400, 'unit');
    expectField(await csm.post(`/api/accounts/${account.id}/value/items`, { ...good, paramValues: { visit_cost: 1 } }), 400, 'paramValues');
    expectField(await csm.post(`/api/accounts/${account.id}/value/items`, { ...good, baselinePeriod: '2026-13' }), 400, 'baselinePeriod');
    expectField(await csm.post(`/api/accounts/${account.id}/value/items`, { ...good, baseline: 'x' }), 400, 'baseline');
    expectField(await csm.post(`/api/accounts/${account.id}/value/items`, { ...good, baseline: 1.1234567 }), 400, 'baseline');
    expectField(
      await csm.post(`/api/accounts/${account.id}/value/items`, { ...good, indicatorId: '00000000-0000-0000-0000-000000000000' }),
      400,
      'indicatorId',
    );
    expectField(await csm.post(`/api/accounts/${account.id}/value/items`, { ...good, extra: 1 }), 400, 'extra');
    expectField(await csm.patch(`/api/value/items/${visits.id}`, { target: 130 }), 400, 'target');
    expectField(await csm.patch(`/api/value/items/${visits.id}`, { paramValues: { visit_price: 1 } }), 400, 'paramValues');
    expect(JSON.stringify(await project(account.id))).toBe(before);
  });

  it('reports a formula that would divide by zero on the customer’s parameters instead of storing it', async () => {
    const custom = expectStatus(
      await manager.post('/api/value/library', {
        key: 'share_of_visits',
        stage: 'handling',
        dimension: 'cost',
        name: { 'zh-CN': '分摊上门成本', en: 'Shared visit cost' },
        unit: 'count',
        direction: 'down',
        formula: 'improvement * visit_cost / share',
        params: [
          { name: 'visit_cost', label: { 'zh-CN': '单次上门成本', en: 'Visit cost' }, unit: '元', default: 350 },
          { name: 'share', label: { 'zh-CN': '分摊比例', en: 'Share' }, unit: '', default: 1 },
        ],
      }),
      201,
    );
    const res = expectField(
      await csm.post(`/api/accounts/${account.id}/value/items`, {
        indicatorId: custom.id,
        baseline: 10,
        baselinePeriod: '2026-01',
        target: 5,
        paramValues: { share: 0 },
      }),
      400,
      'paramValues',
    );
    expect(res.message).toMatch(/divides by zero/);
    expect((await project(account.id)).items).toHaveLength(1);
  });

  it('records actuals month by month and computes the money realised', async () => {
    let p = expectStatus(await csm.post(`/api/value/items/${visits.id}/actuals`, { period: '2026-02', value: 100, unit: 'count' }), 200);
    p = expectStatus(await sales.post(`/api/value/items/${visits.id}/actuals`, { period: '2026-03', value: 85, note: '含两次远程替代' }), 200);
    const item = p.items[0];
    // Feb: 20 × 380 = 7,600 yuan; Mar: 35 × 380 = 13,300 yuan
    expect(item.actuals.map((a: Json) => [a.period, a.value, a.realisedMinor])).toEqual([
      ['2026-02', 100, 760_000],
      ['2026-03', 85, 1_330_000],
    ]);
    expect(item).toMatchObject({ realisedTotalMinor: 2_090_000, expectedToDateMinor: 3_040_000, status: 'improving', progressPct: 88, latest: 85 });
    expect(p.byPeriod).toEqual([
      { period: '2026-02', expectedMinor: 1_520_000, realisedMinor: 760_000, cumulativeRealisedMinor: 760_000 },
      { period: '2026-03', expectedMinor: 1_520_000, realisedMinor: 1_330_000, cumulativeRealisedMinor: 2_090_000 },
    ]);
    // the same month again replaces its value
    p = expectStatus(await csm.post(`/api/value/items/${visits.id}/actuals`, { period: '2026-03', value: 85 }), 200);
    expect(p.items[0].actuals).toHaveLength(2);
  });

  it('refuses actuals dated at or before the baseline, in another unit, or malformed — changing nothing', async () => {
    const before = JSON.stringify(await project(account.id));
    expect(expectField(await csm.post(`/api/value/items/${visits.id}/actuals`, { period: '2025-12', value: 90 }), 400, 'period').message).toMatch(
      /after the baseline month 2026-01/,
    );
    expectField(await csm.post(`/api/value/items/${visits.id}/actuals`, { period: '2026-01', value: 90 }), 400, 'period');
    expectField(await csm.post(`/api/value/items/${visits.id}/actuals`, { period: '2026-04', value: 90, unit: 'percent' }), 400, 'unit');
    expectField(await csm.post(`/api/value/items/${visits.id}/actuals`, { period: '2026-4', value: 90 }), 400, 'period');
    expectField(await csm.post(`/api/value/items/${visits.id}/actuals`, { period: '2026-04' }), 400, 'value');
    expectField(await csm.patch(`/api/value/items/${visits.id}`, { baselinePeriod: '2026-02' }), 400, 'baselinePeriod');
    expectStatus(await afterSales.post(`/api/value/items/${visits.id}/actuals`, { period: '2026-04', value: 90 }), 403);
    expectStatus(await manager2.post(`/api/value/items/${visits.id}/actuals`, { period: '2026-04', value: 90 }), 404);
    expectStatus(await manager2.patch(`/api/value/items/${visits.id}`, { target: 70 }), 404);
    expectStatus(await manager2.del(`/api/value/items/${visits.id}`), 404);
    expect(JSON.stringify(await project(account.id))).toBe(before);
  });

  it('imports actuals from a CSV all-or-nothing, with every bad row named', async () => {
    const url = `/api/accounts/${account.id}/value/actuals/import`;
    const before = JSON.stringify(await project(account.id));
    const bad = expectStatus(
      await upload(
        csm,
        url,
        'actuals.csv',
        '指标,月份,实际值,单位\n月上门次数,2026-04,82,count\nonsite_visits,2025-12,90,count\n未知指标,2026-04,1,\nonsite_visits,2026-05,abc,\nonsite_visits,2026-06,70,hour\n',
      ),
      400,
    );
    expect(bad.fields.map((f: Json) => [f.row, f.field])).toEqual([
      [3, 'period'],
      [4, 'indicator'],
      [5, 'value'],
      [6, 'unit'],
    ]);
    expectField(await upload(csm, url, 'actuals.csv', 'foo,bar\n1,2\n'), 400, 'file');
    expectField(await upload(csm, url, 'actuals.txt', 'x', 'text/plain'), 400, 'file');
    expectStatus(await upload(afterSales, url, 'actuals.csv', 'indicator,period,value\nonsite_visits,2026-04,82\n'), 403);
    expectStatus(await upload(manager2, url, 'actuals.csv', 'indicator,period,value\nonsite_visits,2026-04,82\n'), 404);
    expect(JSON.stringify(await project(account.id))).toBe(before);

    const ok = expectStatus(
      await upload(
        csm,
        url,
        'actuals.csv',
        '\uFEFFindicator,period,value,note\nOn-site visits per month,2026-04,78,\nonsite_visits,2026/5,76,remote first\n',
      ),
      200,
    );
    expect(ok).toEqual({ imported: 2 });
    const p = await project(account.id);
    expect(p.items[0].actuals.map((a: Json) => [a.period, a.value, a.realisedMinor, a.source])).toEqual([
      ['2026-02', 100, 760_000, 'form'],
      ['2026-03', 85, 1_330_000, 'form'],
      ['2026-04', 78, 1_596_000, 'import'],
      ['2026-05', 76, 1_672_000, 'import'],
    ]);
    expect(p.totals.realisedTotalMinor).toBe(760_000 + 1_330_000 + 1_596_000 + 1_672_000);
    expect(p.items[0].status).toBe('reached');
  });

  it('serves the report without internal fields, as a printable page with every user text escaped', async () => {
    const r = expectStatus(await sales.get(`/api/accounts/${account.id}/value/report`), 200);
    expect(r.account.name).toBe('远航<b>制造</b>');
    expect(r.totals.realisedTotalMinor).toBe(5_358_000);
    expect(JSON.stringify(r)).not.toMatch(/internalNote|客户内部口径待确认|含两次远程替代|"id":"[0-9a-f-]{36}","period"/);
    const html = await sales.get(`/api/accounts/${account.id}/value/report.html`);
    expect(html.statusCode).toBe(200);
    expect(html.headers['content-type']).toMatch(/text\/html/);
    expect(html.body).toContain('远航&lt;b&gt;制造&lt;/b&gt;');
    expect(html.body).not.toContain('<b>制造</b>');
    expect(html.body).not.toMatch(/<script/i);
    expect(html.body).toContain('CNY 53,580.00');
    expectStatus(await manager2.get(`/api/accounts/${account.id}/value/report`), 404);
    expectStatus(await manager2.get(`/api/accounts/${account.id}/value/report.pdf`), 404);
    expectStatus(await t.anon.get(`/api/accounts/${account.id}/value/report.pdf`), 401);
  });

  it('prints the report to PDF with the real Chromium; its text holds the account’s figures', async () => {
    const res = await sales.get(`/api/accounts/${account.id}/value/report.pdf`);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="value-report-\d{8}\.pdf"$/);
    const pdf = res.rawPayload;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kw-pdf-'));
    const file = path.join(dir, 'report.pdf');
    fs.writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    fs.rmSync(dir, { recursive: true, force: true });
    expect(text).toContain('远航<b>制造</b>');
    expect(text).toContain('On-site visits per month');
    expect(text).toContain('CNY 53,580.00'); // realised to date
    expect(text).toContain('CNY 15,200.00'); // expected per month
    expect(text).toContain('CNY 16,720.00'); // May
    expect(text).toContain('2026-05');
    expect(text).not.toContain('客户内部口径待确认');
  }, 60_000);

  it('answers 503 with a clear message when Chromium is missing, and the printable page still works', async () => {
    const before = process.env.KW_CHROMIUM_PATH;
    process.env.KW_CHROMIUM_PATH = '/nonexistent/chromium';
    try {
      const res = expectStatus(await sales.get(`/api/accounts/${account.id}/value/report.pdf`), 503);
      expect(res).toMatchObject({ error: 'unavailable' });
      expect(res.message).toMatch(/Chromium is not installed.*printable page/);
      expect((await sales.get(`/api/accounts/${account.id}/value/report.html`)).statusCode).toBe(200);
    } finally {
      if (before === undefined) delete process.env.KW_CHROMIUM_PATH;
      else process.env.KW_CHROMIUM_PATH = before;
    }
  });

  it('lets a key person see their own account’s report, never another’s, and never internal fields', async () => {
    const contact = expectStatus(await sales.post(`/api/accounts/${account.id}/contacts`, { name: uniq('联系人'), side: 'business_head' }), 201);
    const email = `kp.${uniq('x').toLowerCase()}@customer.test`;
    const password = 'Portal-pass-2026';
    expectStatus(await csm.post(`/api/contacts/${contact.id}/key-person-login`, { email, password }), 201);
    const kp = await t.login(email, password, '/api/portal/auth/login');
    const r = expectStatus(await kp.get('/api/portal/value/report'), 200);
    expect(r.account.id).toBe(account.id);
    expect(r.totals.realisedTotalMinor).toBe(5_358_000);
    expect(JSON.stringify(r)).not.toMatch(/internalNote|客户内部口径待确认|含两次远程替代/);
    // how the money is worked out, in words: never the formula's code or a parameter's code name
    expect(JSON.stringify(r)).not.toMatch(/improvement \*|visit_cost|"formula"/);
    expect(r.items.length).toBeGreaterThan(0);
    for (const i of r.items) expect(i.formulaInWords).not.toMatch(/[A-Za-z]+_[A-Za-z]+|\*/);
    expect(r.items.some((i: Json) => i.formulaInWords.includes('×'))).toBe(true);
    // when it was made, in the workspace's zone, as a reader reads it
    expect(r.generatedAtText).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    // staff routes and other accounts are closed to them
    const other = await createAccount();
    expectStatus(await kp.get(`/api/accounts/${other.id}/value`), 403);
    expectStatus(await kp.get(`/api/accounts/${other.id}/value/report`), 403);
    expectStatus(await kp.get(`/api/accounts/${account.id}/value`), 403);
    expectStatus(await kp.post(`/api/value/items/${visits.id}/actuals`, { period: '2026-06', value: 1 }), 403);
    // and staff do not use the portal route
    expectStatus(await sales.get('/api/portal/value/report'), 403);
    expectStatus(await t.anon.get('/api/portal/value/report'), 401);
    const html = await kp.get('/api/portal/value/report.html');
    expect(html.statusCode).toBe(200);
    expect(html.body).toContain('远航&lt;b&gt;制造&lt;/b&gt;');
    expect(html.body).not.toContain('客户内部口径待确认');
    expect(html.body).not.toMatch(/<code>|improvement \*|visit_cost|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    const pdf = await kp.get('/api/portal/value/report.pdf');
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('links a paid expert service’s promised value to indicators and sets it against the money realised', async () => {
    // a paid expert service, bookable for every tier (value-add's catalog API)
    const paidItem = expectStatus(
      await manager.post('/api/value-add/catalog', {
        menu: 'free_expert',
        nameZh: '业务指标监控服务',
        nameEn: 'Business KPI monitoring',
        executorRole: 'expert',
        pricing: 'paid',
        priceMinor: 8_000_000,
        internalCostMinor: 2_000_000,
        kpiCredit: 6,
        tasks: ['solution', 'price'],
        eligibleTiers: ['A', 'B', 'C', 'D', 'E'],
      }),
      201,
    );
    const booked = expectStatus(
      await csm.post(`/api/accounts/${account.id}/value-add/bookings`, { catalogItemId: paidItem.id, promisedValueMinor: 5_000_000 }),
      201,
    ).booking;
    let p = await project(account.id);
    expect(p.promises).toEqual([
      expect.objectContaining({ bookingId: booked.id, promisedValueMinor: 5_000_000, itemIds: [], realisedMinor: 0, status: 'unlinked' }),
    ]);
    const before = JSON.stringify(p);
    // refused: a foreign or unknown indicator, a role that may not, another workspace, a cancelled booking
    const other = await createAccount();
    const otherItem = expectStatus(
      await csm.post(`/api/accounts/${other.id}/value/items`, {
        indicatorId: ind('complaints').id,
        baseline: 30,
        baselinePeriod: '2026-01',
        target: 20,
      }),
      201,
    ).items[0];
    expectField(await csm.put(`/api/value/promises/${booked.id}`, { itemIds: [otherItem.id] }), 400, 'itemIds');
    expectField(await csm.put(`/api/value/promises/${booked.id}`, { itemIds: ['nope'] }), 400, 'itemIds.0');
    expectStatus(await afterSales.put(`/api/value/promises/${booked.id}`, { itemIds: [visits.id] }), 403);
    expectStatus(await manager2.put(`/api/value/promises/${booked.id}`, { itemIds: [visits.id] }), 404);
    const cancelled = expectStatus(
      await csm.post(`/api/accounts/${other.id}/value-add/bookings`, { catalogItemId: paidItem.id, promisedValueMinor: 100 }),
      201,
    ).booking;
    expectStatus(await csm.post(`/api/value-add/bookings/${cancelled.id}/cancel`), 200);
    expectField(await csm.put(`/api/value/promises/${cancelled.id}`, { itemIds: [otherItem.id] }), 400, 'bookingId');
    expect(JSON.stringify(await project(account.id))).toBe(before);

    p = expectStatus(await csm.put(`/api/value/promises/${booked.id}`, { itemIds: [visits.id, visits.id] }), 200);
    // promised 50,000 yuan; the linked indicator realised 53,580 yuan: kept
    expect(p.promises[0]).toMatchObject({ itemIds: [visits.id], realisedMinor: 5_358_000, status: 'kept' });
    const r = expectStatus(await sales.get(`/api/accounts/${account.id}/value/report`), 200);
    expect(r.promises).toEqual([
      { service: paidItem.nameEn, promisedValueMinor: 5_000_000, indicators: ['On-site visits per month'], realisedMinor: 5_358_000, status: 'kept' },
    ]);
    expect((await sales.get(`/api/accounts/${account.id}/value/report.html`)).body).toContain('CNY 50,000.00');
    p = expectStatus(await csm.put(`/api/value/promises/${booked.id}`, { itemIds: [] }), 200);
    expect(p.promises[0].status).toBe('unlinked');
    p = expectStatus(await csm.put(`/api/value/promises/${booked.id}`, { itemIds: [visits.id] }), 200);
    expect(p.promises[0].status).toBe('kept');
  });

  it('keeps the agreed terms when the library changes later', async () => {
    expectStatus(await manager.patch(`/api/value/library/${ind('onsite_visits').id}`, { formula: 'improvement * visit_cost * 2' }), 200);
    const p = await project(account.id);
    expect(p.items[0].formula).toBe('improvement * visit_cost');
    expect(p.items[0].expectedPerPeriodMinor).toBe(1_520_000);
  });

  it('removes actuals and indicators', async () => {
    const p0 = await project(account.id);
    const may = p0.items[0].actuals.find((a: Json) => a.period === '2026-05');
    expectStatus(await manager2.del(`/api/value/actuals/${may.id}`), 404);
    expectStatus(await afterSales.del(`/api/value/actuals/${may.id}`), 403);
    const p1 = expectStatus(await csm.del(`/api/value/actuals/${may.id}`), 200);
    expect(p1.items[0].actuals).toHaveLength(3);
    expectStatus(await csm.del(`/api/value/items/${visits.id}`), 200);
    expect((await project(account.id)).items).toEqual([]);
    expectStatus(await csm.del(`/api/value/items/${visits.id}`), 404);
  });

  it('writes the audit trail', async () => {
    const trail = expectStatus(await admin.get('/api/audit?limit=100'), 200);
    const actions = new Set((trail.items as Json[]).map((e) => e.action));
    for (const a of [
      'value.promise.link',
      'value.promise.unlink',
      'value.item.add',
      'value.actual.record',
      'value.actual.import',
      'value.item.remove',
      'value.indicator.create',
      'value.indicator.update',
    ])
      expect(actions).toContain(a);
  });
});
