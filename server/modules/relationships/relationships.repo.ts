import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { users } from '../people/index.js';
import { behaviourFacts, relationshipAssessments } from './relationships.table.js';

export async function assessmentsOf(db: Db, workspaceId: string, accountId: string) {
  return db
    .select({
      id: relationshipAssessments.id,
      metric: relationshipAssessments.metric,
      score: relationshipAssessments.score,
      evidence: relationshipAssessments.evidence,
      assessedOn: relationshipAssessments.assessedOn,
      assessorId: relationshipAssessments.assessorId,
      assessorName: users.name,
      sourceKind: relationshipAssessments.sourceKind,
      sourceId: relationshipAssessments.sourceId,
      createdAt: relationshipAssessments.createdAt,
    })
    .from(relationshipAssessments)
    .innerJoin(users, eq(users.id, relationshipAssessments.assessorId))
    .where(and(eq(relationshipAssessments.workspaceId, workspaceId), eq(relationshipAssessments.accountId, accountId)))
    .orderBy(asc(relationshipAssessments.assessedOn), asc(relationshipAssessments.createdAt));
}

export async function factsOf(db: Db, workspaceId: string, accountId: string) {
  return db
    .select({
      id: behaviourFacts.id,
      aspect: behaviourFacts.aspect,
      content: behaviourFacts.content,
      source: behaviourFacts.source,
      learnedOn: behaviourFacts.learnedOn,
      recordedById: behaviourFacts.recordedById,
      recordedByName: users.name,
      createdAt: behaviourFacts.createdAt,
    })
    .from(behaviourFacts)
    .innerJoin(users, eq(users.id, behaviourFacts.recordedById))
    .where(and(eq(behaviourFacts.workspaceId, workspaceId), eq(behaviourFacts.accountId, accountId)))
    .orderBy(asc(behaviourFacts.learnedOn), asc(behaviourFacts.createdAt));
}

/** Assessments and facts of many accounts at once (for health and KPIs). */
export async function assessmentsOfAccounts(db: Db, workspaceId: string, accountIds: string[]) {
  if (!accountIds.length) return [];
  return db
    .select({ accountId: relationshipAssessments.accountId, metric: relationshipAssessments.metric, score: relationshipAssessments.score, assessedOn: relationshipAssessments.assessedOn })
    .from(relationshipAssessments)
    .where(and(eq(relationshipAssessments.workspaceId, workspaceId), sql`${relationshipAssessments.accountId} in ${accountIds}`));
}

export async function factsOfAccounts(db: Db, workspaceId: string, accountIds: string[]) {
  if (!accountIds.length) return [];
  return db
    .select({ accountId: behaviourFacts.accountId, aspect: behaviourFacts.aspect, learnedOn: behaviourFacts.learnedOn })
    .from(behaviourFacts)
    .where(and(eq(behaviourFacts.workspaceId, workspaceId), sql`${behaviourFacts.accountId} in ${accountIds}`));
}
