import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { queryRows } from '../../db/client.js';
import type { Actor } from '../../platform/actor.js';
import { assertCan } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { conflict, notFound, unwrap } from '../../platform/errors.js';
import type { JobHandler } from '../../platform/jobs.js';
import { loadVisibleAccount } from '../accounts/index.js';
import { valueTotals } from '../value/index.js';
import { computeHealth, decideFollowUp, defaultModel, pickModel, validateModel, type Band, type HealthModel } from './health.domain.js';
import * as repo from './health.repo.js';
import { accountHealth, followUpTasks, healthHistory, healthModels } from './kpi.table.js';

async function modelsOf(db: Db, workspaceId: string) {
  const rows = await db.select().from(healthModels).where(eq(healthModels.workspaceId, workspaceId));
  return rows.map((r) => ({ scope: r.scope, model: { weights: r.weights, amberBelow: r.amberBelow, redBelow: r.redBelow } as HealthModel }));
}

/**
 * Recomputes the health of one account (or all of a workspace): gathers the inputs, scores them with
 * the model that applies, stores the result and its history, and raises a follow-up for the owner when
 * the band crosses into amber or red (once per open reason). Each account in its own transaction.
 */
export async function recomputeHealth(db: Db, workspaceId: string, opts: { accountId?: string; now?: Date; cause?: string } = {}) {
  const now = opts.now ?? new Date();
  const all = await repo.accountsForHealth(db, workspaceId, opts.accountId);
  const models = await modelsOf(db, workspaceId);
  let followUps = 0;
  for (let i = 0; i < all.length; i += 500) {
    const chunk = all.slice(i, i + 500);
    const inputs = await repo.healthInputs(db, workspaceId, chunk.map((a) => a.id), now);
    for (const a of chunk) {
      const v = await valueTotals(db, workspaceId, a.id);
      const rel = inputs.latest.get(a.id) ?? {};
      const result = computeHealth(
        {
          relationshipScores: [rel.closeness ?? null, rel.solution_acceptance ?? null, rel.price_acceptance ?? null],
          breaches90d: inputs.breaches.get(a.id) ?? 0,
          openCritical: inputs.openCritical.get(a.id) ?? 0,
          csatAvg: inputs.csat.get(a.id) ?? null,
          meetingsHeld90d: inputs.meetings.get(a.id) ?? 0,
          portalActions90d: inputs.portal.get(a.id) ?? 0,
          valueRealisedMinor: v.realisedTotalMinor,
          valueExpectedMinor: v.expectedToDateMinor,
          onTimePaymentPct: a.on_time_payment_pct,
        },
        pickModel(models, a.tier, a.stage),
        a.prev_score,
      );
      await db.transaction(async (tx) => {
        const row = { accountId: a.id, workspaceId, score: result.score, band: result.band, trend: result.trend, groups: result.groups, reasons: result.reasons, computedAt: now };
        await tx.insert(accountHealth).values(row).onConflictDoUpdate({ target: accountHealth.accountId, set: { score: row.score, band: row.band, trend: row.trend, groups: row.groups, reasons: row.reasons, computedAt: now } });
        if (a.prev_score !== result.score || a.prev_band !== result.band) {
          await tx.insert(healthHistory).values({ workspaceId, accountId: a.id, score: result.score, band: result.band, groups: result.groups, reasons: result.reasons, cause: opts.cause ?? 'change', computedAt: now });
        }
        const open = await repo.openFollowUpReasons(tx, workspaceId, a.id);
        const f = decideFollowUp((a.prev_band as Band | null) ?? null, result.band, open);
        if (f) {
          const ins = await tx
            .insert(followUpTasks)
            .values({ workspaceId, accountId: a.id, ownerId: a.owner_id ?? a.csm_id ?? a.sales_id, reason: f.reason, detail: result.reasons, score: result.score, createdAt: now })
            .onConflictDoNothing()
            .returning({ id: followUpTasks.id });
          followUps += ins.length;
        }
      });
    }
  }
  return { accounts: all.length, followUps };
}

export function healthJobHandler(): JobHandler {
  return async (db, job) => {
    const p = job.payload as { accountId?: string };
    if (!job.workspace_id || !p.accountId) return;
    await recomputeHealth(db, job.workspace_id, { accountId: p.accountId, cause: 'change' });
  };
}

export function healthAllJobHandler(): JobHandler {
  return async (db) => {
    const wss = await queryRows<{ id: string }>(db, sql`select id from workspaces`);
    for (const ws of wss) await recomputeHealth(db, ws.id, { cause: 'nightly' });
  };
}

