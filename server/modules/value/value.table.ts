import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, numeric, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users, workspaces } from '../people/people.table.js';
import { accounts } from '../accounts/accounts.table.js';
import { bookings } from '../value-add/value-add.table.js';
import type { ParamDef } from './monetise.domain.js';

/** A workspace's indicator library (copied from the shipped default on first use, then edited there). */
export const valueIndicators = pgTable(
  'value_indicators',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    solutionType: text('solution_type').notNull(),
    key: text('key').notNull(),
    stage: text('stage').notNull(),
    dimension: text('dimension').notNull(),
    nameZh: text('name_zh').notNull(),
    nameEn: text('name_en').notNull(),
    unit: text('unit').notNull(),
    direction: text('direction').notNull(),
    formula: text('formula').notNull(),
    params: jsonb('params').$type<ParamDef[]>().notNull().default([]),
    sort: integer('sort').notNull().default(0),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('value_indicators_ws_key').on(t.workspaceId, t.solutionType, t.key),
    check('value_indicators_direction', sql`${t.direction} in ('up','down')`),
  ],
);

/**
 * One indicator chosen with the customer for an account. The indicator's terms (name, unit,
 * direction, formula, parameters) are copied when chosen: what was agreed with the customer does not
 * change when the library is edited later.
 */
export const valueItems = pgTable(
  'value_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    indicatorId: uuid('indicator_id')
      .notNull()
      .references(() => valueIndicators.id),
    key: text('key').notNull(),
    stage: text('stage').notNull(),
    dimension: text('dimension').notNull(),
    nameZh: text('name_zh').notNull(),
    nameEn: text('name_en').notNull(),
    unit: text('unit').notNull(),
    direction: text('direction').notNull(),
    formula: text('formula').notNull(),
    params: jsonb('params').$type<ParamDef[]>().notNull().default([]),
    /** the customer's own parameter values; missing ones take the parameter's default */
    paramValues: jsonb('param_values').$type<Record<string, number>>().notNull().default({}),
    baseline: numeric('baseline', { precision: 20, scale: 6, mode: 'number' }).notNull(),
    /** the month the baseline was measured, YYYY-MM */
    baselinePeriod: text('baseline_period').notNull(),
    target: numeric('target', { precision: 20, scale: 6, mode: 'number' }).notNull(),
    /** staff-only note; never shown in the portal */
    internalNote: text('internal_note'),
    sort: integer('sort').notNull().default(0),
    createdById: uuid('created_by_id').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('value_items_account_indicator').on(t.accountId, t.indicatorId),
    index('value_items_ws_account').on(t.workspaceId, t.accountId),
    check('value_items_direction', sql`${t.direction} in ('up','down')`),
    check('value_items_period', sql`${t.baselinePeriod} ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'`),
    check(
      'value_items_target',
      sql`(${t.direction} = 'down' and ${t.target} < ${t.baseline}) or (${t.direction} = 'up' and ${t.target} > ${t.baseline})`,
    ),
  ],
);

/** One month's measured value of a chosen indicator. */
export const valueActuals = pgTable(
  'value_actuals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    itemId: uuid('item_id')
      .notNull()
      .references(() => valueItems.id, { onDelete: 'cascade' }),
    period: text('period').notNull(),
    value: numeric('value', { precision: 20, scale: 6, mode: 'number' }).notNull(),
    /** form | import */
    source: text('source').notNull().default('form'),
    note: text('note'),
    createdById: uuid('created_by_id').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('value_actuals_item_period').on(t.itemId, t.period),
    index('value_actuals_ws').on(t.workspaceId),
    check('value_actuals_period', sql`${t.period} ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'`),
    check('value_actuals_source', sql`${t.source} in ('form','import')`),
  ],
);

/**
 * A paid expert service's promised value (value-add booking) linked to the indicators that will
 * show it: the report sets the promise against the money those indicators realise.
 */
export const valuePromises = pgTable(
  'value_promises',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    bookingId: uuid('booking_id')
      .notNull()
      .references(() => bookings.id, { onDelete: 'cascade' }),
    itemIds: uuid('item_ids').array().notNull(),
    createdById: uuid('created_by_id').references(() => users.id),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('value_promises_booking').on(t.bookingId), index('value_promises_ws_account').on(t.workspaceId, t.accountId)],
);
