import { sql } from 'drizzle-orm';
import { bigint, boolean, check, date, index, integer, jsonb, numeric, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { accounts } from '../accounts/accounts.table.js';
import { users, workspaces } from '../people/people.table.js';

/** A service the contract includes (seed 003's layers): standard or a customised part (定制). */
export type ContractService = { name: string; customisation: boolean };
export type ContractDocument = { title: string; url: string };

/**
 * A contract of an account (合同): what was bought, for how much, for how long; the commercial record grading,
 * collections and renewals are computed from. `costMinor` (what delivering it costs) gives its margin.
 */
export const contracts = pgTable(
  'contracts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    number: text('number').notNull(),
    title: text('title').notNull(),
    products: text('products').array().notNull().default(sql`'{}'::text[]`),
    amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),
    costMinor: bigint('cost_minor', { mode: 'number' }),
    signedOn: date('signed_on', { mode: 'string' }).notNull(),
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    endsOn: date('ends_on', { mode: 'string' }).notNull(),
    /** maintenance / warranty end (维保到期), when it differs from the term */
    maintenanceEndsOn: date('maintenance_ends_on', { mode: 'string' }),
    /** the SLA policy it buys: the tier whose targets apply (null: the account's own tier) */
    slaTier: text('sla_tier'),
    services: jsonb('services').$type<ContractService[]>().notNull().default([]),
    documents: jsonb('documents').$type<ContractDocument[]>().notNull().default([]),
    /** the contract this one renews */
    renewalOf: uuid('renewal_of'),
    /** the renewal opportunity raised when it came into the renewal window */
    renewalOpportunityId: uuid('renewal_opportunity_id'),
    externalRef: text('external_ref'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('contracts_ws_number').on(t.workspaceId, t.number),
    index('contracts_ws_account').on(t.workspaceId, t.accountId),
    index('contracts_ws_ends').on(t.workspaceId, t.endsOn),
    check('contracts_amounts', sql`${t.amountMinor} >= 0 and (${t.costMinor} is null or ${t.costMinor} >= 0)`),
    check('contracts_term', sql`${t.startsOn} <= ${t.endsOn}`),
    check('contracts_sla_tier', sql`${t.slaTier} is null or ${t.slaTier} in ('A','B','C','D','E')`),
  ],
);

/** A delivery project (交付项目) of a contract: milestones, acceptance and the time booked on it. */
export const deliveryProjects = pgTable(
  'delivery_projects',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    /** null only for projects kept by hand in the portal before contracts were on record (migration 0016) */
    contractId: uuid('contract_id').references(() => contracts.id),
    name: text('name').notNull(),
    managerId: uuid('manager_id').references(() => users.id),
    /** acceptance (验收): when, whether it passed the first time, and the defects found */
    acceptedOn: date('accepted_on', { mode: 'string' }),
    firstPass: boolean('first_pass'),
    defects: integer('defects'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('delivery_projects_ws_account').on(t.workspaceId, t.accountId),
    index('delivery_projects_contract').on(t.contractId),
    check('delivery_projects_acceptance', sql`(${t.acceptedOn} is null) = (${t.firstPass} is null)`),
    check('delivery_projects_defects', sql`${t.defects} is null or ${t.defects} >= 0`),
  ],
);

/** A milestone of a delivery project: planned and actual dates (the portal's 交付进展 shows them). */
export const projectMilestones = pgTable(
  'project_milestones',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    projectId: uuid('project_id')
      .notNull()
      .references(() => deliveryProjects.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    position: integer('position').notNull().default(0),
    plannedOn: date('planned_on', { mode: 'string' }).notNull(),
    actualOn: date('actual_on', { mode: 'string' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('project_milestones_project').on(t.projectId), index('project_milestones_ws_planned').on(t.workspaceId, t.plannedOn)],
);

/** Hours an engineer booked on a project on a day (工时): utilisation's numerator. */
export const timeEntries = pgTable(
  'time_entries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    projectId: uuid('project_id')
      .notNull()
      .references(() => deliveryProjects.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    workedOn: date('worked_on', { mode: 'string' }).notNull(),
    hours: numeric('hours', { precision: 5, scale: 2, mode: 'number' }).notNull(),
    note: text('note').notNull().default(''),
    externalRef: text('external_ref'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** optimistic concurrency: bumped by every UPDATE of the row (platform/concurrency.ts) */
    version: integer('version').notNull().default(1),
  },
  (t) => [
    index('time_entries_ws_user_day').on(t.workspaceId, t.userId, t.workedOn),
    index('time_entries_project').on(t.projectId),
    uniqueIndex('time_entries_ws_ref').on(t.workspaceId, t.externalRef).where(sql`${t.externalRef} is not null`),
    check('time_entries_hours', sql`${t.hours} > 0 and ${t.hours} <= 24`),
  ],
);

/** A payment plan item (回款计划 / 应收): an amount due on a date under a contract, with its invoice number once invoiced. */
export const paymentPlanItems = pgTable(
  'payment_plan_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    contractId: uuid('contract_id')
      .notNull()
      .references(() => contracts.id),
    label: text('label').notNull(),
    dueOn: date('due_on', { mode: 'string' }).notNull(),
    amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),
    invoiceNo: text('invoice_no'),
    externalRef: text('external_ref'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('payment_plan_items_ws_due').on(t.workspaceId, t.dueOn),
    index('payment_plan_items_contract').on(t.contractId),
    uniqueIndex('payment_plan_items_ws_ref').on(t.workspaceId, t.externalRef).where(sql`${t.externalRef} is not null`),
    check('payment_plan_items_amount', sql`${t.amountMinor} > 0`),
  ],
);

/** Money received (回款) against a contract, for a plan item when the payer said which. */
export const payments = pgTable(
  'payments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    contractId: uuid('contract_id')
      .notNull()
      .references(() => contracts.id),
    planItemId: uuid('plan_item_id').references(() => paymentPlanItems.id),
    receivedOn: date('received_on', { mode: 'string' }).notNull(),
    amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),
    reference: text('reference').notNull().default(''),
    externalRef: text('external_ref'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('payments_ws_received').on(t.workspaceId, t.receivedOn),
    index('payments_contract').on(t.contractId),
    uniqueIndex('payments_ws_ref').on(t.workspaceId, t.externalRef).where(sql`${t.externalRef} is not null`),
    check('payments_amount', sql`${t.amountMinor} > 0`),
  ],
);

/**
 * The workspace's commercial settings: how far ahead renewals are watched, how many years of orders grading
 * counts, and which grading factors a person set by hand instead of the computed figure (with the reason).
 */
export const commerceSettings = pgTable('commerce_settings', {
  workspaceId: uuid('workspace_id')
    .primaryKey()
    .references(() => workspaces.id),
  renewalWindowDays: integer('renewal_window_days').notNull().default(90),
  orderYears: integer('order_years').notNull().default(2),
  /** optimistic concurrency (docs/concurrency.md): bumped by every change a person makes */
  version: integer('version').notNull().default(1),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
