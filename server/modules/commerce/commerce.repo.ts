// The commercial record's queries: contracts, delivery projects, milestones, time, payment plans and payments.
import { and, asc, count, desc, eq, getTableColumns, gte, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { accountSummaryColumns } from '../accounts/index.js';
import { commerceSettings, contracts, deliveryProjects, paymentPlanItems, payments, projectMilestones, timeEntries } from './commerce.table.js';

export type ContractRow = typeof contracts.$inferSelect;
export type ProjectRow = typeof deliveryProjects.$inferSelect;
export type MilestoneRow = typeof projectMilestones.$inferSelect;
export type TimeEntryRow = typeof timeEntries.$inferSelect;
export type PlanItemRow = typeof paymentPlanItems.$inferSelect;
export type PaymentRow = typeof payments.$inferSelect;

// ---- settings
export async function loadSettings(db: Db, workspaceId: string) {
  const [row] = await db.select().from(commerceSettings).where(eq(commerceSettings.workspaceId, workspaceId));
  return { renewalWindowDays: row?.renewalWindowDays ?? 90, orderYears: row?.orderYears ?? 2, version: row?.version ?? 0 };
}
/**
 * Saves and bumps the version; with `expectedVersion` only if the stored settings still are that version
 * (0 = none stored yet). Returns the new version, or null when they were not (someone saved in between).
 */
export async function saveSettings(db: Db, workspaceId: string, s: { renewalWindowDays: number; orderYears: number }, expectedVersion?: number) {
  const [row] = await db
    .insert(commerceSettings)
    .values({ workspaceId, ...s })
    .onConflictDoUpdate({
      target: commerceSettings.workspaceId,
      set: { ...s, updatedAt: new Date(), version: sql`${commerceSettings.version} + 1` },
      ...(expectedVersion === undefined ? {} : { setWhere: eq(commerceSettings.version, expectedVersion) }),
    })
    .returning({ version: commerceSettings.version });
  return row?.version ?? null;
}

// ---- contracts
export async function contractsOfAccount(db: Db, workspaceId: string, accountId: string) {
  return db
    .select()
    .from(contracts)
    .where(and(eq(contracts.workspaceId, workspaceId), eq(contracts.accountId, accountId)))
    .orderBy(desc(contracts.signedOn), asc(contracts.number));
}
export async function findContract(db: Db, workspaceId: string, id: string, opts: { forUpdate?: boolean } = {}) {
  const q = db
    .select()
    .from(contracts)
    .where(and(eq(contracts.workspaceId, workspaceId), eq(contracts.id, id)));
  const [row] = opts.forUpdate ? await q.for('update') : await q;
  return row;
}
export async function findContractByNumber(db: Db, workspaceId: string, number: string) {
  const [row] = await db
    .select()
    .from(contracts)
    .where(and(eq(contracts.workspaceId, workspaceId), eq(contracts.number, number)));
  return row;
}
export async function insertContract(db: Db, values: typeof contracts.$inferInsert) {
  const [row] = await db.insert(contracts).values(values).returning();
  return row;
}
/** Bumps `version`; with `expectedVersion` only if the row still is that version (else undefined). */
export async function updateContract(
  db: Db,
  workspaceId: string,
  id: string,
  values: Partial<typeof contracts.$inferInsert>,
  expectedVersion?: number,
) {
  const [row] = await db
    .update(contracts)
    .set({ ...values, version: sql`${contracts.version} + 1`, updatedAt: new Date() })
    .where(
      and(
        eq(contracts.workspaceId, workspaceId),
        eq(contracts.id, id),
        expectedVersion === undefined ? undefined : eq(contracts.version, expectedVersion),
      ),
    )
    .returning();
  return row;
}
export async function deleteContract(db: Db, workspaceId: string, id: string) {
  await db.delete(contracts).where(and(eq(contracts.workspaceId, workspaceId), eq(contracts.id, id)));
}
/** How many records hang under a contract (a contract with any cannot be deleted). */
export async function recordsUnderContract(db: Db, workspaceId: string, id: string) {
  const [p] = await db
    .select({ n: count() })
    .from(deliveryProjects)
    .where(and(eq(deliveryProjects.workspaceId, workspaceId), eq(deliveryProjects.contractId, id)));
  const [i] = await db
    .select({ n: count() })
    .from(paymentPlanItems)
    .where(and(eq(paymentPlanItems.workspaceId, workspaceId), eq(paymentPlanItems.contractId, id)));
  const [m] = await db
    .select({ n: count() })
    .from(payments)
    .where(and(eq(payments.workspaceId, workspaceId), eq(payments.contractId, id)));
  return Number(p.n) + Number(i.n) + Number(m.n);
}
export async function accountsWithContracts(db: Db, workspaceId: string) {
  const rows = await db.selectDistinct({ accountId: contracts.accountId }).from(contracts).where(eq(contracts.workspaceId, workspaceId));
  return rows.map((r) => r.accountId);
}

// ---- figures of accounts (grading, collections)
export async function commercialRecordsOf(db: Db, workspaceId: string, accountIds: string[]) {
  if (!accountIds.length) return { contracts: [], items: [], payments: [] };
  const [cs, is, ps] = await Promise.all([
    db
      .select({
        id: contracts.id,
        accountId: contracts.accountId,
        signedOn: contracts.signedOn,
        amountMinor: contracts.amountMinor,
        costMinor: contracts.costMinor,
      })
      .from(contracts)
      .where(and(eq(contracts.workspaceId, workspaceId), inArray(contracts.accountId, accountIds))),
    db
      .select({
        id: paymentPlanItems.id,
        accountId: paymentPlanItems.accountId,
        contractId: paymentPlanItems.contractId,
        dueOn: paymentPlanItems.dueOn,
        amountMinor: paymentPlanItems.amountMinor,
      })
      .from(paymentPlanItems)
      .where(and(eq(paymentPlanItems.workspaceId, workspaceId), inArray(paymentPlanItems.accountId, accountIds))),
    db
      .select({
        id: payments.id,
        accountId: payments.accountId,
        contractId: payments.contractId,
        planItemId: payments.planItemId,
        receivedOn: payments.receivedOn,
        amountMinor: payments.amountMinor,
      })
      .from(payments)
      .where(and(eq(payments.workspaceId, workspaceId), inArray(payments.accountId, accountIds))),
  ]);
  return { contracts: cs, items: is, payments: ps };
}

// ---- payment plan and payments
export async function planItemsOfContract(db: Db, workspaceId: string, contractId: string) {
  return db
    .select()
    .from(paymentPlanItems)
    .where(and(eq(paymentPlanItems.workspaceId, workspaceId), eq(paymentPlanItems.contractId, contractId)))
    .orderBy(asc(paymentPlanItems.dueOn));
}
export async function paymentsOfContract(db: Db, workspaceId: string, contractId: string) {
  return db
    .select()
    .from(payments)
    .where(and(eq(payments.workspaceId, workspaceId), eq(payments.contractId, contractId)))
    .orderBy(asc(payments.receivedOn));
}
export async function findPlanItem(db: Db, workspaceId: string, id: string) {
  const [row] = await db
    .select()
    .from(paymentPlanItems)
    .where(and(eq(paymentPlanItems.workspaceId, workspaceId), eq(paymentPlanItems.id, id)));
  return row;
}
export async function insertPlanItem(db: Db, values: typeof paymentPlanItems.$inferInsert) {
  const [row] = await db.insert(paymentPlanItems).values(values).returning();
  return row;
}
export async function updatePlanItem(db: Db, workspaceId: string, id: string, values: Partial<typeof paymentPlanItems.$inferInsert>) {
  const [row] = await db
    .update(paymentPlanItems)
    .set(values)
    .where(and(eq(paymentPlanItems.workspaceId, workspaceId), eq(paymentPlanItems.id, id)))
    .returning();
  return row;
}
export async function paymentsNaming(db: Db, workspaceId: string, planItemId: string) {
  const [r] = await db
    .select({ n: count() })
    .from(payments)
    .where(and(eq(payments.workspaceId, workspaceId), eq(payments.planItemId, planItemId)));
  return Number(r.n);
}
export async function deletePlanItem(db: Db, workspaceId: string, id: string) {
  await db.delete(paymentPlanItems).where(and(eq(paymentPlanItems.workspaceId, workspaceId), eq(paymentPlanItems.id, id)));
}
export async function findPayment(db: Db, workspaceId: string, id: string) {
  const [row] = await db
    .select()
    .from(payments)
    .where(and(eq(payments.workspaceId, workspaceId), eq(payments.id, id)));
  return row;
}
export async function insertPayment(db: Db, values: typeof payments.$inferInsert) {
  const [row] = await db.insert(payments).values(values).returning();
  return row;
}
export async function deletePayment(db: Db, workspaceId: string, id: string) {
  await db.delete(payments).where(and(eq(payments.workspaceId, workspaceId), eq(payments.id, id)));
}

// ---- delivery projects, milestones, time
export async function projectsOfContracts(db: Db, workspaceId: string, contractIds: string[]) {
  if (!contractIds.length) return [];
  return db
    .select()
    .from(deliveryProjects)
    .where(and(eq(deliveryProjects.workspaceId, workspaceId), inArray(deliveryProjects.contractId, contractIds)))
    .orderBy(asc(deliveryProjects.createdAt));
}
export async function projectsOfAccount(db: Db, workspaceId: string, accountId: string) {
  return db
    .select()
    .from(deliveryProjects)
    .where(and(eq(deliveryProjects.workspaceId, workspaceId), eq(deliveryProjects.accountId, accountId)))
    .orderBy(asc(deliveryProjects.createdAt));
}
/** Projects still being delivered (not accepted, or accepted since `since`), newest first: what time is booked on. */
export async function openProjects(db: Db, workspaceId: string, since: string) {
  return db
    .select()
    .from(deliveryProjects)
    .where(and(eq(deliveryProjects.workspaceId, workspaceId), or(isNull(deliveryProjects.acceptedOn), gte(deliveryProjects.acceptedOn, since))))
    .orderBy(desc(deliveryProjects.createdAt))
    .limit(500);
}
export async function findProject(db: Db, workspaceId: string, id: string) {
  const [row] = await db
    .select()
    .from(deliveryProjects)
    .where(and(eq(deliveryProjects.workspaceId, workspaceId), eq(deliveryProjects.id, id)));
  return row;
}
export async function insertProject(db: Db, values: typeof deliveryProjects.$inferInsert) {
  const [row] = await db.insert(deliveryProjects).values(values).returning();
  return row;
}
export async function updateProject(db: Db, workspaceId: string, id: string, values: Partial<typeof deliveryProjects.$inferInsert>) {
  const [row] = await db
    .update(deliveryProjects)
    .set({ ...values, version: sql`${deliveryProjects.version} + 1` })
    .where(and(eq(deliveryProjects.workspaceId, workspaceId), eq(deliveryProjects.id, id)))
    .returning();
  return row;
}
export async function milestonesOfProjects(db: Db, workspaceId: string, projectIds: string[]) {
  if (!projectIds.length) return [];
  return db
    .select()
    .from(projectMilestones)
    .where(and(eq(projectMilestones.workspaceId, workspaceId), inArray(projectMilestones.projectId, projectIds)))
    .orderBy(asc(projectMilestones.position), asc(projectMilestones.plannedOn));
}
export async function findMilestone(db: Db, workspaceId: string, id: string) {
  const [row] = await db
    .select()
    .from(projectMilestones)
    .where(and(eq(projectMilestones.workspaceId, workspaceId), eq(projectMilestones.id, id)));
  return row;
}
export async function insertMilestone(db: Db, values: typeof projectMilestones.$inferInsert) {
  const [row] = await db.insert(projectMilestones).values(values).returning();
  return row;
}
export async function updateMilestone(db: Db, workspaceId: string, id: string, values: Partial<typeof projectMilestones.$inferInsert>) {
  const [row] = await db
    .update(projectMilestones)
    .set(values)
    .where(and(eq(projectMilestones.workspaceId, workspaceId), eq(projectMilestones.id, id)))
    .returning();
  return row;
}
export async function deleteMilestone(db: Db, workspaceId: string, id: string) {
  await db.delete(projectMilestones).where(and(eq(projectMilestones.workspaceId, workspaceId), eq(projectMilestones.id, id)));
}
export async function hoursOfProjects(db: Db, workspaceId: string, projectIds: string[]) {
  if (!projectIds.length) return new Map<string, number>();
  const rows = await db
    .select({ projectId: timeEntries.projectId, hours: sql<string>`coalesce(sum(${timeEntries.hours}), 0)` })
    .from(timeEntries)
    .where(and(eq(timeEntries.workspaceId, workspaceId), inArray(timeEntries.projectId, projectIds)))
    .groupBy(timeEntries.projectId);
  return new Map(rows.map((r) => [r.projectId, Number(r.hours)]));
}
/** Time entries with the name of their project and of its account (the accounts module's column), newest day first. */
export async function timeEntriesOf(db: Db, workspaceId: string, f: { userId?: string; projectId?: string; from: string; to: string }) {
  return db
    .select({
      ...getTableColumns(timeEntries),
      projectName: deliveryProjects.name,
      accountName: accountSummaryColumns(workspaceId, deliveryProjects.accountId).accountName,
    })
    .from(timeEntries)
    .innerJoin(deliveryProjects, and(eq(deliveryProjects.id, timeEntries.projectId), eq(deliveryProjects.workspaceId, timeEntries.workspaceId)))
    .where(
      and(
        eq(timeEntries.workspaceId, workspaceId),
        f.userId ? eq(timeEntries.userId, f.userId) : undefined,
        f.projectId ? eq(timeEntries.projectId, f.projectId) : undefined,
        gte(timeEntries.workedOn, f.from),
        lte(timeEntries.workedOn, f.to),
      ),
    )
    .orderBy(desc(timeEntries.workedOn), asc(timeEntries.createdAt))
    .limit(2000);
}
export async function findTimeEntry(db: Db, workspaceId: string, id: string, opts: { forUpdate?: boolean } = {}) {
  const q = db
    .select()
    .from(timeEntries)
    .where(and(eq(timeEntries.workspaceId, workspaceId), eq(timeEntries.id, id)));
  const [row] = opts.forUpdate ? await q.for('update') : await q;
  return row;
}
export async function insertTimeEntry(db: Db, values: typeof timeEntries.$inferInsert) {
  const [row] = await db.insert(timeEntries).values(values).returning();
  return row;
}
/** Changes an entry and bumps its version; with `expectedVersion` only if it still is that version (else undefined). */
export async function updateTimeEntry(
  db: Db,
  workspaceId: string,
  id: string,
  values: Partial<Pick<typeof timeEntries.$inferInsert, 'workedOn' | 'hours' | 'note'>>,
  expectedVersion?: number,
) {
  const [row] = await db
    .update(timeEntries)
    .set({ ...values, version: sql`${timeEntries.version} + 1` })
    .where(
      and(
        eq(timeEntries.workspaceId, workspaceId),
        eq(timeEntries.id, id),
        expectedVersion === undefined ? undefined : eq(timeEntries.version, expectedVersion),
      ),
    )
    .returning();
  return row;
}
export async function deleteTimeEntry(db: Db, workspaceId: string, id: string) {
  await db.delete(timeEntries).where(and(eq(timeEntries.workspaceId, workspaceId), eq(timeEntries.id, id)));
}

/** Contracts ending in the renewal window that have no renewal opportunity yet. */
export async function contractsWithoutRenewalOpportunity(db: Db, workspaceId: string, from: string, until: string) {
  return db
    .select()
    .from(contracts)
    .where(
      and(
        eq(contracts.workspaceId, workspaceId),
        gte(contracts.endsOn, from),
        lte(contracts.endsOn, until),
        isNull(contracts.renewalOpportunityId),
        sql`not exists (select 1 from contracts r where r.workspace_id = ${contracts.workspaceId} and r.renewal_of = ${contracts.id})`,
      ),
    );
}

/**
 * Purchases per account since a day (the outreach module's behaviour rules): contracts signed — a renewal is a
 * contract too — counted with the latest signing day.
 */
export async function purchasesByAccount(db: Db, workspaceId: string, sinceDay: string) {
  return db
    .select({ accountId: contracts.accountId, count: sql<number>`count(*)::int`, last: sql<string>`max(${contracts.signedOn})::text` })
    .from(contracts)
    .where(and(eq(contracts.workspaceId, workspaceId), gte(contracts.signedOn, sinceDay)))
    .groupBy(contracts.accountId);
}
