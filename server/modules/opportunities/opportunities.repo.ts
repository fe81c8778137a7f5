import { and, asc, desc, eq, inArray, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.js';
import type { Actor } from '../../platform/actor.js';
import { accountSummaryColumns, accountVisibility } from '../accounts/index.js';
import { userNames } from '../people/index.js';
import { opportunities, opportunityEvents } from './opportunities.table.js';
import { webhookDeliveries, webhookEndpoints } from './webhooks.table.js';

export async function findOpportunity(db: Db, workspaceId: string, id: string, opts: { forUpdate?: boolean } = {}) {
  const q = db
    .select()
    .from(opportunities)
    .where(and(eq(opportunities.workspaceId, workspaceId), eq(opportunities.id, id)));
  const [row] = opts.forUpdate ? await q.for('update') : await q;
  return row;
}
/** Bumps `version`; with `expectedVersion` only if the row still is that version (else undefined). */
export async function updateOpportunity(
  db: Db,
  workspaceId: string,
  id: string,
  values: Partial<typeof opportunities.$inferInsert>,
  expectedVersion?: number,
) {
  const [row] = await db
    .update(opportunities)
    .set({ ...values, version: sql`${opportunities.version} + 1`, updatedAt: new Date() })
    .where(
      and(
        eq(opportunities.workspaceId, workspaceId),
        eq(opportunities.id, id),
        expectedVersion === undefined ? undefined : eq(opportunities.version, expectedVersion),
      ),
    )
    .returning();
  return row;
}
export async function insertOpportunity(db: Db, values: typeof opportunities.$inferInsert) {
  const [row] = await db.insert(opportunities).values(values).returning();
  return row;
}
export async function insertEvent(db: Db, v: typeof opportunityEvents.$inferInsert) {
  await db.insert(opportunityEvents).values(v);
}
export async function listEvents(db: Db, workspaceId: string, opportunityId: string) {
  const rows = await queryRows<{ id: string; from_stage: string | null; to_stage: string; note: string | null; actor_id: string | null; at: Date }>(
    db,
    sql`select e.id, e.from_stage, e.to_stage, e.note, e.actor_id, e.at from opportunity_events e
        where e.workspace_id = ${workspaceId} and e.opportunity_id = ${opportunityId} order by e.at, e.id`,
  );
  const names = await userNames(
    db,
    workspaceId,
    rows.map((e) => e.actor_id),
  );
  return rows.map(({ actor_id, at, ...e }) => ({ ...e, actor_name: actor_id ? (names.get(actor_id) ?? null) : null, at }));
}

export type OpportunityListRow = {
  id: string;
  account_id: string;
  account_name: string;
  account_tier: string;
  title: string;
  description: string | null;
  source_kind: string;
  source_id: string | null;
  captured_by_id: string;
  captured_by_name: string;
  owner_id: string | null;
  owner_name: string | null;
  amount_minor: string | number;
  currency: string;
  product: string | null;
  stage: string;
  lost_reason: string | null;
  expected_close_on: string | null;
  handed_at: Date | null;
  closed_at: Date | null;
  created_at: Date;
  updated_at: Date;
  version: number;
};

export async function listOpportunities(
  db: Db,
  workspaceId: string,
  f: {
    accountId?: string;
    stage?: string;
    visibleTo?: Actor;
    capturedById?: string;
    ownerId?: string;
    sourceKind?: string;
    handedOnly?: boolean;
    limit?: number;
  },
) {
  const where: SQL[] = [sql`o.workspace_id = ${workspaceId}`];
  if (f.ownerId) where.push(sql`o.owner_id = ${f.ownerId}`);
  if (f.sourceKind) where.push(sql`o.source_kind = ${f.sourceKind}`);
  if (f.handedOnly) where.push(sql`o.handed_at is not null`);
  if (f.accountId) where.push(sql`o.account_id = ${f.accountId}`);
  if (f.stage) where.push(sql`o.stage = ${f.stage}`);
  if (f.capturedById) where.push(sql`o.captured_by_id = ${f.capturedById}`);
  if (f.visibleTo) where.push(accountVisibility(f.visibleTo, { id: sql`o.account_id` }));
  const account = accountSummaryColumns(workspaceId, sql.raw('o.account_id'));
  const rows = await queryRows<
    Omit<OpportunityListRow, 'account_name' | 'account_tier' | 'captured_by_name' | 'owner_name'> & {
      account_name: string | null;
      account_tier: string | null;
    }
  >(
    db,
    sql`select o.id, o.account_id, o.title, o.description, o.source_kind, o.source_id, o.captured_by_id,
               o.owner_id, o.amount_minor, o.currency, o.product, o.stage, o.lost_reason, o.expected_close_on, o.handed_at, o.closed_at, o.created_at, o.updated_at, o.version,
               ${account.accountName} as account_name, ${account.accountTier} as account_tier
        from opportunities o
        where ${sql.join(where, sql` and `)} order by o.updated_at desc limit ${f.limit ?? 500}`,
  );
  // the account's name and tier come with the rows (the accounts module's columns); people's names from its directory
  const names = await userNames(
    db,
    workspaceId,
    rows.flatMap((o) => [o.captured_by_id, o.owner_id]),
  );
  return rows
    .filter((o) => o.account_name !== null && names.has(o.captured_by_id))
    .map(
      (o): OpportunityListRow => ({
        ...o,
        account_name: o.account_name!,
        account_tier: o.account_tier!,
        captured_by_name: names.get(o.captured_by_id)!,
        owner_name: o.owner_id ? (names.get(o.owner_id) ?? null) : null,
      }),
    );
}

export async function findEndpoint(db: Db, workspaceId: string) {
  const [row] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.workspaceId, workspaceId));
  return row;
}
/** Bumps `version`; with `expectedVersion` only if the stored endpoint still is that version (0 = none yet; else undefined). */
export async function upsertEndpoint(db: Db, v: typeof webhookEndpoints.$inferInsert, expectedVersion?: number) {
  const [row] = await db
    .insert(webhookEndpoints)
    .values(v)
    .onConflictDoUpdate({
      target: webhookEndpoints.workspaceId,
      set: { url: v.url, secret: v.secret, active: v.active, updatedAt: new Date(), version: sql`${webhookEndpoints.version} + 1` },
      ...(expectedVersion === undefined ? {} : { setWhere: eq(webhookEndpoints.version, expectedVersion) }),
    })
    .returning();
  return row;
}
export async function insertDelivery(db: Db, v: typeof webhookDeliveries.$inferInsert) {
  await db.insert(webhookDeliveries).values(v);
}
export async function listDeliveries(db: Db, workspaceId: string, limit = 100) {
  return db.select().from(webhookDeliveries).where(eq(webhookDeliveries.workspaceId, workspaceId)).orderBy(desc(webhookDeliveries.id)).limit(limit);
}