export async function getAccountHealth(db: Db, actor: Actor, accountId: string) {
  assertCan(actor, 'accounts.read');
  await loadVisibleAccount(db, actor, accountId);
  const [current] = await db.select().from(accountHealth).where(and(eq(accountHealth.workspaceId, actor.workspaceId), eq(accountHealth.accountId, accountId)));
  const history = await db
    .select({ score: healthHistory.score, band: healthHistory.band, cause: healthHistory.cause, computedAt: healthHistory.computedAt })
    .from(healthHistory)
    .where(and(eq(healthHistory.workspaceId, actor.workspaceId), eq(healthHistory.accountId, accountId)))
    .orderBy(desc(healthHistory.computedAt))
    .limit(60);
  const followUps = await db.select().from(followUpTasks).where(and(eq(followUpTasks.workspaceId, actor.workspaceId), eq(followUpTasks.accountId, accountId))).orderBy(desc(followUpTasks.createdAt)).limit(20);
  return { current: current ?? null, history: history.reverse(), followUps };
}

export async function recomputeAccountHealth(db: Db, actor: Actor, accountId: string) {
  assertCan(actor, 'accounts.read');
  await loadVisibleAccount(db, actor, accountId);
  await recomputeHealth(db, actor.workspaceId, { accountId, cause: 'manual' });
  return getAccountHealth(db, actor, accountId);
}

export async function getHealthModels(db: Db, actor: Actor) {
  assertCan(actor, 'accounts.read');
  const rows = await modelsOf(db, actor.workspaceId);
  return { default: defaultModel, models: rows.map((r) => ({ scope: r.scope, ...r.model })) };
}

export async function putHealthModel(db: Db, actor: Actor, input: { scope: string; weights: Record<string, number>; amberBelow: number; redBelow: number }) {
  assertCan(actor, 'health.manage');
  const m = unwrap(validateModel(input));
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(healthModels).where(and(eq(healthModels.workspaceId, actor.workspaceId), eq(healthModels.scope, input.scope)));
    const [row] = await tx
      .insert(healthModels)
      .values({ workspaceId: actor.workspaceId, scope: input.scope, ...m })
      .onConflictDoUpdate({ target: [healthModels.workspaceId, healthModels.scope], set: { ...m, updatedAt: new Date() } })
      .returning();
    await recordAudit(tx, actor, { action: 'health.model', entityType: 'health_model', entityId: null, before: before ?? null, after: row });
    return { scope: row.scope, weights: row.weights, amberBelow: row.amberBelow, redBelow: row.redBelow };
  });
}

export async function listFollowUps(db: Db, actor: Actor, q: { mine?: boolean; status?: 'open' | 'done' }) {
  assertCan(actor, 'accounts.read');
  return queryRows<{ id: string; account_id: string; account_name: string; owner_id: string | null; owner_name: string | null; reason: string; detail: unknown; score: number; status: string; created_at: Date }>(
    db,
    sql`select f.id, f.account_id, a.name as account_name, f.owner_id, u.name as owner_name, f.reason, f.detail, f.score, f.status, f.created_at
        from follow_up_tasks f join accounts a on a.id = f.account_id left join users u on u.id = f.owner_id
        where f.workspace_id = ${actor.workspaceId} and f.status = ${q.status ?? 'open'} ${q.mine ? sql`and f.owner_id = ${actor.userId}` : sql``}
        order by f.created_at desc limit 200`,
  );
}

export async function closeFollowUp(db: Db, actor: Actor, id: string) {
  assertCan(actor, 'follow_ups.work');
  return db.transaction(async (tx) => {
    const [f] = await tx.select().from(followUpTasks).where(and(eq(followUpTasks.workspaceId, actor.workspaceId), eq(followUpTasks.id, id))).for('update');
    if (!f) throw notFound('kpi.follow_up.noun');
    await loadVisibleAccount(tx, actor, f.accountId);
    if (f.status !== 'open') throw conflict('kpi.follow_up_closed');
    const [row] = await tx.update(followUpTasks).set({ status: 'done', closedAt: new Date(), closedById: actor.userId }).where(eq(followUpTasks.id, id)).returning();
    await recordAudit(tx, actor, { action: 'follow_up.close', entityType: 'follow_up', entityId: id, before: { status: f.status }, after: { status: 'done' } });
    return row;
  });
}
