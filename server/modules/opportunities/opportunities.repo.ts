import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.js';
import type { Actor } from '../../platform/actor.js';
import { accountVisibility } from '../accounts/index.js';
import { opportunities, opportunityEvents } from './opportunities.table.js';
import { webhookDeliveries, webhookEndpoints } from './webhooks.table.js';

export async function findOpportunity(db: Db, workspaceId: string, id: string, opts: { forUpdate?: boolean } = {}) {
  const q = db.select().from(opportunities).where(and(eq(opportunities.workspaceId, workspaceId), eq(opportunities.id, id)));
  const [row] = opts.forUpdate ? await q.for('update') : await q;
  return row;
}
export async function updateOpportunity(db: Db, workspaceId: string, id: string, values: Partial<typeof opportunities.$inferInsert>) {
  const [row] = await db
    .update(opportunities)
    .set({ ...values, updatedAt: new Date() })
    .where(and(eq(opportunities.workspaceId, workspaceId), eq(opportunities.id, id)))
    .returning();
  return row;
}
export async function insertEvent(db: Db, v: typeof opportunityEvents.$inferInsert) {
  await db.insert(opportunityEvents).values(v);
}
export async function listEvents(db: Db, workspaceId: string, opportunityId: string) {
  return queryRows<{ id: string; from_stage: string | null; to_stage: string; note: string | null; actor_name: string | null; at: Date }>(
    db,
    sql`select e.id, e.from_stage, e.to_stage, e.note, u.name as actor_name, e.at from opportunity_events e left join users u on u.id = e.actor_id
        where e.workspace_id = ${workspaceId} and e.opportunity_id = ${opportunityId} order by e.at, e.id`,
  );
}

export type OpportunityListRow = {
  id: string; account_id: string; account_name: string; account_tier: string; title: string; description: string | null; source_kind: string; source_id: string | null;
  captured_by_id: string; captured_by_name: string; owner_id: string | null; owner_name: string | null; amount_minor: string | number; currency: string; product: string | null;
  stage: string; lost_reason: string | null; expected_close_on: string | null; handed_at: Date | null; closed_at: Date | null; created_at: Date; updated_at: Date;
};

export async function listOpportunities(db: Db, workspaceId: string, f: { accountId?: string; stage?: string; visibleTo?: Actor; capturedById?: string; limit?: number }) {
  const where: SQL[] = [sql`o.workspace_id = ${workspaceId}`];
  if (f.accountId) where.push(sql`o.account_id = ${f.accountId}`);
  if (f.stage) where.push(sql`o.stage = ${f.stage}`);
  if (f.capturedById) where.push(sql`o.captured_by_id = ${f.capturedById}`);
  if (f.visibleTo) where.push(accountVisibility(f.visibleTo, 'a'));
  return queryRows<OpportunityListRow>(
    db,
    sql`select o.id, o.account_id, a.name as account_name, a.tier as account_tier, o.title, o.description, o.source_kind, o.source_id, o.captured_by_id, c.name as captured_by_name,
               o.owner_id, w.name as owner_name, o.amount_minor, o.currency, o.product, o.stage, o.lost_reason, o.expected_close_on, o.handed_at, o.closed_at, o.created_at, o.updated_at
        from opportunities o join accounts a on a.id = o.account_id join users c on c.id = o.captured_by_id left join users w on w.id = o.owner_id
        where ${sql.join(where, sql` and `)} order by o.updated_at desc limit ${f.limit ?? 500}`,
  );
}

export async function findEndpoint(db: Db, workspaceId: string) {
  const [row] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.workspaceId, workspaceId));
  return row;
}
export async function upsertEndpoint(db: Db, v: typeof webhookEndpoints.$inferInsert) {
  const [row] = await db
    .insert(webhookEndpoints)
    .values(v)
    .onConflictDoUpdate({ target: webhookEndpoints.workspaceId, set: { url: v.url, secret: v.secret, allowHosts: v.allowHosts, active: v.active, updatedAt: new Date() } })
    .returning();
  return row;
}
export async function insertDelivery(db: Db, v: typeof webhookDeliveries.$inferInsert) {
  await db.insert(webhookDeliveries).values(v);
}
export async function listDeliveries(db: Db, workspaceId: string, limit = 100) {
  return db.select().from(webhookDeliveries).where(eq(webhookDeliveries.workspaceId, workspaceId)).orderBy(desc(webhookDeliveries.id)).limit(limit);
}

/** Opportunities captured from one source (a ticket, a meeting, a task…), oldest first. */
export async function fromSource(db: Db, workspaceId: string, sourceKind: string, sourceId: string) {
  return db
    .select({ id: opportunities.id, title: opportunities.title, stage: opportunities.stage, capturedById: opportunities.capturedById, createdAt: opportunities.createdAt })
    .from(opportunities)
    .where(and(eq(opportunities.workspaceId, workspaceId), eq(opportunities.sourceKind, sourceKind), eq(opportunities.sourceId, sourceId)))
    .orderBy(asc(opportunities.createdAt));
}
