import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { queryRows, ts } from '../../db/client.js';
import type { Actor, StaffActor } from '../../platform/actor.js';
import { assertCan } from '../../platform/actor.js';
import { can } from '../../platform/permissions.js';
import type { Words } from './health.domain.js';

const DAY = 86_400_000;
/** A follow-up raised by health is expected to be worked within this many days; after that it is overdue. */
export const FOLLOW_UP_DUE_DAYS = 7;

export type Seat = 'owner' | 'sales' | 'delivery' | 'after_sales' | 'csm';

/** Health is shown to the roles that may read KPIs; the others see at-risk accounts by overdue follow-ups only. */
export const seesHealth = (actor: StaffActor) => can(actor.role, 'kpi.read');

const scope = (actor: StaffActor) =>
  actor.role === 'channel_implementer' ? (actor.channelPartnerId ? sql`and a.channel_partner_id = ${actor.channelPartnerId}` : sql`and false`) : sql``;

/**
 * The user's accounts at risk: accounts where the user is the owner or on the iron triangle whose
 * health is red or amber, or which have a follow-up open past its due date. Red first, then amber
 * (lowest score first), then the most overdue follow-ups; the top `limit` and the total.
 */
export async function myAccountsAtRisk(db: Db, actor: Actor, q: { limit?: number } = {}, now = new Date()) {
  assertCan(actor, 'accounts.read');
  const health = seesHealth(actor);
  const cutoff = ts(new Date(now.getTime() - FOLLOW_UP_DUE_DAYS * DAY));
  const me = actor.userId;
  const base = sql`
    with mine as (
      select a.id, a.name, a.tier, a.stage, a.owner_id, a.sales_id, a.delivery_id, a.after_sales_id, a.csm_id from accounts a
      where a.workspace_id = ${actor.workspaceId} and (a.owner_id = ${me} or a.sales_id = ${me} or a.delivery_id = ${me} or a.after_sales_id = ${me} or a.csm_id = ${me}) ${scope(actor)}
    ), fu as (
      select f.account_id, count(*)::int as open, (count(*) filter (where f.created_at <= ${cutoff}))::int as overdue, min(f.created_at) as oldest
      from follow_up_tasks f where f.workspace_id = ${actor.workspaceId} and f.status = 'open' and f.account_id in (select id from mine) group by f.account_id
    ), risky as (
      select m.*, h.score, h.band, h.trend, h.reasons, coalesce(fu.open, 0) as open_follow_ups, coalesce(fu.overdue, 0) as overdue_follow_ups, fu.oldest
      from mine m left join account_health h on h.account_id = m.id and h.workspace_id = ${actor.workspaceId} left join fu on fu.account_id = m.id
      where ${health ? sql`h.band in ('red', 'amber') or` : sql``} coalesce(fu.overdue, 0) > 0
    )`;
  const order = health
    ? sql`order by case band when 'red' then 0 when 'amber' then 1 else 2 end, score asc nulls last, overdue_follow_ups desc, oldest asc nulls last, name, id`
    : sql`order by overdue_follow_ups desc, oldest asc nulls last, name, id`;
  const [rows, [{ total }]] = await Promise.all([
    queryRows<{
      id: string;
      name: string;
      tier: string;
      stage: string;
      owner_id: string | null;
      sales_id: string | null;
      delivery_id: string | null;
      after_sales_id: string | null;
      csm_id: string | null;
      score: number | null;
      band: string | null;
      trend: string | null;
      reasons: Words[] | null;
      open_follow_ups: number;
      overdue_follow_ups: number;
    }>(db, sql`${base} select * from risky ${order} limit ${q.limit ?? 10}`),
    queryRows<{ total: number }>(db, sql`${base} select count(*)::int as total from risky`),
  ]);
  const seats = (r: (typeof rows)[number]): Seat[] =>
    (
      [
        ['owner', r.owner_id],
        ['sales', r.sales_id],
        ['delivery', r.delivery_id],
        ['after_sales', r.after_sales_id],
        ['csm', r.csm_id],
      ] as const
    )
      .filter(([, id]) => id === me)
      .map(([s]) => s);
  return {
    total: Number(total),
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

/** The user's open follow-up tasks (raised by health), oldest first, each with its due date and overdue flag. */
export async function myOpenFollowUps(db: Db, actor: Actor, q: { limit?: number } = {}, now = new Date()) {
  assertCan(actor, 'accounts.read');
  const health = seesHealth(actor);
  const where = sql`f.workspace_id = ${actor.workspaceId} and f.status = 'open' and f.owner_id = ${actor.userId} ${scope(actor)}`;
  const [rows, [{ total }]] = await Promise.all([
    queryRows<{ id: string; account_id: string; account_name: string; reason: string; detail: Words[]; score: number; created_at: Date | string }>(
      db,
      sql`select f.id, f.account_id, a.name as account_name, f.reason, f.detail, f.score, f.created_at
          from follow_up_tasks f join accounts a on a.id = f.account_id where ${where} order by f.created_at asc, f.id limit ${q.limit ?? 10}`,
    ),
    queryRows<{ total: number }>(db, sql`select count(*)::int as total from follow_up_tasks f join accounts a on a.id = f.account_id where ${where}`),
  ]);
  return {
    total: Number(total),
    items: rows.map((r) => {
      const createdAt = new Date(r.created_at);
      const dueAt = new Date(createdAt.getTime() + FOLLOW_UP_DUE_DAYS * DAY);
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
