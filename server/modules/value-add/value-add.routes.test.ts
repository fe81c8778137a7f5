import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type Client, type TestApp } from '../../test/harness.js';
import { defaultCatalog, seed001Menu, seed003Menu } from './catalog.domain.js';
import { expectStatus, makeAccount, uniq, yuan, type Json } from '../../test/fixtures.js';

let t: TestApp;
let admin: Client, manager: Client, sales: Client, csm: Client, afterSales: Client, channel: Client, admin2: Client, manager2: Client, sales2: Client;
let catalog: Json[];
const item = (code: string) => catalog.find((i) => i.code === code)!;

async function budgetOf(accountId: string, as: Client = csm) {
  return expectStatus(await as.get(`/api/accounts/${accountId}/value-add/budget`), 200);
}
async function book(accountId: string, code: string, as: Client = csm, extra: Json = {}) {
  return as.post(`/api/accounts/${accountId}/value-add/bookings`, { catalogItemId: item(code).id, ...extra });
}
/** Everything a refused request must leave untouched. */
async function snapshot(accountId: string) {
  const [b, tasks, bookings, audit] = await Promise.all([
    admin.get(`/api/accounts/${accountId}/value-add/budget`),
    admin.get(`/api/accounts/${accountId}/value-add/tasks`),
    admin.get(`/api/value-add/bookings?accountId=${accountId}`),
    admin.get('/api/audit?limit=1'),
  ]);
  return [b.body, tasks.body, bookings.body, audit.json().items[0]?.id].join('|');
}

beforeAll(async () => {
  t = await startTestApp();
  [admin, manager, sales, csm, afterSales, channel] = await Promise.all(
    ['admin', 'manager', 'sales', 'csm', 'after_sales', 'channel_implementer'].map((r) => t.as(r as never)),
  );
  [admin2, manager2, sales2] = await Promise.all([t.as('admin', t.w2), t.as('manager', t.w2), t.as('sales', t.w2)]);
  catalog = expectStatus(await csm.get('/api/value-add/catalog'), 200).items;
});
afterAll(async () => {
  await t?.close();
});

