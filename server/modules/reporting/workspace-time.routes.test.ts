// Time is the workspace's: the same instant falls in different periods and business days depending on
// the workspace's time zone (here Europe/Berlin against UTC), on the dashboards, the scorecards and the SLA clocks.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/client.js';
import type { StaffActor } from '../../platform/actor.js';
import { createTicket } from '../service-desk/index.js';
import { expectStatus, makeAccount, type Json } from '../../test/fixtures.js';
import { startTestApp, type Client, type TestApp, type TestWorkspace } from '../../test/harness.js';

let t: TestApp;
type Side = { ws: TestWorkspace; admin: Client; manager: Client; sales: Client; delivery: Client; account: Json };
let berlin: Side, utc: Side;

async function side(ws: TestWorkspace, timezone: string): Promise<Side> {
  const [admin, manager, sales, delivery] = await Promise.all((['admin', 'manager', 'sales', 'delivery'] as const).map((r) => t.as(r, ws)));
  expect(expectStatus(await admin.patch('/api/settings/workspace', { timezone }), 200).timezone).toBe(timezone);
  const account = await makeAccount(sales, manager, 'A');
  const u = ws.users;
  expectStatus(
    await manager.put(`/api/accounts/${account.id}/team`, {
      salesId: u.sales.id,
      deliveryId: u.delivery.id,
      afterSalesId: u.after_sales.id,
      csmId: u.csm.id,
    }),
    200,
  );
  return { ws, admin, manager, sales, delivery, account };
}

beforeAll(async () => {
  t = await startTestApp();
  berlin = await side(t.w1, 'Europe/Berlin');
  utc = await side(t.w2, 'UTC');
});
afterAll(async () => t?.close());

describe('periods and business days in the workspace’s time zone', () => {
  it('an opportunity captured at 23:30 UTC on 31 January counts in February for Berlin, in January for UTC', async () => {
    const at = '2026-01-31T23:30:00Z'; // 00:30 on 1 February in Berlin (CET, UTC+1)
    for (const s of [berlin, utc]) {
      const o = expectStatus(
        await s.delivery.post(`/api/accounts/${s.account.id}/opportunities`, { title: '月末商机', sourceKind: 'visit', amountMinor: 1_000_000 }),
        201,
      );
      await t.db.execute(sql`update opportunities set created_at = ${at}::timestamptz where id = ${o.id}`);
    }
    const count = async (s: Side, from: string, to: string) =>
      expectStatus(await s.manager.get(`/api/dashboards?from=${from}&to=${to}`), 200).pipeline.count;
    expect(await count(berlin, '2026-02-01', '2026-02-28')).toBe(1);
    expect(await count(berlin, '2026-01-01', '2026-01-31')).toBe(0);
    expect(await count(utc, '2026-02-01', '2026-02-28')).toBe(0);
    expect(await count(utc, '2026-01-01', '2026-01-31')).toBe(1);
    // the drill-down lists the same records
    const records = async (s: Side, from: string, to: string) =>
      expectStatus(await s.manager.get(`/api/dashboards/records?chart=pipeline&key=captured&from=${from}&to=${to}`), 200).items.length;
    expect(await records(berlin, '2026-02-01', '2026-02-28')).toBe(1);
    expect(await records(utc, '2026-02-01', '2026-02-28')).toBe(0);
    // and on the captor's scorecard
    const evidence = async (s: Side, from: string, to: string) =>
      expectStatus(await s.manager.get(`/api/kpi/scorecards/${s.ws.users.delivery.id}/evidence?measure=opps_captured&from=${from}&to=${to}`), 200)
        .items.length;
    expect(await evidence(berlin, '2026-02-01', '2026-02-28')).toBe(1);
    expect(await evidence(utc, '2026-02-01', '2026-02-28')).toBe(0);
    expect(await evidence(utc, '2026-01-01', '2026-01-31')).toBe(1);
  });

  it('a ticket opened Friday 16:30 in Berlin gets its first-response deadline in Berlin business hours', async () => {
    const opened = new Date('2026-01-09T15:30:00Z'); // Friday 16:30 CET
    const csm: StaffActor = {
      kind: 'staff',
      workspaceId: berlin.ws.id,
      userId: berlin.ws.users.csm.id,
      name: berlin.ws.users.csm.name,
      role: 'csm',
      channelPartnerId: null,
      locale: 'en',
    };
    const ticket = await createTicket(
      t.db,
      csm,
      { accountId: berlin.account.id, title: '周五下午的问题', description: '登录缓慢', kind: 'product_issue', severity: 'medium', channel: 'phone' },
      opened,
    );
    const [clock] = await queryRows<{ target_minutes: number; due_at: string | Date }>(
      t.db,
      sql`select target_minutes, due_at from sla_clocks where ticket_id = ${ticket.id} and kind = 'first_response'`,
    );
    // A / medium: 4 business hours = 1.5 h on Friday (16:30–18:00) + 2.5 h on Monday (09:00–11:30 CET = 10:30 UTC)
    expect(clock.target_minutes).toBe(240);
    expect(new Date(clock.due_at).toISOString()).toBe('2026-01-12T10:30:00.000Z');
  });
});
