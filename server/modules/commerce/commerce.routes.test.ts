import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type Client, type TestApp } from '../../test/harness.js';
import { expectStatus, type Json } from '../../test/fixtures.js';

let t: TestApp;
let manager: Client, sales: Client, csm: Client, delivery: Client, implementer: Client, expert: Client, admin2: Client, kp: Client;
let acc: string, accB: string, partnerAcc: string, today: string;
const PW = 'Portal-pass-2026';
const plus = (d: number) => DateTime.fromISO(today).plus({ days: d }).toISODate()!;
const fieldsOf = (body: Json) => (body.fields ?? []).map((f: Json) => f.field as string);
const contractBody = (number: string, extra: Json = {}) => ({
  number,
  title: `${number} 合同`,
  amountMinor: 100_000_000,
  costMinor: 60_000_000,
  signedOn: plus(-200),
  startsOn: plus(-190),
  endsOn: plus(400),
  ...extra,
});

beforeAll(async () => {
  t = await startTestApp();
  [manager, sales, csm, delivery, implementer, expert, admin2] = await Promise.all([
    t.as('manager'),
    t.as('sales'),
    t.as('csm'),
    t.as('delivery'),
    t.as('channel_implementer'),
    t.as('expert'),
    t.as('admin', t.w2),
  ]);
  const mk = async (name: string, extra: Json = {}) => {
    const a = expectStatus(await sales.post('/api/accounts', { name, industry: '制造', region: '华东', ...extra }), 201);
    expectStatus(
      await manager.put(`/api/accounts/${a.id}/team`, {
        salesId: t.w1.users.sales.id,
        deliveryId: t.w1.users.delivery.id,
        afterSalesId: t.w1.users.after_sales.id,
        csmId: t.w1.users.csm.id,
      }),
      200,
    );
    return a.id as string;
  };
  acc = await mk('合同客户甲');
  accB = await mk('合同客户乙');
  partnerAcc = await mk('渠道客户', { channelPartnerId: t.w1.partnerId });
  const c = expectStatus(await sales.post(`/api/accounts/${acc}/contacts`, { name: '钱工', side: 'operations_it' }), 201);
  expectStatus(await sales.post(`/api/contacts/${c.id}/key-person-login`, { email: 'kp-commerce@customer.test', password: PW }), 201);
  kp = await t.login('kp-commerce@customer.test', PW, '/api/portal/auth/login');
  today = expectStatus(await sales.get(`/api/accounts/${acc}/contracts`), 200).today;
});
afterAll(() => t?.close());

