// The delivery scorecard's traditional four (seed 000: UT, quality, schedule, collections), computed from the
// commercial record and opening their evidence; CSMs and experts are scored too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type Client, type TestApp } from '../../test/harness.js';
import { expectStatus, type Json } from '../../test/fixtures.js';

let t: TestApp;
let manager: Client, sales: Client, delivery: Client, admin2: Client;
// a working week with the default calendar (weekdays 09:00–12:00 and 13:30–18:00: 7.5 h a day → 37.5 h)
const period = 'from=2026-11-02&to=2026-11-06';

beforeAll(async () => {
  t = await startTestApp();
  [manager, sales, delivery, admin2] = await Promise.all([t.as('manager'), t.as('sales'), t.as('delivery'), t.as('admin', t.w2)]);
  const acc = expectStatus(await sales.post('/api/accounts', { name: '考核客户', industry: '制造', region: '华东' }), 201);
  expectStatus(
    await manager.put(`/api/accounts/${acc.id}/team`, {
      salesId: t.w1.users.sales.id,
      deliveryId: t.w1.users.delivery.id,
      afterSalesId: t.w1.users.after_sales.id,
      csmId: t.w1.users.csm.id,
    }),
    200,
  );
  const c = expectStatus(
    await sales.post(`/api/accounts/${acc.id}/contracts`, {
      number: 'KPI-1',
      title: 'MES',
      amountMinor: 100_000_000,
      signedOn: '2026-06-01',
      startsOn: '2026-06-01',
      endsOn: '2028-05-31',
    }),
    201,
  );
  // collections: ¥100k fell due on 11-03, ¥60k of it arrived on 11-02 → 60 %; an item due after the period does not count
  expectStatus(await sales.post(`/api/contracts/${c.id}/plan-items`, { label: '进度款', dueOn: '2026-11-03', amountMinor: 10_000_000 }), 201);
  expectStatus(await sales.post(`/api/contracts/${c.id}/plan-items`, { label: '尾款', dueOn: '2026-12-30', amountMinor: 10_000_000 }), 201);
  expectStatus(await sales.post(`/api/contracts/${c.id}/payments`, { receivedOn: '2026-11-02', amountMinor: 6_000_000 }), 201);
  // two projects the engineer works on: one accepted the first time, one not → quality 50 %
  const p1 = expectStatus(await manager.post(`/api/contracts/${c.id}/projects`, { name: '一期' }), 201);
  const p2 = expectStatus(await manager.post(`/api/contracts/${c.id}/projects`, { name: '二期' }), 201);
  expectStatus(await manager.patch(`/api/projects/${p1.id}`, { acceptedOn: '2026-11-05', firstPass: true, defects: 0 }), 200);
  expectStatus(await manager.patch(`/api/projects/${p2.id}`, { acceptedOn: '2026-11-06', firstPass: false, defects: 4 }), 200);
  // schedule: one milestone reached before its day, one after → 50 %; one planned later is not in the period
  expectStatus(await manager.post(`/api/projects/${p1.id}/milestones`, { title: '蓝图', plannedOn: '2026-11-04', actualOn: '2026-11-03' }), 201);
  expectStatus(await manager.post(`/api/projects/${p2.id}/milestones`, { title: '上线', plannedOn: '2026-11-04', actualOn: '2026-11-06' }), 201);
  expectStatus(await manager.post(`/api/projects/${p2.id}/milestones`, { title: '验收', plannedOn: '2027-01-10' }), 201);
  // UT: 30 h booked in the week (and 8 h the week after, outside it) → 30 / 37.5 = 80 %
  for (const [day, hours, project] of [
    ['2026-11-02', 7.5, p1.id],
    ['2026-11-03', 7.5, p1.id],
    ['2026-11-04', 7.5, p2.id],
    ['2026-11-05', 7.5, p2.id],
    ['2026-11-09', 8, p2.id],
  ] as const)
    expectStatus(await delivery.post(`/api/projects/${project}/time-entries`, { workedOn: day, hours }), 201);
});
afterAll(() => t?.close());

describe('the delivery scorecard from the commercial record', () => {
  it('shows UT, quality, schedule and collections, each opening the records it is computed from', async () => {
    const board = expectStatus(await manager.get(`/api/kpi/scorecards?${period}`), 200);
    const card = board.items.find((i: Json) => i.userId === t.w1.users.delivery.id);
    const value = (m: string) => card.lines.find((l: Json) => l.measure === m)?.value;
    expect([value('ut_pct'), value('quality_pct'), value('milestones_on_time_pct'), value('collections_pct')]).toEqual([80, 50, 50, 60]);

    const ev = async (m: string) =>
      expectStatus(await manager.get(`/api/kpi/scorecards/${t.w1.users.delivery.id}/evidence?measure=${m}&${period}`), 200);
    const ut = await ev('ut_pct');
    expect(ut).toMatchObject({ value: 80, availableHours: 37.5 });
    expect(ut.items.reduce((s: number, i: Json) => s + i.num, 0)).toBe(30);
    const q = await ev('quality_pct');
    expect(q.items.map((i: Json) => [i.label, i.num]).sort()).toEqual([
      ['一期', 1],
      ['二期', 0],
    ]);
    const ms = await ev('milestones_on_time_pct');
    expect(ms.items.map((i: Json) => i.label).sort()).toEqual(['一期 · 蓝图', '二期 · 上线']);
    const col = await ev('collections_pct');
    expect(col.items.map((i: Json) => [i.label, i.num, i.den])).toEqual([['KPI-1 · 进度款', 60000, 100000]]);
  });

  it('scores CSMs and experts with cards of their own', async () => {
    const csm = expectStatus(await manager.get(`/api/kpi/scorecards?${period}&role=csm`), 200).items;
    expect(csm.map((i: Json) => i.userId)).toEqual([t.w1.users.csm.id]);
    // the CSM sits in the same iron triangle: the same collections rate
    expect(csm[0].lines.find((l: Json) => l.measure === 'collections_pct').value).toBe(60);
    const experts = expectStatus(await manager.get(`/api/kpi/scorecards?${period}&role=expert`), 200).items;
    expect(experts.map((i: Json) => i.userId)).toEqual([t.w1.users.expert.id]);
  });

  it('the other workspace sees none of it', async () => {
    expectStatus(await admin2.get(`/api/kpi/scorecards/${t.w1.users.delivery.id}/evidence?measure=ut_pct&${period}`), 404);
    const board = expectStatus(await admin2.get(`/api/kpi/scorecards?${period}`), 200);
    expect(board.items.some((i: Json) => i.userId === t.w1.users.delivery.id)).toBe(false);
  });
});

