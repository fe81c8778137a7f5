import type { Db } from '../../db/client.js';
import type { Actor } from '../../platform/actor.js';
import { assertCan } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { unwrap } from '../../platform/errors.js';
import { dayOf } from '../../platform/time.js';
import { loadVisibleAccount } from '../accounts/index.js';
import { workspaceTimeZone } from '../people/index.js';
import { announce } from '../../platform/events.js';
import { AssessmentRecorded } from './relationships.events.js';
import * as repo from './relationships.repo.js';
import {
  aspects,
  mastery,
  metrics,
  monthlyTrend,
  uplift,
  validateAssessment,
  validateFactDate,
  validatePeriod,
  type Aspect,
  type Assessment,
  type BehaviourSource,
  type Metric,
} from './metrics.domain.js';

const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
function lastMonths(today: string, n: number) {
  const [y, m] = today.split('-').map(Number);
  return Array.from({ length: n }, (_, i) => {
    const d = new Date(Date.UTC(y, m - 1 - (n - 1 - i), 1));
    return d.toISOString().slice(0, 7);
  });
}

export type AssessmentInput = {
  metric: Metric;
  score: number;
  evidence: string;
  assessedOn?: string;
  sourceKind?: 'manual' | 'meeting' | 'visit' | 'portal';
  sourceId?: string | null;
};

/**
 * Records one assessment (also the seam meetings call with `sourceKind: 'meeting'`); takes the caller's
 * transaction and announces it there (account health reacts).
 */
export async function recordAssessment(tx: Db, actor: Actor, accountId: string, input: AssessmentInput, now = new Date()) {
  assertCan(actor, 'relationships.assess');
  await loadVisibleAccount(tx, actor, accountId);
  const today = dayOf(now, await workspaceTimeZone(tx, actor.workspaceId));
  const assessedOn = input.assessedOn ?? today;
  unwrap(validateAssessment({ score: input.score, evidence: input.evidence, assessedOn }, today));
  const row = await repo.insertAssessment(tx, {
    workspaceId: actor.workspaceId,
    accountId,
    metric: input.metric,
    score: input.score,
    evidence: input.evidence.trim(),
    assessorId: actor.userId,
    assessedOn,
    sourceKind: input.sourceKind ?? 'manual',
    sourceId: input.sourceId ?? null,
  });
  await recordAudit(tx, actor, {
    action: 'relationship.assess',
    entityType: 'account',
    entityId: accountId,
    after: { metric: row.metric, score: row.score, assessedOn: row.assessedOn },
  });
  await announce(tx, actor.workspaceId, AssessmentRecorded, { accountId, metric: row.metric });
  return row;
}

export async function createAssessment(db: Db, actor: Actor, accountId: string, input: AssessmentInput, now = new Date()) {
  assertCan(actor, 'relationships.assess');
  return db.transaction((tx) => recordAssessment(tx, actor, accountId, input, now));
}

export async function getMetrics(db: Db, actor: Actor, accountId: string, q: { from?: string; to?: string }, now = new Date()) {
  assertCan(actor, 'accounts.read');
  await loadVisibleAccount(db, actor, accountId);
  const today = dayOf(now, await workspaceTimeZone(db, actor.workspaceId));
  const to = q.to ?? today;
  const from = q.from ?? addDays(to, -89);
  unwrap(validatePeriod(from, to));
  const items = await repo.assessmentsOf(db, actor.workspaceId, accountId);
  const list: Assessment[] = items.map((a) => ({ metric: a.metric as Metric, score: a.score, assessedOn: a.assessedOn }));
  const months = lastMonths(to, 12);
  return {
    from,
    to,
    items,
    trend: monthlyTrend(list, months),
    uplift: Object.fromEntries(metrics.map((m) => [m, uplift(list, m, from, to)])) as Record<Metric, number | null>,
  };
}

export type FactInput = { aspect: Aspect; content: string; source: BehaviourSource; learnedOn?: string };

export async function addBehaviourFact(db: Db, actor: Actor, accountId: string, input: FactInput, now = new Date()) {
  assertCan(actor, 'relationships.assess');
  const today = dayOf(now, await workspaceTimeZone(db, actor.workspaceId));
  const learnedOn = input.learnedOn ?? today;
  unwrap(validateFactDate(learnedOn, today));
  return db.transaction(async (tx) => {
    await loadVisibleAccount(tx, actor, accountId);
    const row = await repo.insertFact(tx, {
      workspaceId: actor.workspaceId,
      accountId,
      aspect: input.aspect,
      content: input.content.trim(),
      source: input.source,
      learnedOn,
      recordedById: actor.userId,
    });
    await recordAudit(tx, actor, {
      action: 'behaviour.record',
      entityType: 'account',
      entityId: accountId,
      after: { aspect: row.aspect, source: row.source, learnedOn },
    });
    return row;
  });
}

/** The behaviour profile: facts per aspect, mastery now, and its change against 90 days ago. */
export async function getBehaviour(db: Db, actor: Actor, accountId: string, now = new Date()) {
  assertCan(actor, 'accounts.read');
  await loadVisibleAccount(db, actor, accountId);
  const today = dayOf(now, await workspaceTimeZone(db, actor.workspaceId));
  const facts = await repo.factsOf(db, actor.workspaceId, accountId);
  const plain = facts.map((f) => ({ aspect: f.aspect as Aspect, learnedOn: f.learnedOn }));
  const m = mastery(plain, today);
  const before = mastery(plain, addDays(today, -90));
  return {
    facts,
    aspects: aspects.map((a) => ({
      aspect: a,
      freshness: Math.round(m.perAspect[a] * 100),
      latest: [...facts].reverse().find((f) => f.aspect === a) ?? null,
    })),
    mastery: m.mastery,
    completeness: m.completeness,
    change90d: m.mastery - before.mastery,
  };
}