describe('contracts', () => {
  it('records a contract; refuses bad terms naming the field; a taken number is 409; cost only for leads', async () => {
    const c = expectStatus(
      await sales.post(
        `/api/accounts/${acc}/contracts`,
        contractBody('HT-001', { services: [{ name: '报表定制', customisation: true }], slaTier: 'A' }),
      ),
      201,
    );
    // sales may write the cost but not read it back; a lead reads it
    expect(c).toMatchObject({ number: 'HT-001', amountMinor: 100_000_000, costMinor: null, version: 1 });
    const seen = expectStatus(await manager.get(`/api/contracts/${c.id}`), 200);
    expect(seen.contract.costMinor).toBe(60_000_000);
    expect(fieldsOf(expectStatus(await sales.post(`/api/accounts/${acc}/contracts`, contractBody('HT-002', { endsOn: plus(-195) })), 400))).toEqual([
      'endsOn',
    ]);
    expect(fieldsOf(expectStatus(await sales.post(`/api/accounts/${acc}/contracts`, contractBody('HT-002', { amountMinor: -1 })), 400))).toContain(
      'amountMinor',
    );
    expect(fieldsOf(expectStatus(await sales.post(`/api/accounts/${accB}/contracts`, contractBody('HT-001')), 409))).toEqual(['number']);
    // nothing of the refused ones was kept
    expect(expectStatus(await sales.get(`/api/accounts/${acc}/contracts`), 200).items.map((x: Json) => x.number)).toEqual(['HT-001']);
    // a stale version is a failed precondition (412, like every editable record), names who changed it, and changes nothing
    expectStatus(await sales.patch(`/api/contracts/${c.id}`, { title: '新标题', version: 1 }), 200);
    const stale = expectStatus(await sales.patch(`/api/contracts/${c.id}`, { title: '旧快照', version: 1 }), 412);
    expect(stale.error).toBe('precondition_failed');
    expect(stale.message).toContain(t.w1.users.sales.name);
    expect(expectStatus(await sales.get(`/api/contracts/${c.id}`), 200).contract).toMatchObject({ title: '新标题', version: 2 });
  });

  it('401 anonymous, 403 without the right, 404 across workspaces, channel partners and portal accounts — nothing changed', async () => {
    const c = expectStatus(await sales.post(`/api/accounts/${accB}/contracts`, contractBody('HT-B1')), 201);
    expectStatus(await t.anon.get(`/api/contracts/${c.id}`), 401);
    expectStatus(await expert.post(`/api/accounts/${accB}/contracts`, contractBody('HT-X')), 403);
    expectStatus(await expert.get(`/api/contracts/${c.id}`), 403);
    expectStatus(await csm.patch(`/api/contracts/${c.id}`, { title: 'x' }), 403);
    expectStatus(await kp.get(`/api/contracts/${c.id}`), 403);
    expectStatus(await kp.get(`/api/accounts/${acc}/contracts`), 403);
    // the other workspace: the same answer as for an id that does not exist
    const missing = '00000000-0000-4000-8000-000000000000';
    for (const id of [c.id, missing]) {
      expectStatus(await admin2.get(`/api/contracts/${id}`), 404);
      expectStatus(await admin2.patch(`/api/contracts/${id}`, { title: '越权' }), 404);
      expectStatus(await admin2.post(`/api/contracts/${id}/payments`, { receivedOn: today, amountMinor: 1 }), 404);
      expectStatus(await admin2.del(`/api/contracts/${id}`), 404);
    }
    expectStatus(await admin2.get(`/api/accounts/${accB}/contracts`), 404);
    // the channel implementer sees its partner's account only
    const pc = expectStatus(await sales.post(`/api/accounts/${partnerAcc}/contracts`, contractBody('HT-P1')), 201);
    expectStatus(await implementer.get(`/api/accounts/${partnerAcc}/projects`), 200);
    const project = expectStatus(await manager.post(`/api/contracts/${pc.id}/projects`, { name: '渠道交付' }), 201);
    expectStatus(await implementer.post(`/api/projects/${project.id}/time-entries`, { workedOn: today, hours: 3 }), 201);
    const direct = expectStatus(await manager.post(`/api/contracts/${c.id}/projects`, { name: '直销交付' }), 201);
    expectStatus(await implementer.post(`/api/projects/${direct.id}/time-entries`, { workedOn: today, hours: 3 }), 404);
    expectStatus(await implementer.get(`/api/projects/${direct.id}`), 404);
    expect(expectStatus(await sales.get(`/api/contracts/${c.id}`), 200).contract.title).toBe('HT-B1 合同');
    expect(expectStatus(await manager.get(`/api/projects/${direct.id}`), 200).hours).toBe(0);
  });

  it('a contract with records under it cannot be deleted (409); an empty one can', async () => {
    const c = expectStatus(await sales.post(`/api/accounts/${accB}/contracts`, contractBody('HT-DEL')), 201);
    const item = expectStatus(await sales.post(`/api/contracts/${c.id}/plan-items`, { label: '首付', dueOn: plus(10), amountMinor: 100 }), 201);
    expectStatus(await sales.del(`/api/contracts/${c.id}`), 409);
    expectStatus(await sales.del(`/api/plan-items/${item.id}`), 200);
    expectStatus(await sales.del(`/api/contracts/${c.id}`), 200);
    expectStatus(await sales.get(`/api/contracts/${c.id}`), 404);
  });
});

