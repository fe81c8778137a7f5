import { and, asc, eq, gt, gte, inArray, isNull, lt, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.js';
import type { Actor } from '../../platform/actor.js';
import { accountNames, accountSummaryColumns, accountVisibility } from '../accounts/index.js';
import * as people from '../people/index.js';
import { actionItems, meetingAttendees, meetingGuests, meetings, meetingSeries, meetingSettings } from './meetings.table.js';

// Correlated subqueries name the outer row as "meetings"."id": a select from one table renders its columns unqualified,
// which inside a subquery would bind to the subquery's own table.

export type MeetingRow = typeof meetings.$inferSelect;
export type ActionItemRow = typeof actionItems.$inferSelect;
export type SettingsRow = typeof meetingSettings.$inferSelect;

export async function findMeeting(db: Db, workspaceId: string, id: string, opts: { forUpdate?: boolean } = {}) {
  const q = db
    .select()
    .from(meetings)
    .where(and(eq(meetings.workspaceId, workspaceId), eq(meetings.id, id)));
  const [row] = opts.forUpdate ? await q.for('update') : await q;
  return row ?? null;
}

export const usersByIds = people.usersByIds;

/** Names by user id (people's read). */
async function namesOf(db: Db, workspaceId: string, ids: (string | null)[]) {
  const unique = [...new Set(ids.filter((x): x is string => !!x))];
  return new Map((await people.usersByIds(db, workspaceId, unique)).map((u) => [u.id, u]));
}
/** Ordered by name as the database's default collation would (code points). */
const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export async function attendeesOf(db: Db, workspaceId: string, meetingId: string) {
  const rows = await db
    .select({ userId: meetingAttendees.userId, response: meetingAttendees.response, respondedAt: meetingAttendees.respondedAt })
    .from(meetingAttendees)
    .where(and(eq(meetingAttendees.workspaceId, workspaceId), eq(meetingAttendees.meetingId, meetingId)));
  const users = await namesOf(
    db,
    workspaceId,
    rows.map((r) => r.userId),
  );
  return rows
    .filter((r) => users.has(r.userId))
    .map((r) => {
      const u = users.get(r.userId)!;
      return { userId: r.userId, name: u.name, email: u.email, role: u.role, response: r.response, respondedAt: r.respondedAt };
    })
    .sort(byName);
}

export async function actionItemsOf(db: Db, workspaceId: string, where: SQL[]) {
  const rows = await db
    .select({
      id: actionItems.id,
      meetingId: actionItems.meetingId,
      meetingTitle: meetings.title,
      accountId: actionItems.accountId,
      title: actionItems.title,
      ownerId: actionItems.ownerId,
      dueOn: actionItems.dueOn,
      dueAt: actionItems.dueAt,
      status: actionItems.status,
      source: actionItems.source,
      dueRemindedAt: actionItems.dueRemindedAt,
      overdueNotifiedAt: actionItems.overdueNotifiedAt,
      escalatedAt: actionItems.escalatedAt,
      escalatedToId: actionItems.escalatedToId,
      completedAt: actionItems.completedAt,
      createdAt: actionItems.createdAt,
    })
    .from(actionItems)
    .innerJoin(meetings, and(eq(meetings.id, actionItems.meetingId), eq(meetings.workspaceId, actionItems.workspaceId)))
    .where(and(eq(actionItems.workspaceId, workspaceId), ...where))
    .orderBy(sql`${actionItems.dueAt} asc nulls last`, asc(actionItems.createdAt));
  const [accounts, users] = [
    await accountNames(
      db,
      workspaceId,
      rows.map((r) => r.accountId),
    ),
    await namesOf(
      db,
      workspaceId,
      rows.flatMap((r) => [r.ownerId, r.escalatedToId]),
    ),
  ];
  return rows
    .filter((r) => accounts.has(r.accountId) && users.has(r.ownerId))
    .map(({ id, meetingId, meetingTitle, accountId, title, ownerId, escalatedToId, ...r }) => ({
      id,
      meetingId,
      meetingTitle,
      accountId,
      accountName: accounts.get(accountId)!,
      title,
      ownerId,
      ownerName: users.get(ownerId)!.name,
      ...r,
      escalatedToId,
      escalatedToName: escalatedToId ? (users.get(escalatedToId)?.name ?? null) : null,
    }));
}

export type ListFilter = { accountId?: string; userId?: string; teamId?: string; from?: Date; to?: Date; visibleTo?: Actor; kind?: string };

export async function listMeetings(db: Db, workspaceId: string, f: ListFilter, limit = 500) {
  const where: SQL[] = [eq(meetings.workspaceId, workspaceId)];
  if (f.accountId) where.push(eq(meetings.accountId, f.accountId));
  if (f.kind) where.push(eq(meetings.kind, f.kind));
  if (f.from) where.push(gte(meetings.startsAt, f.from));
  if (f.to) where.push(lte(meetings.startsAt, f.to));
  if (f.visibleTo) where.push(accountVisibility(f.visibleTo, { id: meetings.accountId }));
  if (f.userId)
    where.push(
      or(
        eq(meetings.organizerId, f.userId),
        sql`exists (select 1 from ${meetingAttendees} a where a.meeting_id = "meetings"."id" and a.workspace_id = "meetings"."workspace_id" and a.user_id = ${f.userId})`,
      )!,
    );
  if (f.teamId) {
    const members = await people.memberIdsOfTeam(db, workspaceId, f.teamId);
    where.push(
      members.length
        ? sql`exists (select 1 from ${meetingAttendees} a where a.meeting_id = "meetings"."id" and a.workspace_id = "meetings"."workspace_id" and a.user_id in (${sql.join(
            members.map((m) => sql`${m}`),
            sql`, `,
          )}))`
        : sql`false`,
    );
  }
  const rows = await db
    .select({
      id: meetings.id,
      accountId: meetings.accountId,
      ...accountSummaryColumns(workspaceId, meetings.accountId),
      kind: meetings.kind,
      cause: meetings.cause,
      title: meetings.title,
      location: meetings.location,
      startsAt: meetings.startsAt,
      endsAt: meetings.endsAt,
      status: meetings.status,
      seriesId: meetings.seriesId,
      organizerId: meetings.organizerId,
      summaryStatus: meetings.summaryStatus,
      openActions: sql<number>`(select count(*)::int from ${actionItems} ai where ai.meeting_id = "meetings"."id" and ai.workspace_id = "meetings"."workspace_id" and ai.status = 'open')`,
    })
    .from(meetings)
    .where(and(...where))
    .orderBy(asc(meetings.startsAt))
    .limit(limit);
  const users = await namesOf(
    db,
    workspaceId,
    rows.map((r) => r.organizerId),
  );
  return rows
    .filter((r) => r.accountName !== null && users.has(r.organizerId))
    .map(({ id, accountId, accountName, accountTier, organizerId, ...r }) => ({
      id,
      accountId,
      accountName: accountName!,
      accountTier: accountTier!,
      ...r,
      organizerId,
      organizerName: users.get(organizerId)!.name,
    }));
}

export async function getSettings(db: Db, workspaceId: string): Promise<SettingsRow | null> {
  const [row] = await db.select().from(meetingSettings).where(eq(meetingSettings.workspaceId, workspaceId));
  return row ?? null;
}

export async function workspaceOf(db: Db, workspaceId: string) {
  const w = (await people.findWorkspace(db, workspaceId))!;
  return { id: w.id, timezone: w.timezone, defaultLocale: w.defaultLocale, name: w.name };
}

export async function seriesOf(db: Db, workspaceId: string, id: string) {
  const [s] = await db
    .select()
    .from(meetingSeries)
    .where(and(eq(meetingSeries.workspaceId, workspaceId), eq(meetingSeries.id, id)));
  return s ?? null;
}

// ---- the jobs' queries (summaries, reminders, supervision)

/** Stores the summary unless newer minutes arrived meanwhile (then null). */
export async function saveSummary(db: Db, meetingId: string, minutesUpdatedAt: Date, summary: unknown) {
  const [updated] = await db
    .update(meetings)
    .set({ summary: summary as MeetingRow['summary'], summaryStatus: 'done', summarisedAt: new Date() })
    .where(and(eq(meetings.id, meetingId), eq(meetings.minutesUpdatedAt, minutesUpdatedAt)))
    .returning({ id: meetings.id });
  return updated ?? null;
}

/** Items an earlier summary proposed that nobody touched (they are replaced by the new summary's). */
export async function deleteOpenSummaryItems(db: Db, meetingId: string) {
  await db.delete(actionItems).where(and(eq(actionItems.meetingId, meetingId), eq(actionItems.source, 'summary'), eq(actionItems.status, 'open')));
}

export async function insertActionItems(db: Db, rows: (typeof actionItems.$inferInsert)[]) {
  if (!rows.length) return [];
  return db.insert(actionItems).values(rows).returning();
}

export type PolicyColumns = { meeting_reminder_minutes: number | null; due_reminder_hours: number | null; escalate_after_days: number | null };

/** Scheduled meetings of any workspace starting within a week that have had no reminder, with their workspace's policy. */
export async function reminderCandidates(db: Db, now: Date) {
  return queryRows<{ id: string; workspace_id: string; status: string; starts_at: string | Date } & PolicyColumns>(
    db,
    sql`select m.id, m.workspace_id, m.status, m.starts_at, s.meeting_reminder_minutes, s.due_reminder_hours, s.escalate_after_days
        from ${meetings} m left join ${meetingSettings} s on s.workspace_id = m.workspace_id
        where m.status = 'scheduled' and m.reminder_sent_at is null and m.starts_at > ${now.toISOString()}::timestamptz
          and m.starts_at <= ${new Date(now.getTime() + 7 * 86_400_000).toISOString()}::timestamptz`,
  );
}

/** Claims the reminder of a meeting (once: null if another scan took it or it is no longer scheduled). */
export async function claimReminder(db: Db, id: string, now: Date) {
  const [m] = await db
    .update(meetings)
    .set({ reminderSentAt: now })
    .where(and(eq(meetings.id, id), isNull(meetings.reminderSentAt), eq(meetings.status, 'scheduled')))
    .returning();
  return m ?? null;
}

/** Attendees who have not declined, with name and e-mail. */
export async function attendeesToNotify(db: Db, workspaceId: string, meetingId: string) {
  const rows = await db
    .select({ userId: meetingAttendees.userId })
    .from(meetingAttendees)
    .where(and(eq(meetingAttendees.workspaceId, workspaceId), eq(meetingAttendees.meetingId, meetingId), ne(meetingAttendees.response, 'declined')));
  const users = await namesOf(
    db,
    workspaceId,
    rows.map((r) => r.userId),
  );
  return rows
    .filter((r) => users.has(r.userId))
    .map((r) => ({ userId: r.userId, name: users.get(r.userId)!.name, email: users.get(r.userId)!.email }));
}

/** Open action items of any workspace due within 15 days that still have a notice to send, with their workspace's policy. */
export async function supervisionCandidates(db: Db, now: Date) {
  return queryRows<
    {
      id: string;
      status: string;
      due_at: string | Date;
      due_reminded_at: string | Date | null;
      overdue_notified_at: string | Date | null;
      escalated_at: string | Date | null;
    } & PolicyColumns
  >(
    db,
    sql`select a.id, a.status, a.due_at, a.due_reminded_at, a.overdue_notified_at, a.escalated_at, s.meeting_reminder_minutes, s.due_reminder_hours, s.escalate_after_days
        from ${actionItems} a left join ${meetingSettings} s on s.workspace_id = a.workspace_id
        where a.status = 'open' and a.due_at is not null and a.due_at <= ${new Date(now.getTime() + 15 * 86_400_000).toISOString()}::timestamptz
          and (a.due_reminded_at is null or a.overdue_notified_at is null or a.escalated_at is null)`,
  );
}

/** Stamps one notice of an open action item (once: null if already stamped or no longer open). */
export async function stampNotice(db: Db, id: string, column: 'dueRemindedAt' | 'overdueNotifiedAt' | 'escalatedAt', now: Date) {
  const [item] = await db
    .update(actionItems)
    .set({ [column]: now })
    .where(and(eq(actionItems.id, id), isNull(actionItems[column]), eq(actionItems.status, 'open')))
    .returning();
  return item ?? null;
}

export async function setEscalatedTo(db: Db, id: string, managerId: string) {
  await db.update(actionItems).set({ escalatedToId: managerId }).where(eq(actionItems.id, id));
}

// ---- the use cases' writes

export async function isAttendee(db: Db, meetingId: string, userId: string) {
  const [row] = await db
    .select({ u: meetingAttendees.userId })
    .from(meetingAttendees)
    .where(and(eq(meetingAttendees.meetingId, meetingId), eq(meetingAttendees.userId, userId)));
  return !!row;
}

export async function insertSeries(db: Db, values: typeof meetingSeries.$inferInsert) {
  const [s] = await db.insert(meetingSeries).values(values).returning();
  return s;
}

export async function insertMeetingRows(db: Db, rows: (typeof meetings.$inferInsert)[]) {
  return db.insert(meetings).values(rows).returning();
}

export async function insertAttendees(db: Db, rows: (typeof meetingAttendees.$inferInsert)[]) {
  if (rows.length) await db.insert(meetingAttendees).values(rows);
}

/** Bumps `version`; with `expectedVersion` only if the row still is that version (else undefined). */
export async function updateMeetingRow(
  db: Db,
  workspaceId: string,
  id: string,
  patch: Partial<typeof meetings.$inferInsert>,
  expectedVersion?: number,
) {
  const [after] = await db
    .update(meetings)
    .set({ ...patch, version: sql`${meetings.version} + 1` })
    .where(
      and(
        eq(meetings.workspaceId, workspaceId),
        eq(meetings.id, id),
        expectedVersion === undefined ? undefined : eq(meetings.version, expectedVersion),
      ),
    )
    .returning();
  return after;
}

/** The attendee's answer to the invitation; null if the user is not invited. */
export async function setResponse(db: Db, workspaceId: string, meetingId: string, userId: string, response: string) {
  const [row] = await db
    .update(meetingAttendees)
    .set({ response, respondedAt: new Date() })
    .where(and(eq(meetingAttendees.workspaceId, workspaceId), eq(meetingAttendees.meetingId, meetingId), eq(meetingAttendees.userId, userId)))
    .returning();
  return row ?? null;
}

export async function findActionItemForUpdate(db: Db, workspaceId: string, id: string) {
  const [item] = await db
    .select()
    .from(actionItems)
    .where(and(eq(actionItems.workspaceId, workspaceId), eq(actionItems.id, id)))
    .for('update');
  return item;
}

export async function updateActionItemRow(db: Db, workspaceId: string, id: string, patch: Partial<typeof actionItems.$inferInsert>) {
  const [after] = await db
    .update(actionItems)
    .set(patch)
    .where(and(eq(actionItems.workspaceId, workspaceId), eq(actionItems.id, id)))
    .returning();
  return after;
}

/** Bumps `version`; with `expectedVersion` only if the stored row still is that version (else undefined). */
export async function upsertSettings(
  db: Db,
  workspaceId: string,
  merged: Omit<typeof meetingSettings.$inferInsert, 'workspaceId'>,
  expectedVersion?: number,
) {
  const [after] = await db
    .insert(meetingSettings)
    .values({ ...merged, workspaceId, updatedAt: new Date() })
    .onConflictDoUpdate({
      target: meetingSettings.workspaceId,
      set: { ...merged, updatedAt: new Date(), version: sql`${meetingSettings.version} + 1` },
      ...(expectedVersion === undefined ? {} : { setWhere: eq(meetingSettings.version, expectedVersion) }),
    })
    .returning();
  return after;
}

/** When these people are already in a scheduled meeting between `from` and `to` (a proposed slot avoids them). */
export async function busyIntervals(db: Db, workspaceId: string, userIds: string[], from: Date, to: Date) {
  if (!userIds.length) return [];
  const rows = await db
    .selectDistinct({ start: meetings.startsAt, end: meetings.endsAt })
    .from(meetings)
    .innerJoin(meetingAttendees, and(eq(meetingAttendees.meetingId, meetings.id), eq(meetingAttendees.workspaceId, meetings.workspaceId)))
    .where(
      and(
        eq(meetings.workspaceId, workspaceId),
        eq(meetings.status, 'scheduled'),
        inArray(meetingAttendees.userId, [...new Set(userIds)]),
        gt(meetings.endsAt, from),
        lt(meetings.startsAt, to),
      ),
    );
  return rows;
}

// ---- key persons invited (guests)

export async function guestsOf(db: Db, workspaceId: string, meetingId: string) {
  return db
    .select({ keyPersonId: meetingGuests.keyPersonId, name: meetingGuests.name, email: meetingGuests.email })
    .from(meetingGuests)
    .where(and(eq(meetingGuests.workspaceId, workspaceId), eq(meetingGuests.meetingId, meetingId)))
    .orderBy(asc(meetingGuests.invitedAt), asc(meetingGuests.name));
}

export async function insertGuests(db: Db, rows: (typeof meetingGuests.$inferInsert)[]) {
  if (rows.length) await db.insert(meetingGuests).values(rows).onConflictDoNothing();
}

export async function removeGuests(db: Db, workspaceId: string, meetingId: string, keyPersonIds: string[]) {
  if (!keyPersonIds.length) return;
  await db
    .delete(meetingGuests)
    .where(and(eq(meetingGuests.workspaceId, workspaceId), eq(meetingGuests.meetingId, meetingId), inArray(meetingGuests.keyPersonId, keyPersonIds)));
}

/** The meetings a key person is invited to, from `since` on, soonest first (what the portal shows: no agenda, no minutes). */
export async function meetingsOfGuest(db: Db, workspaceId: string, keyPersonId: string, since: Date) {
  return db
    .select({
      id: meetings.id,
      title: meetings.title,
      guestTitle: meetings.guestTitle,
      location: meetings.location,
      startsAt: meetings.startsAt,
      endsAt: meetings.endsAt,
      status: meetings.status,
      organizerId: meetings.organizerId,
    })
    .from(meetingGuests)
    .innerJoin(meetings, and(eq(meetings.id, meetingGuests.meetingId), eq(meetings.workspaceId, meetingGuests.workspaceId)))
    .where(and(eq(meetingGuests.workspaceId, workspaceId), eq(meetingGuests.keyPersonId, keyPersonId), gte(meetings.endsAt, since)))
    .orderBy(asc(meetings.startsAt))
    .limit(50);
}