describe('catalog', () => {
  it('ships one list without twins, serving every task either seed maps to it, per workspace', async () => {
    expect(catalog).toHaveLength(12);
    expect(new Set(catalog.map((i) => i.nameZh)).size).toBe(catalog.length);
    for (const d of defaultCatalog) {
      const i = item(d.code);
      expect(i, d.code).toBeTruthy();
      expect([i.nameZh, i.tasks, i.internalCostMinor, i.pricing, i.eligibleTiers, i.active, i.menu]).toEqual([
        d.nameZh,
        d.tasks,
        d.internalCostMinor,
        'free',
        ['A', 'C'],
        true,
        'core',
      ]);
    }
    // no seed's mapping is lost: each seed item's service serves (at least) the tasks that seed gives it
    for (const d of [...seed001Menu, ...seed003Menu]) {
      const i = item(`core.${d.code.split('.')[1]}`);
      expect(i, d.code).toBeTruthy();
      for (const task of d.tasks) expect(i.tasks, d.code).toContain(task);
    }
    const other = expectStatus(await admin2.get('/api/value-add/catalog'), 200).items as Json[];
    expect(other.map((i) => i.code)).toEqual(defaultCatalog.map((i) => i.code));
    expect(other.every((o) => !catalog.some((c) => c.id === o.id))).toBe(true);
  });

  it('lets a manager add a paid item and retire one; others may not', async () => {
    const body = {
      menu: 'free_expert',
      nameZh: '业务指标监控服务',
      nameEn: 'Business KPI monitoring',
      executorRole: 'expert',
      pricing: 'paid',
      priceMinor: yuan(80_000),
      internalCostMinor: yuan(20_000),
      kpiCredit: 6,
      tasks: ['solution', 'price'],
      eligibleTiers: ['A', 'B', 'C', 'D', 'E'],
      processSteps: ['商定指标', '按月监控', '季度报告'],
    };
    expectStatus(await afterSales.post('/api/value-add/catalog', body), 403);
    expectStatus(await csm.post('/api/value-add/catalog', body), 403);
    const created = expectStatus(await manager.post('/api/value-add/catalog', { ...body, code: 'free_expert.kpi_monitoring' }), 201);
    expect(created).toMatchObject({ position: 1, pricing: 'paid', tasks: ['solution', 'price'] });
    expectStatus(await manager.post('/api/value-add/catalog', { ...body, code: 'free_expert.kpi_monitoring' }), 409);
    // bad input: a clear 400 and nothing created
    const before = (await admin.get('/api/value-add/catalog?includeRetired=true')).body;
    const r1 = expectStatus(await manager.post('/api/value-add/catalog', { ...body, priceMinor: -1 }), 400);
    expect(r1.fields[0].field).toBe('priceMinor');
    expectStatus(await manager.post('/api/value-add/catalog', { ...body, internalCostMinor: 100.5 }), 400);
    expectStatus(await manager.post('/api/value-add/catalog', { ...body, tasks: ['sell'] }), 400);
    const r2 = expectStatus(await manager.post('/api/value-add/catalog', { ...body, pricing: 'free' }), 400);
    expect(r2.message).toMatch(/free service has a price of 0/);
    expect((await admin.get('/api/value-add/catalog?includeRetired=true')).body).toBe(before);
    catalog = expectStatus(await csm.get('/api/value-add/catalog'), 200).items;
  });

  it('edits and retires items; another workspace’s item is 404', async () => {
    const special = item('core.special_budget');
    const edited = expectStatus(
      await manager.patch(`/api/value-add/catalog/${special.id}`, { internalCostMinor: yuan(45_000), processSteps: ['确认问题', '专项解决'] }),
      200,
    );
    expect(edited.internalCostMinor).toBe(yuan(45_000));
    expectStatus(await manager.patch(`/api/value-add/catalog/${special.id}`, { tasks: [] }), 400);
    expectStatus(await manager2.patch(`/api/value-add/catalog/${special.id}`, { active: false }), 404);
    expectStatus(await afterSales.patch(`/api/value-add/catalog/${special.id}`, { active: false }), 403);
    expectStatus(await manager.patch(`/api/value-add/catalog/${item('core.new_profit').id}`, { active: false }), 200);
    const active = expectStatus(await csm.get('/api/value-add/catalog'), 200).items as Json[];
    expect(active.some((i) => i.code === 'core.new_profit')).toBe(false);
    expect(
      expectStatus(await csm.get('/api/value-add/catalog?includeRetired=true'), 200).items.some(
        (i: Json) => i.code === 'core.new_profit' && !i.active,
      ),
    ).toBe(true);
  });

  it('needs a session', async () => {
    expectStatus(await t.anon.get('/api/value-add/catalog'), 401);
  });
});

describe('settings', () => {
  it('only an admin changes the ratio; it stays within 0–100% with two decimals', async () => {
    expect(expectStatus(await csm.get('/api/value-add/settings'), 200)).toEqual({
      budgetRatioBp: 200,
      budgetRatioPercent: 2,
      overflowPolicy: 'refuse',
      version: 1, // the settings are made on first use (docs/concurrency.md)
    });
    expectStatus(await afterSales.put('/api/value-add/settings', { ratioPercent: 5 }), 403);
    expectStatus(await manager.put('/api/value-add/settings', { ratioPercent: 5 }), 403);
    const bad = expectStatus(await admin.put('/api/value-add/settings', { ratioPercent: 101 }), 400);
    expect(bad.message).toMatch(/between 0% and 100%/);
    expect(bad.fields[0].field).toBe('ratioPercent');
    expectStatus(await admin.put('/api/value-add/settings', { ratioPercent: -0.5 }), 400);
    expectStatus(await admin.put('/api/value-add/settings', { ratioPercent: 2.001 }), 400);
    expectStatus(await admin.put('/api/value-add/settings', { overflowPolicy: 'overspend' }), 400);
    expect(expectStatus(await csm.get('/api/value-add/settings'), 200).budgetRatioBp).toBe(200);
    // the other workspace is not touched by this one's admin
    expect(expectStatus(await admin.put('/api/value-add/settings', { ratioPercent: 2.5 }), 200).budgetRatioBp).toBe(250);
    expect(expectStatus(await admin2.get('/api/value-add/settings'), 200).budgetRatioBp).toBe(200);
    expectStatus(await admin.put('/api/value-add/settings', { ratioPercent: 2 }), 200);
  });
});