describe('collections and the grading factors they give', () => {
  it('computes credit, order amount and margin from the record; tiers regrade; a hand override needs a reason and can be dropped', async () => {
    const acct = expectStatus(await sales.post('/api/accounts', { name: '回款客户', industry: '制造', region: '华北', onTimePaymentPct: 90 }), 201);
    const c = expectStatus(
      await sales.post(`/api/accounts/${acct.id}/contracts`, contractBody('HT-PAY', { amountMinor: 40_000_000, costMinor: 30_000_000 })),
      201,
    );
    // no plan item fell due yet: credit has no history (the hand value 90 is replaced by the computed "unknown")
    let a = expectStatus(await sales.get(`/api/accounts/${acct.id}`), 200);
    expect(a.gradingComputed).toMatchObject({ onTimePaymentPct: null, orderAmountMinor: 40_000_000, profitMarginPct: 25 });
    expect(a).toMatchObject({ onTimePaymentPct: null, orderAmountMinor: 40_000_000, profitMarginPct: 25 });
    // two items fell due: one paid on time, one paid late → 50
    const i1 = expectStatus(
      await sales.post(`/api/contracts/${c.id}/plan-items`, { label: '首付款', dueOn: plus(-100), amountMinor: 10_000_000 }),
      201,
    );
    const i2 = expectStatus(
      await sales.post(`/api/contracts/${c.id}/plan-items`, { label: '进度款', dueOn: plus(-40), amountMinor: 10_000_000 }),
      201,
    );
    expectStatus(await sales.post(`/api/contracts/${c.id}/payments`, { receivedOn: plus(-101), amountMinor: 10_000_000, planItemId: i1.id }), 201);
    expectStatus(await sales.post(`/api/contracts/${c.id}/payments`, { receivedOn: plus(-20), amountMinor: 10_000_000 }), 201);
    a = expectStatus(await sales.get(`/api/accounts/${acct.id}`), 200);
    expect(a.onTimePaymentPct).toBe(50);
    const detail = expectStatus(await sales.get(`/api/contracts/${c.id}`), 200);
    expect(detail.planItems.map((p: Json) => [p.label, p.state])).toEqual([
      ['首付款', 'paid'],
      ['进度款', 'paid_late'],
    ]);
    // a payment naming another contract's item is refused, naming the field
    const other = expectStatus(await sales.post(`/api/accounts/${acct.id}/contracts`, contractBody('HT-PAY2')), 201);
    expect(
      fieldsOf(expectStatus(await sales.post(`/api/contracts/${other.id}/payments`, { receivedOn: today, amountMinor: 5, planItemId: i2.id }), 400)),
    ).toEqual(['planItemId']);
    // overriding a computed factor by hand needs the reason; with it, the override sticks through recomputes
    expect(fieldsOf(expectStatus(await sales.patch(`/api/accounts/${acct.id}`, { onTimePaymentPct: 95 }), 400))).toEqual(['factorReason']);
    a = expectStatus(await sales.patch(`/api/accounts/${acct.id}`, { onTimePaymentPct: 95, factorReason: '晚付那笔是我方发票开错' }), 200);
    expect(a.onTimePaymentPct).toBe(95);
    expect(a.gradingOverrides.onTimePaymentPct).toMatchObject({ reason: '晚付那笔是我方发票开错', byUserId: t.w1.users.sales.id });
    expectStatus(await sales.post(`/api/contracts/${c.id}/plan-items`, { label: '尾款', dueOn: plus(-5), amountMinor: 10_000_000 }), 201);
    a = expectStatus(await sales.get(`/api/accounts/${acct.id}`), 200);
    expect(a.onTimePaymentPct).toBe(95);
    expect(a.gradingComputed.onTimePaymentPct).toBe(33);
    // dropping the override brings the computed figure back
    a = expectStatus(await sales.del(`/api/accounts/${acct.id}/grading-overrides/onTimePaymentPct`), 200);
    expect(a.onTimePaymentPct).toBe(33);
    expect(a.gradingOverrides).toEqual({});
    expectStatus(await sales.del(`/api/accounts/${acct.id}/grading-overrides/onTimePaymentPct`), 404);
  });
});

