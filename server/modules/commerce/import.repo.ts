// Queries of the ERP import only: what a file's names resolve to, and the batched inserts. Every query takes workspaceId.
import { and, eq, getTableName, inArray, isNotNull, sql, type AnyColumn } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.js';
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
      ...(
        await db
          .select({ id: deliveryProjects.id, name: deliveryProjects.name, contractId: deliveryProjects.contractId })
          .from(deliveryProjects)
          .where(and(eq(deliveryProjects.workspaceId, workspaceId), inArray(deliveryProjects.contractId, part)))
      ).map((p) => ({
        ...p,
        // the query asks for these contracts, so none is null
        contractId: p.contractId!,
      })),
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

/** A column of a bulk insert: the table's column, its SQL type, and how a row fills it. */
type Col<R> = [column: AnyColumn, type: string, value: (r: R) => unknown];

/**
 * One INSERT per batch whose rows come as one array parameter per column (`insert … select * from unnest($1::uuid[],
 * $2::date[], …)`): eight parameters however many rows, so neither the ORM nor the database spends its time on
 * 8,000 placeholders. A row whose ERP id the workspace holds is skipped by the table's unique index.
 */
function insertUnnested<R>(db: Db, table: typeof paymentPlanItems | typeof payments | typeof timeEntries, cols: Col<R>[]) {
  const names = sql.raw(cols.map(([c]) => `"${c.name}"`).join(', '));
  return (part: R[]) =>
    queryRows<{ id: string }>(
      db,
      sql`insert into ${sql.identifier(getTableName(table))} (${names})
          select * from unnest(${sql.join(
            cols.map(([, type, value]) => sql`${sql.param(part.map((r) => value(r) ?? null))}::${sql.raw(type)}[]`),
            sql`, `,
          )})
          on conflict do nothing returning id`,
    );
}

type PlanItemInsert = typeof paymentPlanItems.$inferInsert;
export const insertPlanItems = (db: Db, rows: PlanItemInsert[], onBatch?: (n: number) => void) =>
  insertBatched(
    rows,
    insertUnnested<PlanItemInsert>(db, paymentPlanItems, [
      [paymentPlanItems.workspaceId, 'uuid', (r) => r.workspaceId],
      [paymentPlanItems.accountId, 'uuid', (r) => r.accountId],
      [paymentPlanItems.contractId, 'uuid', (r) => r.contractId],
      [paymentPlanItems.label, 'text', (r) => r.label],
      [paymentPlanItems.dueOn, 'date', (r) => r.dueOn],
      [paymentPlanItems.amountMinor, 'bigint', (r) => r.amountMinor],
      [paymentPlanItems.invoiceNo, 'text', (r) => r.invoiceNo],
      [paymentPlanItems.externalRef, 'text', (r) => r.externalRef],
    ]),
    onBatch,
  );

type PaymentInsert = typeof payments.$inferInsert;
export const insertPayments = (db: Db, rows: PaymentInsert[], onBatch?: (n: number) => void) =>
  insertBatched(
    rows,
    insertUnnested<PaymentInsert>(db, payments, [
      [payments.workspaceId, 'uuid', (r) => r.workspaceId],
      [payments.accountId, 'uuid', (r) => r.accountId],
      [payments.contractId, 'uuid', (r) => r.contractId],
      [payments.planItemId, 'uuid', (r) => r.planItemId],
      [payments.receivedOn, 'date', (r) => r.receivedOn],
      [payments.amountMinor, 'bigint', (r) => r.amountMinor],
      [payments.reference, 'text', (r) => r.reference ?? ''],
      [payments.externalRef, 'text', (r) => r.externalRef],
    ]),
    onBatch,
  );

type TimeEntryInsert = typeof timeEntries.$inferInsert;
export const insertTimeEntries = (db: Db, rows: TimeEntryInsert[], onBatch?: (n: number) => void) =>
  insertBatched(
    rows,
    insertUnnested<TimeEntryInsert>(db, timeEntries, [
      [timeEntries.workspaceId, 'uuid', (r) => r.workspaceId],
      [timeEntries.projectId, 'uuid', (r) => r.projectId],
      [timeEntries.userId, 'uuid', (r) => r.userId],
      [timeEntries.workedOn, 'date', (r) => r.workedOn],
      [timeEntries.hours, 'numeric', (r) => r.hours],
      [timeEntries.note, 'text', (r) => r.note ?? ''],
      [timeEntries.externalRef, 'text', (r) => r.externalRef],
    ]),
    onBatch,
  );

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
