import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users, workspaces } from '../people/people.table.js';
import { accounts } from '../accounts/accounts.table.js';

const TASKS = sql.raw(`array['capture','incubate','closeness','solution','price','behaviour']::text[]`);
const TIERS = sql.raw(`array['A','B','C','D','E']::text[]`);

/** Per-workspace settings of the value-add track; created with the default catalog on first use. */
export const valueAddSettings = pgTable(
  'value_add_settings',
  {
    workspaceId: uuid('workspace_id')
      .primaryKey()
      .references(() => workspaces.id),
    /** customer-operations budget ratio in basis points (200 = 2%) */
    budgetRatioBp: integer('budget_ratio_bp').notNull().default(200),
    /** what happens to a booking that does not fit: refuse | approval (a manager decides) */
    overflowPolicy: text('overflow_policy').notNull().default('refuse'),
    /** optimistic concurrency (docs/concurrency.md): bumped by every change a person makes */
    version: integer('version').notNull().default(1),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('value_add_settings_ratio', sql`${t.budgetRatioBp} between 0 and 10000`),
    check('value_add_settings_policy', sql`${t.overflowPolicy} in ('refuse','approval')`),
  ],
);

/** Service-product catalog (服务产品菜单): both default menus, editable per workspace. */
export const catalogItems = pgTable(
  'catalog_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    /** core (seed 001) | free_expert (seed 003) */
    menu: text('menu').notNull(),
    code: text('code').notNull(),
    position: integer('position').notNull(),
    nameZh: text('name_zh').notNull(),
    nameEn: text('name_en').notNull(),
    description: text('description'),
    processSteps: text('process_steps').array().notNull().default(sql`'{}'::text[]`),
    executorRole: text('executor_role').notNull(),
    pricing: text('pricing').notNull(),
    priceMinor: bigint('price_minor', { mode: 'number' }).notNull().default(0),
    internalCostMinor: bigint('internal_cost_minor', { mode: 'number' }).notNull().default(0),
    kpiCredit: integer('kpi_credit').notNull().default(0),
    tasks: text('tasks').array().notNull(),
    eligibleTiers: text('eligible_tiers').array().notNull(),
    active: boolean('active').notNull().default(true),
    /** the customer portal lists only items marked visible, in their customer-facing words (never the internal name, steps or cost) */
    customerVisible: boolean('customer_visible').notNull().default(false),
    customerNameZh: text('customer_name_zh'),
    customerNameEn: text('customer_name_en'),
    customerDescriptionZh: text('customer_description_zh'),
    customerDescriptionEn: text('customer_description_en'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('catalog_items_ws_code').on(t.workspaceId, t.code),
    index('catalog_items_ws_menu').on(t.workspaceId, t.menu, t.position),
    check('catalog_items_menu', sql`${t.menu} in ('core','free_expert')`),
    check('catalog_items_pricing', sql`(${t.pricing} = 'free' and ${t.priceMinor} = 0) or (${t.pricing} = 'paid' and ${t.priceMinor} > 0)`),
    check('catalog_items_money', sql`${t.priceMinor} >= 0 and ${t.internalCostMinor} >= 0`),
    check('catalog_items_tasks', sql`cardinality(${t.tasks}) > 0 and ${t.tasks} <@ ${TASKS}`),
    check('catalog_items_tiers', sql`cardinality(${t.eligibleTiers}) > 0 and ${t.eligibleTiers} <@ ${TIERS}`),
    check(
      'catalog_items_customer_words',
      sql`not ${t.customerVisible} or (coalesce(${t.customerNameZh}, '') <> '' and coalesce(${t.customerNameEn}, '') <> '')`,
    ),
  ],
);

/** Focus (seed 001): which of the six tasks matter now for an account, chosen with the customer. */
export const accountFocus = pgTable(
  'account_focus',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    /** 2026, 2026-H2, 2026-Q4 or 2026-11 */
    period: text('period').notNull(),
    tasks: text('tasks').array().notNull(),
    note: text('note'),
    chosenById: uuid('chosen_by_id')
      .notNull()
      .references(() => users.id),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('account_focus_period').on(t.workspaceId, t.accountId, t.period),
    check('account_focus_tasks', sql`cardinality(${t.tasks}) > 0 and ${t.tasks} <@ ${TASKS}`),
  ],
);

/**
 * Customer-operations budget (客户运营费用) of an A/C account for one fiscal year. `remaining_minor`
 * is computed by the database and may never go below zero: the last line against overspending,
 * behind the conditional update every booking makes.
 */
