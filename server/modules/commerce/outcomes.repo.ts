/**
 * Commercial outcomes of accounts for outreach's measures (issue 18 point 4): contracts (a new one is a purchase,
 * one that renews another a renewal) and payments received, recorded in [from, to], with their business day.
 */
import { and, gte, inArray, eq, lte } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { contracts, payments } from './commerce.table.js';

export type CommercialOutcome = {
  kind: 'purchase' | 'renewal' | 'payment';
  id: string;
  accountId: string;
  /** signed on (contract) or received on (payment), YYYY-MM-DD */
  day: string;
  amountMinor: number;
  createdAt: Date;
};

export async function commercialOutcomes(db: Db, workspaceId: string, accountIds: string[], from: Date, to: Date): Promise<CommercialOutcome[]> {
  if (!accountIds.length) return [];
  const ids = [...new Set(accountIds)];
  const [cs, ps] = await Promise.all([
    db
      .select({
        id: contracts.id,
        accountId: contracts.accountId,
        day: contracts.signedOn,
        amountMinor: contracts.amountMinor,
        renewalOf: contracts.renewalOf,
        createdAt: contracts.createdAt,
      })
      .from(contracts)
      .where(
        and(eq(contracts.workspaceId, workspaceId), inArray(contracts.accountId, ids), gte(contracts.createdAt, from), lte(contracts.createdAt, to)),
      ),
    db
      .select({
        id: payments.id,
        accountId: payments.accountId,
        day: payments.receivedOn,
        amountMinor: payments.amountMinor,
        createdAt: payments.createdAt,
      })
      .from(payments)
      .where(
        and(eq(payments.workspaceId, workspaceId), inArray(payments.accountId, ids), gte(payments.createdAt, from), lte(payments.createdAt, to)),
      ),
  ]);
  return [
    ...cs.map(({ renewalOf, ...c }) => ({ ...c, kind: renewalOf ? ('renewal' as const) : ('purchase' as const) })),
    ...ps.map((p) => ({ ...p, kind: 'payment' as const })),
  ];
}
