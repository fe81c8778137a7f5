import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { queryRows, ts } from '../../db/client.js';

const DAY = 86_400_000;
const ids = (accountIds: string[]) => sql`array[${sql.join(accountIds.map((i) => sql`${i}`), sql`, `)}]::uuid[]`;

export type RawInputs = {
  latest: Map<string, Record<string, number>>;
  breaches: Map<string, number>;
  openCritical: Map<string, number>;
  csat: Map<string, number>;
  meetings: Map<string, number>;
  portal: Map<string, number>;
};

/** Every ticket, meeting and relationship input of health for a set of accounts, in a few grouped queries. */
export async function healthInputs(db: Db, workspaceId: string, accountIds: string[], now: Date): Promise<RawInputs> {
  const since = ts(new Date(now.getTime() - 90 * DAY));
  const until = ts(now);
  const a = ids(accountIds);
  const [rel, br, crit, cs, mt, pt] = await Promise.all([
    queryRows<{ account_id: string; metric: string; score: number }>(db, sql`select distinct on (account_id, metric) account_id, metric, score from relationship_assessments
      where workspace_id = ${workspaceId} and account_id = any(${a}) and assessed_on <= (${until} at time zone 'Asia/Shanghai')::date order by account_id, metric, assessed_on desc, created_at desc`),
    queryRows<{ account_id: string; n: number }>(db, sql`select t.account_id, count(*)::int as n from sla_clocks c join tickets t on t.id = c.ticket_id
      where c.workspace_id = ${workspaceId} and t.account_id = any(${a}) and c.breached_at is not null and c.breached_at > ${since} group by t.account_id`),
    queryRows<{ account_id: string; n: number }>(db, sql`select account_id, count(*)::int as n from tickets
      where workspace_id = ${workspaceId} and account_id = any(${a}) and severity = 'critical' and status in ('open','in_progress','waiting_customer') group by account_id`),
    queryRows<{ account_id: string; avg: string }>(db, sql`select account_id, avg(score)::numeric(4,2)::text as avg from csat_responses
      where workspace_id = ${workspaceId} and account_id = any(${a}) and at > ${since} and at <= ${until} group by account_id`),
    queryRows<{ account_id: string; n: number }>(db, sql`select account_id, count(*)::int as n from meetings
      where workspace_id = ${workspaceId} and account_id = any(${a}) and status = 'held' and starts_at > ${since} and starts_at <= ${until} group by account_id`),
    queryRows<{ account_id: string; n: number }>(db, sql`select account_id, count(*)::int as n from tickets
      where workspace_id = ${workspaceId} and account_id = any(${a}) and requester_kind = 'key_person' and created_at > ${since} and created_at <= ${until} group by account_id`),
  ]);
  const latest = new Map<string, Record<string, number>>();
  for (const r of rel) latest.set(r.account_id, { ...latest.get(r.account_id), [r.metric]: r.score });
  const m = (rows: { account_id: string; n: number }[]) => new Map(rows.map((r) => [r.account_id, r.n]));
  return { latest, breaches: m(br), openCritical: m(crit), csat: new Map(cs.map((r) => [r.account_id, Number(r.avg)])), meetings: m(mt), portal: m(pt) };
}

export async function accountsForHealth(db: Db, workspaceId: string, accountId?: string) {
  return queryRows<{ id: string; tier: string; stage: string; on_time_payment_pct: number | null; owner_id: string | null; csm_id: string | null; sales_id: string | null; prev_score: number | null; prev_band: string | null }>(
    db,
    sql`select a.id, a.tier, a.stage, a.on_time_payment_pct, a.owner_id, a.csm_id, a.sales_id, h.score as prev_score, h.band as prev_band
        from accounts a left join account_health h on h.account_id = a.id
        where a.workspace_id = ${workspaceId} ${accountId ? sql`and a.id = ${accountId}` : sql``} order by a.id`,
  );
}

export async function openFollowUpReasons(db: Db, workspaceId: string, accountId: string) {
  return (await queryRows<{ reason: string }>(db, sql`select reason from follow_up_tasks where workspace_id = ${workspaceId} and account_id = ${accountId} and status = 'open'`)).map((r) => r.reason);
}
