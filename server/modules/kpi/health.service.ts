import { z } from 'zod';
import type { Db } from '../../db/client.js';
import type { Actor } from '../../platform/actor.js';
import { assertCan } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { assertFresh, staleError } from '../../platform/concurrency.js';
import { conflict, notFound, unwrap } from '../../platform/errors.js';
import type { JobHandler } from '../../platform/jobs.js';
import { loadVisibleAccount } from '../accounts/index.js';
import { workspaceIds, workspaceTimeZone } from '../people/index.js';
import * as reading from '../reporting/index.js';
import { valueTotals } from '../value/index.js';
import {
  computeHealth,
  decideFollowUp,
  defaultModel,
  pickModel,
  validateModel,
  type Band,
  type HealthInputs,
  type HealthModel,
} from './health.domain.js';
import * as repo from './health.repo.js';

async function modelsOf(db: Db, workspaceId: string) {
  const rows = await repo.modelRows(db, workspaceId);
  return rows.map((r) => ({
    scope: r.scope,
    version: r.version,
    model: { weights: r.weights, amberBelow: r.amberBelow, redBelow: r.redBelow } as HealthModel,
  }));
}

/** Accounts per chunk of the full recompute: their results written set-based, in one transaction. */
const CHUNK = 1000;

/** The domain's inputs of one account from the chunk's loaded inputs (value totals only for accounts with a value project). */
function inputsOf(
  a: reading.HealthAccount,
  raw: reading.RawInputs,
  value: Map<string, { realisedTotalMinor: number; expectedToDateMinor: number }>,
): HealthInputs {
  const rel = raw.latest.get(a.id) ?? {};
  const v = value.get(a.id);
  return {
    relationshipScores: [rel.closeness ?? null, rel.solution_acceptance ?? null, rel.price_acceptance ?? null],
    breaches90d: raw.breaches.get(a.id) ?? 0,
    openCritical: raw.openCritical.get(a.id) ?? 0,
    csatAvg: raw.csat.get(a.id) ?? null,
    meetingsHeld90d: raw.meetings.get(a.id) ?? 0,
    portalActions90d: raw.portal.get(a.id) ?? 0,
    // an account without value items has nothing realised or expected (what valueTotals answers for it)
    valueRealisedMinor: v?.realisedTotalMinor ?? 0,
    valueExpectedMinor: v?.expectedToDateMinor ?? 0,
    onTimePaymentPct: a.on_time_payment_pct,
  };
}

/**
 * Recomputes the health of one account (or all of a workspace): gathers the inputs, scores them with
 * the model that applies, stores the result and its history, and raises a follow-up for the owner when
 * the band crosses into amber or red (once per open reason). Set-based, the same path for one account
 * and for all: the inputs in a few grouped queries (for the one account, or the whole workspace in one
 * pass), the scores by the domain, then per chunk of accounts one transaction of multi-row statements
 * (upsert, history, open follow-ups, follow-ups). `chunkSize` is for tests.
 */
export async function recomputeHealth(
  db: Db,
  workspaceId: string,
  opts: { accountId?: string; now?: Date; cause?: string; chunkSize?: number } = {},
) {
  const now = opts.now ?? new Date();
  const cause = opts.cause ?? 'change';
  const size = Math.max(1, opts.chunkSize ?? CHUNK);
  const all = await reading.accountsForHealth(db, workspaceId, opts.accountId);
  if (!all.length) return { accounts: 0, followUps: 0 };
  const models = await modelsOf(db, workspaceId);
  // the inputs of the one account, or of the whole workspace in one pass
  const raw = await reading.healthInputs(
    db,
    workspaceId,
    opts.accountId ? all.map((a) => a.id) : undefined,
    now,
    await workspaceTimeZone(db, workspaceId),
  );
  const value = new Map<string, { realisedTotalMinor: number; expectedToDateMinor: number }>();
  for (const a of all) if (raw.valued.has(a.id)) value.set(a.id, await valueTotals(db, workspaceId, a.id));
  let followUps = 0;
  for (let i = 0; i < all.length; i += size) {
    const chunk = all.slice(i, i + size);
    const ids = chunk.map((a) => a.id);
    const scored = chunk.map((a) => ({ a, r: computeHealth(inputsOf(a, raw, value), pickModel(models, a.tier, a.stage), a.prev_score) }));
    const rows: repo.HealthRow[] = scored.map(({ a, r }) => ({
      accountId: a.id,
      score: r.score,
      band: r.band,
      trend: r.trend,
      groups: r.groups,
      reasons: r.reasons,
    }));
    // history only when the score or band moved (a first computation always counts)
    const changed = rows.filter((row, k) => chunk[k].prev_score !== row.score || chunk[k].prev_band !== row.band);
    followUps += await db.transaction(async (tx) => {
      await repo.upsertHealth(tx, workspaceId, rows, now);
      await repo.insertHistory(tx, workspaceId, changed, cause, now);
      const open = await repo.openFollowUpReasonsOf(tx, workspaceId, ids);
      const due: repo.FollowUpRow[] = [];
      for (const { a, r } of scored) {
        const f = decideFollowUp((a.prev_band as Band | null) ?? null, r.band, open.get(a.id) ?? []);
        if (f) due.push({ accountId: a.id, ownerId: a.owner_id ?? a.csm_id ?? a.sales_id, reason: f.reason, detail: r.reasons, score: r.score });
      }
      return repo.insertFollowUps(tx, workspaceId, due, now);
    });
  }
  return { accounts: all.length, followUps };
}

