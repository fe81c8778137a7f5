import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users, workspaces } from '../people/people.table.js';
import { accounts } from '../accounts/accounts.table.js';

/** The one opportunity model (商机): captured in service, incubated, handed to sales, won or lost. */
export const opportunities = pgTable(
  'opportunities',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    title: text('title').notNull(),
    description: text('description'),
    /** ticket | meeting | value_add_task | portal_demand | visit | other */
    sourceKind: text('source_kind').notNull(),
    /** id of the ticket, meeting, task or demand it came from */
    sourceId: uuid('source_id'),
    capturedById: uuid('captured_by_id')
      .notNull()
      .references(() => users.id),
    ownerId: uuid('owner_id').references(() => users.id),
    amountMinor: bigint('amount_minor', { mode: 'number' }).notNull().default(0),
    currency: text('currency').notNull().default('CNY'),
    product: text('product'),
    /** captured → incubating → handed_to_sales → won | lost */
    stage: text('stage').notNull().default('captured'),
    lostReason: text('lost_reason'),
    expectedCloseOn: text('expected_close_on'),
    handedAt: timestamp('handed_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /** optimistic concurrency: bumped by every UPDATE of the row (platform/concurrency.ts) */
    version: integer('version').notNull().default(1),
  },
  (t) => [
    index('opportunities_ws_stage').on(t.workspaceId, t.stage),
    index('opportunities_account').on(t.workspaceId, t.accountId),
    index('opportunities_source').on(t.workspaceId, t.sourceKind, t.sourceId),
    index('opportunities_title_trgm').using('gin', t.title.op('gin_trgm_ops')),
    index('opportunities_ws_created').on(t.workspaceId, t.createdAt),
    check('opportunities_source_kind', sql`${t.sourceKind} in ('ticket','meeting','value_add_task','portal_demand','visit','contract','other')`),
    check('opportunities_stage', sql`${t.stage} in ('captured','incubating','handed_to_sales','won','lost')`),
    check('opportunities_amount', sql`${t.amountMinor} >= 0`),
    check('opportunities_lost_reason', sql`${t.stage} <> 'lost' or ${t.lostReason} is not null`),
  ],
);

export const opportunityEvents = pgTable(
  'opportunity_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    opportunityId: uuid('opportunity_id')
      .notNull()
      .references(() => opportunities.id, { onDelete: 'cascade' }),
    fromStage: text('from_stage'),
    toStage: text('to_stage').notNull(),
    note: text('note'),
    actorId: uuid('actor_id'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('opportunity_events_opp').on(t.opportunityId, t.at)],
);
