import { sql } from 'drizzle-orm';
import { boolean, check, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users, workspaces } from '../people/people.table.js';
import { accounts, keyPersonLogins } from '../accounts/accounts.table.js';

/** One-time links for key persons: an invitation (set a first password) or a reset. Only the hash is stored. */
export const keyPersonTokens = pgTable(
  'key_person_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    keyPersonId: uuid('key_person_id')
      .notNull()
      .references(() => keyPersonLogins.id, { onDelete: 'cascade' }),
    /** invite | reset */
    purpose: text('purpose').notNull(),
    tokenHash: text('token_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('key_person_tokens_hash').on(t.tokenHash),
    index('key_person_tokens_kp').on(t.keyPersonId),
    check('key_person_tokens_purpose', sql`${t.purpose} in ('invite','reset')`),
  ],
);

/** Content published by staff to every key person of the workspace: news, events, hot products, solutions. */
export const portalPosts = pgTable(
  'portal_posts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    /** news | event | product | solution */
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    summary: text('summary'),
    /** sanitised on save (and again on render) */
    bodyHtml: text('body_html').notNull().default(''),
    hot: boolean('hot').notNull().default(false),
    /** which of the six tasks this content serves (feeds suggestions) */
    tasks: text('tasks').array().notNull().default(sql`'{}'::text[]`),
    eventOn: text('event_on'),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    createdById: uuid('created_by_id')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('portal_posts_ws').on(t.workspaceId, t.kind, t.publishedAt),
    check('portal_posts_kind', sql`${t.kind} in ('news','event','product','solution')`),
  ],
);

/** A need a key person posts for the iron triangle. */
export const portalDemands = pgTable(
  'portal_demands',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    keyPersonId: uuid('key_person_id')
      .notNull()
      .references(() => keyPersonLogins.id),
    title: text('title').notNull(),
    body: text('body').notNull(),
    /** open | answered | closed */
    status: text('status').notNull().default('open'),
    /** staff-only: the opportunity captured from this need */
    opportunityId: uuid('opportunity_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastActivityAt: timestamp('last_activity_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('portal_demands_account').on(t.workspaceId, t.accountId, t.lastActivityAt),
    check('portal_demands_status', sql`${t.status} in ('open','answered','closed')`),
  ],
);

/** The threaded discussion of a need. */
export const portalDemandMessages = pgTable(
  'portal_demand_messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    demandId: uuid('demand_id')
      .notNull()
      .references(() => portalDemands.id, { onDelete: 'cascade' }),
    /** key_person | staff */
    authorKind: text('author_kind').notNull(),
    authorKeyPersonId: uuid('author_key_person_id').references(() => keyPersonLogins.id),
    authorUserId: uuid('author_user_id').references(() => users.id),
    authorName: text('author_name').notNull(),
    body: text('body').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('portal_demand_messages_demand').on(t.demandId, t.createdAt),
    check(
      'portal_demand_messages_author',
      sql`(${t.authorKind} = 'key_person' and ${t.authorKeyPersonId} is not null) or (${t.authorKind} = 'staff' and ${t.authorUserId} is not null)`,
    ),
  ],
);

/** Behaviour signals: what key persons view, request and discuss. */
export const portalSignals = pgTable(
  'portal_signals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    keyPersonId: uuid('key_person_id')
      .notNull()
      .references(() => keyPersonLogins.id),
    /** view | request | discuss */
    kind: text('kind').notNull(),
    /** post | catalog_item | demand | report | tickets | milestones */
    subjectType: text('subject_type').notNull(),
    subjectId: uuid('subject_id'),
    label: text('label').notNull(),
    tasks: text('tasks').array().notNull().default(sql`'{}'::text[]`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('portal_signals_account').on(t.workspaceId, t.accountId, t.createdAt),
    check('portal_signals_kind', sql`${t.kind} in ('view','request','discuss')`),
  ],
);
