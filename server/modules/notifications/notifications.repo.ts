// The notification centre's queries. Every query takes the workspace and, for a person's notices, the person.
import { and, count, desc, eq, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { notificationPreferences, notifications } from './notifications.table.js';

export type NotificationRow = typeof notifications.$inferSelect;
export type PreferencesRow = typeof notificationPreferences.$inferSelect;

/** Inserts the notices not there yet (same dedupe key = the same notice); returns the new ones. */
export async function insertNotices(db: Db, rows: (typeof notifications.$inferInsert)[]) {
  if (!rows.length) return [];
  return db
    .insert(notifications)
    .values(rows)
    .onConflictDoNothing({ target: [notifications.workspaceId, notifications.dedupeKey] })
    .returning();
}

export async function listNotices(
  db: Db,
  workspaceId: string,
  userId: string,
  f: { unread?: boolean; kinds?: string[]; before?: Date; limit: number },
) {
  const where: SQL[] = [eq(notifications.workspaceId, workspaceId), eq(notifications.userId, userId)];
  if (f.unread) where.push(isNull(notifications.readAt));
  if (f.kinds?.length) where.push(inArray(notifications.kind, f.kinds));
  if (f.before) where.push(lt(notifications.createdAt, f.before));
  return db
    .select()
    .from(notifications)
    .where(and(...where))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(f.limit);
}

export async function unreadCount(db: Db, workspaceId: string, userId: string): Promise<number> {
  const [r] = await db
    .select({ n: count() })
    .from(notifications)
    .where(and(eq(notifications.workspaceId, workspaceId), eq(notifications.userId, userId), isNull(notifications.readAt)));
  return Number(r?.n ?? 0);
}

export async function markRead(db: Db, workspaceId: string, userId: string, ids: string[] | 'all', at: Date) {
  const where: SQL[] = [eq(notifications.workspaceId, workspaceId), eq(notifications.userId, userId), isNull(notifications.readAt)];
  if (ids !== 'all') {
    if (!ids.length) return 0;
    where.push(inArray(notifications.id, ids));
  }
  const r = await db
    .update(notifications)
    .set({ readAt: at })
    .where(and(...where))
    .returning({ id: notifications.id });
  return r.length;
}

export async function preferencesOf(db: Db, workspaceId: string, userIds: string[]) {
  if (!userIds.length) return [];
  return db
    .select()
    .from(notificationPreferences)
    .where(and(eq(notificationPreferences.workspaceId, workspaceId), inArray(notificationPreferences.userId, userIds)));
}

/** Bumps `version`; with `expectedVersion` only if the stored row still is that version (0 = none yet; else undefined). */
export async function savePreferences(db: Db, row: typeof notificationPreferences.$inferInsert, expectedVersion?: number) {
  const [r] = await db
    .insert(notificationPreferences)
    .values(row)
    .onConflictDoUpdate({
      target: notificationPreferences.userId,
      set: {
        channels: row.channels,
        quietStart: row.quietStart ?? null,
        quietEnd: row.quietEnd ?? null,
        updatedAt: new Date(),
        version: sql`${notificationPreferences.version} + 1`,
      },
      ...(expectedVersion === undefined ? {} : { setWhere: eq(notificationPreferences.version, expectedVersion) }),
    })
    .returning();
  return r;
}
