import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users, workspaces } from '../people/people.table.js';
import { accounts } from '../accounts/accounts.table.js';
import type { Weights, Words } from './health.domain.js';

/** Health weights per workspace, optionally per tier (`tier:A`) or stage (`stage:renewal`). */
export const healthModels = pgTable(
  'health_models',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    scope: text('scope').notNull(),
    weights: jsonb('weights').$type<Weights>().notNull(),
    amberBelow: integer('amber_below').notNull(),
    redBelow: integer('red_below').notNull(),
    /** optimistic concurrency (docs/concurrency.md): bumped by every change a person makes */
    version: integer('version').notNull().default(1),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.scope] }),
    check(
      'health_models_scope',
      sql`${t.scope} = 'workspace' or ${t.scope} ~ '^tier:[A-E]$' or ${t.scope} ~ '^stage:(handover|startup|adaptation|renewal|churn)$'`,
    ),
    check('health_models_bands', sql`0 < ${t.redBelow} and ${t.redBelow} < ${t.amberBelow} and ${t.amberBelow} <= 100`),
  ],
);

/** The current health of each account. */
export const accountHealth = pgTable(
  'account_health',
  {
    accountId: uuid('account_id')
      .primaryKey()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    score: integer('score').notNull(),
    band: text('band').notNull(),
    trend: text('trend').notNull(),
    groups: jsonb('groups').$type<Record<string, number | null>>().notNull(),
    reasons: jsonb('reasons').$type<Words[]>().notNull(),
    computedAt: timestamp('computed_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('account_health_ws_band').on(t.workspaceId, t.band, t.score),
    check('account_health_band', sql`${t.band} in ('green','amber','red')`),
    check('account_health_score', sql`${t.score} between 0 and 100`),
  ],
);

/** Every computation that changed the score or band, for the trend line. */
export const healthHistory = pgTable(
  'health_history',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    score: integer('score').notNull(),
    band: text('band').notNull(),
    groups: jsonb('groups').$type<Record<string, number | null>>().notNull(),
    reasons: jsonb('reasons').$type<Words[]>().notNull(),
    cause: text('cause').notNull(),
    computedAt: timestamp('computed_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('health_history_account').on(t.workspaceId, t.accountId, t.computedAt)],
);

/** A follow-up for the account's owner when health crosses a threshold; one open per reason. */
export const followUpTasks = pgTable(
  'follow_up_tasks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    ownerId: uuid('owner_id').references(() => users.id),
    reason: text('reason').notNull(),
    detail: jsonb('detail').$type<Words[]>().notNull(),
    score: integer('score').notNull(),
    status: text('status').notNull().default('open'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    closedById: uuid('closed_by_id').references(() => users.id),
  },
  (t) => [
    uniqueIndex('follow_up_tasks_one_open').on(t.accountId, t.reason).where(sql`${t.status} = 'open'`),
    index('follow_up_tasks_owner').on(t.workspaceId, t.ownerId, t.status),
    check('follow_up_tasks_status', sql`${t.status} in ('open','done')`),
  ],
);