describe('budget and bookings', () => {
  let a: Json;
  beforeAll(async () => {
    a = await makeAccount(sales, manager, 'A', { revenueTargetMinor: yuan(10_000_000) });
  });

  it('walks the seed example: 1000万 × 2% = 20万, 5万 spent, three items for 10万 → 5万 left', async () => {
    const b0 = await budgetOf(a.id);
    expect(b0).toMatchObject({
      eligible: true,
      tier: 'A',
      budget: { targetMinor: yuan(10_000_000), ratioBp: 200, budgetMinor: yuan(200_000), committedMinor: 0, remainingMinor: yuan(200_000) },
    });
    expectStatus(await afterSales.put(`/api/accounts/${a.id}/value-add/budget/opening`, { amountMinor: yuan(50_000) }), 403);
    expectStatus(await manager.put(`/api/accounts/${a.id}/value-add/budget/opening`, { amountMinor: 12.5 }), 400);
    const b1 = expectStatus(await manager.put(`/api/accounts/${a.id}/value-add/budget/opening`, { amountMinor: yuan(50_000) }), 200);
    expect(b1.budget.remainingMinor).toBe(yuan(150_000));
    let last: Json = {};
    for (const code of ['core.brainstorming', 'core.project_review', 'core.case_visit']) last = expectStatus(await book(a.id, code), 201);
    expect(last.budget.budget).toMatchObject({ committedMinor: yuan(150_000), remainingMinor: yuan(50_000) });
    expect((await budgetOf(a.id)).budget.remainingMinor).toBe(yuan(50_000));
    const tasks = expectStatus(await csm.get(`/api/accounts/${a.id}/value-add/tasks`), 200).items as Json[];
    // titles are in the booker's language (the test clients speak English)
    expect(tasks.map((x) => x.title).sort()).toEqual(['Brainstorming', 'Latest case introduction & visit', 'Project review & effect evaluation']);
  });

  it('cancelling returns the amount', async () => {
    const bookings = expectStatus(await csm.get(`/api/value-add/bookings?accountId=${a.id}`), 200).items as Json[];
    const brainstorm = bookings.find((b) => b.catalogItemId === item('core.brainstorming').id)!;
    const r = expectStatus(await csm.post(`/api/value-add/bookings/${brainstorm.id}/cancel`), 200);
    expect(r.booking.status).toBe('cancelled');
    expect(r.budget.budget.remainingMinor).toBe(yuan(80_000));
    expectStatus(await csm.post(`/api/value-add/bookings/${brainstorm.id}/cancel`), 409);
    const task = (expectStatus(await csm.get(`/api/accounts/${a.id}/value-add/tasks`), 200).items as Json[]).find((x) => x.id === brainstorm.taskId)!;
    expect(task.status).toBe('cancelled');
  });

  it('refuses a booking that does not fit with 409 and changes nothing', async () => {
    // 80,000 left: special budget (45,000) fits once, then not again
    expectStatus(await book(a.id, 'core.special_budget'), 201);
    const before = await snapshot(a.id);
    const r = expectStatus(await book(a.id, 'core.special_budget'), 409);
    expect(r.message).toBe('The remaining budget CNY 35,000.00 does not cover CNY 45,000.00 (short by CNY 10,000.00).');
    expect(await snapshot(a.id)).toBe(before);
  });

  it('refuses B/D accounts, retired items, bad amounts and foreign ids with a clear 4xx and nothing changed', async () => {
    const b = await makeAccount(sales, manager, 'B', { revenueTargetMinor: yuan(1_000_000) });
    const budgetB = await budgetOf(b.id);
    expect(budgetB).toMatchObject({ eligible: false, budget: null });
    const beforeB = await snapshot(b.id);
    const r1 = expectStatus(await book(b.id, 'core.brainstorming'), 400);
    expect(r1.message).toMatch(/tier A\/C accounts; this account is tier B/);
    const r2 = expectStatus(await book(a.id, 'core.new_profit'), 400);
    expect(r2.message).toMatch(/retired/);
    expectStatus(await book(a.id, 'core.brainstorming', csm, { promisedValueMinor: -5 }), 400);
    expectStatus(await book(a.id, 'core.brainstorming', csm, { dueOn: '2026-02-30x' }), 400);
    // paid item: revenue, needs a promised value, works for a B account, leaves the budget alone
    expectStatus(await book(b.id, 'free_expert.kpi_monitoring'), 400);
    expect(await snapshot(b.id)).toBe(beforeB);
    const paid = expectStatus(await book(b.id, 'free_expert.kpi_monitoring', csm, { promisedValueMinor: yuan(300_000) }), 201);
    expect(paid.booking).toMatchObject({ kind: 'paid', amountMinor: yuan(80_000), promisedValueMinor: yuan(300_000), status: 'booked' });
    // another workspace: its account and items are not found here
    const beforeA = await snapshot(a.id);
    const foreign = await makeAccount(sales2, manager2, 'A', { revenueTargetMinor: yuan(1_000_000) });
    expectStatus(await book(foreign.id, 'core.brainstorming'), 404);
    const foreignItem = (expectStatus(await admin2.get('/api/value-add/catalog'), 200).items as Json[])[0];
    expectStatus(await csm.post(`/api/accounts/${a.id}/value-add/bookings`, { catalogItemId: foreignItem.id }), 404);
    expectStatus(await admin2.get(`/api/accounts/${a.id}/value-add/budget`), 404);
    expect(await snapshot(a.id)).toBe(beforeA);
    // roles: after-sales and experts may not book, channel implementers do not see this account
    expectStatus(await afterSales.post(`/api/accounts/${a.id}/value-add/bookings`, { catalogItemId: item('core.brainstorming').id }), 403);
    expectStatus(await channel.get(`/api/accounts/${a.id}/value-add/budget`), 404);
  });

  it('with approval on: a booking that does not fit waits; approving your own is refused; a manager grants the shortfall', async () => {
    expectStatus(await admin.put('/api/value-add/settings', { overflowPolicy: 'approval' }), 200);
    try {
      const c = await makeAccount(sales, manager, 'C', { revenueTargetMinor: yuan(1_000_000) }); // 2万 budget
      const first = expectStatus(await book(c.id, 'core.brainstorming', manager), 201); // 3万 > 2万
      expect(first.booking.status).toBe('pending_approval');
      expect(first.budget.budget.remainingMinor).toBe(yuan(20_000));
      const self = expectStatus(await manager.post(`/api/value-add/bookings/${first.booking.id}/approve`), 403);
      expect(self.message).toBe('You cannot approve your own booking.');
      expectStatus(await afterSales.post(`/api/value-add/bookings/${first.booking.id}/approve`), 403);
      expectStatus(await csm.post(`/api/value-add/bookings/${first.booking.id}/approve`), 403);
      expectStatus(await admin2.post(`/api/value-add/bookings/${first.booking.id}/approve`), 404);
      const pending = expectStatus(await admin.get('/api/value-add/bookings?status=pending_approval'), 200).items as Json[];
      expect(pending.map((p) => p.id)).toContain(first.booking.id);
      const ok = expectStatus(await admin.post(`/api/value-add/bookings/${first.booking.id}/approve`), 200);
      expect(ok.booking.status).toBe('booked');
      expect(ok.budget.budget).toMatchObject({
        budgetMinor: yuan(20_000),
        extraMinor: yuan(10_000),
        committedMinor: yuan(30_000),
        remainingMinor: 0,
      });
      expectStatus(await admin.post(`/api/value-add/bookings/${first.booking.id}/approve`), 409);
      // a second request is rejected with a reason; nothing drawn
      const second = expectStatus(await book(c.id, 'core.regular_meeting', csm), 201);
      expect(second.booking.status).toBe('pending_approval');
      expectStatus(await manager.post(`/api/value-add/bookings/${second.booking.id}/reject`, { reason: '' }), 400);
      expectStatus(await manager.post(`/api/value-add/bookings/${second.booking.id}/reject`, { reason: '本季度预算已用完' }), 200);
      expect((await budgetOf(c.id)).budget.remainingMinor).toBe(0);
    } finally {
      expectStatus(await admin.put('/api/value-add/settings', { overflowPolicy: 'refuse' }), 200);
    }
  });

  it('a ratio change rebases budgets, never below what is committed', async () => {
    const c = await makeAccount(sales, manager, 'C', { revenueTargetMinor: yuan(2_000_000) }); // 4万
    expectStatus(await book(c.id, 'core.brainstorming'), 201); // 3万
    expectStatus(await admin.put('/api/value-add/settings', { ratioPercent: 1 }), 200); // would be 2万
    expect((await budgetOf(c.id)).budget).toMatchObject({ ratioBp: 100, budgetMinor: yuan(30_000), remainingMinor: 0 });
    expectStatus(await admin.put('/api/value-add/settings', { ratioPercent: 3 }), 200);
    expect((await budgetOf(c.id)).budget).toMatchObject({ ratioBp: 300, budgetMinor: yuan(60_000), remainingMinor: yuan(30_000) });
    expectStatus(await admin.put('/api/value-add/settings', { ratioPercent: 2 }), 200);
  });
});