describe('delivery projects, milestones, acceptance and time', () => {
  it('keeps milestones with plan and actual days, acceptance, and hours per engineer; only one’s own time unless a lead', async () => {
    const c = expectStatus(await sales.post(`/api/accounts/${acc}/contracts`, contractBody('HT-PRJ')), 201);
    const p = expectStatus(await manager.post(`/api/contracts/${c.id}/projects`, { name: 'MES 一期', managerId: t.w1.users.delivery.id }), 201);
    const m1 = expectStatus(await delivery.post(`/api/projects/${p.id}/milestones`, { title: '蓝图确认', plannedOn: plus(-30) }), 201);
    expectStatus(await delivery.post(`/api/projects/${p.id}/milestones`, { title: '上线', plannedOn: plus(-5) }), 201);
    expectStatus(await delivery.patch(`/api/project-milestones/${m1.id}`, { actualOn: plus(-31) }), 200);
    expectStatus(await csm.post(`/api/projects/${p.id}/milestones`, { title: 'x', plannedOn: today }), 403);
    // acceptance needs its day and whether it passed the first time
    expect(fieldsOf(expectStatus(await delivery.patch(`/api/projects/${p.id}`, { acceptedOn: plus(-1) }), 400))).toEqual(['firstPass']);
    expectStatus(await delivery.patch(`/api/projects/${p.id}`, { acceptedOn: plus(-1), firstPass: false, defects: 3 }), 200);
    // time: one's own; a lead for anyone; not for someone of another workspace
    expectStatus(await delivery.post(`/api/projects/${p.id}/time-entries`, { workedOn: plus(-2), hours: 6.5 }), 201);
    expectStatus(await delivery.post(`/api/projects/${p.id}/time-entries`, { workedOn: plus(-2), hours: 6, userId: t.w1.users.expert.id }), 403);
    expectStatus(await manager.post(`/api/projects/${p.id}/time-entries`, { workedOn: plus(-1), hours: 4, userId: t.w1.users.expert.id }), 201);
    expect(
      fieldsOf(
        expectStatus(await manager.post(`/api/projects/${p.id}/time-entries`, { workedOn: plus(-1), hours: 4, userId: t.w2.users.expert.id }), 400),
      ),
    ).toEqual(['userId']);
    expect(fieldsOf(expectStatus(await delivery.post(`/api/projects/${p.id}/time-entries`, { workedOn: today, hours: 25 }), 400))).toEqual(['hours']);
    const view = expectStatus(await sales.get(`/api/projects/${p.id}`), 200);
    expect(view).toMatchObject({ hours: 10.5, firstPass: false, defects: 3, managerName: t.w1.users.delivery.name });
    expect(view.milestones.map((m: Json) => [m.title, m.state])).toEqual([
      ['蓝图确认', 'done_on_time'],
      ['上线', 'late'],
    ]);
    const mine = expectStatus(await delivery.get(`/api/time-entries?from=${plus(-10)}&to=${today}`), 200).items;
    expect(mine.map((e: Json) => e.hours)).toEqual([6.5]);
    expectStatus(await delivery.get(`/api/time-entries?from=${plus(-10)}&to=${today}&userId=${t.w1.users.expert.id}`), 403);
    expect(expectStatus(await manager.get(`/api/time-entries?from=${plus(-10)}&to=${today}&projectId=${p.id}`), 200).items).toHaveLength(2);
    // someone else's entry is not found for a non-lead
    const theirs = expectStatus(await manager.get(`/api/time-entries?from=${plus(-10)}&to=${today}&userId=${t.w1.users.expert.id}`), 200).items[0];
    expectStatus(await delivery.patch(`/api/time-entries/${theirs.id}`, { hours: 1 }), 404);
    expectStatus(await delivery.del(`/api/time-entries/${theirs.id}`), 404);
    expectStatus(await admin2.del(`/api/time-entries/${theirs.id}`), 404);
    expectStatus(await manager.del(`/api/time-entries/${theirs.id}`), 200);
  });

  it('a time entry is corrected by its engineer or a lead: 400 naming the field, 412 when stale, 404 elsewhere — a refused change keeps nothing', async () => {
    const c = expectStatus(await sales.post(`/api/accounts/${acc}/contracts`, contractBody('HT-工时')), 201);
    const p = expectStatus(await manager.post(`/api/contracts/${c.id}/projects`, { name: '工时更正', managerId: t.w1.users.delivery.id }), 201);
    const e = expectStatus(await delivery.post(`/api/projects/${p.id}/time-entries`, { workedOn: plus(-3), hours: 6, note: '现场' }), 201);
    expect(e.version).toBe(1);
    const fixed = expectStatus(
      await delivery.patch(`/api/time-entries/${e.id}`, { workedOn: plus(-2), hours: 7.5, note: '现场调试', version: 1 }),
      200,
    );
    expect(fixed).toMatchObject({ id: e.id, workedOn: plus(-2), hours: 7.5, note: '现场调试', version: 2 });
    // the project's hours follow the correction
    expect(expectStatus(await sales.get(`/api/projects/${p.id}`), 200).hours).toBe(7.5);
    // an unchanged field is no change: the version stays
    expect(expectStatus(await delivery.patch(`/api/time-entries/${e.id}`, { hours: 7.5, version: 2 }), 200).version).toBe(2);
    // refused: a bad field (400 naming it), a stale version (412 naming who changed it), someone of another workspace (404)
    expect(fieldsOf(expectStatus(await delivery.patch(`/api/time-entries/${e.id}`, { hours: 25, version: 2 }), 400))).toEqual(['hours']);
    expect(fieldsOf(expectStatus(await delivery.patch(`/api/time-entries/${e.id}`, { workedOn: '2026-02-30', version: 2 }), 400))).toEqual([
      'workedOn',
    ]);
    expect(fieldsOf(expectStatus(await delivery.patch(`/api/time-entries/${e.id}`, { projectId: p.id, version: 2 }), 400))).toEqual(['projectId']);
    const stale = expectStatus(await delivery.patch(`/api/time-entries/${e.id}`, { hours: 1, version: 1 }), 412);
    expect(stale.error).toBe('precondition_failed');
    expect(stale.message).toContain(t.w1.users.delivery.name);
    expectStatus(await admin2.patch(`/api/time-entries/${e.id}`, { hours: 1 }), 404);
    expectStatus(await t.anon.patch(`/api/time-entries/${e.id}`, { hours: 1 }), 401);
    // a lead may correct anyone's
    expect(expectStatus(await manager.patch(`/api/time-entries/${e.id}`, { hours: 8, version: 2 }), 200)).toMatchObject({ hours: 8, version: 3 });
    const [kept] = expectStatus(await delivery.get(`/api/time-entries?from=${plus(-5)}&to=${today}&projectId=${p.id}`), 200).items;
    expect(kept).toMatchObject({ workedOn: plus(-2), hours: 8, note: '现场调试', version: 3, projectName: '工时更正' });
    // the list names the project and its account (a closed project is not among those one can book on)
    expect(kept.accountName).toBe(expectStatus(await sales.get(`/api/accounts/${acc}`), 200).name);
  });

  it('a customisation is covered while a contract with a customised service is in force', async () => {
    const cover = expectStatus(await sales.get(`/api/accounts/${acc}/customisation-cover`), 200);
    expect(cover.covered).toBe(true);
    expect(cover.contracts.map((c: Json) => c.number)).toEqual(['HT-001']);
    expect(expectStatus(await sales.get(`/api/accounts/${accB}/customisation-cover`), 200).covered).toBe(false);
    expectStatus(await admin2.get(`/api/accounts/${acc}/customisation-cover`), 404);
  });
});