export const accountBudgets = pgTable(
  'account_budgets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    fiscalYear: integer('fiscal_year').notNull(),
    /** what the budget was computed from (target × ratio) */
    targetMinor: bigint('target_minor', { mode: 'number' }).notNull(),
    ratioBp: integer('ratio_bp').notNull(),
    budgetMinor: bigint('budget_minor', { mode: 'number' }).notNull(),
    /** allowances granted by managers approving bookings that did not fit */
    extraMinor: bigint('extra_minor', { mode: 'number' }).notNull().default(0),
    /** spent before Keyward (opening) + every booked free item's internal cost */
    openingSpentMinor: bigint('opening_spent_minor', { mode: 'number' }).notNull().default(0),
    committedMinor: bigint('committed_minor', { mode: 'number' }).notNull().default(0),
    remainingMinor: bigint('remaining_minor', { mode: 'number' }).notNull().generatedAlwaysAs(sql`budget_minor + extra_minor - committed_minor`),
    currency: text('currency').notNull().default('CNY'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('account_budgets_year').on(t.workspaceId, t.accountId, t.fiscalYear),
    check('account_budgets_remaining', sql`${t.budgetMinor} + ${t.extraMinor} - ${t.committedMinor} >= 0`),
    check(
      'account_budgets_money',
      sql`${t.budgetMinor} >= 0 and ${t.extraMinor} >= 0 and ${t.committedMinor} >= ${t.openingSpentMinor} and ${t.openingSpentMinor} >= 0`,
    ),
    check('account_budgets_ratio', sql`${t.ratioBp} between 0 and 10000`),
  ],
);

/** A value-add task of an account's service plan, made from a catalog item. */
export const valueAddTasks = pgTable(
  'value_add_tasks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    catalogItemId: uuid('catalog_item_id')
      .notNull()
      .references(() => catalogItems.id),
    title: text('title').notNull(),
    /** the six tasks it serves (copied from the item when planned) */
    tasks: text('tasks').array().notNull(),
    ownerId: uuid('owner_id').references(() => users.id),
    dueOn: text('due_on'),
    /** planned → scheduled → done → evaluated | cancelled */
    status: text('status').notNull().default('planned'),
    outcome: text('outcome'),
    metricsMoved: text('metrics_moved').array().notNull().default(sql`'{}'::text[]`),
    createdById: uuid('created_by_id')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('value_add_tasks_account').on(t.workspaceId, t.accountId),
    index('value_add_tasks_item').on(t.workspaceId, t.catalogItemId, t.status),
    check('value_add_tasks_status', sql`${t.status} in ('planned','scheduled','done','evaluated','cancelled')`),
    check('value_add_tasks_metrics', sql`${t.metricsMoved} <@ array['closeness','solution','price','behaviour']::text[]`),
  ],
);

/** A booking of a catalog item for an account: a free one draws the budget, a paid one earns revenue. */
export const bookings = pgTable(
  'value_add_bookings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    catalogItemId: uuid('catalog_item_id')
      .notNull()
      .references(() => catalogItems.id),
    taskId: uuid('task_id').references(() => valueAddTasks.id),
    budgetId: uuid('budget_id').references(() => accountBudgets.id),
    fiscalYear: integer('fiscal_year').notNull(),
    /** free (draws internal cost) | paid (revenue) */
    kind: text('kind').notNull(),
    amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),
    promisedValueMinor: bigint('promised_value_minor', { mode: 'number' }),
    /** booked | pending_approval | rejected | cancelled */
    status: text('status').notNull(),
    requestedById: uuid('requested_by_id')
      .notNull()
      .references(() => users.id),
    decidedById: uuid('decided_by_id').references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    note: text('note'),
    /** optimistic concurrency (docs/concurrency.md): bumped by every change a person makes */
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('value_add_bookings_account').on(t.workspaceId, t.accountId, t.fiscalYear),
    index('value_add_bookings_status').on(t.workspaceId, t.status),
    check('value_add_bookings_kind', sql`${t.kind} in ('free','paid')`),
    check('value_add_bookings_status', sql`${t.status} in ('booked','pending_approval','rejected','cancelled')`),
    check('value_add_bookings_amount', sql`${t.amountMinor} >= 0 and (${t.promisedValueMinor} is null or ${t.promisedValueMinor} >= 0)`),
    check('value_add_bookings_budget', sql`${t.kind} = 'paid' or ${t.budgetId} is not null`),
  ],
);
