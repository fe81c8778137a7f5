// The account timeline: everything that happened to one account in one stream — tickets, meetings, bookings,
// opportunity moves, portal activity, stage / tier / ladder changes and value actuals — newest first. Reads
// across modules (hence here); every branch is bounded by the account's own index and the page's end.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { queryRows } from '../../db/client.js';
import type { Actor } from '../../platform/actor.js';
import type { Locale } from '../../platform/i18n.js';
import { accountVisibility } from '../accounts/index.js';

export const timelineKinds = ['ticket', 'meeting', 'booking', 'opportunity', 'portal', 'stage', 'tier', 'ladder', 'value'] as const;
export type TimelineKind = (typeof timelineKinds)[number];

export type TimelineItem = {
  kind: TimelineKind;
  /** the event's own id (a history row's, or the record's when the record is the event) */
  id: string;
  at: string;
  title: string;
  detail: string | null;
  /** a vocabulary value the UI labels: the record's status, the portal signal's kind, the tier change's source */
  status: string | null;
  /** a change: from → to (stages, tiers, ladder levels, opportunity stages) */
  from: string | null;
  to: string | null;
  amountMinor: number | null;
  value: number | null;
  number: number | null;
  /** the console page of the record */
  link: string;
};

/** The account if the actor may see it (the one visibility rule), else null. */
export async function visibleAccount(db: Db, actor: Actor, accountId: string): Promise<{ id: string } | null> {
  const [row] = await queryRows<{ id: string }>(
    db,
    sql`select a.id from accounts a where a.workspace_id = ${actor.workspaceId} and a.id = ${accountId} and ${accountVisibility(actor, 'a')}`,
  );
  return row ?? null;
}

type Row = {
  kind: TimelineKind;
  id: string;
  record_id: string;
  at: string | Date;
  title: string;
  detail: string | null;
  status: string | null;
  from_v: string | null;
  to_v: string | null;
  amount: string | number | null;
  val: string | number | null;
  num: string | number | null;
};

const num = (v: string | number | null) => (v == null ? null : Number(v));

function linkOf(kind: TimelineKind, accountId: string, recordId: string): string {
  switch (kind) {
    case 'ticket':
      return `/service-desk/tickets/${recordId}`;
    case 'meeting':
      return `/meetings/${recordId}`;
    case 'opportunity':
      return `/opportunities?open=${recordId}`;
    case 'booking':
      return `/accounts/${accountId}?tab=valueAdd`;
    case 'portal':
      return `/accounts/${accountId}?tab=portal`;
    case 'value':
      return `/accounts/${accountId}?tab=value`;
    default:
      return `/accounts/${accountId}`;
  }
}

/** One page of the stream (rows `offset` … `offset + limit - 1`), newest first; ties broken by kind and id. */
export async function timelinePage(
  db: Db,
  workspaceId: string,
  accountId: string,
  kinds: readonly TimelineKind[],
  offset: number,
  limit: number,
  locale: Locale = 'zh-CN',
): Promise<TimelineItem[]> {
  if (!kinds.length) return [];
  const n = offset + limit; // each branch needs at most the page's end
  const ws = workspaceId;
  const name = (zh: SQL, en: SQL) => (locale === 'en' ? en : zh);
  const cols = sql`kind, id, record_id, at, title, detail, status, from_v, to_v, amount, val, num`;
  const branches: Record<TimelineKind, SQL> = {
    ticket: sql`(select 'ticket' as kind, t.id, t.id as record_id, t.created_at as at, t.title, null::text as detail, t.status,
                  null::text as from_v, null::text as to_v, null::bigint as amount, null::numeric as val, t.number as num
                from tickets t where t.workspace_id = ${ws} and t.account_id = ${accountId} order by t.created_at desc limit ${n})`,
    meeting: sql`(select 'meeting', m.id, m.id, m.starts_at, m.title, m.kind, m.status, null, null, null, null, null
                 from meetings m where m.workspace_id = ${ws} and m.account_id = ${accountId} order by m.starts_at desc limit ${n})`,
    booking: sql`(select 'booking', b.id, b.id, b.created_at, ${name(sql`ci.name_zh`, sql`ci.name_en`)}, b.note, b.status, null, null, b.amount_minor, null, null
                 from value_add_bookings b join catalog_items ci on ci.id = b.catalog_item_id and ci.workspace_id = b.workspace_id
                 where b.workspace_id = ${ws} and b.account_id = ${accountId} order by b.created_at desc limit ${n})`,
    opportunity: sql`(select 'opportunity', e.id, o.id, e.at, o.title, e.note, o.stage, e.from_stage, e.to_stage, o.amount_minor, null, null
                     from opportunity_events e join opportunities o on o.id = e.opportunity_id and o.workspace_id = e.workspace_id
                     where o.workspace_id = ${ws} and o.account_id = ${accountId} order by e.at desc limit ${n})`,
    portal: sql`(select 'portal', s.id, coalesce(s.subject_id, s.id), s.created_at, s.label, s.subject_type, s.kind, null, null, null, null, null
                from portal_signals s where s.workspace_id = ${ws} and s.account_id = ${accountId} order by s.created_at desc limit ${n})`,
    stage: sql`(select 'stage', h.id, h.account_id, h.at, '', h.note, null, h.from_stage, h.to_stage, null, null, null
               from stage_transitions h where h.workspace_id = ${ws} and h.account_id = ${accountId} order by h.at desc limit ${n})`,
    tier: sql`(select 'tier', h.id, h.account_id, h.at, '', h.reason, h.source, h.from_tier, h.to_tier, null, null, null
              from tier_history h where h.workspace_id = ${ws} and h.account_id = ${accountId} order by h.at desc limit ${n})`,
    ladder: sql`(select 'ladder', h.id, h.account_id, h.at, '', h.reason, null, h.from_level, h.to_level, null, null, null
                from ladder_history h where h.workspace_id = ${ws} and h.account_id = ${accountId} order by h.at desc limit ${n})`,
    value: sql`(select 'value', v.id, i.id, v.created_at, ${name(sql`i.name_zh`, sql`i.name_en`)}, v.period, v.source, null, null, null, v.value, null
               from value_actuals v join value_items i on i.id = v.item_id and i.workspace_id = v.workspace_id
               where i.workspace_id = ${ws} and i.account_id = ${accountId} order by v.created_at desc limit ${n})`,
  };
  // an empty first branch types every column: the other branches leave their unused columns an untyped
  // null, which PostgreSQL would otherwise type from whichever branch comes first (text against numeric)
  const typed = sql`(select null::text, null::uuid, null::uuid, null::timestamptz, null::text, null::text, null::text,
                     null::text, null::text, null::bigint, null::numeric, null::bigint where false)`;
  const union = sql.join([typed, ...kinds.map((k) => branches[k])], sql` union all `);
  const rows = await queryRows<Row>(db, sql`select ${cols} from (${union}) x (${cols}) order by at desc, kind, id limit ${limit} offset ${offset}`);
  return rows.map((r) => ({
    kind: r.kind,
    id: r.id,
    at: new Date(r.at).toISOString(),
    title: r.title,
    detail: r.detail || null,
    status: r.status,
    from: r.from_v,
    to: r.to_v,
    amountMinor: num(r.amount),
    value: num(r.val),
    number: num(r.num),
    link: linkOf(r.kind, accountId, r.record_id),
  }));
}
