/**
 * Reads for outreach's measures (issue 18 point 4): people with their account's to-C stage, and the to-C stage
 * moves of accounts. A move is read from the audit trail of the account's changes (`account.update` whose diff
 * names `toCStage`): the trail is written in the transaction of every change, so it is the stage's history.
 */
import { and, asc, eq, gte, inArray, lte, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { auditLog } from '../../platform/platform.table.js';
import { accounts, contacts } from './accounts.table.js';

export type PersonWithStage = {
  id: string;
  name: string;
  email: string | null;
  accountId: string;
  accountName: string;
  toCStage: string | null;
  /** the account's lifecycle stage now (handover … churn) */
  stage: string;
};

/** Contacts (archived ones too: a measure may name someone archived since) with their account's stages now. */
export async function peopleWithStage(db: Db, workspaceId: string, contactIds: string[]): Promise<PersonWithStage[]> {
  if (!contactIds.length) return [];
  return db
    .select({
      id: contacts.id,
      name: contacts.name,
      email: contacts.email,
      accountId: accounts.id,
      accountName: accounts.name,
      toCStage: accounts.toCStage,
      stage: accounts.stage,
    })
    .from(contacts)
    .innerJoin(accounts, and(eq(accounts.id, contacts.accountId), eq(accounts.workspaceId, contacts.workspaceId)))
    .where(and(eq(contacts.workspaceId, workspaceId), inArray(contacts.id, [...new Set(contactIds)])));
}

/** Every change of an account's to-C stage in [from, to], oldest first; `id` is the trail entry's. */
export async function toCStageMoves(db: Db, workspaceId: string, accountIds: string[], from: Date, to: Date) {
  if (!accountIds.length) return [];
  const rows = await db
    .select({ id: auditLog.id, accountId: auditLog.entityId, before: auditLog.before, after: auditLog.after, at: auditLog.at })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.workspaceId, workspaceId),
        eq(auditLog.entityType, 'account'),
        inArray(auditLog.entityId, [...new Set(accountIds)]),
        eq(auditLog.action, 'account.update'),
        sql`${auditLog.after} ? 'toCStage'`,
        gte(auditLog.at, from),
        lte(auditLog.at, to),
      ),
    )
    .orderBy(asc(auditLog.at), asc(auditLog.id));
  const stageOf = (v: unknown) => ((v as Record<string, unknown> | null)?.toCStage as string | null | undefined) ?? null;
  return rows.map((r) => ({ id: String(r.id), accountId: r.accountId!, from: stageOf(r.before), to: stageOf(r.after), at: r.at }));
}
