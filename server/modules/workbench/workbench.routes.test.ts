import { sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/client.js';
import { expectStatus, uniq, type Json } from '../../test/fixtures.js';
import { startTestApp, type Client, type TestApp, type TestWorkspace } from '../../test/harness.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const TZ = 'Asia/Shanghai';

let t: TestApp;
let admin: Client, manager: Client, sales: Client, afterSales: Client, expert: Client, channel: Client, kp: Client;
let admin2: Client, manager2: Client, sales2: Client, afterSales2: Client;

/** What each test looks for, by name. */
const ids: Record<string, string> = {};

const at = (iso: Date) => sql`${iso.toISOString()}::timestamptz`;
const localToday = () => DateTime.now().setZone(TZ).startOf('day');

async function makeAccount(as: Client, ws: TestWorkspace, key: string, body: Json = {}) {
  const a = expectStatus(
    await as.post('/api/accounts', { name: uniq(key), industry: '工程机械', region: '华东', ownerId: ws.users.manager.id, ...body }),
    201,
  );
  ids[key] = a.id;
  return a.id as string;
}

/** A ticket on an account, then owner/team/accountable and the SLA clocks set exactly as the test needs. */
async function makeTicket(
  as: Client,
  key: string,
  accountId: string,
  o: {
    ownerId?: string | null;
    teamId?: string | null;
    accountableId?: string | null;
    status?: string;
    severity?: string;
    clock: 'breached' | 'warning' | 'running' | 'met';
    dueInHours?: number;
  },
) {
  const r = expectStatus(
    await as.post('/api/tickets', {
      accountId,
      title: `工单 ${key}`,
      description: '测试工单',
      kind: 'product_issue',
      severity: o.severity ?? 'medium',
      channel: 'phone',
    }),
    201,
  );
  ids[key] = r.id;
  await t.db.execute(
    sql`update tickets set owner_id = ${o.ownerId ?? null}, team_id = ${o.teamId ?? null}, accountable_id = ${o.accountableId ?? null}, status = ${o.status ?? 'open'}, resolved_at = ${o.status === 'resolved' ? sql`now()` : sql`null`} where id = ${r.id}`,
  );
  const now = Date.now();
  const due = new Date(now + (o.dueInHours ?? 24) * HOUR);
  if (o.clock === 'breached')
    await t.db.execute(
      sql`update sla_clocks set due_at = ${at(new Date(now - HOUR))}, warn_at = ${at(new Date(now - 2 * HOUR))}, breached_at = ${at(new Date(now - HOUR))}, met_at = null where ticket_id = ${r.id}`,
    );
  if (o.clock === 'warning')
    await t.db.execute(
      sql`update sla_clocks set due_at = ${at(due)}, warn_at = ${at(new Date(now - HOUR))}, breached_at = null, met_at = null where ticket_id = ${r.id}`,
    );
  if (o.clock === 'running')
    await t.db.execute(
      sql`update sla_clocks set due_at = ${at(due)}, warn_at = ${at(new Date(due.getTime() - HOUR / 2))}, breached_at = null, met_at = null where ticket_id = ${r.id}`,
    );
  if (o.clock === 'met')
    await t.db.execute(sql`update sla_clocks set met_at = ${at(new Date(now - HOUR))}, breached_at = null where ticket_id = ${r.id}`);
  return r.id as string;
}

async function makeMeeting(as: Client, key: string, accountId: string, start: DateTime, attendeeIds: string[]) {
  const m = expectStatus(
    await as.post('/api/meetings', {
      accountId,
      kind: 'ad_hoc',
      cause: 'requirement_change',
      title: `会议 ${key}`,
      startsAt: start.toUTC().toISO(),
      endsAt: start.plus({ minutes: 30 }).toUTC().toISO(),
      attendeeIds,
    }),
    201,
  );
  ids[key] = m.id;
  return m.id as string;
}

async function makeActionItem(as: Client, key: string, meetingId: string, ownerId: string, dueOn: string | null) {
  const a = expectStatus(await as.post(`/api/meetings/${meetingId}/action-items`, { title: `行动项 ${key}`, ownerId, dueOn }), 201);
  ids[key] = a.id;
  return a.id as string;
}

async function setHealth(ws: TestWorkspace, accountId: string, score: number, band: 'green' | 'amber' | 'red') {
  await t.db.execute(sql`insert into account_health (account_id, workspace_id, score, band, trend, groups, reasons, computed_at)
    values (${accountId}, ${ws.id}, ${score}, ${band}, 'down', '{}'::jsonb, ${JSON.stringify([{ 'zh-CN': '关系紧密度下降', en: 'relationship closeness fell' }])}::jsonb, now())`);
}

async function makeFollowUp(ws: TestWorkspace, key: string, accountId: string, ownerId: string, daysAgo: number) {
  const [r] = await queryRows<{ id: string }>(
    t.db,
    sql`insert into follow_up_tasks (workspace_id, account_id, owner_id, reason, detail, score, created_at)
        values (${ws.id}, ${accountId}, ${ownerId}, ${`health_red_${key}`}, '[]'::jsonb, 42, ${at(new Date(Date.now() - daysAgo * DAY))}) returning id`,
  );
  ids[key] = r.id;
  return r.id;
}

const get = async (c: Client) => expectStatus(await c.get('/api/workbench'), 200);

beforeAll(async () => {
  t = await startTestApp();
  [admin, manager, sales, afterSales, expert, channel] = await Promise.all([
    t.as('admin'),
    t.as('manager'),
    t.as('sales'),
    t.as('after_sales'),
    t.as('expert'),
    t.as('channel_implementer'),
  ]);
  [admin2, manager2, sales2, afterSales2] = await Promise.all([
    t.as('admin', t.w2),
    t.as('manager', t.w2),
    t.as('sales', t.w2),
    t.as('after_sales', t.w2),
  ]);
  const u = t.w1.users;
  const u2 = t.w2.users;

  // teams: the after-sales engineer is on the service desk team of w1 (so its unassigned tickets are in their queue)
  const desk = expectStatus(await admin.post('/api/teams', { name: '客服团队', kind: 'service_desk', leadId: u.manager.id }), 201);
  expectStatus(await admin.put(`/api/teams/${desk.id}/members`, { userIds: [u.after_sales.id] }), 200);
  ids.desk = desk.id;
  const desk2 = expectStatus(await admin2.post('/api/teams', { name: '客服团队', kind: 'service_desk', leadId: u2.manager.id }), 201);
  expectStatus(await admin2.put(`/api/teams/${desk2.id}/members`, { userIds: [u2.after_sales.id] }), 200);

  // accounts of w1: the after-sales engineer sits on R1–R5, the sales rep on S1; X is nobody's of theirs
  for (const k of ['R1', 'R2', 'R3', 'R4', 'R5']) {
    await makeAccount(sales, t.w1, k);
    expectStatus(
      await manager.put(`/api/accounts/${ids[k]}/team`, { salesId: null, deliveryId: null, afterSalesId: u.after_sales.id, csmId: null }),
      200,
    );
  }
  await makeAccount(sales, t.w1, 'S1');
  expectStatus(await manager.put(`/api/accounts/${ids.S1}/team`, { salesId: u.sales.id, deliveryId: null, afterSalesId: null, csmId: null }), 200);
  await makeAccount(sales, t.w1, 'X');
  // the channel implementer owns two accounts of their partner
  await makeAccount(sales, t.w1, 'C1');
  await makeAccount(sales, t.w1, 'C2');
  await t.db.execute(
    sql`update accounts set channel_partner_id = ${t.w1.partnerId}, owner_id = ${u.channel_implementer.id} where id in (${ids.C1}, ${ids.C2})`,
  );

  await setHealth(t.w1, ids.R1, 30, 'red');
  await setHealth(t.w1, ids.R2, 62, 'amber');
  await setHealth(t.w1, ids.R3, 55, 'amber');
  await setHealth(t.w1, ids.R4, 85, 'green');
  await setHealth(t.w1, ids.R5, 90, 'green');
  await setHealth(t.w1, ids.S1, 40, 'red');
  await setHealth(t.w1, ids.X, 10, 'red');
  await setHealth(t.w1, ids.C1, 20, 'red');
  await setHealth(t.w1, ids.C2, 20, 'red');
  await makeFollowUp(t.w1, 'F_R4_overdue', ids.R4, u.after_sales.id, 10);
  await makeFollowUp(t.w1, 'F_R5_fresh', ids.R5, u.after_sales.id, 2);
  await makeFollowUp(t.w1, 'F_S1', ids.S1, u.sales.id, 1);
  await makeFollowUp(t.w1, 'F_C1', ids.C1, u.channel_implementer.id, 9);

  // tickets of w1
  // created in the opposite order of their urgency, so the order seen is the server's doing
  for (let i = 8; i >= 0; i--) await makeTicket(sales, `T_far_${i}`, ids.X, { ownerId: u.after_sales.id, clock: 'running', dueInHours: 48 + i });
  await makeTicket(sales, 'T_due_5h', ids.X, { ownerId: u.after_sales.id, clock: 'running', dueInHours: 5 });
  await makeTicket(sales, 'T_due_2h', ids.X, { ownerId: u.after_sales.id, clock: 'running', dueInHours: 2 });
  await makeTicket(sales, 'T_team_warning', ids.X, { ownerId: null, teamId: ids.desk, clock: 'warning', dueInHours: 3 });
  await makeTicket(sales, 'T_breached', ids.X, { ownerId: u.after_sales.id, clock: 'breached', severity: 'low' });
  await makeTicket(sales, 'T_resolved', ids.X, { ownerId: u.after_sales.id, status: 'resolved', clock: 'met' });
  await makeTicket(sales, 'T_sales_owner', ids.X, { ownerId: u.sales.id, clock: 'running', dueInHours: 6 });
  await makeTicket(sales, 'T_sales_accountable', ids.X, { ownerId: u.delivery.id, accountableId: u.sales.id, clock: 'breached' });
  await makeTicket(sales, 'T_other', ids.X, { ownerId: u.delivery.id, clock: 'running' });

  // meetings of w1 (called by the manager): two today, one tomorrow, one yesterday, one cancelled today
  const today = localToday();
  await makeMeeting(manager, 'M_today_late', ids.X, today.plus({ hours: 23 }), [u.after_sales.id, u.sales.id]);
  const mEarly = await makeMeeting(manager, 'M_today_early', ids.X, today.plus({ minutes: 30 }), [u.after_sales.id]);
  await makeMeeting(manager, 'M_tomorrow', ids.X, today.plus({ days: 1, hours: 10 }), [u.after_sales.id]);
  await makeMeeting(manager, 'M_yesterday', ids.X, today.minus({ days: 1 }).plus({ hours: 10 }), [u.after_sales.id]);
  const cancelled = await makeMeeting(manager, 'M_cancelled', ids.X, today.plus({ hours: 12 }), [u.after_sales.id]);
  expectStatus(await manager.post(`/api/meetings/${cancelled}/cancel`), 200);

  // action items: overdue, due later, no date, one done; one for the sales rep
  const d = (days: number) => today.plus({ days }).toISODate()!;
  await makeActionItem(manager, 'A_nodate', mEarly, u.after_sales.id, null);
  await makeActionItem(manager, 'A_later', mEarly, u.after_sales.id, d(3));
  await makeActionItem(manager, 'A_overdue', mEarly, u.after_sales.id, d(-2));
  const done = await makeActionItem(manager, 'A_done', mEarly, u.after_sales.id, d(1));
  expectStatus(await manager.patch(`/api/meetings/action-items/${done}`, { status: 'done' }), 200);
  await makeActionItem(manager, 'A_sales', mEarly, u.sales.id, d(1));

  // w2: the same kinds of things for w2's after-sales engineer
  await makeAccount(sales2, t.w2, 'W2_R');
  expectStatus(
    await manager2.put(`/api/accounts/${ids.W2_R}/team`, { salesId: null, deliveryId: null, afterSalesId: u2.after_sales.id, csmId: null }),
    200,
  );
  await setHealth(t.w2, ids.W2_R, 20, 'red');
  await makeFollowUp(t.w2, 'W2_F', ids.W2_R, u2.after_sales.id, 10);
  await makeTicket(sales2, 'W2_T', ids.W2_R, { ownerId: u2.after_sales.id, clock: 'breached' });
  const w2m = await makeMeeting(manager2, 'W2_M', ids.W2_R, today.plus({ hours: 9 }), [u2.after_sales.id]);
  await makeActionItem(manager2, 'W2_A', w2m, u2.after_sales.id, d(-1));

  // a key person of w1
  const c = expectStatus(await sales.post(`/api/accounts/${ids.X}/contacts`, { name: '钱工', side: 'operations_it' }), 201);
  expectStatus(await sales.post(`/api/contacts/${c.id}/key-person-login`, { email: 'kp-wb@customer.test', password: 'Portal-pass-2026' }), 201);
  kp = await t.login('kp-wb@customer.test', 'Portal-pass-2026', '/api/portal/auth/login');
});
afterAll(() => t?.close());

const w2Ids = () => ['W2_R', 'W2_F', 'W2_T', 'W2_M', 'W2_A'].map((k) => ids[k]);
const allIds = (wb: Json): string[] =>
  [wb.queue, wb.actionItems, wb.atRisk, wb.followUps, wb.meetingsToday].flatMap((s) => s.items.map((i: Json) => i.id as string));

describe('GET /api/workbench', () => {
  it('401 without a session, 403 for a key person', async () => {
    expectStatus(await t.anon.get('/api/workbench'), 401);
    expectStatus(await kp.get('/api/workbench'), 403);
  });

  it('refuses query parameters it does not take, naming them', async () => {
    const res = await (await t.as('csm')).get('/api/workbench?limit=500');
    expect(expectStatus(res, 400).fields.map((f: { field: string }) => f.field)).toContain('limit');
  });

  it('the ticket queue: mine and my team’s open tickets, breached first, then breaching soon, then the nearest deadline; top 10 and the total', async () => {
    const wb = await get(afterSales);
    expect(wb.queue.total).toBe(13);
    expect(wb.queue.items).toHaveLength(10);
    expect(wb.queue.items.slice(0, 4).map((i: Json) => i.id)).toEqual([ids.T_breached, ids.T_team_warning, ids.T_due_2h, ids.T_due_5h]);
    expect(wb.queue.items.slice(4).map((i: Json) => i.id)).toEqual([0, 1, 2, 3, 4, 5].map((i) => ids[`T_far_${i}`]));
    expect(wb.queue.items.slice(0, 4).map((i: Json) => i.slaState)).toEqual(['breached', 'warning', 'on_track', 'on_track']);
    expect(wb.queue.items[1]).toMatchObject({ ownerId: null, teamId: ids.desk, teamName: '客服团队' });
    expect(new Date(wb.queue.items[2].nextDueAt).getTime()).toBeLessThan(new Date(wb.queue.items[3].nextDueAt).getTime());
    const seen = wb.queue.items.map((i: Json) => i.id);
    for (const k of ['T_resolved', 'T_sales_owner', 'T_sales_accountable', 'T_other']) expect(seen).not.toContain(ids[k]);
  });

  it('the sales rep sees only theirs: owned or accountable, breached first', async () => {
    const wb = await get(sales);
    expect(wb.queue.total).toBe(2);
    expect(wb.queue.items.map((i: Json) => i.id)).toEqual([ids.T_sales_accountable, ids.T_sales_owner]);
    expect(wb.actionItems).toMatchObject({ total: 1, overdue: 0 });
    expect(wb.actionItems.items[0].id).toBe(ids.A_sales);
    expect(wb.meetingsToday.items.map((m: Json) => m.id)).toEqual([ids.M_today_late]);
    expect(wb.atRisk.items.map((a: Json) => a.id)).toEqual([ids.S1]);
    expect(wb.atRisk.items[0]).toMatchObject({ seats: ['sales'], health: { score: 40, band: 'red' } });
    expect(wb.followUps.items.map((f: Json) => f.id)).toEqual([ids.F_S1]);
    expect(wb.followUps.items[0]).toMatchObject({ overdue: false, score: 42 });
  });

  it('open action items: overdue first, then by due date, undated last; done ones left out', async () => {
    const wb = await get(afterSales);
    expect(wb.actionItems).toMatchObject({ total: 3, overdue: 1 });
    expect(wb.actionItems.items.map((i: Json) => i.id)).toEqual([ids.A_overdue, ids.A_later, ids.A_nodate]);
    expect(wb.actionItems.items.map((i: Json) => i.overdue)).toEqual([true, false, false]);
    expect(wb.actionItems.items[0]).toMatchObject({
      meetingId: ids.M_today_early,
      accountId: ids.X,
      dueOn: localToday().minus({ days: 2 }).toISODate(),
    });
  });

  it("today's meetings in the workspace's time zone (Asia/Shanghai), in order, cancelled ones left out", async () => {
    const wb = await get(afterSales);
    expect(wb.meetingsToday).toMatchObject({ date: localToday().toISODate(), timezone: TZ, total: 2 });
    expect(wb.meetingsToday.items.map((m: Json) => m.id)).toEqual([ids.M_today_early, ids.M_today_late]);
  });

  it('accounts at risk: where I sit, red then amber by score, then overdue follow-ups; health with its reasons', async () => {
    const wb = await get(afterSales);
    expect(wb.atRisk.total).toBe(4);
    expect(wb.atRisk.items.map((a: Json) => a.id)).toEqual([ids.R1, ids.R3, ids.R2, ids.R4]);
    expect(wb.atRisk.items[0]).toMatchObject({
      seats: ['after_sales'],
      health: { score: 30, band: 'red', reasons: [{ en: 'relationship closeness fell' }] },
      overdueFollowUps: 0,
    });
    expect(wb.atRisk.items[3]).toMatchObject({ health: { band: 'green' }, openFollowUps: 1, overdueFollowUps: 1 });
    expect(wb.followUps.total).toBe(2);
    expect(wb.followUps.items.map((f: Json) => [f.id, f.overdue])).toEqual([
      [ids.F_R4_overdue, true],
      [ids.F_R5_fresh, false],
    ]);
  });

  it('nothing from the other workspace, and w2 sees its own', async () => {
    for (const c of [afterSales, sales, manager, admin]) {
      const seen = allIds(await get(c));
      for (const id of w2Ids()) expect(seen).not.toContain(id);
    }
    const wb2 = await get(afterSales2);
    expect(wb2.queue.items.map((i: Json) => i.id)).toEqual([ids.W2_T]);
    expect(wb2.atRisk.items.map((i: Json) => i.id)).toEqual([ids.W2_R]);
    expect(wb2.followUps.items.map((i: Json) => i.id)).toEqual([ids.W2_F]);
    expect(wb2.meetingsToday.items.map((i: Json) => i.id)).toEqual([ids.W2_M]);
    expect(wb2.actionItems).toMatchObject({ total: 1, overdue: 1 });
    for (const id of allIds(wb2)) expect(Object.values(ids).filter((x) => !w2Ids().includes(x) && x !== ids.desk)).not.toContain(id);
  });

  it('a role that may not read health gets no health field: at risk only by overdue follow-ups', async () => {
    const wb = await get(channel);
    expect(wb.atRisk.items.map((a: Json) => a.id)).toEqual([ids.C1]);
    expect(wb.atRisk.items[0]).not.toHaveProperty('health');
    expect(wb.atRisk.items[0]).toMatchObject({ seats: ['owner'], overdueFollowUps: 1 });
    expect(wb.followUps.items.map((f: Json) => f.id)).toEqual([ids.F_C1]);
    expect(wb.followUps.items[0]).not.toHaveProperty('score');
    expect(wb.followUps.items[0]).not.toHaveProperty('detail');
    expect(JSON.stringify(wb)).not.toContain('"band"');
  });

  it("the at-risk card opens its accounts: the list's risk=at_risk holds exactly the accounts the card counts, for each user", async () => {
    for (const c of [afterSales, sales, manager, admin, channel, expert, afterSales2]) {
      const wb = await get(c);
      const list = expectStatus(await c.get('/api/accounts?risk=at_risk&pageSize=200'), 200);
      expect(list.total).toBe(wb.atRisk.total);
      expect(list.items.length).toBe(wb.atRisk.total);
      const listed = list.items.map((a: Json) => a.id as string);
      // the card shows its top ten; every one of them is in the list
      for (const x of wb.atRisk.items) expect(listed).toContain(x.id);
    }
    // not a no-op: the after-sales engineer's four, not every account they may see
    const all = expectStatus(await afterSales.get('/api/accounts?pageSize=200'), 200);
    expect(all.total).toBeGreaterThan(4);
    const mine = expectStatus(await afterSales.get('/api/accounts?risk=at_risk&pageSize=200'), 200);
    expect(mine.items.map((a: Json) => a.id).sort()).toEqual([ids.R1, ids.R2, ids.R3, ids.R4].sort());
    // it narrows together with the list's other filters
    expect(expectStatus(await afterSales.get(`/api/accounts?risk=at_risk&ids=${ids.R1},${ids.S1}`), 200).items.map((a: Json) => a.id)).toEqual([
      ids.R1,
    ]);
    expectStatus(await afterSales.get('/api/accounts?risk=nonsense'), 400);
  });

  it('is described in the OpenAPI document', async () => {
    const doc = expectStatus(await t.anon.get('/api/openapi.json'), 200);
    expect(doc.paths['/api/workbench'].get.tags).toEqual(['workbench']);
    expect(Object.keys(doc.paths['/api/workbench'].get.responses)).toEqual(expect.arrayContaining(['200', '401', '403']));
  });

  it('an empty workbench for someone with nothing to do', async () => {
    const wb = await get(expert);
    expect(wb.queue).toEqual({ total: 0, items: [] });
    expect(wb.actionItems).toEqual({ total: 0, overdue: 0, items: [] });
    expect(wb.atRisk).toEqual({ total: 0, items: [] });
    expect(wb.followUps).toEqual({ total: 0, dueDays: 7, items: [] });
    expect(wb.meetingsToday).toMatchObject({ total: 0, items: [], date: localToday().toISODate() });
  });
});
