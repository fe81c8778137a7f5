// Queries of the value module; every one takes the workspace.
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { findBooking as findValueAddBooking, paidBookingsWithPromise } from '../value-add/index.js';
import { valueActuals, valueIndicators, valueItems, valuePromises } from './value.table.js';

export type IndicatorRow = typeof valueIndicators.$inferSelect;
export type ItemRow = typeof valueItems.$inferSelect;
export type ActualRow = typeof valueActuals.$inferSelect;

export async function listIndicators(db: Db, workspaceId: string, solutionType: string) {
  return db
    .select()
    .from(valueIndicators)
    .where(and(eq(valueIndicators.workspaceId, workspaceId), eq(valueIndicators.solutionType, solutionType)))
    .orderBy(asc(valueIndicators.sort), asc(valueIndicators.key));
}

export async function countIndicators(db: Db, workspaceId: string, solutionType: string) {
  return (
    await db
      .select({ id: valueIndicators.id })
      .from(valueIndicators)
      .where(and(eq(valueIndicators.workspaceId, workspaceId), eq(valueIndicators.solutionType, solutionType)))
      .limit(1)
  ).length;
}

export async function findIndicator(db: Db, workspaceId: string, id: string) {
  const [row] = await db
    .select()
    .from(valueIndicators)
    .where(and(eq(valueIndicators.workspaceId, workspaceId), eq(valueIndicators.id, id)));
  return row ?? null;
}

export async function findIndicatorByKey(db: Db, workspaceId: string, solutionType: string, key: string) {
  const [row] = await db
    .select()
    .from(valueIndicators)
    .where(and(eq(valueIndicators.workspaceId, workspaceId), eq(valueIndicators.solutionType, solutionType), eq(valueIndicators.key, key)));
  return row ?? null;
}

export async function insertIndicators(db: Db, rows: (typeof valueIndicators.$inferInsert)[]) {
  if (!rows.length) return [];
  return db.insert(valueIndicators).values(rows).onConflictDoNothing().returning();
}

export async function updateIndicator(db: Db, workspaceId: string, id: string, patch: Partial<typeof valueIndicators.$inferInsert>) {
  const [row] = await db
    .update(valueIndicators)
    .set({ ...patch, updatedAt: new Date() })
    .where(and(eq(valueIndicators.workspaceId, workspaceId), eq(valueIndicators.id, id)))
    .returning();
  return row;
}

export async function listItems(db: Db, workspaceId: string, accountId: string) {
  return db
    .select()
    .from(valueItems)
    .where(and(eq(valueItems.workspaceId, workspaceId), eq(valueItems.accountId, accountId)))
    .orderBy(asc(valueItems.sort), asc(valueItems.createdAt));
}

export async function findItem(db: Db, workspaceId: string, id: string, opts: { forUpdate?: boolean } = {}) {
  const q = db
    .select()
    .from(valueItems)
    .where(and(eq(valueItems.workspaceId, workspaceId), eq(valueItems.id, id)));
  const [row] = opts.forUpdate ? await q.for('update') : await q;
  return row ?? null;
}

export async function insertItem(db: Db, row: typeof valueItems.$inferInsert) {
  const [out] = await db.insert(valueItems).values(row).returning();
  return out;
}

export async function updateItem(db: Db, workspaceId: string, id: string, patch: Partial<typeof valueItems.$inferInsert>) {
  const [row] = await db
    .update(valueItems)
    .set({ ...patch, updatedAt: new Date() })
    .where(and(eq(valueItems.workspaceId, workspaceId), eq(valueItems.id, id)))
    .returning();
  return row;
}

export async function deleteItem(db: Db, workspaceId: string, id: string) {
  await db.delete(valueItems).where(and(eq(valueItems.workspaceId, workspaceId), eq(valueItems.id, id)));
}

export async function listActuals(db: Db, workspaceId: string, itemIds: string[]) {
  if (!itemIds.length) return [];
  return db
    .select()
    .from(valueActuals)
    .where(and(eq(valueActuals.workspaceId, workspaceId), inArray(valueActuals.itemId, itemIds)))
    .orderBy(asc(valueActuals.period));
}

export async function findActual(db: Db, workspaceId: string, id: string) {
  const [row] = await db
    .select()
    .from(valueActuals)
    .where(and(eq(valueActuals.workspaceId, workspaceId), eq(valueActuals.id, id)));
  return row ?? null;
}

export async function findActualByPeriod(db: Db, workspaceId: string, itemId: string, period: string) {
  const [row] = await db
    .select()
    .from(valueActuals)
    .where(and(eq(valueActuals.workspaceId, workspaceId), eq(valueActuals.itemId, itemId), eq(valueActuals.period, period)));
  return row ?? null;
}

/** Inserts or replaces the month's value (one value per indicator and month). */
export async function upsertActuals(db: Db, rows: (typeof valueActuals.$inferInsert)[]) {
  if (!rows.length) return [];
  const out: ActualRow[] = [];
  for (const r of rows) {
    const [row] = await db
      .insert(valueActuals)
      .values(r)
      .onConflictDoUpdate({
        target: [valueActuals.itemId, valueActuals.period],
        set: { value: r.value, note: r.note ?? null, source: r.source ?? 'form', createdById: r.createdById ?? null, createdAt: new Date() },
      })
      .returning();
    out.push(row);
  }
  return out;
}

export async function deleteActual(db: Db, workspaceId: string, id: string) {
  await db.delete(valueActuals).where(and(eq(valueActuals.workspaceId, workspaceId), eq(valueActuals.id, id)));
}

/** Paid expert services booked for the account with a promised value (value-add's), and the indicators linked to each. */
export async function listPromises(db: Db, workspaceId: string, accountId: string) {
  const booked = await paidBookingsWithPromise(db, workspaceId, accountId);
  const links = booked.length
    ? await db
        .select({ bookingId: valuePromises.bookingId, itemIds: valuePromises.itemIds })
        .from(valuePromises)
        .where(
          and(
            eq(valuePromises.workspaceId, workspaceId),
            inArray(
              valuePromises.bookingId,
              booked.map((b) => b.bookingId),
            ),
          ),
        )
    : [];
  const itemIdsOf = new Map(links.map((l) => [l.bookingId, l.itemIds]));
  return booked.map((b) => ({ ...b, itemIds: itemIdsOf.get(b.bookingId) ?? null }));
}

export const findBooking = findValueAddBooking;

export async function findPromise(db: Db, workspaceId: string, bookingId: string) {
  const [row] = await db
    .select()
    .from(valuePromises)
    .where(and(eq(valuePromises.workspaceId, workspaceId), eq(valuePromises.bookingId, bookingId)));
  return row ?? null;
}

export async function savePromise(db: Db, row: typeof valuePromises.$inferInsert) {
  const [out] = await db
    .insert(valuePromises)
    .values(row)
    .onConflictDoUpdate({
      target: valuePromises.bookingId,
      set: { itemIds: row.itemIds, createdById: row.createdById ?? null, updatedAt: new Date() },
    })
    .returning();
  return out;
}

export async function deletePromise(db: Db, workspaceId: string, bookingId: string) {
  await db.delete(valuePromises).where(and(eq(valuePromises.workspaceId, workspaceId), eq(valuePromises.bookingId, bookingId)));
}