describe('focus, recommendations and the service plan', () => {
  let a: Json;
  beforeAll(async () => {
    a = await makeAccount(sales, manager, 'A', { revenueTargetMinor: yuan(5_000_000) }); // 10万
  });

  it('records the focus tasks chosen with the customer', async () => {
    expectStatus(await csm.put(`/api/accounts/${a.id}/value-add/focus`, { tasks: [] }), 400);
    expectStatus(await csm.put(`/api/accounts/${a.id}/value-add/focus`, { tasks: ['sell_more'] }), 400);
    expectStatus(await csm.put(`/api/accounts/${a.id}/value-add/focus`, { tasks: ['capture'], period: '2026-H3' }), 400);
    expectStatus(await afterSales.put(`/api/accounts/${a.id}/value-add/focus`, { tasks: ['capture'] }), 403);
    expectStatus(await admin2.put(`/api/accounts/${a.id}/value-add/focus`, { tasks: ['capture'] }), 404);
    const r = expectStatus(
      await csm.put(`/api/accounts/${a.id}/value-add/focus`, { tasks: ['incubate', 'capture', 'incubate'], note: '客户明年有扩容计划' }),
      200,
    );
    expect(r.tasks).toEqual(['capture', 'incubate']);
    const f = expectStatus(await sales.get(`/api/accounts/${a.id}/value-add/focus`), 200);
    expect(f.current).toMatchObject({
      tasks: ['capture', 'incubate'],
      labels: ['capture opportunities', 'incubate opportunities'],
      note: '客户明年有扩容计划',
    });
  });

  it('recommends items for the focus, ranked, each with its reasons', async () => {
    const r = expectStatus(await csm.get(`/api/accounts/${a.id}/value-add/recommendations`), 200);
    expect(r.focus).toEqual(['capture', 'incubate']);
    expect(r.remainingMinor).toBe(yuan(100_000));
    // one list: four services serve both focus tasks (each once: no twin from a second menu)
    const top = r.items.slice(0, 5).map((i: Json) => i.servedTasks.length);
    expect(top).toEqual([2, 2, 2, 2, 1]);
    expect(new Set(r.items.map((i: Json) => i.itemId)).size).toBe(r.items.length);
    for (const i of r.items) {
      expect(i.servedTasks.length).toBeGreaterThan(0);
      expect(i.reasons.length).toBe(3);
    }
    expect(r.items[0].reasons[0]).toMatch(/^Serves 2 of 2 focus tasks/);
    // cheaper first among equals: brainstorming (seed 003, 3万) before project review (4万)
    const codes = r.items.map((i: Json) => catalog.find((c) => c.id === i.itemId)!.code);
    expect(codes.indexOf('core.optimisation_advice')).toBeLessThan(codes.indexOf('core.project_review'));
    expect(codes).not.toContain('core.private_visit'); // behaviour only: serves no focus task
    const zh = expectStatus(await csm.get(`/api/accounts/${a.id}/value-add/recommendations?tasks=behaviour`), 200);
    expect(zh.items.map((i: Json) => i.nameZh)).toEqual(['私下拜会，了解项目行为规律']);
  });

  it('moves a task planned → scheduled → done → evaluated and links the opportunity it produced', async () => {
    const b = expectStatus(await book(a.id, 'core.case_visit'), 201);
    const id = b.task.id;
    expect(b.task.status).toBe('planned');
    expectStatus(await csm.patch(`/api/value-add/tasks/${id}`, { status: 'scheduled' }), 400);
    expectStatus(await csm.patch(`/api/value-add/tasks/${id}`, { status: 'done', outcome: 'x' }), 400);
    expectStatus(await csm.patch(`/api/value-add/tasks/${id}`, { status: 'scheduled', dueOn: '2026-12-08' }), 200);
    expectStatus(await csm.patch(`/api/value-add/tasks/${id}`, { status: 'cancelled' }), 409); // cancel through the booking
    expectStatus(await csm.patch(`/api/value-add/tasks/${id}`, { status: 'done' }), 400);
    expectStatus(await afterSales.patch(`/api/value-add/tasks/${id}`, { status: 'done', outcome: '客户参观了标杆案例' }), 200);
    expectStatus(await csm.patch(`/api/value-add/tasks/${id}`, { status: 'evaluated', metricsMoved: ['capture'] }), 400);
    const ev = expectStatus(await csm.patch(`/api/value-add/tasks/${id}`, { status: 'evaluated', metricsMoved: ['solution', 'closeness'] }), 200);
    expect(ev.metricsMoved).toEqual(['closeness', 'solution']);
    expectStatus(await csm.post(`/api/value-add/bookings/${b.booking.id}/cancel`), 409); // done work is not refunded
    expectStatus(await csm.post(`/api/value-add/tasks/${id}/opportunities`, { title: '二期扩容', amountMinor: 1.5 }), 400);
    expectStatus(await admin2.post(`/api/value-add/tasks/${id}/opportunities`, { title: '二期扩容' }), 404);
    const o = expectStatus(
      await csm.post(`/api/value-add/tasks/${id}/opportunities`, { title: '二期扩容', amountMinor: yuan(800_000), product: '服务云' }),
      201,
    );
    expect(o.stage).toBe('captured');
    const tasks = expectStatus(await csm.get(`/api/accounts/${a.id}/value-add/tasks`), 200).items as Json[];
    const t1 = tasks.find((x) => x.id === id)!;
    expect(t1).toMatchObject({ status: 'evaluated', outcome: '客户参观了标杆案例', booking: { status: 'booked', amountMinor: yuan(30_000) } });
    expect(t1.opportunities).toEqual([{ id: o.id, title: '二期扩容', stage: 'captured', amountMinor: yuan(800_000) }]);
  });

  it('past effect on comparable accounts shows in the reasons', async () => {
    const other = await makeAccount(sales, manager, 'A', { revenueTargetMinor: yuan(5_000_000) });
    const r = expectStatus(await csm.get(`/api/accounts/${other.id}/value-add/recommendations?tasks=capture,incubate`), 200);
    const caseVisit = r.items.find((i: Json) => i.itemId === item('core.case_visit').id);
    expect(caseVisit.reasons[2]).toBe('Done 1 times on comparable accounts: 1 moved a relationship metric, CNY 800,000.00 of opportunities');
    expect(caseVisit.effectScore).toBeGreaterThan(0);
  });
});

