import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/client.js';
import { deliverEvents } from '../../test/events.js';
import { startTestApp, type Client, type TestApp } from '../../test/harness.js';
import { expectStatus, makeAccount, type Json } from '../../test/fixtures.js';

let t: TestApp;
let manager: Client, sales: Client, delivery: Client, expert: Client, channel: Client, admin2: Client;
let account: Json;
const count = async (table: string) => (await queryRows<{ n: number }>(t.db, sql.raw(`select count(*)::int as n from ${table}`)))[0].n;
/** Recomputes queued for the account once the events announced so far are delivered. */
const queued = async (accountId: string) => {
  await deliverEvents(t.db);
  const [r] = await queryRows<{ n: number }>(
    t.db,
    sql`select count(*)::int as n from jobs where kind = 'health.recompute' and status = 'queued' and payload->>'accountId' = ${accountId}`,
  );
  return r.n;
};

beforeAll(async () => {
  t = await startTestApp();
  [manager, sales, delivery, expert, channel] = await Promise.all(
    (['manager', 'sales', 'delivery', 'expert', 'channel_implementer'] as const).map((r) => t.as(r)),
  );
  admin2 = await t.as('admin', t.w2);
  account = await makeAccount(sales, manager, 'A');
});
afterAll(async () => t?.close());

describe('relationship assessments', () => {
  it('401 without a session, 403 for a role that may not assess, 404 across workspaces', async () => {
    expectStatus(await t.anon.get(`/api/accounts/${account.id}/relationship-metrics`), 401);
    expectStatus(await expert.post(`/api/accounts/${account.id}/relationship-assessments`, { metric: 'closeness', score: 3, evidence: '拜访' }), 403);
    expectStatus(await admin2.get(`/api/accounts/${account.id}/relationship-metrics`), 404);
    expectStatus(await admin2.post(`/api/accounts/${account.id}/relationship-assessments`, { metric: 'closeness', score: 3, evidence: '拜访' }), 404);
    // a channel implementer does not see accounts outside its partner
    expectStatus(await channel.get(`/api/accounts/${account.id}/behaviour`), 404);
  });

  it('400 naming the field for a score off the scale, a future date, a reversed period — and nothing stored', async () => {
    const before = await count('relationship_assessments');
    const jobsBefore = await count('jobs');
    let r = expectStatus(
      await sales.post(`/api/accounts/${account.id}/relationship-assessments`, { metric: 'closeness', score: 6, evidence: '拜访' }),
      400,
    );
    expect(r.fields[0].field).toBe('score');
    r = expectStatus(
      await sales.post(`/api/accounts/${account.id}/relationship-assessments`, {
        metric: 'closeness',
        score: 3,
        evidence: 'x',
        assessedOn: '2999-01-01',
      }),
      400,
    );
    expect(r.fields[0].field).toBe('assessedOn');
    r = expectStatus(await sales.post(`/api/accounts/${account.id}/relationship-assessments`, { metric: 'warmth', score: 3, evidence: 'x' }), 400);
    expect(r.fields[0].field).toBe('metric');
    r = expectStatus(await sales.get(`/api/accounts/${account.id}/relationship-metrics?from=2026-05-01&to=2026-04-01`), 400);
    expect(r.fields[0].field).toBe('to');
    expect(r.message).toMatch(/ends/);
    expect(await count('relationship_assessments')).toBe(before);
    expect(await count('jobs')).toBe(jobsBefore);
  });

  it('records assessments with evidence and assessor; trend and uplift over a period; each queues one health recompute', async () => {
    const post = (metric: string, score: number, assessedOn: string, as = sales) =>
      as.post(`/api/accounts/${account.id}/relationship-assessments`, { metric, score, evidence: `${assessedOn} 高层拜访纪要`, assessedOn });
    const a = expectStatus(await post('closeness', 2, '2026-01-15'), 201);
    expect(a).toMatchObject({ metric: 'closeness', score: 2, assessorId: t.w1.users.sales.id, assessedOn: '2026-01-15' });
    expect(await queued(account.id)).toBe(1);
    expectStatus(await post('closeness', 4, '2026-03-10', delivery), 201);
    expectStatus(await post('price_acceptance', 3, '2026-02-01'), 201);
    // several changes before the job runs → still one queued recompute
    expect(await queued(account.id)).toBe(1);
    const m = expectStatus(await sales.get(`/api/accounts/${account.id}/relationship-metrics?from=2026-02-01&to=2026-03-31`), 200);
    expect(m.uplift).toEqual({ closeness: 2, solution_acceptance: null, price_acceptance: 0 });
    expect(m.items.map((i: Json) => i.assessorName)).toEqual(['w1-sales', 'w1-sales', 'w1-delivery']);
    expect(m.trend.find((p: Json) => p.month === '2026-02')).toEqual({
      month: '2026-02',
      closeness: 2,
      solution_acceptance: null,
      price_acceptance: 3,
    });
    expect(m.trend.at(-1)).toMatchObject({ month: '2026-03', closeness: 4 });
    const audit = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from audit_log where action = 'relationship.assess' and entity_id = ${account.id}`,
    );
    expect(audit[0].n).toBe(3);
  });
});

describe('behaviour profile', () => {
  it('facts with source and date; mastery from completeness and freshness', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const bad = expectStatus(
      await sales.post(`/api/accounts/${account.id}/behaviour-facts`, { aspect: 'budget_cycle', content: 'x', source: 'rumour' }),
      400,
    );
    expect(bad.fields[0].field).toBe('source');
    expectStatus(
      await sales.post(`/api/accounts/${account.id}/behaviour-facts`, {
        aspect: 'budget_cycle',
        content: '每年 10 月编制次年预算',
        source: 'private_visit',
        learnedOn: today,
      }),
      201,
    );
    expectStatus(
      await delivery.post(`/api/accounts/${account.id}/behaviour-facts`, {
        aspect: 'decision_process',
        content: 'CIO 拍板，采购部执行',
        source: 'meeting',
        learnedOn: today,
      }),
      201,
    );
    const b = expectStatus(await sales.get(`/api/accounts/${account.id}/behaviour`), 200);
    expect(b.completeness).toBe(50);
    expect(b.mastery).toBe(50);
    expect(b.change90d).toBe(50);
    expect(b.aspects.find((x: Json) => x.aspect === 'budget_cycle').latest.source).toBe('private_visit');
  });
});