/** The one-account recompute's payload (queued by requestHealthRecompute). */
const HealthJobPayload = z.object({ accountId: z.guid().optional() });

export function healthJobHandler(): JobHandler {
  return async (db, job) => {
    const p = HealthJobPayload.parse(job.payload);
    if (!job.workspace_id || !p.accountId) return;
    await recomputeHealth(db, job.workspace_id, { accountId: p.accountId, cause: 'change' });
  };
}

export function healthAllJobHandler(): JobHandler {
  return async (db) => {
    for (const ws of await workspaceIds(db)) await recomputeHealth(db, ws, { cause: 'nightly' });
  };
}

export async function getAccountHealth(db: Db, actor: Actor, accountId: string) {
  assertCan(actor, 'accounts.read');
  await loadVisibleAccount(db, actor, accountId);
  const current = await repo.currentHealth(db, actor.workspaceId, accountId);
  const history = await repo.historyOf(db, actor.workspaceId, accountId, 60);
  const followUps = await repo.followUpsOfAccount(db, actor.workspaceId, accountId, 20);
  return { current, history: history.reverse(), followUps };
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
  return { default: defaultModel, models: rows.map((r) => ({ scope: r.scope, ...r.model, version: r.version })) };
}

export async function putHealthModel(
  db: Db,
  actor: Actor,
  input: { scope: string; weights: Record<string, number>; amberBelow: number; redBelow: number },
  expectedVersion?: number,
) {
  assertCan(actor, 'health.manage');
  const m = unwrap(validateModel(input));
  // each scope's model is its own record: the trail names the scope, so a stale save can say who saved it last
  const entity = { type: 'health_model', id: input.scope, noun: 'health_model.noun' };
  return db.transaction(async (tx) => {
    const before = await repo.findModel(tx, actor.workspaceId, input.scope);
    await assertFresh(tx, actor.workspaceId, entity, before?.version ?? 0, expectedVersion);
    const row = await repo.upsertModel(tx, actor.workspaceId, input.scope, m, expectedVersion);
    if (!row) throw await staleError(tx, actor.workspaceId, entity);
    await recordAudit(tx, actor, { action: 'health.model', entityType: 'health_model', entityId: input.scope, before: before ?? null, after: row });
    return { scope: row.scope, weights: row.weights, amberBelow: row.amberBelow, redBelow: row.redBelow, version: row.version };
  });
}

export async function listFollowUps(db: Db, actor: Actor, q: { mine?: boolean; status?: 'open' | 'done' }) {
  assertCan(actor, 'accounts.read');
  return reading.followUpList(db, actor, q);
}

export async function closeFollowUp(db: Db, actor: Actor, id: string) {
  assertCan(actor, 'follow_ups.work');
  return db.transaction(async (tx) => {
    const f = await repo.findFollowUpForUpdate(tx, actor.workspaceId, id);
    if (!f) throw notFound('kpi.follow_up.noun');
    await loadVisibleAccount(tx, actor, f.accountId);
    if (f.status !== 'open') throw conflict('kpi.follow_up_closed');
    const row = await repo.closeFollowUpRow(tx, actor.workspaceId, id, actor.userId);
    await recordAudit(tx, actor, {
      action: 'follow_up.close',
      entityType: 'follow_up',
      entityId: id,
      before: { status: f.status },
      after: { status: 'done' },
    });
    return row;
  });
}
