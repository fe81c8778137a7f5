import { and, asc, eq, or } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { savedViews } from './views.table.js';

export type ViewPage = 'accounts' | 'tickets';
export type SavedViewRow = typeof savedViews.$inferSelect;

/** The person's own views of a page and those shared with the workspace. */
export async function listViews(db: Db, workspaceId: string, userId: string, page: ViewPage) {
  return db
    .select()
    .from(savedViews)
    .where(and(eq(savedViews.workspaceId, workspaceId), eq(savedViews.page, page), or(eq(savedViews.userId, userId), eq(savedViews.shared, true))))
    .orderBy(asc(savedViews.name));
}

export async function findView(db: Db, workspaceId: string, id: string) {
  const [row] = await db
    .select()
    .from(savedViews)
    .where(and(eq(savedViews.workspaceId, workspaceId), eq(savedViews.id, id)));
  return row;
}

export async function findViewByName(db: Db, workspaceId: string, userId: string, page: ViewPage, name: string) {
  const [row] = await db
    .select({ id: savedViews.id })
    .from(savedViews)
    .where(and(eq(savedViews.workspaceId, workspaceId), eq(savedViews.userId, userId), eq(savedViews.page, page), eq(savedViews.name, name)));
  return row;
}

export async function insertView(db: Db, row: typeof savedViews.$inferInsert) {
  const [created] = await db.insert(savedViews).values(row).returning();
  return created;
}

export async function deleteView(db: Db, workspaceId: string, id: string) {
  await db.delete(savedViews).where(and(eq(savedViews.workspaceId, workspaceId), eq(savedViews.id, id)));
}