describe('the SLA a contract buys', () => {
  it('a ticket opened while a contract naming tier A is in force gets tier A targets and says why; without one, the account tier applies', async () => {
    const acct = expectStatus(await sales.post('/api/accounts', { name: 'SLA 客户', industry: '制造', region: '西南' }), 201);
    expectStatus(
      await manager.put(`/api/accounts/${acct.id}/team`, {
        salesId: t.w1.users.sales.id,
        deliveryId: t.w1.users.delivery.id,
        afterSalesId: t.w1.users.after_sales.id,
        csmId: t.w1.users.csm.id,
      }),
      200,
    );
    const tier = expectStatus(await sales.get(`/api/accounts/${acct.id}`), 200).tier;
    const ticket = async () =>
      expectStatus(
        await sales.post('/api/tickets', { accountId: acct.id, title: '报表异常', description: '日报为空', kind: 'product_issue', severity: 'high' }),
        201,
      ).id;
    const before = expectStatus(await sales.get(`/api/tickets/${await ticket()}`), 200);
    expect(before.policy.tier).toBe(tier);
    const c = expectStatus(await sales.post(`/api/accounts/${acct.id}/contracts`, contractBody('HT-SLA', { slaTier: 'A' })), 201);
    const bought = expectStatus(await sales.get(`/api/tickets/${await ticket()}`), 200);
    expect(bought.policy.tier).toBe('A');
    expect(bought.dispatchReason).toContain('HT-SLA');
    // A's targets, as the SLA settings say
    const a = (expectStatus(await manager.get('/api/settings/sla'), 200).policies as Json[]).find((p) => p.tier === 'A' && p.severity === 'high')!;
    expect(bought.policy.resolutionMinutes).toBe(a.resolutionMinutes);
    // once the contract (and its maintenance) ended, the account's own tier applies again
    expectStatus(await sales.patch(`/api/contracts/${c.id}`, { signedOn: plus(-400), startsOn: plus(-400), endsOn: plus(-10) }), 200);
    expect(expectStatus(await sales.get(`/api/tickets/${await ticket()}`), 200).policy.tier).toBe(tier);
  });
});

