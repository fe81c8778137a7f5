// Queries of the ERP import only: what a file's names resolve to, and the batched inserts. Every query takes workspaceId.
import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { contracts, deliveryProjects, paymentPlanItems, payments, timeEntries } from './commerce.table.js';
import { batches } from './import.domain.js';

/** Every contract of the workspace by number (a workspace has thousands at most), with its ERP id. */
export async function contractKeys(db: Db, workspaceId: string) {
  return db
    .select({ id: contracts.id, number: contracts.number, accountId: contracts.accountId, externalRef: contracts.externalRef })
    .from(contracts)
    .where(eq(contracts.workspaceId, workspaceId));
}

export async function projectKeys(db: Db, workspaceId: string, contractIds: string[]) {
  const out: { id: string; name: string; contractId: string }[] = [];
  for (const part of batches(contractIds))
    out.push(
      ...(await db
        .select({ id: deliveryProjects.id, name: deliveryProjects.name, contractId: deliveryProjects.contractId })
        .from(deliveryProjects)
        .where(and(eq(deliveryProjects.workspaceId, workspaceId), inArray(deliveryProjects.contractId, part)))),
    );
  return out;
}

/** Plan items of the workspace with these ERP ids. */
export async function planItemsByRef(db: Db, workspaceId: string, refs: string[]) {
  const out: { id: string; contractId: string; externalRef: string | null }[] = [];
  for (const part of batches(refs))
    out.push(
      ...(await db
        .select({ id: paymentPlanItems.id, contractId: paymentPlanItems.contractId, externalRef: paymentPlanItems.externalRef })
        .from(paymentPlanItems)
        .where(
          and(eq(paymentPlanItems.workspaceId, workspaceId), isNotNull(paymentPlanItems.externalRef), inArray(paymentPlanItems.externalRef, part)),
        )),
    );
  return out;
}

/**
 * Multi-row INSERTs of IMPORT_BATCH rows each; a row whose ERP id the workspace already holds is skipped by its
 * unique index (`ON CONFLICT DO NOTHING`). Returns how many were written; `onBatch` hears the running count.
 */
async function insertBatched<T>(rows: T[], insert: (part: T[]) => Promise<{ id: string }[]>, onBatch?: (done: number) => void) {
  let written = 0;
  let done = 0;
  for (const part of batches(rows)) {
    written += (await insert(part)).length;
    done += part.length;
    onBatch?.(done);
  }
  return written;
}

export const insertContracts = (db: Db, rows: (typeof contracts.$inferInsert)[], onBatch?: (n: number) => void) =>
  insertBatched(rows, (part) => db.insert(contracts).values(part).returning({ id: contracts.id }), onBatch);

export const insertPlanItems = (db: Db, rows: (typeof paymentPlanItems.$inferInsert)[], onBatch?: (n: number) => void) =>
  insertBatched(rows, (part) => db.insert(paymentPlanItems).values(part).onConflictDoNothing().returning({ id: paymentPlanItems.id }), onBatch);

export const insertPayments = (db: Db, rows: (typeof payments.$inferInsert)[], onBatch?: (n: number) => void) =>
  insertBatched(rows, (part) => db.insert(payments).values(part).onConflictDoNothing().returning({ id: payments.id }), onBatch);

export const insertTimeEntries = (db: Db, rows: (typeof timeEntries.$inferInsert)[], onBatch?: (n: number) => void) =>
  insertBatched(rows, (part) => db.insert(timeEntries).values(part).onConflictDoNothing().returning({ id: timeEntries.id }), onBatch);

/** Which of these ERP ids the workspace already holds in a table (a re-import skips them). */
async function knownRefs(
  db: Db,
  t: typeof paymentPlanItems | typeof payments | typeof timeEntries,
  workspaceId: string,
  refs: string[],
): Promise<Set<string>> {
  const out = new Set<string>();
  for (const part of batches(refs)) {
    const rows = await db
      .select({ ref: t.externalRef })
      .from(t)
      .where(and(eq(t.workspaceId, workspaceId), inArray(t.externalRef, part)));
    for (const r of rows) if (r.ref) out.add(r.ref);
  }
  return out;
}
export const planItemRefs = (db: Db, workspaceId: string, refs: string[]) => knownRefs(db, paymentPlanItems, workspaceId, refs);
export const paymentRefs = (db: Db, workspaceId: string, refs: string[]) => knownRefs(db, payments, workspaceId, refs);
export const timeEntryRefs = (db: Db, workspaceId: string, refs: string[]) => knownRefs(db, timeEntries, workspaceId, refs);
