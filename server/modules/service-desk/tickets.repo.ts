import { and, asc, count, desc, eq, ilike, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { queryRows, ts, type Db } from '../../db/client.js';
import { fromJson, jsonObject, rowsOf } from '../../db/json-rows.js';
import { pageTotal, totalOver } from '../../db/paging.js';
import { subscribeAllLive } from '../../platform/live.js';
import { snapshotCache } from '../../platform/snapshots.js';
import type { Actor } from '../../platform/actor.js';
import { accountNames, accountSummaryColumns, accountVisibility } from '../accounts/index.js';
import * as people from '../people/index.js';
import { workspaceTimeZone } from '../people/index.js';
import { opportunitiesFromSourceColumn } from '../opportunities/index.js';
import { defaultCalendar, defaultPolicies, type Calendar, type Targets } from './sla.domain.js';
import type { Candidate, DispatchTier, Severity, TeamInfo } from './dispatch.domain.js';
import {
  csatResponses,
  keyMomentEvents,
  slaCalendars,
  slaPolicySets,
  slaClocks,
  slaEscalations,
  slaPolicies,
  ticketAttachments,
  ticketHistory,
  ticketMessages,
  tickets,
} from './tickets.table.js';

// Correlated subqueries name the outer row as "tickets"."id": a select from one table renders its columns unqualified,
// which inside a subquery would bind to the subquery's own table.

export type TicketRow = typeof tickets.$inferSelect;
export type ClockRow = typeof slaClocks.$inferSelect;
const OPEN = ['open', 'in_progress', 'waiting_customer'];

export async function findTicket(db: Db, workspaceId: string, id: string, opts: { forUpdate?: boolean } = {}) {
  const rows = await queryRows(
    db,
    sql`select * from tickets where workspace_id = ${workspaceId} and id = ${id}${opts.forUpdate ? sql` for update` : sql``}`,
  );
  return rowsOf(tickets, rows)[0];
}

/** Inserts a ticket with the workspace's next number (the counter row is locked until the transaction ends). */
export async function insertTicket(db: Db, values: Omit<typeof tickets.$inferInsert, 'number'>) {
  const seq = await people.nextTicketNumber(db, values.workspaceId);
  const [row] = await db
    .insert(tickets)
    .values({ ...values, number: seq })
    .returning();
  return row;
}

/**
 * Bumps `version`; with `expectedVersion` the row changes only if it still is that version (undefined
 * back otherwise: of two changes from the same version one passes).
 */
export async function updateTicket(
  db: Db,
  workspaceId: string,
  id: string,
  values: Partial<typeof tickets.$inferInsert>,
  now: Date,
  expectedVersion?: number,
) {
  const [row] = await db
    .update(tickets)
    .set({ ...values, version: sql`${tickets.version} + 1`, updatedAt: now })
    .where(
      and(eq(tickets.workspaceId, workspaceId), eq(tickets.id, id), expectedVersion === undefined ? undefined : eq(tickets.version, expectedVersion)),
    )
    .returning();
  return row;
}

export async function insertHistory(db: Db, rows: (typeof ticketHistory.$inferInsert)[]) {
  if (rows.length) await db.insert(ticketHistory).values(rows);
}

/**
 * The ticket page's reads in one statement (they were eleven): the ticket, its account's name (the accounts
 * module's column), messages, attachments (not their bytes), SLA clocks, the CSAT answer and, for staff, the
 * history, escalations, key moments and the opportunities captured from it (the opportunities module's column).
 * The portal's view has only the public messages and attachments, and none of the staff-only parts. Undefined
 * when the workspace has no such ticket; who may see it is the caller's to decide before it shows anything.
 */
export async function ticketPage(db: Db, workspaceId: string, ticketId: string, portal: boolean) {
  const pub = (alias: string) => (portal ? sql.raw(` and ${alias}.visibility = 'public'`) : sql``);
  const staffOnly = (q: SQL) => (portal ? sql`'[]'::json` : q);
  const opportunities = opportunitiesFromSourceColumn(workspaceId, 'ticket', sql`${ticketId}::uuid`);
  const account = accountSummaryColumns(
    workspaceId,
    sql`(select t.account_id from tickets t where t.workspace_id = ${workspaceId} and t.id = ${ticketId})`,
  );
  const [r] = await queryRows<
    Record<'ticket' | 'messages' | 'attachments' | 'clocks' | 'csat' | 'history' | 'escalations' | 'moments' | 'opportunities', unknown> & {
      account_name: string | null;
    }
  >(
    db,
    sql`select
      (select row_to_json(t) from tickets t where t.workspace_id = ${workspaceId} and t.id = ${ticketId}) as ticket,
      ${account.accountName} as account_name,
      ${staffOnly(opportunities.column)} as opportunities,
      (select coalesce(json_agg(${jsonObject(ticketMessages, 'm')} order by m.created_at, m.id), '[]') from ticket_messages m
        where m.workspace_id = ${workspaceId} and m.ticket_id = ${ticketId}${pub('m')}) as messages,
      (select coalesce(json_agg(${jsonObject(ticketAttachments, 'a', ['data', 'workspaceId', 'uploadedById'])} order by a.created_at), '[]') from ticket_attachments a
        where a.workspace_id = ${workspaceId} and a.ticket_id = ${ticketId}${pub('a')}) as attachments,
      (select coalesce(json_agg(${jsonObject(slaClocks, 'c')} order by c.started_at, c.kind), '[]') from sla_clocks c
        where c.workspace_id = ${workspaceId} and c.ticket_id = ${ticketId}) as clocks,
      (select coalesce(json_agg(${jsonObject(csatResponses, 'r')}), '[]') from csat_responses r
        where r.workspace_id = ${workspaceId} and r.ticket_id = ${ticketId}) as csat,
      ${staffOnly(sql`(select coalesce(json_agg(${jsonObject(ticketHistory, 'h')} order by h.id), '[]') from ticket_history h
        where h.workspace_id = ${workspaceId} and h.ticket_id = ${ticketId})`)} as history,
      ${staffOnly(sql`(select coalesce(json_agg(${jsonObject(slaEscalations, 'e')} order by e.at), '[]') from sla_escalations e
        where e.workspace_id = ${workspaceId} and e.ticket_id = ${ticketId})`)} as escalations,
      ${staffOnly(sql`(select coalesce(json_agg(json_build_object('id', k.id, 'accountId', k.account_id, 'ticketId', k.ticket_id, 'ticketNumber', t.number,
          'ticketTitle', t.title, 'cause', k.cause, 'note', k.note, 'status', k.status, 'createdAt', k.created_at) order by k.created_at desc), '[]')
        from key_moment_events k join tickets t on t.id = k.ticket_id and t.workspace_id = k.workspace_id
        where k.workspace_id = ${workspaceId} and k.ticket_id = ${ticketId})`)} as moments`,
  );
  if (!r.ticket) return undefined;
  const escalationRows = fromJson(slaEscalations, r.escalations);
  const names = await people.userNames(
    db,
    workspaceId,
    escalationRows.map((e) => e.recipientId),
  );
  return {
    ticket: rowsOf(tickets, [r.ticket as Record<string, unknown>])[0],
    accountName: r.account_name,
    opportunities: portal ? [] : await opportunities.read(db, r.opportunities),
    messages: fromJson(ticketMessages, r.messages),
    attachments: fromJson(ticketAttachments, r.attachments, ['data', 'workspaceId', 'uploadedById']),
    clocks: fromJson(slaClocks, r.clocks),
    csat: fromJson(csatResponses, r.csat)[0],
    history: fromJson(ticketHistory, r.history),
    escalations: escalationRows
      .filter((e) => names.has(e.recipientId))
      .map((e) => ({
        id: e.id,
        clockId: e.clockId,
        recipientId: e.recipientId,
        recipientName: names.get(e.recipientId)!,
        recipientRole: e.recipientRole,
        at: e.at,
      })),
    moments: ((r.moments ?? []) as { createdAt: string }[]).map((k) => ({ ...k, createdAt: new Date(k.createdAt) })) as {
      id: string;
      accountId: string;
      ticketId: string;
      ticketNumber: number;
      ticketTitle: string;
      cause: string;
      note: string | null;
      status: string;
      createdAt: Date;
    }[],
  };
}

export async function insertMessage(db: Db, values: typeof ticketMessages.$inferInsert) {
  const [row] = await db.insert(ticketMessages).values(values).returning();
  return row;
}

const attachmentMeta = {
  id: ticketAttachments.id,
  ticketId: ticketAttachments.ticketId,
  visibility: ticketAttachments.visibility,
  fileName: ticketAttachments.fileName,
  contentType: ticketAttachments.contentType,
  sizeBytes: ticketAttachments.sizeBytes,
  uploadedByKind: ticketAttachments.uploadedByKind,
  uploadedByName: ticketAttachments.uploadedByName,
  createdAt: ticketAttachments.createdAt,
};

export async function insertAttachment(db: Db, values: typeof ticketAttachments.$inferInsert) {
  const [row] = await db.insert(ticketAttachments).values(values).returning(attachmentMeta);
  return row;
}

export async function findAttachment(db: Db, workspaceId: string, ticketId: string, id: string) {
  const [row] = await db
    .select()
    .from(ticketAttachments)
    .where(and(eq(ticketAttachments.workspaceId, workspaceId), eq(ticketAttachments.ticketId, ticketId), eq(ticketAttachments.id, id)));
  return row;
}

export async function clocks(db: Db, workspaceId: string, ticketId: string) {
  return db
    .select()
    .from(slaClocks)
    .where(and(eq(slaClocks.workspaceId, workspaceId), eq(slaClocks.ticketId, ticketId)))
    .orderBy(asc(slaClocks.startedAt), asc(slaClocks.kind));
}

export async function insertClocks(db: Db, rows: (typeof slaClocks.$inferInsert)[]) {
  if (rows.length) await db.insert(slaClocks).values(rows);
}

export async function updateClock(db: Db, id: string, values: Partial<typeof slaClocks.$inferInsert>) {
  await db.update(slaClocks).set(values).where(eq(slaClocks.id, id));
}

/** The names of the accounts, owners and teams of ticket rows (their modules' reads, one batched call each). */
/** A list's rows with their owner's and team's names (people's directory); the account's name came with the rows. */
async function withNames<T extends { accountName: string | null; ownerId: string | null; teamId?: string | null }>(
  db: Db,
  workspaceId: string,
  rows: T[],
) {
  const owners = await people.userNames(
    db,
    workspaceId,
    rows.map((r) => r.ownerId),
  );
  const teams = await people.teamNames(
    db,
    workspaceId,
    rows.map((r) => r.teamId ?? null),
  );
  return rows
    .filter((r) => r.accountName !== null)
    .map((r) => ({
      ...r,
      accountName: r.accountName!,
      ownerName: r.ownerId ? (owners.get(r.ownerId) ?? null) : null,
      teamName: r.teamId ? (teams.get(r.teamId) ?? null) : null,
    }));
}

export async function csatOf(db: Db, workspaceId: string, ticketId: string) {
  const [row] = await db
    .select()
    .from(csatResponses)
    .where(and(eq(csatResponses.workspaceId, workspaceId), eq(csatResponses.ticketId, ticketId)));
  return row;
}

export async function insertCsat(db: Db, values: typeof csatResponses.$inferInsert) {
  const [row] = await db.insert(csatResponses).values(values).onConflictDoNothing().returning();
  return row;
}

export async function insertKeyMoment(db: Db, values: typeof keyMomentEvents.$inferInsert) {
  const [row] = await db.insert(keyMomentEvents).values(values).onConflictDoNothing().returning();
  return row;
}

export async function keyMoments(db: Db, workspaceId: string, q: { accountId?: string; ticketId?: string; limit?: number; visibleTo?: Actor }) {
  const where = [eq(keyMomentEvents.workspaceId, workspaceId)];
  if (q.accountId) where.push(eq(keyMomentEvents.accountId, q.accountId));
  if (q.visibleTo) where.push(accountVisibility(q.visibleTo, { id: keyMomentEvents.accountId }));
  if (q.ticketId) where.push(eq(keyMomentEvents.ticketId, q.ticketId));
  const rows = await db
    .select({
      id: keyMomentEvents.id,
      accountId: keyMomentEvents.accountId,
      ticketId: keyMomentEvents.ticketId,
      ticketNumber: tickets.number,
      ticketTitle: tickets.title,
      cause: keyMomentEvents.cause,
      note: keyMomentEvents.note,
      status: keyMomentEvents.status,
      createdAt: keyMomentEvents.createdAt,
    })
    .from(keyMomentEvents)
    .innerJoin(tickets, and(eq(tickets.id, keyMomentEvents.ticketId), eq(tickets.workspaceId, keyMomentEvents.workspaceId)))
    .where(and(...where))
    .orderBy(desc(keyMomentEvents.createdAt))
    .limit(q.limit ?? 200);
  const names = await accountNames(
    db,
    workspaceId,
    rows.map((k) => k.accountId),
  );
  return rows.filter((k) => names.has(k.accountId)).map(({ id, accountId, ...k }) => ({ id, accountId, accountName: names.get(accountId)!, ...k }));
}

/** The opportunities captured from the ticket (the opportunities module's read). */
// ---- calendars and policies

/**
 * The SLA calendar and the policies as most requests read them (a ticket's clocks, opening a ticket): kept per
 * workspace for at most a minute, dropped on every instance when the SLA settings are saved (sla.service announces
 * `workspace`). The settings screens and their saves read the table itself (loadCalendar, loadPolicies).
 */
const slaSettings = snapshotCache<unknown>({ maxAgeMs: 60_000, maxEntries: 20_000 });
subscribeAllLive((m) => {
  if (m.topic === 'workspace') slaSettings.forget(`${m.workspaceId}|`);
});
export async function calendarOf(db: Db, workspaceId: string) {
  return (await slaSettings.get(`${workspaceId}|calendar`, () => loadCalendar(db, workspaceId))).value as Awaited<ReturnType<typeof loadCalendar>>;
}
export async function policyOf(db: Db, workspaceId: string, tier: DispatchTier, severity: Severity): Promise<Targets> {
  const all = (await slaSettings.get(`${workspaceId}|policies`, () => loadPolicies(db, workspaceId))).value as Awaited<
    ReturnType<typeof loadPolicies>
  >;
  const p = all.find((x) => x.tier === tier && x.severity === severity)!;
  return {
    firstResponseMinutes: p.firstResponseMinutes,
    nextResponseMinutes: p.nextResponseMinutes,
    resolutionMinutes: p.resolutionMinutes,
    warnPct: p.warnPct,
  };
}

/** The calendar and its version (0 while the workspace is on the default calendar). */
export async function loadCalendar(db: Db, workspaceId: string): Promise<Calendar & { name: string; isDefault: boolean; version: number }> {
  const [row] = await db.select().from(slaCalendars).where(eq(slaCalendars.workspaceId, workspaceId));
  if (row)
    return {
      name: row.name,
      timezone: row.timezone,
      workingDays: row.workingDays,
      periods: row.periods,
      holidays: row.holidays,
      extraWorkdays: row.extraWorkdays,
      isDefault: false,
      version: row.version,
    };
  return { name: 'default', ...defaultCalendar(await workspaceTimeZone(db, workspaceId)), isDefault: true, version: 0 };
}

/**
 * Saves and bumps the version; with `expectedVersion` only if the stored calendar still is that version
 * (0 = none stored yet). Returns the new version, or null when it was not (someone saved in between).
 */
export async function saveCalendar(db: Db, workspaceId: string, c: Calendar & { name: string }, expectedVersion?: number) {
  const values = {
    workspaceId,
    name: c.name,
    timezone: c.timezone,
    workingDays: c.workingDays,
    periods: c.periods,
    holidays: c.holidays,
    extraWorkdays: c.extraWorkdays,
    updatedAt: new Date(),
  };
  const [row] = await db
    .insert(slaCalendars)
    .values(values)
    .onConflictDoUpdate({
      target: slaCalendars.workspaceId,
      set: { ...values, version: sql`${slaCalendars.version} + 1` },
      ...(expectedVersion === undefined ? {} : { setWhere: eq(slaCalendars.version, expectedVersion) }),
    })
    .returning({ version: slaCalendars.version });
  return row?.version ?? null;
}

/** The version of the workspace's policies as a set (0 while none was saved). */
export async function policiesVersion(db: Db, workspaceId: string) {
  const [row] = await db.select({ version: slaPolicySets.version }).from(slaPolicySets).where(eq(slaPolicySets.workspaceId, workspaceId));
  return row?.version ?? 0;
}

/**
 * Bumps the version of the policy set before its rows are saved in the same transaction; with
 * `expectedVersion` only if it still is that version (0 = never saved). Returns the new version, or null
 * when it was not: the row lock this takes makes a concurrent save from the same version wait and fail.
 */
export async function bumpPoliciesVersion(db: Db, workspaceId: string, expectedVersion?: number) {
  const [row] = await db
    .insert(slaPolicySets)
    .values({ workspaceId })
    .onConflictDoUpdate({
      target: slaPolicySets.workspaceId,
      set: { updatedAt: new Date(), version: sql`${slaPolicySets.version} + 1` },
      ...(expectedVersion === undefined ? {} : { setWhere: eq(slaPolicySets.version, expectedVersion) }),
    })
    .returning({ version: slaPolicySets.version });
  return row?.version ?? null;
}

export async function loadPolicies(db: Db, workspaceId: string) {
  const rows = await db.select().from(slaPolicies).where(eq(slaPolicies.workspaceId, workspaceId));
  return defaultPolicies().map((d) => {
    const r = rows.find((x) => x.tier === d.tier && x.severity === d.severity);
    return r
      ? {
          tier: d.tier,
          severity: d.severity,
          firstResponseMinutes: r.firstResponseMinutes,
          nextResponseMinutes: r.nextResponseMinutes,
          resolutionMinutes: r.resolutionMinutes,
          warnPct: r.warnPct,
          isDefault: false,
        }
      : { ...d, isDefault: true };
  });
}

export async function savePolicies(
  db: Db,
  workspaceId: string,
  rows: { tier: string; severity: string; firstResponseMinutes: number; nextResponseMinutes: number; resolutionMinutes: number; warnPct: number }[],
) {
  for (const r of rows) {
    const values = { ...r, workspaceId, updatedAt: new Date() };
    await db
      .insert(slaPolicies)
      .values(values)
      .onConflictDoUpdate({ target: [slaPolicies.workspaceId, slaPolicies.tier, slaPolicies.severity], set: values });
  }
}

/** Unmet clocks of open tickets (to move their deadlines when the calendar changes). */
export async function openClocks(db: Db, workspaceId: string) {
  return db
    .select({ clock: slaClocks, pauses: tickets.pauses, warnPct: sql<number>`(${tickets.policy}->>'warnPct')::int` })
    .from(slaClocks)
    .innerJoin(tickets, and(eq(tickets.id, slaClocks.ticketId), eq(tickets.workspaceId, slaClocks.workspaceId)))
    .where(and(eq(slaClocks.workspaceId, workspaceId), isNull(slaClocks.metAt), isNull(slaClocks.breachedAt), inArray(tickets.status, OPEN)));
}

// ---- dispatch context

export const usersByIds = people.usersByIds;

export async function openLoads(db: Db, workspaceId: string): Promise<Map<string, number>> {
  const rows = await db
    .select({ ownerId: tickets.ownerId, n: count() })
    .from(tickets)
    .where(and(eq(tickets.workspaceId, workspaceId), inArray(tickets.status, OPEN)))
    .groupBy(tickets.ownerId);
  return new Map(rows.filter((r) => r.ownerId).map((r) => [r.ownerId!, Number(r.n)]));
}

export async function teamsWithMembers(db: Db, workspaceId: string, loads: Map<string, number>): Promise<(TeamInfo & { leadId: string | null })[]> {
  const ts_ = await people.teamsWithMembers(db, workspaceId);
  return ts_.map((t) => ({
    id: t.id,
    name: t.name,
    kind: t.kind as TeamInfo['kind'],
    industry: t.industry,
    leadId: t.leadId,
    members: t.members.map((m) => ({ id: m.id, name: m.name, skills: m.skills, active: m.active, openTickets: loads.get(m.id) ?? 0 })),
  }));
}

export async function partnerImplementers(db: Db, workspaceId: string, partnerId: string | null, loads: Map<string, number>): Promise<Candidate[]> {
  if (!partnerId) return [];
  const rows = await people.implementersOf(db, workspaceId, partnerId);
  return rows.map((r) => ({ id: r.id, name: r.name, skills: r.skills, active: r.active, openTickets: loads.get(r.id) ?? 0 }));
}

export const teamIdsOf = people.teamIdsOf;

// ---- lists

export type Queue = 'mine' | 'team' | 'breaching' | 'breached' | 'unassigned' | 'all';

export async function listTickets(
  db: Db,
  workspaceId: string,
  q: {
    queue: Queue;
    userId?: string;
    teamIds?: string[];
    accountId?: string;
    accountIds?: string[];
    visibleTo?: Actor;
    status?: string[];
    severity?: string[];
    ownerId?: string;
    /** the account's tier as the ticket records it (the tier it was dispatched by, the one the list shows) */
    tier?: string[];
    /** a selection (an export of the rows ticked on the list) */
    ids?: string[];
    q?: string;
    limit: number;
    offset: number;
    now: Date;
    /** false: the caller knows the total (the queue's count), -1 is returned */
    withTotal?: boolean;
  },
) {
  const where: (SQL | undefined)[] = [eq(tickets.workspaceId, workspaceId)];
  const open = inArray(tickets.status, OPEN);
  const now = ts(q.now);
  // mine: owned by me, accountable to me, or escalated to me (a breach reaches the manager's queue)
  if (q.queue === 'mine')
    where.push(
      open,
      sql`(${tickets.ownerId} = ${q.userId} or ${tickets.accountableId} = ${q.userId} or exists (select 1 from ${slaEscalations} e where e.ticket_id = "tickets"."id" and e.workspace_id = "tickets"."workspace_id" and e.recipient_id = ${q.userId}))`,
    );
  if (q.queue === 'team') where.push(open, q.teamIds?.length ? inArray(tickets.teamId, q.teamIds) : sql`false`);
  if (q.queue === 'unassigned') where.push(open, isNull(tickets.ownerId));
  if (q.queue === 'breaching')
    where.push(
      open,
      sql`exists (select 1 from ${slaClocks} c where c.ticket_id = "tickets"."id" and c.workspace_id = "tickets"."workspace_id" and c.met_at is null and c.breached_at is null and c.warn_at <= ${now})`,
    );
  if (q.queue === 'breached')
    where.push(
      open,
      sql`exists (select 1 from ${slaClocks} c where c.ticket_id = "tickets"."id" and c.workspace_id = "tickets"."workspace_id" and c.breached_at is not null and c.met_at is null)`,
    );
  if (q.accountId) where.push(eq(tickets.accountId, q.accountId));
  if (q.visibleTo) where.push(accountVisibility(q.visibleTo, { id: tickets.accountId }));
  if (q.status?.length) where.push(inArray(tickets.status, q.status));
  if (q.severity?.length) where.push(inArray(tickets.severity, q.severity));
  if (q.ownerId) where.push(eq(tickets.ownerId, q.ownerId));
  if (q.tier?.length) where.push(inArray(tickets.tierAtCreation, q.tier));
  if (q.ids) where.push(q.ids.length ? inArray(tickets.id, q.ids) : sql`false`);
  if (q.q) where.push(ilike(tickets.title, `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
  const w = and(...where);
  const nextDue = sql<Date | null>`(select min(c.due_at) from ${slaClocks} c where c.ticket_id = "tickets"."id" and c.workspace_id = "tickets"."workspace_id" and c.met_at is null and c.breached_at is null)`;
  const page = await db
    .select({
      id: tickets.id,
      number: tickets.number,
      title: tickets.title,
      kind: tickets.kind,
      severity: tickets.severity,
      priority: tickets.priority,
      channel: tickets.channel,
      status: tickets.status,
      major: tickets.major,
      accountId: tickets.accountId,
      accountName: accountSummaryColumns(workspaceId, tickets.accountId).accountName,
      tier: tickets.tierAtCreation,
      ownerId: tickets.ownerId,
      teamId: tickets.teamId,
      requesterName: tickets.requesterName,
      createdAt: tickets.createdAt,
      updatedAt: tickets.updatedAt,
      nextDueAt: nextDue,
      breached: sql<boolean>`exists (select 1 from ${slaClocks} c where c.ticket_id = "tickets"."id" and c.workspace_id = "tickets"."workspace_id" and c.breached_at is not null)`,
      warning: sql<boolean>`exists (select 1 from ${slaClocks} c where c.ticket_id = "tickets"."id" and c.workspace_id = "tickets"."workspace_id" and c.met_at is null and c.breached_at is null and c.warn_at <= ${now})`,
      // the caller that knows the total (the queue's own count) does not have it counted again
      total: q.withTotal === false ? sql`-1`.mapWith(Number) : totalOver(),
    })
    .from(tickets)
    .where(w)
    .orderBy(
      ...(q.queue === 'breaching' || q.queue === 'breached' ? [sql`${nextDue} asc nulls last`, desc(tickets.createdAt)] : [desc(tickets.createdAt)]),
    )
    .limit(q.limit)
    .offset(q.offset);
  const { rows: items, total } = await pageTotal(page, q.offset, async () =>
    q.withTotal === false ? -1 : Number((await db.select({ total: count() }).from(tickets).where(w))[0].total),
  );
  const named = await withNames(db, workspaceId, items);
  return { items: named.map((i) => ({ ...i, nextDueAt: i.nextDueAt ? new Date(i.nextDueAt) : null })), total: Number(total) };
}

export async function queueCounts(db: Db, workspaceId: string, userId: string, teamIds: string[], now: Date, visibleTo?: Actor) {
  const scope = visibleTo ? sql`and ${accountVisibility(visibleTo, { id: sql`t.account_id` })}` : sql``;
  const [r] = await queryRows<{ mine: number; team: number; breaching: number; breached: number; unassigned: number }>(
    db,
    // the running clocks are aggregated once per ticket and hash-joined (not two lookups per open ticket):
    // 2.5 s → 0.2 s for 75,000 open tickets (docs/performance.md)
    sql`with running as (
        select c.ticket_id, bool_or(c.breached_at is null and c.warn_at <= ${ts(now)}) as breaching, bool_or(c.breached_at is not null) as breached
        from sla_clocks c where c.workspace_id = ${workspaceId} and c.met_at is null group by c.ticket_id)
    select
      count(*) filter (where t.owner_id = ${userId} or t.accountable_id = ${userId} or exists (select 1 from sla_escalations e where e.ticket_id = t.id and e.workspace_id = t.workspace_id and e.recipient_id = ${userId}))::int as mine,
      count(*) filter (where ${teamIds.length ? sql`t.team_id in ${teamIds}` : sql`false`})::int as team,
      count(*) filter (where r.breaching)::int as breaching,
      count(*) filter (where r.breached)::int as breached,
      count(*) filter (where t.owner_id is null)::int as unassigned
    from tickets t left join running r on r.ticket_id = t.id
    where t.workspace_id = ${workspaceId} and t.status in ('open','in_progress','waiting_customer') ${scope}`,
  );
  return r;
}

export async function accountTickets(db: Db, workspaceId: string, accountId: string, publicOnly = false) {
  const rows = await db
    .select({
      id: tickets.id,
      number: tickets.number,
      title: tickets.title,
      kind: tickets.kind,
      severity: tickets.severity,
      priority: tickets.priority,
      status: tickets.status,
      major: tickets.major,
      ownerId: tickets.ownerId,
      createdAt: tickets.createdAt,
      resolvedAt: tickets.resolvedAt,
      updatedAt: tickets.updatedAt,
      requesterName: tickets.requesterName,
      ...(publicOnly
        ? {}
        : {
            breached: sql<boolean>`exists (select 1 from ${slaClocks} c where c.ticket_id = "tickets"."id" and c.workspace_id = "tickets"."workspace_id" and c.breached_at is not null)`,
          }),
    })
    .from(tickets)
    .where(and(eq(tickets.workspaceId, workspaceId), eq(tickets.accountId, accountId)))
    .orderBy(desc(tickets.createdAt))
    .limit(200);
  const owners = await people.userNames(
    db,
    workspaceId,
    rows.map((t) => t.ownerId),
  );
  return rows.map(({ ownerId, ...t }) => ({ ...t, ownerName: ownerId ? (owners.get(ownerId) ?? null) : null }));
}

/** SLA compliance of finished clocks (met or breached) of an account's tickets, per clock kind. */
export async function compliance(db: Db, workspaceId: string, accountId: string) {
  return queryRows<{ kind: string; met: number; breached: number }>(
    db,
    sql`select c.kind, count(*) filter (where c.breached_at is null and c.met_at is not null)::int as met, count(*) filter (where c.breached_at is not null)::int as breached
        from sla_clocks c join tickets t on t.id = c.ticket_id and t.workspace_id = c.workspace_id
        where t.workspace_id = ${workspaceId} and t.account_id = ${accountId} group by c.kind order by c.kind`,
  );
}

export async function csatReport(db: Db, workspaceId: string, by: 'account' | 'team' | 'owner', accountId?: string, visibleTo?: Actor) {
  // a channel implementer's view: its channel's accounts only
  const channel = visibleTo ? sql`and ${accountVisibility(visibleTo, { id: sql`r.account_id` })}` : sql``;
  const key = by === 'account' ? sql`r.account_id` : by === 'team' ? sql`r.team_id` : sql`r.owner_id`;
  const rows = await queryRows<{ id: string | null; responses: number; average: number; satisfied: number }>(
    db,
    sql`select ${key} as id, count(*)::int as responses, round(avg(r.score)::numeric, 2)::float8 as average,
          count(*) filter (where r.score >= 4)::int as satisfied
        from csat_responses r where r.workspace_id = ${workspaceId} ${accountId ? sql`and r.account_id = ${accountId}` : sql``} ${channel}
        group by ${key} order by average desc, responses desc`,
  );
  const ids = rows.map((r) => r.id);
  const names =
    by === 'account'
      ? await accountNames(
          db,
          workspaceId,
          ids.filter((x): x is string => !!x),
        )
      : by === 'team'
        ? await people.teamNames(db, workspaceId, ids)
        : await people.userNames(db, workspaceId, ids);
  return rows.map(({ id, ...r }) => ({ id, name: id ? (names.get(id) ?? null) : null, ...r }));
}

// ---- the breach scan

export type DueClock = { id: string; ticket_id: string; workspace_id: string; due_at: Date };

/** Clocks past their deadline and not yet breached: the query the scheduled scan runs (and the benchmark measures). */
export async function dueClocks(db: Db, now: Date, limit = 1000) {
  return db
    .select({ id: slaClocks.id, ticketId: slaClocks.ticketId, workspaceId: slaClocks.workspaceId, dueAt: slaClocks.dueAt })
    .from(slaClocks)
    .where(and(sql`${slaClocks.dueAt} <= ${ts(now)}`, isNull(slaClocks.breachedAt), isNull(slaClocks.metAt), sql`${slaClocks.dueAt} is not null`))
    .orderBy(asc(slaClocks.dueAt))
    .limit(limit);
}

/** Records the warning of a clock (once: null if another scan took it, or it was met or breached meanwhile). */
export async function claimWarning(db: Db, clockId: string, now: Date) {
  const [c] = await db
    .update(slaClocks)
    .set({ warnedAt: now })
    .where(
      and(
        eq(slaClocks.id, clockId),
        isNull(slaClocks.warnedAt),
        isNull(slaClocks.metAt),
        isNull(slaClocks.breachedAt),
        sql`${slaClocks.warnAt} <= ${now.toISOString()}::timestamptz`,
      ),
    )
    .returning();
  return c ?? null;
}

/** Records the breach of a clock at its deadline (once: only one scan, of however many instances, gets it). */
export async function claimBreach(db: Db, clockId: string, now: Date) {
  const [c] = await db
    .update(slaClocks)
    .set({ breachedAt: sql`${slaClocks.dueAt}` })
    .where(
      and(
        eq(slaClocks.id, clockId),
        isNull(slaClocks.breachedAt),
        isNull(slaClocks.metAt),
        sql`${slaClocks.dueAt} <= ${now.toISOString()}::timestamptz`,
      ),
    )
    .returning();
  return c ?? null;
}

export async function warnClocks(db: Db, now: Date, limit = 1000) {
  return db
    .select({ id: slaClocks.id, ticketId: slaClocks.ticketId, workspaceId: slaClocks.workspaceId })
    .from(slaClocks)
    .where(
      and(
        sql`${slaClocks.warnAt} <= ${ts(now)}`,
        isNull(slaClocks.warnedAt),
        isNull(slaClocks.breachedAt),
        isNull(slaClocks.metAt),
        sql`${slaClocks.warnAt} is not null`,
      ),
    )
    .orderBy(asc(slaClocks.warnAt))
    .limit(limit);
}

export async function insertEscalations(db: Db, rows: (typeof slaEscalations.$inferInsert)[]) {
  if (!rows.length) return [];
  return db.insert(slaEscalations).values(rows).onConflictDoNothing().returning();
}

/**
 * The workbench's queue: open tickets owned by (or accountable to) the user or routed to one of the
 * user's teams, most urgent first — breached, then breaching soon, then by the nearest SLA deadline.
 */
export async function workQueue(db: Db, workspaceId: string, q: { userId: string; teamIds: string[]; visibleTo?: Actor; limit: number; now: Date }) {
  const now = ts(q.now);
  // a breach escalated to the user puts the ticket in their queue too
  const escalatedToMe = sql<boolean>`exists (select 1 from ${slaEscalations} e where e.ticket_id = "tickets"."id" and e.workspace_id = "tickets"."workspace_id" and e.recipient_id = ${q.userId})`;
  const where: SQL[] = [
    eq(tickets.workspaceId, workspaceId),
    inArray(tickets.status, OPEN),
    sql`(${tickets.ownerId} = ${q.userId} or ${tickets.accountableId} = ${q.userId} or ${escalatedToMe} ${q.teamIds.length ? sql`or ${inArray(tickets.teamId, q.teamIds)}` : sql``})`,
  ];
  if (q.visibleTo) where.push(accountVisibility(q.visibleTo, { id: tickets.accountId }));
  const w = and(...where);
  const nextDue = sql<Date | null>`(select min(c.due_at) from ${slaClocks} c where c.ticket_id = "tickets"."id" and c.workspace_id = "tickets"."workspace_id" and c.met_at is null and c.breached_at is null)`;
  const breached = sql<boolean>`exists (select 1 from ${slaClocks} c where c.ticket_id = "tickets"."id" and c.workspace_id = "tickets"."workspace_id" and c.breached_at is not null and c.met_at is null)`;
  const warning = sql<boolean>`exists (select 1 from ${slaClocks} c where c.ticket_id = "tickets"."id" and c.workspace_id = "tickets"."workspace_id" and c.met_at is null and c.breached_at is null and c.warn_at <= ${now})`;
  const page = await db
    .select({
      id: tickets.id,
      number: tickets.number,
      title: tickets.title,
      severity: tickets.severity,
      priority: tickets.priority,
      status: tickets.status,
      major: tickets.major,
      accountId: tickets.accountId,
      accountName: accountSummaryColumns(workspaceId, tickets.accountId).accountName,
      ownerId: tickets.ownerId,
      teamId: tickets.teamId,
      createdAt: tickets.createdAt,
      nextDueAt: nextDue,
      breached,
      warning,
      escalatedToMe,
      total: totalOver(),
    })
    .from(tickets)
    .where(w)
    .orderBy(
      sql`${breached} desc`,
      sql`${warning} desc`,
      sql`${nextDue} asc nulls last`,
      sql`case ${tickets.severity} when 'critical' then 0 when 'high' then 1 when 'medium' then 2 else 3 end`,
      asc(tickets.createdAt),
      asc(tickets.id),
    )
    .limit(q.limit);
  const { rows: items, total } = await pageTotal(page, 0, async () => 0);
  const named = await withNames(db, workspaceId, items);
  return { items: named.map((i) => ({ ...i, nextDueAt: i.nextDueAt ? new Date(i.nextDueAt) : null })), total: Number(total) };
}

// ---- key moments (meetings take them)

/**
 * Claims the oldest open key-moment event of any workspace (a conditional update, so each becomes one
 * meeting) with what a meeting about it needs of its ticket; null when none is open.
 */
export async function claimOpenKeyMoment(db: Db) {
  const [ev] = await queryRows<{
    id: string;
    workspace_id: string;
    account_id: string;
    ticket_id: string;
    cause: 'complaint' | 'major_issue';
    note: string | null;
    created_at: string | Date;
  }>(
    db,
    sql`update ${keyMomentEvents} set status = 'meeting_scheduled'
        where id = (select id from ${keyMomentEvents} where status = 'open' order by created_at, id limit 1 for update skip locked)
        returning id, workspace_id, account_id, ticket_id, cause, note, created_at`,
  );
  if (!ev) return null;
  const [ticket] = await db
    .select({ title: tickets.title, ownerId: tickets.ownerId, description: tickets.description, requesterKeyPersonId: tickets.requesterKeyPersonId })
    .from(tickets)
    .where(eq(tickets.id, ev.ticket_id));
  return {
    id: ev.id,
    workspaceId: ev.workspace_id,
    accountId: ev.account_id,
    ticketId: ev.ticket_id,
    cause: ev.cause,
    note: ev.note,
    createdAt: new Date(ev.created_at),
    ticket: ticket ?? null,
  };
}

/**
 * Tickets opened since a time per requester (the outreach module's behaviour rules): by the key person who
 * opened them in the portal, or by the sender's address (lower-cased) for mail; count and latest.
 */
export async function ticketCountsByRequester(db: Db, workspaceId: string, since: Date) {
  return db
    .select({
      keyPersonId: tickets.requesterKeyPersonId,
      email: sql<string | null>`lower(${tickets.requesterEmail})`,
      count: sql<number>`count(*)::int`,
      last: sql<Date>`max(${tickets.createdAt})`,
    })
    .from(tickets)
    .where(
      and(
        eq(tickets.workspaceId, workspaceId),
        sql`${tickets.createdAt} >= ${since}`,
        sql`(${tickets.requesterKeyPersonId} is not null or ${tickets.requesterEmail} is not null)`,
      ),
    )
    .groupBy(tickets.requesterKeyPersonId, sql`lower(${tickets.requesterEmail})`);
}