export type SourceOpportunityRow = { id: string; title: string; stage: string; capturedById: string; createdAt: Date };
/**
 * Opportunities captured from one source (a ticket, a meeting, a task…), oldest first, as a JSON column of another
 * module's statement (issue 17, point 4: the ticket page reads them with its own records, one statement instead of
 * two); `fromSourceRows` reads it back.
 */
export function fromSourceJson(workspaceId: string, sourceKind: string, sourceId: SQLWrapper): SQL {
  return sql`(select coalesce(json_agg(json_build_object('id', o.id, 'title', o.title, 'stage', o.stage, 'capturedById', o.captured_by_id,
      'createdAt', o.created_at) order by o.created_at), '[]') from opportunities o
    where o.workspace_id = ${workspaceId} and o.source_kind = ${sourceKind} and o.source_id = ${sourceId})`;
}
export function fromSourceRows(json: unknown): SourceOpportunityRow[] {
  return ((json ?? []) as (Omit<SourceOpportunityRow, 'createdAt'> & { createdAt: string })[]).map((o) => ({
    ...o,
    createdAt: new Date(o.createdAt),
  }));
}

/** Opportunities captured from any of these sources of one kind, oldest first. */
export async function fromSources(db: Db, workspaceId: string, sourceKind: string, sourceIds: string[]) {
  if (!sourceIds.length) return [];
  return db
    .select({
      id: opportunities.id,
      sourceId: opportunities.sourceId,
      title: opportunities.title,
      stage: opportunities.stage,
      amountMinor: opportunities.amountMinor,
    })
    .from(opportunities)
    .where(and(eq(opportunities.workspaceId, workspaceId), eq(opportunities.sourceKind, sourceKind), inArray(opportunities.sourceId, sourceIds)))
    .orderBy(asc(opportunities.createdAt));
}
