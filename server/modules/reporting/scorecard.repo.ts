// The records behind every KPI number: the same rows are counted for the scorecard and listed on drill-down.
import { eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { queryRows } from '../../db/client.js';
import type { KpiWeights, Measure } from './scorecard.domain.js';
import { kpiSettings } from './reporting.table.js';

export type EvidenceRow = {
  user_id: string;
  id: string;
  kind: string;
  label: string;
  account_id: string | null;
  account_name: string | null;
  at: string | null;
  num: number | null;
  /** for a rate over amounts (collections): the amount the rate is of; num is the part received */
  den?: number | null;
};
export type Period = { from: string; to: string };

/** `col` falls on a day of the period in the workspace's time zone. */
const inPeriod = (col: SQL, p: Period, tz: string) => sql`(${col} at time zone ${tz})::date between ${p.from}::date and ${p.to}::date`;
const users = (ids: string[]) =>
  sql`array[${sql.join(
    ids.map((i) => sql`${i}`),
    sql`, `,
  )}]::uuid[]`;

/** Rows for one measure; `num` is what is summed/averaged (amounts in yuan, hours, scores), else 1 per row. Days are the workspace's (`tz`). */
export async function evidence(db: Db, ws: string, measure: Measure, p: Period, userIds: string[], tz: string): Promise<EvidenceRow[]> {
  if (!userIds.length) return [];
  const u = users(userIds);
  let q: SQL;
  switch (measure) {
    case 'tasks_done':
    case 'tasks_on_time_pct':
      q = sql`select t.owner_id as user_id, t.id, 'value_add_task' as kind, t.title as label, t.account_id, a.name as account_name, t.updated_at::text as at,
                case when t.due_on is null or t.due_on::date >= (t.updated_at at time zone ${tz})::date then 1 else 0 end as num
              from value_add_tasks t join accounts a on a.id = t.account_id and a.workspace_id = t.workspace_id
              where t.workspace_id = ${ws} and t.owner_id = any(${u}) and t.status in ('done','evaluated') and ${inPeriod(sql`t.updated_at`, p, tz)}`;
      break;
    case 'cases_solved':
    case 'handling_hours':
      q = sql`select t.owner_id as user_id, t.id, 'ticket' as kind, '#' || t.number || ' ' || t.title as label, t.account_id, a.name as account_name, t.resolved_at::text as at,
                round(extract(epoch from (t.resolved_at - t.created_at)) / 360.0) / 10.0 as num
              from tickets t join accounts a on a.id = t.account_id and a.workspace_id = t.workspace_id
              where t.workspace_id = ${ws} and t.owner_id = any(${u}) and t.resolved_at is not null and ${inPeriod(sql`t.resolved_at`, p, tz)}`;
      break;
    case 'csat_avg':
      q = sql`select c.owner_id as user_id, c.ticket_id as id, 'csat' as kind, '#' || t.number || ' ' || t.title as label, c.account_id, a.name as account_name, c.at::text as at, c.score as num
              from csat_responses c join tickets t on t.id = c.ticket_id and t.workspace_id = c.workspace_id join accounts a on a.id = c.account_id and a.workspace_id = c.workspace_id
              where c.workspace_id = ${ws} and c.owner_id = any(${u}) and ${inPeriod(sql`c.at`, p, tz)}`;
      break;
    case 'opps_captured':
    case 'opps_amount_yuan':
      q = sql`select o.captured_by_id as user_id, o.id, 'opportunity' as kind, o.title as label, o.account_id, a.name as account_name, o.created_at::text as at, o.amount_minor / 100.0 as num
              from opportunities o join accounts a on a.id = o.account_id and a.workspace_id = o.workspace_id
              where o.workspace_id = ${ws} and o.captured_by_id = any(${u}) and ${inPeriod(sql`o.created_at`, p, tz)}`;
      break;
    case 'opps_converted':
      q = sql`select o.captured_by_id as user_id, o.id, 'opportunity' as kind, o.title as label, o.account_id, a.name as account_name, o.closed_at::text as at, o.amount_minor / 100.0 as num
              from opportunities o join accounts a on a.id = o.account_id and a.workspace_id = o.workspace_id
              where o.workspace_id = ${ws} and o.captured_by_id = any(${u}) and o.stage = 'won' and ${inPeriod(sql`o.closed_at`, p, tz)}`;
      break;
    case 'service_sourced_wins':
    case 'service_sourced_won_yuan':
      q = sql`select coalesce(o.owner_id, a.sales_id) as user_id, o.id, 'opportunity' as kind, o.title as label, o.account_id, a.name as account_name, o.closed_at::text as at, o.amount_minor / 100.0 as num
              from opportunities o join accounts a on a.id = o.account_id and a.workspace_id = o.workspace_id
              where o.workspace_id = ${ws} and coalesce(o.owner_id, a.sales_id) = any(${u}) and o.stage = 'won' and ${inPeriod(sql`o.closed_at`, p, tz)}`;
      break;
    case 'key_moment_meetings':
      q = sql`select ma.user_id, m.id, 'meeting' as kind, m.title as label, m.account_id, a.name as account_name, m.starts_at::text as at, 1 as num
              from meeting_attendees ma join meetings m on m.id = ma.meeting_id and m.workspace_id = ma.workspace_id join accounts a on a.id = m.account_id and a.workspace_id = m.workspace_id
              where ma.workspace_id = ${ws} and ma.user_id = any(${u}) and m.kind = 'key_moment' and m.status = 'held' and ma.response <> 'declined' and ${inPeriod(sql`m.starts_at`, p, tz)}`;
      break;
    case 'ut_pct':
      q = sql`select e.user_id, e.id, 'time_entry' as kind, p.name || case when e.note <> '' then ' · ' || e.note else '' end as label, p.account_id, a.name as account_name,
                e.worked_on::text as at, e.hours as num
              from time_entries e join delivery_projects p on p.id = e.project_id and p.workspace_id = e.workspace_id join accounts a on a.id = p.account_id and a.workspace_id = p.workspace_id
              where e.workspace_id = ${ws} and e.user_id = any(${u}) and e.worked_on between ${p.from}::date and ${p.to}::date`;
      break;
    case 'quality_pct':
      // projects accepted in the period that the person managed or booked time on; 1 when accepted the first time
      q = sql`select x.user_id, p.id, 'project' as kind, p.name as label, p.account_id, a.name as account_name, p.accepted_on::text as at,
                case when p.first_pass then 1 else 0 end as num
              from delivery_projects p join accounts a on a.id = p.account_id and a.workspace_id = p.workspace_id
              cross join lateral (select p.manager_id as user_id union select e.user_id from time_entries e where e.project_id = p.id and e.workspace_id = p.workspace_id) x
              where p.workspace_id = ${ws} and x.user_id = any(${u}) and p.accepted_on between ${p.from}::date and ${p.to}::date`;
      break;
    case 'milestones_on_time_pct':
      // milestones reached in the period, and those planned in it and still not reached once their day passed
      q = sql`select x.user_id, m.id, 'milestone' as kind, p.name || ' · ' || m.title as label, p.account_id, a.name as account_name,
                coalesce(m.actual_on, m.planned_on)::text as at, case when m.actual_on is not null and m.actual_on <= m.planned_on then 1 else 0 end as num
              from project_milestones m join delivery_projects p on p.id = m.project_id and p.workspace_id = m.workspace_id join accounts a on a.id = p.account_id and a.workspace_id = p.workspace_id
              cross join lateral (select p.manager_id as user_id union select e.user_id from time_entries e where e.project_id = p.id and e.workspace_id = p.workspace_id) x
              where m.workspace_id = ${ws} and x.user_id = any(${u})
                and ((m.actual_on between ${p.from}::date and ${p.to}::date)
                  or (m.actual_on is null and m.planned_on between ${p.from}::date and ${p.to}::date and m.planned_on < (now() at time zone ${tz})::date))`;
      break;
    case 'collections_pct':
      // payment plan items that fell due in the period on the accounts of the person's iron triangle; what was received by the period's end is filled in by the service
      q = sql`select x.user_id, i.id, 'plan_item' as kind, c.number || ' · ' || i.label as label, i.account_id, a.name as account_name, i.due_on::text as at,
                null::numeric as num
              from payment_plan_items i join contracts c on c.id = i.contract_id and c.workspace_id = i.workspace_id join accounts a on a.id = i.account_id and a.workspace_id = i.workspace_id
              cross join lateral (values (a.sales_id), (a.delivery_id), (a.after_sales_id), (a.csm_id)) as x(user_id)
              where i.workspace_id = ${ws} and x.user_id = any(${u}) and i.due_on between ${p.from}::date and ${p.to}::date
              group by x.user_id, i.id, c.number, i.label, i.account_id, a.name, i.due_on`;
      break;
    case 'opps_incubated':
    case 'opps_incubated_yuan':
      q = sql`select o.captured_by_id as user_id, o.id, 'opportunity' as kind, o.title as label, o.account_id, a.name as account_name, min(e.at)::text as at, o.amount_minor / 100.0 as num
              from opportunities o join accounts a on a.id = o.account_id and a.workspace_id = o.workspace_id
              join opportunity_events e on e.opportunity_id = o.id and e.workspace_id = o.workspace_id and e.from_stage = 'incubating' and e.to_stage = 'handed_to_sales'
              where o.workspace_id = ${ws} and o.captured_by_id = any(${u}) and ${inPeriod(sql`e.at`, p, tz)}
              group by o.id, a.name`;
      break;
    case 'closeness_uplift':
    case 'solution_uplift':
    case 'price_uplift':
    case 'relationship_uplift':
    case 'behaviour_mastery':
      // one row per (person, account in their iron triangle); num is filled in by the service from the domain
      q = sql`select x.user_id, a.id, 'account' as kind, a.name as label, a.id as account_id, a.name as account_name, null::text as at, null::numeric as num
              from accounts a cross join lateral (values (a.sales_id), (a.delivery_id), (a.after_sales_id), (a.csm_id)) as x(user_id)
              where a.workspace_id = ${ws} and x.user_id = any(${u}) group by x.user_id, a.id, a.name`;
      break;
  }
  const rows = await queryRows<EvidenceRow>(db, q);
  return rows.map((r) => ({ ...r, num: r.num === null ? null : Number(r.num) }));
}

/** The payment plans and payments of these accounts (collections: what of an item was received by a day). */
export async function collectionsRecords(db: Db, ws: string, accountIds: string[]) {
  if (!accountIds.length) return { items: [], payments: [] };
  const ids = sql`array[${sql.join(
    accountIds.map((i) => sql`${i}`),
    sql`, `,
  )}]::uuid[]`;
  const items = await queryRows<{ id: string; contractId: string; dueOn: string; amountMinor: string | number }>(
    db,
    sql`select id, contract_id as "contractId", due_on::text as "dueOn", amount_minor as "amountMinor" from payment_plan_items where workspace_id = ${ws} and account_id = any(${ids})`,
  );
  const payments = await queryRows<{ id: string; contractId: string; planItemId: string | null; receivedOn: string; amountMinor: string | number }>(
    db,
    sql`select id, contract_id as "contractId", plan_item_id as "planItemId", received_on::text as "receivedOn", amount_minor as "amountMinor"
        from payments where workspace_id = ${ws} and account_id = any(${ids})`,
  );
  return {
    items: items.map((i) => ({ ...i, amountMinor: Number(i.amountMinor) })),
    payments: payments.map((x) => ({ ...x, amountMinor: Number(x.amountMinor) })),
  };
}

export async function scoredPeople(db: Db, ws: string, f: { teamId?: string; userIds?: string[] }) {
  return queryRows<{ id: string; name: string; role: string; team_ids: string[] | null }>(
    db,
    sql`select u.id, u.name, u.role, array_remove(array_agg(tm.team_id), null) as team_ids
        from users u left join team_members tm on tm.user_id = u.id and tm.workspace_id = u.workspace_id
        where u.workspace_id = ${ws} and u.active and u.role in ('delivery','after_sales','sales','csm','expert','channel_implementer')
        ${f.teamId ? sql`and exists (select 1 from team_members t2 where t2.user_id = u.id and t2.team_id = ${f.teamId})` : sql``}
        group by u.id, u.name, u.role order by u.name`,
  );
}

export async function teamsOfUser(db: Db, ws: string, userId: string) {
  return (await queryRows<{ team_id: string }>(db, sql`select team_id from team_members where workspace_id = ${ws} and user_id = ${userId}`)).map(
    (r) => r.team_id,
  );
}

export async function teamNames(db: Db, ws: string) {
  return queryRows<{ id: string; name: string }>(db, sql`select id, name from teams where workspace_id = ${ws} order by name`);
}

export async function findKpiSettings(db: Db, workspaceId: string) {
  const [row] = await db.select().from(kpiSettings).where(eq(kpiSettings.workspaceId, workspaceId));
  return row;
}

/**
 * Saves and bumps the version; with `expectedVersion` only if the stored settings still are that version
 * (0 = none stored yet). Returns the new version, or null when they were not (someone saved in between).
 */
export async function saveKpiSettings(db: Db, workspaceId: string, weights: KpiWeights, restrictPersonal: boolean, expectedVersion?: number) {
  const [row] = await db
    .insert(kpiSettings)
    .values({ workspaceId, weights, restrictPersonal })
    .onConflictDoUpdate({
      target: kpiSettings.workspaceId,
      set: { weights, restrictPersonal, updatedAt: new Date(), version: sql`${kpiSettings.version} + 1` },
      ...(expectedVersion === undefined ? {} : { setWhere: eq(kpiSettings.version, expectedVersion) }),
    })
    .returning({ version: kpiSettings.version });
  return row?.version ?? null;
}