describe('dashboards: collections, aging and renewals', () => {
  it('ages what is outstanding exactly as the contract page allocates it, and the numbers open their records', async () => {
    const acc = expectStatus(await sales.post('/api/accounts', { name: '账龄客户', industry: '制造', region: '华南' }), 201);
    const c = expectStatus(
      await sales.post(`/api/accounts/${acc.id}/contracts`, {
        number: 'AGE-1',
        title: '账龄',
        amountMinor: 10_000_000,
        signedOn: '2026-06-01',
        startsOn: '2026-06-01',
        endsOn: '2028-05-31',
      }),
      201,
    );
    // a payment that names the later item settles it; the earlier one stays open (20 days late at 11-30)
    expectStatus(await sales.post(`/api/contracts/${c.id}/plan-items`, { label: '甲', dueOn: '2026-11-10', amountMinor: 5_000_000 }), 201);
    const b = expectStatus(await sales.post(`/api/contracts/${c.id}/plan-items`, { label: '乙', dueOn: '2026-11-20', amountMinor: 5_000_000 }), 201);
    expectStatus(await sales.post(`/api/contracts/${c.id}/payments`, { receivedOn: '2026-11-05', amountMinor: 5_000_000, planItemId: b.id }), 201);
    const q = 'from=2026-11-01&to=2026-11-30';
    const dash = expectStatus(await manager.get(`/api/dashboards?${q}`), 200);
    // due in November: KPI-1 ¥100k + AGE-1 ¥100k; received: ¥60k + ¥50k; overdue at 11-30: ¥40k + ¥50k
    expect(dash.collections).toEqual({ dueMinor: 20_000_000, receivedMinor: 11_000_000, overdueMinor: 9_000_000 });
    const aging = Object.fromEntries((dash.charts.collections as Json[]).map((p) => [p.key, p.amount]));
    expect(aging).toEqual({ d0_30: 9_000_000, not_due: 10_000_000 });
    const rows = expectStatus(await manager.get(`/api/dashboards/records?chart=collections&key=d0_30&${q}`), 200).items;
    expect(rows.map((r: Json) => [r.label, r.amountMinor]).sort()).toEqual([
      ['AGE-1 · 甲', 5_000_000],
      ['KPI-1 · 进度款', 4_000_000],
    ]);
    // the same outstanding as the contract page says
    const page = expectStatus(await sales.get(`/api/contracts/${c.id}`), 200);
    expect(page.planItems.map((i: Json) => i.outstandingMinor)).toEqual([5_000_000, 0]);
    // UT on the dashboard: the delivery engineer's November
    expect(dash.utilisation.find((u: Json) => u.userId === t.w1.users.delivery.id).pct).toBe(Math.round((100 * 38) / (21 * 7.5)));
  });

  it('counts contracts ending in 30 / 60 / 90 days after the period', async () => {
    const acc = expectStatus(await sales.post('/api/accounts', { name: '到期客户', industry: '制造', region: '华北' }), 201);
    const mk = (number: string, endsOn: string) =>
      sales.post(`/api/accounts/${acc.id}/contracts`, {
        number,
        title: number,
        amountMinor: 1_000_000,
        signedOn: '2025-01-01',
        startsOn: '2025-01-01',
        endsOn,
      });
    expectStatus(await mk('END-20', '2026-12-20'), 201);
    expectStatus(await mk('END-50', '2027-01-19'), 201);
    expectStatus(await mk('END-200', '2027-06-18'), 201);
    // the manager read this period's dashboard in the test before: a snapshot of up to a minute, so ask for a new one
    const dash = expectStatus(await manager.get('/api/dashboards?from=2026-11-01&to=2026-11-30&fresh=true'), 200);
    expect(Object.fromEntries((dash.charts.renewals as Json[]).map((p) => [p.key, p.n]))).toEqual({ '30': 1, '60': 1 });
    const rows = expectStatus(await manager.get('/api/dashboards/records?chart=renewals&key=60&from=2026-11-01&to=2026-11-30'), 200).items;
    expect(rows.map((r: Json) => r.label)).toEqual(['END-50 · END-50']);
    // another workspace's dashboard does not count them
    expect(expectStatus(await admin2.get('/api/dashboards/records?chart=renewals&key=60&from=2026-11-01&to=2026-11-30'), 200).items).toEqual([]);
  });
});
