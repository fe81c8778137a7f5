// Reads across modules for account health (kpi) and the workbench: the inputs of health (tickets, SLA
// clocks, satisfaction, meetings, relationship assessments, value projects, accounts) and the user's
// accounts at risk and follow-ups. Queries only; every one takes the workspace.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { queryRows, ts } from '../../db/client.js';
import type { StaffActor } from '../../platform/actor.js';
import { accountVisibility } from '../accounts/index.js';

type Words = { 'zh-CN': string; en: string };
const DAY = 86_400_000;
/** The account ids as one array parameter (a chunk of 1,000 is one bind value, not 1,000). */
const ids = (accountIds: string[]) => sql`${`{${accountIds.join(',')}}`}::uuid[]`;

export type RawInputs = {
  latest: Map<string, Record<string, number>>;
  breaches: Map<string, number>;
  openCritical: Map<string, number>;
  csat: Map<string, number>;
  meetings: Map<string, number>;
  portal: Map<string, number>;
  /** accounts with a value project (at least one value item); the others have no value data */
  valued: Set<string>;
};

/** Runs the queries one after another: `db` may be a transaction, i.e. one connection, which must not get overlapping queries (pg 9 refuses them). */
async function inOrder<const T extends readonly (() => Promise<unknown>)[]>(fs: T): Promise<{ -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> }> {
  const out: unknown[] = [];
  for (const f of fs) out.push(await f());
  return out as never;
}

/**
 * Every ticket, meeting, relationship and value-project input of health, in a few grouped queries: for
 * the given accounts, or (no ids) for every account of the workspace at once — one scan per table
 * instead of one index probe per account.
 */
export async function healthInputs(db: Db, workspaceId: string, accountIds: string[] | undefined, now: Date, timeZone: string): Promise<RawInputs> {
  const since = ts(new Date(now.getTime() - 90 * DAY));
  const until = ts(now);
  const only = (col: string) => (accountIds ? sql`and ${sql.raw(col)} = any(${ids(accountIds)})` : sql``);
  const [rel, br, crit, cs, mt, pt, vi] = await inOrder([
    // one after another: db may be a transaction, one connection
    () =>
      queryRows<{ account_id: string; metric: string; score: number }>(
        db,
        sql`select distinct on (account_id, metric) account_id, metric, score from relationship_assessments
      where workspace_id = ${workspaceId} ${only('account_id')} and assessed_on <= (${until} at time zone ${timeZone})::date order by account_id, metric, assessed_on desc, created_at desc`,
      ),
    () =>
      queryRows<{ account_id: string; n: number }>(
        db,
        sql`select t.account_id, count(*)::int as n from sla_clocks c join tickets t on t.id = c.ticket_id and t.workspace_id = c.workspace_id
      where c.workspace_id = ${workspaceId} and t.workspace_id = ${workspaceId} ${only('t.account_id')} and c.breached_at is not null and c.breached_at > ${since} group by t.account_id`,
      ),
    () =>
      queryRows<{ account_id: string; n: number }>(
        db,
        sql`select account_id, count(*)::int as n from tickets
      where workspace_id = ${workspaceId} ${only('account_id')} and severity = 'critical' and status in ('open','in_progress','waiting_customer') group by account_id`,
      ),
    () =>
      queryRows<{ account_id: string; avg: string }>(
        db,
        sql`select account_id, avg(score)::numeric(4,2)::text as avg from csat_responses
      where workspace_id = ${workspaceId} ${only('account_id')} and at > ${since} and at <= ${until} group by account_id`,
      ),
    () =>
      queryRows<{ account_id: string; n: number }>(
        db,
        sql`select account_id, count(*)::int as n from meetings
      where workspace_id = ${workspaceId} ${only('account_id')} and status = 'held' and starts_at > ${since} and starts_at <= ${until} group by account_id`,
      ),
    () =>
      queryRows<{ account_id: string; n: number }>(
        db,
        sql`select account_id, count(*)::int as n from tickets
      where workspace_id = ${workspaceId} ${only('account_id')} and requester_kind = 'key_person' and created_at > ${since} and created_at <= ${until} group by account_id`,
      ),
    () =>
      queryRows<{ account_id: string }>(
        db,
        sql`select distinct account_id from value_items where workspace_id = ${workspaceId} ${only('account_id')}`,
      ),
  ]);
  const latest = new Map<string, Record<string, number>>();
  for (const r of rel) latest.set(r.account_id, { ...latest.get(r.account_id), [r.metric]: r.score });
  const m = (rows: { account_id: string; n: number }[]) => new Map(rows.map((r) => [r.account_id, r.n]));
  return {
    latest,
    breaches: m(br),
    openCritical: m(crit),
    csat: new Map(cs.map((r) => [r.account_id, Number(r.avg)])),
    meetings: m(mt),
    portal: m(pt),
    valued: new Set(vi.map((r) => r.account_id)),
  };
}

export type HealthAccount = {
  id: string;
  tier: string;
  stage: string;
  on_time_payment_pct: number | null;
  owner_id: string | null;
  csm_id: string | null;
  sales_id: string | null;
  prev_score: number | null;
  prev_band: string | null;
};

export async function accountsForHealth(db: Db, workspaceId: string, accountId?: string) {
  return queryRows<HealthAccount>(
    db,
    sql`select a.id, a.tier, a.stage, a.on_time_payment_pct, a.owner_id, a.csm_id, a.sales_id, h.score as prev_score, h.band as prev_band
        from accounts a left join account_health h on h.account_id = a.id and h.workspace_id = a.workspace_id
        where a.workspace_id = ${workspaceId} ${accountId ? sql`and a.id = ${accountId}` : sql``} order by a.id`,
  );
}

