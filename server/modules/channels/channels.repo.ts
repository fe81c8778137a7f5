// Queries of the channels module: every one takes the workspace.
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { ImFailureReason } from './im.domain.js';
import { imRobots } from './channels.table.js';

export type RobotRow = typeof imRobots.$inferSelect;

const dates = (xs: unknown[] | null | undefined) => (xs ?? []).map((x) => new Date(x as string | Date));
const normalise = (r: RobotRow): RobotRow => ({ ...r, recentSends: dates(r.recentSends) });

/** The workspace's own robots (accountId null) or one account's. */
export async function listRobots(db: Db, workspaceId: string, accountId: string | null) {
  const rows = await db
    .select()
    .from(imRobots)
    .where(and(eq(imRobots.workspaceId, workspaceId), accountId ? eq(imRobots.accountId, accountId) : isNull(imRobots.accountId)))
    .orderBy(asc(imRobots.createdAt), asc(imRobots.id));
  return rows.map(normalise);
}

export async function findRobot(db: Db, workspaceId: string, id: string, opts: { forUpdate?: boolean } = {}) {
  const q = db
    .select()
    .from(imRobots)
    .where(and(eq(imRobots.workspaceId, workspaceId), eq(imRobots.id, id)));
  const [row] = opts.forUpdate ? await q.for('update') : await q;
  return row ? normalise(row) : undefined;
}

/** The enabled robots a card goes to: the account's if it has any, else the workspace's. */
export async function recipientsOf(db: Db, workspaceId: string, accountId: string | null) {
  if (accountId) {
    const own = (await listRobots(db, workspaceId, accountId)).filter((r) => r.enabled);
    if (own.length) return own;
  }
  return (await listRobots(db, workspaceId, null)).filter((r) => r.enabled);
}

export async function insertRobot(db: Db, v: typeof imRobots.$inferInsert) {
  const [row] = await db.insert(imRobots).values(v).returning();
  return normalise(row);
}

export async function updateRobot(db: Db, workspaceId: string, id: string, v: Partial<Pick<RobotRow, 'name' | 'webhookUrl' | 'secret' | 'enabled'>>) {
  const [row] = await db
    .update(imRobots)
    .set({ ...v, updatedAt: new Date() })
    .where(and(eq(imRobots.workspaceId, workspaceId), eq(imRobots.id, id)))
    .returning();
  return row ? normalise(row) : undefined;
}

export async function deleteRobot(db: Db, workspaceId: string, id: string) {
  const rows = await db
    .delete(imRobots)
    .where(and(eq(imRobots.workspaceId, workspaceId), eq(imRobots.id, id)))
    .returning({ id: imRobots.id });
  return rows.length > 0;
}

/** The record of recent sends (call inside the transaction that locked the robot). */
export async function setRecentSends(db: Db, workspaceId: string, id: string, recentSends: Date[]) {
  await db
    .update(imRobots)
    .set({ recentSends })
    .where(and(eq(imRobots.workspaceId, workspaceId), eq(imRobots.id, id)));
}

export async function recordOutcome(
  db: Db,
  workspaceId: string,
  id: string,
  at: Date,
  outcome: { ok: true } | { ok: false; reason: ImFailureReason; code: number | null },
) {
  await db
    .update(imRobots)
    .set(outcome.ok ? { lastSuccessAt: at } : { lastFailureAt: at, lastFailureReason: outcome.reason, lastFailureCode: outcome.code })
    .where(and(eq(imRobots.workspaceId, workspaceId), eq(imRobots.id, id)));
}
