import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { usersByIds } from '../people/index.js';
import { behaviourFacts, relationshipAssessments } from './relationships.table.js';

/** The names of the people (people's use case; users are never deleted, so every id has one). */
async function namesOf(db: Db, workspaceId: string, ids: string[]) {
  return new Map((await usersByIds(db, workspaceId, [...new Set(ids)])).map((u) => [u.id, u.name]));
}

export async function assessmentsOf(db: Db, workspaceId: string, accountId: string) {
  const rows = await db
    .select({
      id: relationshipAssessments.id,
      metric: relationshipAssessments.metric,
      score: relationshipAssessments.score,
      evidence: relationshipAssessments.evidence,
      assessedOn: relationshipAssessments.assessedOn,
      assessorId: relationshipAssessments.assessorId,
      sourceKind: relationshipAssessments.sourceKind,
      sourceId: relationshipAssessments.sourceId,
      createdAt: relationshipAssessments.createdAt,
    })
    .from(relationshipAssessments)
    .where(and(eq(relationshipAssessments.workspaceId, workspaceId), eq(relationshipAssessments.accountId, accountId)))
    .orderBy(asc(relationshipAssessments.assessedOn), asc(relationshipAssessments.createdAt));
  const names = await namesOf(
    db,
    workspaceId,
    rows.map((r) => r.assessorId),
  );
  return rows.map(({ sourceKind, sourceId, createdAt, ...r }) => ({ ...r, assessorName: names.get(r.assessorId)!, sourceKind, sourceId, createdAt }));
}

export async function factsOf(db: Db, workspaceId: string, accountId: string) {
  const rows = await db
    .select({
      id: behaviourFacts.id,
      aspect: behaviourFacts.aspect,
      content: behaviourFacts.content,
      source: behaviourFacts.source,
      learnedOn: behaviourFacts.learnedOn,
      recordedById: behaviourFacts.recordedById,
      createdAt: behaviourFacts.createdAt,
    })
    .from(behaviourFacts)
    .where(and(eq(behaviourFacts.workspaceId, workspaceId), eq(behaviourFacts.accountId, accountId)))
    .orderBy(asc(behaviourFacts.learnedOn), asc(behaviourFacts.createdAt));
  const names = await namesOf(
    db,
    workspaceId,
    rows.map((r) => r.recordedById),
  );
  return rows.map(({ createdAt, ...r }) => ({ ...r, recordedByName: names.get(r.recordedById)!, createdAt }));
}

/** Assessments and facts of many accounts at once (for health and KPIs). */
export async function assessmentsOfAccounts(db: Db, workspaceId: string, accountIds: string[]) {
  if (!accountIds.length) return [];
  return db
    .select({
      accountId: relationshipAssessments.accountId,
      metric: relationshipAssessments.metric,
      score: relationshipAssessments.score,
      assessedOn: relationshipAssessments.assessedOn,
    })
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

export async function insertAssessment(db: Db, values: typeof relationshipAssessments.$inferInsert) {
  const [row] = await db.insert(relationshipAssessments).values(values).returning();
  return row;
}

export async function insertFact(db: Db, values: typeof behaviourFacts.$inferInsert) {
  const [row] = await db.insert(behaviourFacts).values(values).returning();
  return row;
}
