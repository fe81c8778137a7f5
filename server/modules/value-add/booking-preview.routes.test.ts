// The booking drawer's answers before money is spent (issue 19): cost, remaining before/after, approval or refusal
// in words, and the same item booked for this account this quarter — over HTTP on a real database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type Client, type TestApp } from '../../test/harness.js';
import { expectStatus, makeAccount, yuan, type Json } from '../../test/fixtures.js';

let t: TestApp;
let manager: Client, sales: Client, csm: Client, channel: Client, admin2: Client;
let catalog: Json[];

beforeAll(async () => {
  t = await startTestApp();
  [manager, sales, csm, channel] = await Promise.all((['manager', 'sales', 'csm', 'channel_implementer'] as const).map((r) => t.as(r)));
  admin2 = await t.as('admin', t.w2);
  catalog = expectStatus(await csm.get('/api/value-add/catalog'), 200).items;
});
afterAll(async () => t?.close());

const preview = async (c: Client, accountId: string, itemId: string, status = 200) =>
  expectStatus(await c.get(`/api/accounts/${accountId}/value-add/bookings/preview?catalogItemId=${itemId}`), status);

describe('GET /api/accounts/:id/value-add/bookings/preview', () => {
  it('says what a booking draws (remaining before → after) and warns when the item was already booked this quarter', async () => {
    const c = await makeAccount(sales, manager, 'C', { revenueTargetMinor: yuan(2_000_000) }); // 2 % = ¥40,000
    const item = catalog.filter((i) => i.pricing === 'free' && i.eligibleTiers.includes('C') && i.internalCostMinor <= yuan(20_000))[0];
    const p = await preview(csm, c.id, item.id);
    expect(p).toMatchObject({
      catalogItemId: item.id,
      pricing: 'free',
      amountMinor: item.internalCostMinor,
      outcome: 'draw',
      reason: null,
      remainingBeforeMinor: yuan(40_000),
      remainingAfterMinor: yuan(40_000) - item.internalCostMinor,
      sameQuarter: [],
    });
    // a preview spends nothing
    expect(expectStatus(await csm.get(`/api/accounts/${c.id}/value-add/budget`), 200).budget.remainingMinor).toBe(yuan(40_000));

    expectStatus(await csm.post(`/api/accounts/${c.id}/value-add/bookings`, { catalogItemId: item.id, note: '第一次' }), 201);
    const again = await preview(sales, c.id, item.id);
    expect(again.remainingBeforeMinor).toBe(yuan(40_000) - item.internalCostMinor);
    expect(again.sameQuarter).toHaveLength(1);
    expect(again.sameQuarter[0]).toMatchObject({ status: 'booked', amountMinor: item.internalCostMinor, requestedBy: t.w1.users.csm.name });
    expect(new Date(again.quarterFrom).getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('says in words when the item cannot be booked, or needs approval', async () => {
    const b = await makeAccount(sales, manager, 'B', { revenueTargetMinor: yuan(1_000_000) });
    const item = catalog.find((i) => i.pricing === 'free')!;
    const p = await preview(csm, b.id, item.id);
    expect(p.outcome).toBe('refused');
    expect(p.reason).toMatch(/\w/);
    // an item costing more than the remaining budget (refuse by default)
    const small = await makeAccount(sales, manager, 'C', { revenueTargetMinor: yuan(100_000) }); // ¥2,000
    const dear = catalog
      .filter((i) => i.pricing === 'free' && i.eligibleTiers.includes('C'))
      .sort((x, y) => y.internalCostMinor - x.internalCostMinor)[0];
    const over = await preview(csm, small.id, dear.id);
    expect(over.outcome).toBe('refused');
    expect(over.reason).toContain('2,000.00');
    expect(over.remainingAfterMinor).toBe(over.remainingBeforeMinor);
  });

  it('404 across workspaces and outside a channel; 400 names the field', async () => {
    const c = await makeAccount(sales, manager, 'C', { revenueTargetMinor: yuan(1_000_000) });
    const item = catalog[0];
    await preview(admin2, c.id, item.id, 404);
    await preview(channel, c.id, item.id, 404);
    const other = expectStatus(await admin2.get('/api/value-add/catalog'), 200).items[0];
    await preview(csm, c.id, other.id, 404);
    const bad = expectStatus(await csm.get(`/api/accounts/${c.id}/value-add/bookings/preview`), 400);
    expect(JSON.stringify(bad)).toContain('catalogItemId');
    expectStatus(await t.anon.get(`/api/accounts/${c.id}/value-add/bookings/preview?catalogItemId=${item.id}`), 401);
  });
});
