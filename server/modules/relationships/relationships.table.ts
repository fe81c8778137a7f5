import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users, workspaces } from '../people/people.table.js';
import { accounts } from '../accounts/accounts.table.js';

/** One assessment of closeness / solution acceptance / price acceptance, 1–5, with its evidence (SPEC §4). */
export const relationshipAssessments = pgTable(
  'relationship_assessments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    metric: text('metric').notNull(),
    score: integer('score').notNull(),
    evidence: text('evidence').notNull(),
    assessorId: uuid('assessor_id')
      .notNull()
      .references(() => users.id),
    assessedOn: date('assessed_on', { mode: 'string' }).notNull(),
    /** manual | meeting | visit | portal */
    sourceKind: text('source_kind').notNull().default('manual'),
    sourceId: uuid('source_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('relationship_assessments_account').on(t.workspaceId, t.accountId, t.assessedOn),
    index('relationship_assessments_assessor').on(t.workspaceId, t.assessorId, t.assessedOn),
    check('relationship_assessments_metric', sql`${t.metric} in ('closeness','solution_acceptance','price_acceptance')`),
    check('relationship_assessments_score', sql`${t.score} between 1 and 5`),
    check('relationship_assessments_source', sql`${t.sourceKind} in ('manual','meeting','visit','portal')`),
  ],
);

/** What was learned about the account's project behaviour (项目行为规律), with its source and date. */
export const behaviourFacts = pgTable(
  'behaviour_facts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    aspect: text('aspect').notNull(),
    content: text('content').notNull(),
    source: text('source').notNull(),
    learnedOn: date('learned_on', { mode: 'string' }).notNull(),
    recordedById: uuid('recorded_by_id')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('behaviour_facts_account').on(t.workspaceId, t.accountId, t.learnedOn),
    check('behaviour_facts_aspect', sql`${t.aspect} in ('budget_cycle','decision_process','procurement_habits','key_person_preferences')`),
    check('behaviour_facts_source', sql`${t.source} in ('private_visit','meeting','portal')`),
  ],
);
