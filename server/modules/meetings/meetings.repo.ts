import { and, asc, desc, eq, gte, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { accounts } from '../accounts/index.js';
import { teamMembers, users, workspaces } from '../people/index.js';
import { actionItems, meetingAttendees, meetingNotifications, meetings, meetingSeries, meetingSettings } from './meetings.table.js';

export type MeetingRow = typeof meetings.$inferSelect;
export type ActionItemRow = typeof actionItems.$inferSelect;
export type SettingsRow = typeof meetingSettings.$inferSelect;

export async function findMeeting(db: Db, workspaceId: string, id: string, opts: { forUpdate?: boolean } = {}) {
  const q = db.select().from(meetings).where(and(eq(meetings.workspaceId, workspaceId), eq(meetings.id, id)));
  const [row] = opts.forUpdate ? await q.for('update') : await q;
  return row ?? null;
}

export async function usersByIds(db: Db, workspaceId: string, ids: string[]) {
  if (!ids.length) return [];
  return db
    .select({ id: users.id, name: users.name, email: users.email, role: users.role, active: users.active, managerId: users.managerId, locale: users.locale })
    .from(users)
    .where(and(eq(users.workspaceId, workspaceId), inArray(users.id, ids)));
}

export async function attendeesOf(db: Db, workspaceId: string, meetingId: string) {
  return db
    .select({ userId: meetingAttendees.userId, name: users.name, email: users.email, role: users.role, response: meetingAttendees.response, respondedAt: meetingAttendees.respondedAt })
    .from(meetingAttendees)
    .innerJoin(users, eq(users.id, meetingAttendees.userId))
    .where(and(eq(meetingAttendees.workspaceId, workspaceId), eq(meetingAttendees.meetingId, meetingId)))
    .orderBy(asc(users.name));
}

export async function actionItemsOf(db: Db, workspaceId: string, where: SQL[]) {
  return db
    .select({
      id: actionItems.id,
      meetingId: actionItems.meetingId,
      meetingTitle: meetings.title,
      accountId: actionItems.accountId,
      accountName: accounts.name,
      title: actionItems.title,
      ownerId: actionItems.ownerId,
      ownerName: users.name,
      dueOn: actionItems.dueOn,
      dueAt: actionItems.dueAt,
      status: actionItems.status,
      source: actionItems.source,
      dueRemindedAt: actionItems.dueRemindedAt,
      overdueNotifiedAt: actionItems.overdueNotifiedAt,
      escalatedAt: actionItems.escalatedAt,
      escalatedToId: actionItems.escalatedToId,
      escalatedToName: sql<string | null>`(select u2.name from ${users} u2 where u2.id = ${actionItems.escalatedToId})`,
      completedAt: actionItems.completedAt,
      createdAt: actionItems.createdAt,
    })
    .from(actionItems)
    .innerJoin(meetings, eq(meetings.id, actionItems.meetingId))
    .innerJoin(accounts, eq(accounts.id, actionItems.accountId))
    .innerJoin(users, eq(users.id, actionItems.ownerId))
    .where(and(eq(actionItems.workspaceId, workspaceId), ...where))
    .orderBy(sql`${actionItems.dueAt} asc nulls last`, asc(actionItems.createdAt));
}

export type ListFilter = { accountId?: string; userId?: string; teamId?: string; from?: Date; to?: Date; channelPartnerId?: string | null; kind?: string };

export async function listMeetings(db: Db, workspaceId: string, f: ListFilter, limit = 500) {
  const where: SQL[] = [eq(meetings.workspaceId, workspaceId)];
  if (f.accountId) where.push(eq(meetings.accountId, f.accountId));
  if (f.kind) where.push(eq(meetings.kind, f.kind));
  if (f.from) where.push(gte(meetings.startsAt, f.from));
  if (f.to) where.push(lte(meetings.startsAt, f.to));
  if (f.channelPartnerId !== undefined) where.push(f.channelPartnerId ? eq(accounts.channelPartnerId, f.channelPartnerId) : sql`false`);
  if (f.userId)
    where.push(
      or(
        eq(meetings.organizerId, f.userId),
        sql`exists (select 1 from ${meetingAttendees} a where a.meeting_id = ${meetings.id} and a.user_id = ${f.userId})`,
      )!,
    );
  if (f.teamId)
    where.push(
      sql`exists (select 1 from ${meetingAttendees} a join ${teamMembers} tm on tm.user_id = a.user_id where a.meeting_id = ${meetings.id} and tm.team_id = ${f.teamId} and tm.workspace_id = ${workspaceId})`,
    );
  return db
    .select({
      id: meetings.id,
      accountId: meetings.accountId,
      accountName: accounts.name,
      accountTier: accounts.tier,
      kind: meetings.kind,
      cause: meetings.cause,
      title: meetings.title,
      location: meetings.location,
      startsAt: meetings.startsAt,
      endsAt: meetings.endsAt,
      status: meetings.status,
      seriesId: meetings.seriesId,
      organizerId: meetings.organizerId,
      organizerName: users.name,
      summaryStatus: meetings.summaryStatus,
      openActions: sql<number>`(select count(*)::int from ${actionItems} ai where ai.meeting_id = ${meetings.id} and ai.status = 'open')`,
    })
    .from(meetings)
    .innerJoin(accounts, eq(accounts.id, meetings.accountId))
    .innerJoin(users, eq(users.id, meetings.organizerId))
    .where(and(...where))
    .orderBy(asc(meetings.startsAt))
    .limit(limit);
}

export async function getSettings(db: Db, workspaceId: string): Promise<SettingsRow | null> {
  const [row] = await db.select().from(meetingSettings).where(eq(meetingSettings.workspaceId, workspaceId));
  return row ?? null;
}

export async function workspaceOf(db: Db, workspaceId: string) {
  const [w] = await db.select({ id: workspaces.id, timezone: workspaces.timezone, defaultLocale: workspaces.defaultLocale, name: workspaces.name }).from(workspaces).where(eq(workspaces.id, workspaceId));
  return w;
}

export async function seriesOf(db: Db, workspaceId: string, id: string) {
  const [s] = await db.select().from(meetingSeries).where(and(eq(meetingSeries.workspaceId, workspaceId), eq(meetingSeries.id, id)));
  return s ?? null;
}

export async function notificationsOf(db: Db, workspaceId: string, userId: string, unreadOnly: boolean) {
  const where: SQL[] = [eq(meetingNotifications.workspaceId, workspaceId), eq(meetingNotifications.userId, userId)];
  if (unreadOnly) where.push(isNull(meetingNotifications.readAt));
  return db.select().from(meetingNotifications).where(and(...where)).orderBy(desc(meetingNotifications.createdAt)).limit(100);
}
