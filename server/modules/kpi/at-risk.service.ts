// The workbench's health reads: the user's accounts at risk and open follow-ups (queries in reporting,
// the follow-up due rule in health.domain.ts).
import type { Db } from '../../db/client.js';
import type { Actor, StaffActor } from '../../platform/actor.js';
import { assertCan } from '../../platform/actor.js';
import { can } from '../../platform/permissions.js';
import { followUpDueAt, overdueCutoff } from './health.domain.js';
import * as reading from '../reporting/index.js';

export { FOLLOW_UP_DUE_DAYS } from './health.domain.js';

export type Seat = 'owner' | 'sales' | 'delivery' | 'after_sales' | 'csm';

/** Health is shown to the roles that may read KPIs; the others see at-risk accounts by overdue follow-ups only. */
export const seesHealth = (actor: StaffActor) => can(actor.role, 'kpi.read');

/**
 * The user's accounts at risk: accounts where the user is the owner or on the iron triangle whose
 * health is red or amber, or which have a follow-up open past its due date. Red first, then amber
 * (lowest score first), then the most overdue follow-ups; the top `limit` and the total.
 */
export async function myAccountsAtRisk(db: Db, actor: Actor, q: { limit?: number } = {}, now = new Date()) {
  assertCan(actor, 'accounts.read');
  const health = seesHealth(actor);
  const { rows, total } = await reading.accountsAtRisk(db, actor, { withHealth: health, overdueBefore: overdueCutoff(now), limit: q.limit ?? 10 });
  const seats = (r: reading.AtRiskRow): Seat[] =>
    (
      [
        ['owner', r.owner_id],
        ['sales', r.sales_id],
        ['delivery', r.delivery_id],
        ['after_sales', r.after_sales_id],
        ['csm', r.csm_id],
      ] as const
    )
      .filter(([, id]) => id === actor.userId)
      .map(([s]) => s);
  return {
    total,
    items: rows.map((r) => ({
      id: r.id,
      name: r.name,
      tier: r.tier,
      stage: r.stage,
      seats: seats(r),
      openFollowUps: Number(r.open_follow_ups),
      overdueFollowUps: Number(r.overdue_follow_ups),
      ...(health ? { health: r.band ? { score: Number(r.score), band: r.band, trend: r.trend ?? 'flat', reasons: r.reasons ?? [] } : null } : {}),
    })),
  };
}

/** Every account `myAccountsAtRisk` counts for the user (same rule, no limit): the account list's `risk=at_risk` filter. */
export async function myAtRiskAccountIds(db: Db, actor: Actor, now = new Date()): Promise<string[]> {
  assertCan(actor, 'accounts.read');
  return reading.accountsAtRiskIds(db, actor, { withHealth: seesHealth(actor), overdueBefore: overdueCutoff(now) });
}

/** The user's open follow-up tasks (raised by health), oldest first, each with its due date and overdue flag. */
export async function myOpenFollowUps(db: Db, actor: Actor, q: { limit?: number } = {}, now = new Date()) {
  assertCan(actor, 'accounts.read');
  const health = seesHealth(actor);
  const { rows, total } = await reading.openFollowUpsOf(db, actor, q.limit ?? 10);
  return {
    total,
    items: rows.map((r) => {
      const createdAt = new Date(r.created_at);
      const dueAt = followUpDueAt(createdAt);
      return {
        id: r.id,
        accountId: r.account_id,
        accountName: r.account_name,
        reason: r.reason,
        createdAt,
        dueAt,
        overdue: dueAt.getTime() <= now.getTime(),
        ...(health ? { score: Number(r.score), detail: r.detail } : {}),
      };
    }),
  };
}