describe('renewals', () => {
  it('a contract ending in 60 days raises a renewal opportunity and appears on the renewal board with the stage suggested', async () => {
    const acct = expectStatus(await sales.post('/api/accounts', { name: '续约客户', industry: '制造', region: '华南', stage: 'adaptation' }), 201);
    expectStatus(
      await manager.put(`/api/accounts/${acct.id}/team`, {
        salesId: t.w1.users.sales.id,
        deliveryId: t.w1.users.delivery.id,
        afterSalesId: t.w1.users.after_sales.id,
        csmId: t.w1.users.csm.id,
      }),
      200,
    );
    const c = expectStatus(
      await sales.post(`/api/accounts/${acct.id}/contracts`, contractBody('HT-REN', { endsOn: plus(60), amountMinor: 30_000_000 })),
      201,
    );
    expect(c.renewalOpportunityId).toEqual(expect.any(String));
    const opp = expectStatus(await sales.get(`/api/opportunities/${c.renewalOpportunityId}`), 200);
    expect(opp).toMatchObject({ accountId: acct.id, sourceKind: 'contract', amountMinor: 30_000_000 });
    // credited to the account's CSM, like any opportunity captured in service
    expect(opp.capturedById ?? opp.capturedBy?.id).toBe(t.w1.users.csm.id);
    const board = expectStatus(await sales.get('/api/renewals?within=90'), 200);
    const row = board.items.find((x: Json) => x.contractId === c.id);
    expect(row).toMatchObject({ bucket: 60, daysLeft: 60, suggestStage: true, stage: 'adaptation', opportunity: { id: c.renewalOpportunityId } });
    expect(row.reason).toContain('HT-REN');
    expect(expectStatus(await sales.get('/api/renewals?within=30'), 200).items.some((x: Json) => x.contractId === c.id)).toBe(false);
    // another workspace's board does not list it; a channel implementer's neither; a key person has no board
    expect(expectStatus(await admin2.get('/api/renewals'), 200).items).toEqual([]);
    expectStatus(await implementer.get('/api/renewals'), 403);
    expectStatus(await kp.get('/api/renewals'), 403);
    // a renewing contract takes it off the board
    expectStatus(
      await sales.post(
        `/api/accounts/${acct.id}/contracts`,
        contractBody('HT-REN-2', { renewalOf: c.id, signedOn: today, startsOn: plus(61), endsOn: plus(426) }),
      ),
      201,
    );
    expect(expectStatus(await sales.get('/api/renewals'), 200).items.some((x: Json) => x.contractId === c.id)).toBe(false);
    // renewing another account's contract is refused, naming the field
    expect(fieldsOf(expectStatus(await sales.post(`/api/accounts/${accB}/contracts`, contractBody('HT-REN-3', { renewalOf: c.id })), 400))).toEqual([
      'renewalOf',
    ]);
  });
});