/** Accounts (alias `a`) a staff member may see: a channel implementer only its channel's, as everywhere else. */
export function visibleAccountsSql(actor: StaffActor) {
  return sql`and ${accountVisibility(actor, 'a')}`;
}

export type AtRiskRow = {
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
};

/**
 * Accounts where the user is the owner or on the iron triangle whose health is red or amber (only when
 * `withHealth`), or which have a follow-up open since `overdueBefore`: the top `limit` and the total.
 */
export async function accountsAtRisk(db: Db, actor: StaffActor, q: { withHealth: boolean; overdueBefore: Date; limit: number }) {
  const base = atRiskSql(actor, q);
  const order = q.withHealth
    ? sql`order by case band when 'red' then 0 when 'amber' then 1 else 2 end, score asc nulls last, overdue_follow_ups desc, oldest asc nulls last, name, id`
    : sql`order by overdue_follow_ups desc, oldest asc nulls last, name, id`;
  const rows = await queryRows<AtRiskRow>(db, sql`${base} select * from risky ${order} limit ${q.limit}`);
  const [{ total }] = await queryRows<{ total: number }>(db, sql`${base} select count(*)::int as total from risky`);
  return { rows, total: Number(total) };
}

/** Every account `accountsAtRisk` counts (the same rule, no limit): what the account list filters by with `risk=at_risk`. */
export async function accountsAtRiskIds(db: Db, actor: StaffActor, q: { withHealth: boolean; overdueBefore: Date }) {
  const rows = await queryRows<{ id: string }>(db, sql`${atRiskSql(actor, q)} select id from risky`);
  return rows.map((r) => r.id);
}

/** The at-risk rule as a `with … risky as (…)` prefix: one definition for the workbench's card and the list it opens. */
function atRiskSql(actor: StaffActor, q: { withHealth: boolean; overdueBefore: Date }) {
  const me = actor.userId;
  return sql`
    with mine as (
      select a.id, a.name, a.tier, a.stage, a.owner_id, a.sales_id, a.delivery_id, a.after_sales_id, a.csm_id from accounts a
      where a.workspace_id = ${actor.workspaceId} and (a.owner_id = ${me} or a.sales_id = ${me} or a.delivery_id = ${me} or a.after_sales_id = ${me} or a.csm_id = ${me}) ${visibleAccountsSql(actor)}
    ), fu as (
      select f.account_id, count(*)::int as open, (count(*) filter (where f.created_at <= ${ts(q.overdueBefore)}))::int as overdue, min(f.created_at) as oldest
      from follow_up_tasks f where f.workspace_id = ${actor.workspaceId} and f.status = 'open' and f.account_id in (select id from mine) group by f.account_id
    ), risky as (
      select m.*, h.score, h.band, h.trend, h.reasons, coalesce(fu.open, 0) as open_follow_ups, coalesce(fu.overdue, 0) as overdue_follow_ups, fu.oldest
      from mine m left join account_health h on h.account_id = m.id and h.workspace_id = ${actor.workspaceId} left join fu on fu.account_id = m.id
      where ${q.withHealth ? sql`h.band in ('red', 'amber') or` : sql``} coalesce(fu.overdue, 0) > 0
    )`;
}

/** The user's open follow-up tasks, oldest first: the top `limit` and the total. */
export async function openFollowUpsOf(db: Db, actor: StaffActor, limit: number) {
  const where = sql`f.workspace_id = ${actor.workspaceId} and f.status = 'open' and f.owner_id = ${actor.userId} ${visibleAccountsSql(actor)}`;
  const rows = await queryRows<{
    id: string;
    account_id: string;
    account_name: string;
    reason: string;
    detail: Words[];
    score: number;
    created_at: Date | string;
  }>(
    db,
    sql`select f.id, f.account_id, a.name as account_name, f.reason, f.detail, f.score, f.created_at
        from follow_up_tasks f join accounts a on a.id = f.account_id and a.workspace_id = f.workspace_id where ${where} order by f.created_at asc, f.id limit ${limit}`,
  );
  const [{ total }] = await queryRows<{ total: number }>(
    db,
    sql`select count(*)::int as total from follow_up_tasks f join accounts a on a.id = f.account_id and a.workspace_id = f.workspace_id where ${where}`,
  );
  return { rows, total: Number(total) };
}

/** The follow-up list (newest first, at most 200): the workspace's or the user's, open or done, of the accounts the user may see. */
export async function followUpList(db: Db, actor: StaffActor, q: { mine?: boolean; status?: 'open' | 'done' }) {
  return queryRows<{
    id: string;
    account_id: string;
    account_name: string;
    owner_id: string | null;
    owner_name: string | null;
    reason: string;
    detail: unknown;
    score: number;
    status: string;
    created_at: Date;
  }>(
    db,
    sql`select f.id, f.account_id, a.name as account_name, f.owner_id, u.name as owner_name, f.reason, f.detail, f.score, f.status, f.created_at
        from follow_up_tasks f join accounts a on a.id = f.account_id and a.workspace_id = f.workspace_id left join users u on u.id = f.owner_id and u.workspace_id = f.workspace_id
        where f.workspace_id = ${actor.workspaceId} and f.status = ${q.status ?? 'open'} ${q.mine ? sql`and f.owner_id = ${actor.userId}` : sql``} ${visibleAccountsSql(actor)}
        order by f.created_at desc limit 200`,
  );
}
