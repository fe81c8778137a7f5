// The pipeline board's filters (issue 19): account, owner, source, and "handed to me" for sales.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectStatus, makeAccount, type Json } from '../../test/fixtures.js';
import { startTestApp, type Client, type TestApp } from '../../test/harness.js';

let t: TestApp;
let manager: Client, sales: Client, csm: Client;
let acc: Json, other: Json, handed: Json, visit: Json, meeting: Json;

const ids = (board: Json) => (board.columns as Json[]).flatMap((c) => c.items.map((i: Json) => i.id)).sort();

beforeAll(async () => {
  t = await startTestApp();
  [manager, sales, csm] = await Promise.all((['manager', 'sales', 'csm'] as const).map((r) => t.as(r)));
  acc = await makeAccount(sales, manager, 'A');
  other = await makeAccount(sales, manager, 'B');
  expectStatus(
    await manager.put(`/api/accounts/${acc.id}/team`, {
      salesId: t.w1.users.sales.id,
      deliveryId: t.w1.users.delivery.id,
      afterSalesId: t.w1.users.after_sales.id,
      csmId: t.w1.users.csm.id,
    }),
    200,
  );
  handed = expectStatus(await csm.post(`/api/accounts/${acc.id}/opportunities`, { title: '转销售', sourceKind: 'visit' }), 201);
  expectStatus(await csm.post(`/api/opportunities/${handed.id}/stage`, { to: 'incubating' }), 200);
  expectStatus(await csm.post(`/api/opportunities/${handed.id}/incubation`, { success: true }), 200);
  visit = expectStatus(await csm.post(`/api/accounts/${acc.id}/opportunities`, { title: '拜访', sourceKind: 'visit' }), 201);
  meeting = expectStatus(await csm.post(`/api/accounts/${other.id}/opportunities`, { title: '会议', sourceKind: 'meeting' }), 201);
});
afterAll(async () => t?.close());

describe('GET /api/opportunities/board filters', () => {
  it('handed to me: the ones handed to sales with me as the owner', async () => {
    const mine = expectStatus(await sales.get('/api/opportunities/board?handedToMe=true'), 200);
    expect(ids(mine)).toEqual([handed.id]);
    const detail = expectStatus(await sales.get(`/api/opportunities/${handed.id}`), 200);
    expect(detail).toMatchObject({ ownerId: t.w1.users.sales.id, ownerName: t.w1.users.sales.name, sourceKind: 'visit' });
    expect(ids(expectStatus(await csm.get('/api/opportunities/board?handedToMe=true'), 200))).toEqual([]);
  });

  it('by account, owner and source', async () => {
    expect(ids(expectStatus(await manager.get(`/api/opportunities/board?accountId=${acc.id}`), 200))).toEqual([handed.id, visit.id].sort());
    expect(ids(expectStatus(await manager.get(`/api/opportunities/board?ownerId=${t.w1.users.sales.id}`), 200))).toEqual([handed.id]);
    expect(ids(expectStatus(await manager.get('/api/opportunities/board?sourceKind=meeting'), 200))).toEqual([meeting.id]);
    const list = expectStatus(await manager.get(`/api/opportunities?sourceKind=visit&accountId=${acc.id}`), 200).items as Json[];
    expect(list.map((o) => o.id).sort()).toEqual([handed.id, visit.id].sort());
  });

  it('400 names the field', async () => {
    expect(JSON.stringify(expectStatus(await manager.get('/api/opportunities/board?sourceKind=rumour'), 400))).toContain('sourceKind');
    expect(JSON.stringify(expectStatus(await manager.get('/api/opportunities/board?ownerId=nobody'), 400))).toContain('ownerId');
  });
});
