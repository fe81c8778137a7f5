// The customer portal's queries: one-time links, signals, posts, milestones, needs and their messages.
// Every query takes the workspace (a token is looked up by its hash, which is unique across workspaces).
// Key persons are logins of contacts, which the accounts module owns: their names come from its index.
import { and, asc, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.js';
import type { Actor } from '../../platform/actor.js';
import { accountNames, accountVisibility, keyPersonNames, keyPersonsOfAccount } from '../accounts/index.js';
import { keyPersonTokens, portalDemandMessages, portalDemands, portalPosts, portalSignals } from './portal.table.js';

// Correlated subqueries name the outer row as "portal_demands"."id": a select from one table renders its columns unqualified,
// which inside a subquery would bind to the subquery's own table.

export type PostRow = typeof portalPosts.$inferSelect;
export type DemandRow = typeof portalDemands.$inferSelect;

// ---- key persons and their one-time links

/** Marks the earlier unused links of that purpose used (a new link replaces them). */
export async function retireTokens(db: Db, keyPersonId: string, purpose: 'invite' | 'reset', now: Date) {
  await db
    .update(keyPersonTokens)
    .set({ usedAt: now })
    .where(and(eq(keyPersonTokens.keyPersonId, keyPersonId), eq(keyPersonTokens.purpose, purpose), sql`${keyPersonTokens.usedAt} is null`));
}

export async function insertToken(db: Db, values: typeof keyPersonTokens.$inferInsert) {
  await db.insert(keyPersonTokens).values(values);
}

/** An unused reset link issued since `since` (the throttle). */
export async function recentResetExists(db: Db, keyPersonId: string, since: Date) {
  const recent = await queryRows(
    db,
    sql`select 1 from key_person_tokens where key_person_id = ${keyPersonId} and purpose = 'reset' and used_at is null and created_at > ${since.toISOString()}::timestamptz`,
  );
  return recent.length > 0;
}

export async function findTokenForUpdate(db: Db, tokenHash: string, purpose: 'invite' | 'reset') {
  const [t] = await db
    .select()
    .from(keyPersonTokens)
    .where(and(eq(keyPersonTokens.tokenHash, tokenHash), eq(keyPersonTokens.purpose, purpose)))
    .for('update');
  return t;
}

/** Uses the link once: false if another request used it first. */
export async function useToken(db: Db, id: string, now: Date) {
  const used = await db
    .update(keyPersonTokens)
    .set({ usedAt: now })
    .where(and(eq(keyPersonTokens.id, id), sql`${keyPersonTokens.usedAt} is null`))
    .returning({ id: keyPersonTokens.id });
  return used.length > 0;
}

// ---- signals

export async function insertSignal(db: Db, values: typeof portalSignals.$inferInsert) {
  await db.insert(portalSignals).values(values);
}

/** The account's latest signals with who gave each (the key person's name). */
export async function signalsOf(db: Db, workspaceId: string, accountId: string, limit: number) {
  const rows = await db
    .select()
    .from(portalSignals)
    .where(and(eq(portalSignals.workspaceId, workspaceId), eq(portalSignals.accountId, accountId)))
    .orderBy(desc(portalSignals.createdAt))
    .limit(limit);
  const names = await keyPersonNames(
    db,
    workspaceId,
    rows.map((r) => r.keyPersonId),
  );
  return rows.filter((r) => names.has(r.keyPersonId)).map((s) => ({ s, by: names.get(s.keyPersonId)! }));
}

/** The account's key persons, each with when they were last seen on the portal. */
export async function keyPersonsOf(db: Db, workspaceId: string, accountId: string) {
  const kps = await keyPersonsOfAccount(db, workspaceId, accountId);
  const seen = kps.length
    ? await db
        .select({ id: portalSignals.keyPersonId, lastSeen: sql<string | null>`max(${portalSignals.createdAt})` })
        .from(portalSignals)
        .where(
          and(
            eq(portalSignals.workspaceId, workspaceId),
            inArray(
              portalSignals.keyPersonId,
              kps.map((k) => k.id),
            ),
          ),
        )
        .groupBy(portalSignals.keyPersonId)
    : [];
  const lastSeen = new Map(seen.map((r) => [r.id, r.lastSeen]));
  return kps.map((k) => ({ ...k, lastSeen: lastSeen.get(k.id) ?? null }));
}

// ---- posts

export async function listPostRows(db: Db, workspaceId: string, f: { publishedOnly?: boolean; kind?: string } = {}) {
  const where = [eq(portalPosts.workspaceId, workspaceId)];
  if (f.publishedOnly) where.push(isNotNull(portalPosts.publishedAt));
  if (f.kind) where.push(eq(portalPosts.kind, f.kind));
  if (f.publishedOnly)
    return db
      .select()
      .from(portalPosts)
      .where(and(...where))
      .orderBy(desc(portalPosts.hot), desc(portalPosts.publishedAt))
      .limit(100);
  return db
    .select()
    .from(portalPosts)
    .where(and(...where))
    .orderBy(desc(portalPosts.updatedAt));
}

export async function findPost(db: Db, workspaceId: string, id: string, opts: { publishedOnly?: boolean } = {}) {
  const where = [eq(portalPosts.workspaceId, workspaceId), eq(portalPosts.id, id)];
  if (opts.publishedOnly) where.push(isNotNull(portalPosts.publishedAt));
  const [p] = await db
    .select()
    .from(portalPosts)
    .where(and(...where));
  return p;
}

export async function insertPost(db: Db, values: typeof portalPosts.$inferInsert) {
  const [p] = await db.insert(portalPosts).values(values).returning();
  return p;
}

export async function updatePostRow(db: Db, workspaceId: string, id: string, patch: Partial<typeof portalPosts.$inferInsert>) {
  const [p] = await db
    .update(portalPosts)
    .set(patch)
    .where(and(eq(portalPosts.workspaceId, workspaceId), eq(portalPosts.id, id)))
    .returning();
  return p;
}

export async function deletePostRow(db: Db, workspaceId: string, id: string) {
  const [r] = await db
    .delete(portalPosts)
    .where(and(eq(portalPosts.workspaceId, workspaceId), eq(portalPosts.id, id)))
    .returning({ id: portalPosts.id, title: portalPosts.title });
  return r;
}

// ---- needs

export async function findDemand(db: Db, workspaceId: string, id: string) {
  const [d] = await db
    .select()
    .from(portalDemands)
    .where(and(eq(portalDemands.workspaceId, workspaceId), eq(portalDemands.id, id)));
  return d;
}

export async function insertDemand(db: Db, values: typeof portalDemands.$inferInsert) {
  const [d] = await db.insert(portalDemands).values(values).returning();
  return d;
}

export async function updateDemand(db: Db, workspaceId: string, id: string, patch: Partial<typeof portalDemands.$inferInsert>) {
  const [d] = await db
    .update(portalDemands)
    .set(patch)
    .where(and(eq(portalDemands.workspaceId, workspaceId), eq(portalDemands.id, id)))
    .returning();
  return d;
}

/** Needs of the accounts the actor may see (newest activity first, at most 200) with the account's name, the key person's name and the message count. */
export async function listDemandRows(db: Db, actor: Actor, f: { accountId?: string; status?: string }) {
  const where = [eq(portalDemands.workspaceId, actor.workspaceId), accountVisibility(actor, { id: portalDemands.accountId })];
  if (f.accountId) where.push(eq(portalDemands.accountId, f.accountId));
  if (f.status) where.push(eq(portalDemands.status, f.status));
  const rows = await db
    .select({
      d: portalDemands,
      messages: sql<number>`(select count(*)::int from portal_demand_messages m where m.demand_id = "portal_demands"."id" and m.workspace_id = "portal_demands"."workspace_id")`,
    })
    .from(portalDemands)
    .where(and(...where))
    .orderBy(desc(portalDemands.lastActivityAt))
    .limit(200);
  const [accountsById, by] = [
    await accountNames(
      db,
      actor.workspaceId,
      rows.map((r) => r.d.accountId),
    ),
    await keyPersonNames(
      db,
      actor.workspaceId,
      rows.map((r) => r.d.keyPersonId),
    ),
  ];
  return rows
    .filter((r) => accountsById.has(r.d.accountId) && by.has(r.d.keyPersonId))
    .map((r) => ({ ...r, accountName: accountsById.get(r.d.accountId)!, by: by.get(r.d.keyPersonId)! }));
}

export async function keyPersonName(db: Db, workspaceId: string, keyPersonId: string) {
  return (await keyPersonNames(db, workspaceId, [keyPersonId])).get(keyPersonId) ?? null;
}

export async function messagesOf(db: Db, workspaceId: string, demandId: string) {
  return db
    .select()
    .from(portalDemandMessages)
    .where(and(eq(portalDemandMessages.workspaceId, workspaceId), eq(portalDemandMessages.demandId, demandId)))
    .orderBy(asc(portalDemandMessages.createdAt), asc(portalDemandMessages.id));
}

export async function insertMessage(db: Db, values: typeof portalDemandMessages.$inferInsert) {
  const [m] = await db.insert(portalDemandMessages).values(values).returning();
  return m;
}

/** Portal signals of one kind per key person since a time (the outreach module's behaviour rules): count and latest. */
export async function signalCountsByKeyPerson(db: Db, workspaceId: string, kind: 'view' | 'request' | 'discuss', since: Date) {
  return db
    .select({ keyPersonId: portalSignals.keyPersonId, count: sql<number>`count(*)::int`, last: sql<Date>`max(${portalSignals.createdAt})` })
    .from(portalSignals)
    .where(and(eq(portalSignals.workspaceId, workspaceId), eq(portalSignals.kind, kind), sql`${portalSignals.createdAt} >= ${since}`))
    .groupBy(portalSignals.keyPersonId);
}
