import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { queryRows, ts } from '../../db/client.js';
import type { Weights, Words } from './health.domain.js';
import { accountHealth, followUpTasks, healthHistory, healthModels } from './kpi.table.js';

/** The account ids as one array parameter (a chunk of 1,000 is one bind value, not 1,000). */
const ids = (accountIds: string[]) => sql`${`{${accountIds.join(',')}}`}::uuid[]`;

/** The reasons of the open follow-ups of each of the accounts (accounts without one are absent). */
export async function openFollowUpReasonsOf(db: Db, workspaceId: string, accountIds: string[]) {
  const rows = await queryRows<{ account_id: string; reason: string }>(
    db,
    sql`select account_id, reason from follow_up_tasks where workspace_id = ${workspaceId} and account_id = any(${ids(accountIds)}) and status = 'open'`,
  );
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.account_id, [...(out.get(r.account_id) ?? []), r.reason]);
  return out;
}

export type HealthRow = { accountId: string; score: number; band: string; trend: string; groups: Record<string, number | null>; reasons: Words[] };
export type FollowUpRow = { accountId: string; ownerId: string | null; reason: string; detail: Words[]; score: number };

/** The rows as one jsonb parameter, read back with jsonb_to_recordset (one bind value per statement, not 8 per row). */
const recordset = (rows: unknown[], columns: string) => sql`jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(${sql.raw(columns)})`;

/** The current health of each account: one multi-row upsert. */
export async function upsertHealth(db: Db, workspaceId: string, rows: HealthRow[], computedAt: Date) {
  if (!rows.length) return;
  await db.execute(sql`insert into ${accountHealth} (account_id, workspace_id, score, band, trend, groups, reasons, computed_at)
    select x."accountId", ${workspaceId}::uuid, x.score, x.band, x.trend, x.groups, x.reasons, ${ts(computedAt)}
    from ${recordset(rows, '"accountId" uuid, score int, band text, trend text, groups jsonb, reasons jsonb')}
    on conflict (account_id) do update set score = excluded.score, band = excluded.band, trend = excluded.trend, groups = excluded.groups, reasons = excluded.reasons, computed_at = excluded.computed_at`);
}

export async function insertHistory(db: Db, workspaceId: string, rows: HealthRow[], cause: string, computedAt: Date) {
  if (!rows.length) return;
  await db.execute(sql`insert into ${healthHistory} (workspace_id, account_id, score, band, groups, reasons, cause, computed_at)
    select ${workspaceId}::uuid, x."accountId", x.score, x.band, x.groups, x.reasons, ${cause}, ${ts(computedAt)}
    from ${recordset(rows, '"accountId" uuid, score int, band text, groups jsonb, reasons jsonb')}`);
}

/** Raises the follow-ups (one open per account and reason: a duplicate is skipped); returns how many were raised. */
export async function insertFollowUps(db: Db, workspaceId: string, rows: FollowUpRow[], createdAt: Date) {
  if (!rows.length) return 0;
  const ins = await queryRows<{ id: string }>(
    db,
    sql`insert into ${followUpTasks} (workspace_id, account_id, owner_id, reason, detail, score, created_at)
      select ${workspaceId}::uuid, x."accountId", x."ownerId", x.reason, x.detail, x.score, ${ts(createdAt)}
      from ${recordset(rows, '"accountId" uuid, "ownerId" uuid, reason text, detail jsonb, score int')}
      on conflict do nothing returning id`,
  );
  return ins.length;
}

// ---- models, current health, history and follow-ups of one account

export async function modelRows(db: Db, workspaceId: string) {
  return db.select().from(healthModels).where(eq(healthModels.workspaceId, workspaceId));
}

export async function findModel(db: Db, workspaceId: string, scope: string) {
  const [row] = await db
    .select()
    .from(healthModels)
    .where(and(eq(healthModels.workspaceId, workspaceId), eq(healthModels.scope, scope)));
  return row;
}

/**
 * Saves the scope's model and bumps its version; with `expectedVersion` only if the stored model still is
 * that version (0 = the scope has none stored yet). Undefined when it was not (someone saved in between).
 */
export async function upsertModel(
  db: Db,
  workspaceId: string,
  scope: string,
  m: { weights: Weights; amberBelow: number; redBelow: number },
  expectedVersion?: number,
) {
  const [row] = await db
    .insert(healthModels)
    .values({ workspaceId, scope, ...m })
    .onConflictDoUpdate({
      target: [healthModels.workspaceId, healthModels.scope],
      set: { ...m, updatedAt: new Date(), version: sql`${healthModels.version} + 1` },
      ...(expectedVersion === undefined ? {} : { setWhere: eq(healthModels.version, expectedVersion) }),
    })
    .returning();
  return row;
}

export async function currentHealth(db: Db, workspaceId: string, accountId: string) {
  const [current] = await db
    .select()
    .from(accountHealth)
    .where(and(eq(accountHealth.workspaceId, workspaceId), eq(accountHealth.accountId, accountId)));
  return current ?? null;
}

/** The latest `limit` history points, newest first. */
export async function historyOf(db: Db, workspaceId: string, accountId: string, limit: number) {
  return db
    .select({ score: healthHistory.score, band: healthHistory.band, cause: healthHistory.cause, computedAt: healthHistory.computedAt })
    .from(healthHistory)
    .where(and(eq(healthHistory.workspaceId, workspaceId), eq(healthHistory.accountId, accountId)))
    .orderBy(desc(healthHistory.computedAt))
    .limit(limit);
}

export async function followUpsOfAccount(db: Db, workspaceId: string, accountId: string, limit: number) {
  return db
    .select()
    .from(followUpTasks)
    .where(and(eq(followUpTasks.workspaceId, workspaceId), eq(followUpTasks.accountId, accountId)))
    .orderBy(desc(followUpTasks.createdAt))
    .limit(limit);
}

export async function findFollowUpForUpdate(db: Db, workspaceId: string, id: string) {
  const [f] = await db
    .select()
    .from(followUpTasks)
    .where(and(eq(followUpTasks.workspaceId, workspaceId), eq(followUpTasks.id, id)))
    .for('update');
  return f;
}

export async function closeFollowUpRow(db: Db, workspaceId: string, id: string, closedById: string) {
  const [row] = await db
    .update(followUpTasks)
    .set({ status: 'done', closedAt: new Date(), closedById })
    .where(and(eq(followUpTasks.workspaceId, workspaceId), eq(followUpTasks.id, id)))
    .returning();
  return row;
}