describe('input vs output', () => {
  it('ranks accounts by output per spend and flags high spend with low output', async () => {
    const r = expectStatus(await manager.get(`/api/value-add/input-output`), 200);
    expect(r.items.length).toBeGreaterThan(2);
    for (const i of r.items) expect(i.spendMinor > 0 || i.capturedMinor > 0).toBe(true);
    expect(r.items.map((i: Json) => i.rank)).toEqual(r.items.map((_: Json, k: number) => k + 1));
    const flagged = r.items.filter((i: Json) => i.flagged);
    expect(flagged.length).toBeGreaterThan(0);
    for (const f of flagged) expect(f.reason).toBeTruthy();
    expect(r.totals.flagged).toBe(flagged.length);
    expectStatus(await manager.get(`/api/value-add/input-output?fiscalYear=1999`), 400);
    const w2 = expectStatus(await admin2.get(`/api/value-add/input-output`), 200);
    expect(w2.items.every((i: Json) => !r.items.some((x: Json) => x.accountId === i.accountId))).toBe(true);
  });

  it('counts the relationship uplift over the fiscal year as output', async () => {
    const r0 = expectStatus(await manager.get(`/api/value-add/input-output`), 200);
    const row = r0.items[0];
    const year = r0.fiscalYear;
    // closeness 2 → 4 and price acceptance 3 → 2 within the year (its first day, then today): +2 − 1 = +1
    const today = new Date().toISOString().slice(0, 10);
    for (const [metric, score, assessedOn] of [
      ['closeness', 2, `${year}-01-01`],
      ['closeness', 4, today],
      ['price_acceptance', 3, `${year}-01-01`],
      ['price_acceptance', 2, today],
    ] as const) {
      expectStatus(
        await manager.post(`/api/accounts/${row.accountId}/relationship-assessments`, { metric, score, evidence: '季度回访', assessedOn }),
        201,
      );
    }
    const r1 = expectStatus(await manager.get(`/api/value-add/input-output`), 200);
    expect(r1.items.find((i: Json) => i.accountId === row.accountId).relationshipUplift).toBe(1);
    expect(r1.items.find((i: Json) => i.accountId !== row.accountId && i.relationshipUplift !== null)).toBeUndefined();
  });
  it('uses unique names', () => expect(uniq()).not.toBe(uniq()));
});
