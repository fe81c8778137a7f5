import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { channelPartners, users, workspaces } from '../people/people.table.js';

export const computedFactors = ['onTimePaymentPct', 'orderAmountMinor', 'profitMarginPct'] as const;
export type ComputedFactor = (typeof computedFactors)[number];
export type ComputedFactors = { onTimePaymentPct: number | null; orderAmountMinor: number; profitMarginPct: number | null; at: string };
export type FactorOverrides = Partial<Record<ComputedFactor, { reason: string; byUserId: string; at: string }>>;

export const accounts = pgTable(
  'accounts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    name: text('name').notNull(),
    industry: text('industry').notNull(),
    region: text('region').notNull(),
    channelPartnerId: uuid('channel_partner_id').references(() => channelPartners.id),
    ownerId: uuid('owner_id').references(() => users.id),
    /** fiscal-year revenue target (业绩指标) in minor units (fen) */
    revenueTargetMinor: bigint('revenue_target_minor', { mode: 'number' }).notNull().default(0),
    currency: text('currency').notNull().default('CNY'),
    fiscalYear: integer('fiscal_year').notNull(),
    products: text('products').array().notNull().default(sql`'{}'::text[]`),
    contracts: jsonb('contracts').$type<{ no: string; title: string; signedOn?: string; amountMinor?: number }[]>().notNull().default([]),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    // grading inputs
    onTimePaymentPct: integer('on_time_payment_pct'),
    orderAmountMinor: bigint('order_amount_minor', { mode: 'number' }).notNull().default(0),
    prospect: integer('prospect'),
    profitMarginPct: integer('profit_margin_pct'),
    /** the three factors as computed from contracts and payments (commerce module); null: no commercial record yet */
    gradingComputed: jsonb('grading_computed').$type<ComputedFactors | null>(),
    /** factors a person set by hand over the computed figure, with the reason (shown beside the figure) */
    gradingOverrides: jsonb('grading_overrides').$type<FactorOverrides>().notNull().default({}),
    // grading result
    tier: text('tier').notNull().default('D'),
    modelTier: text('model_tier').notNull().default('D'),
    tierOverride: text('tier_override'),
    tierOverrideReason: text('tier_override_reason'),
    valueScore: integer('value_score').notNull().default(0),
    potentialScore: integer('potential_score').notNull().default(0),
    gradingDetail: jsonb('grading_detail').notNull().default({}),
    gradedAt: timestamp('graded_at', { withTimezone: true }),
    // staging and ladder
    stage: text('stage').notNull().default('handover'),
    stageEnteredAt: timestamp('stage_entered_at', { withTimezone: true }).notNull().defaultNow(),
    toCStage: text('to_c_stage'),
    ladder: text('ladder').notNull().default('participant'),
    // iron triangle
    salesId: uuid('sales_id').references(() => users.id),
    deliveryId: uuid('delivery_id').references(() => users.id),
    afterSalesId: uuid('after_sales_id').references(() => users.id),
    csmId: uuid('csm_id').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /** optimistic concurrency: bumped by every UPDATE of the row (platform/concurrency.ts) */
    version: integer('version').notNull().default(1),
  },
  (t) => [
    uniqueIndex('accounts_ws_name').on(t.workspaceId, t.name),
    index('accounts_ws_tier').on(t.workspaceId, t.tier),
    index('accounts_ws_stage').on(t.workspaceId, t.stage),
    index('accounts_ws_channel').on(t.workspaceId, t.channelPartnerId),
    // the global search: any substring of a name (pg_trgm, migration 0011)
    index('accounts_name_trgm').using('gin', t.name.op('gin_trgm_ops')),
    check('accounts_tier', sql`${t.tier} in ('A','B','C','D','E') and ${t.modelTier} in ('A','B','C','D','E')`),
    check('accounts_override', sql`(${t.tierOverride} is null) = (${t.tierOverrideReason} is null)`),
    check('accounts_stage', sql`${t.stage} in ('handover','startup','adaptation','renewal','churn')`),
    check('accounts_to_c_stage', sql`${t.toCStage} is null or ${t.toCStage} in ('contact','interest','purchase','repurchase','loyalty')`),
    check('accounts_ladder', sql`${t.ladder} in ('participant','supplier','key_supplier','strategic_partner')`),
    check('accounts_amounts', sql`${t.revenueTargetMinor} >= 0 and ${t.orderAmountMinor} >= 0`),
    check(
      'accounts_pct',
      sql`(${t.onTimePaymentPct} is null or ${t.onTimePaymentPct} between 0 and 100) and (${t.profitMarginPct} is null or ${t.profitMarginPct} between -100 and 100)`,
    ),
    check('accounts_prospect', sql`${t.prospect} is null or ${t.prospect} between 1 and 5`),
  ],
);

export const tierHistory = pgTable(
  'tier_history',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    fromTier: text('from_tier'),
    toTier: text('to_tier').notNull(),
    /** model | override | override_cleared | created | import */
    source: text('source').notNull(),
    reason: text('reason'),
    valueScore: integer('value_score'),
    potentialScore: integer('potential_score'),
    actorId: uuid('actor_id'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('tier_history_account').on(t.accountId, t.at)],
);

export const stageTransitions = pgTable(
  'stage_transitions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    fromStage: text('from_stage'),
    toStage: text('to_stage').notNull(),
    note: text('note'),
    actorId: uuid('actor_id'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('stage_transitions_account').on(t.accountId, t.at)],
);

export const ladderHistory = pgTable(
  'ladder_history',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    fromLevel: text('from_level'),
    toLevel: text('to_level').notNull(),
    reason: text('reason'),
    actorId: uuid('actor_id'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('ladder_history_account').on(t.accountId, t.at)],
);

export const contacts = pgTable(
  'contacts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    title: text('title'),
    department: text('department'),
    email: text('email'),
    phone: text('phone'),
    /** business_head | operations_it | executive | other */
    side: text('side').notNull().default('other'),
    /** seats in the customer-side project organisation */
    orgGroups: text('org_groups').array().notNull().default(sql`'{}'::text[]`),
    isKeyPerson: boolean('is_key_person').notNull().default(false),
    notes: text('notes'),
    /** set instead of deleting a contact that has history (tickets, needs, portal use): kept for the record, hidden from lists */
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /** optimistic concurrency: bumped by every UPDATE of the row (platform/concurrency.ts) */
    version: integer('version').notNull().default(1),
  },
  (t) => [
    index('contacts_account').on(t.workspaceId, t.accountId),
    index('contacts_name_trgm').using('gin', t.name.op('gin_trgm_ops')),
    // the search lists matches by name (code-point order, whatever the database's collation): a 1–2 character
    // prefix is a range on this index, and a common name part walks it instead of sorting every match
    index('contacts_ws_name').on(t.workspaceId, sql`lower(${t.name}) collate "C"`),
    index('contacts_email_trgm').using('gin', t.email.op('gin_trgm_ops')),
    index('contacts_phone_trgm').using('gin', t.phone.op('gin_trgm_ops')),
    check('contacts_side', sql`${t.side} in ('business_head','operations_it','executive','other')`),
    check('contacts_groups', sql`${t.orgGroups} <@ array['promotion_committee','rollout','kpi_monitoring','improvement_ops']::text[]`),
  ],
);

/** The universal relationship map: one link between one of ours and one of theirs. */
export const relationshipLinks = pgTable(
  'relationship_links',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    /** sales | service | delivery | executive */
    ourSide: text('our_side').notNull(),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    strength: integer('strength').notNull(),
    lastContactAt: timestamp('last_contact_at', { withTimezone: true }),
    note: text('note'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('relationship_links_account').on(t.workspaceId, t.accountId),
    uniqueIndex('relationship_links_pair').on(t.userId, t.contactId),
    check('relationship_links_side', sql`${t.ourSide} in ('sales','service','delivery','executive')`),
    check('relationship_links_strength', sql`${t.strength} between 1 and 5`),
  ],
);

export const gradingModels = pgTable('grading_models', {
  workspaceId: uuid('workspace_id')
    .primaryKey()
    .references(() => workspaces.id),
  model: jsonb('model').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  updatedBy: uuid('updated_by'),
  /** optimistic concurrency (platform/concurrency.ts); a workspace still on the default model reads as 0 */
  version: integer('version').notNull().default(1),
});

export const segments = pgTable(
  'segments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    name: text('name').notNull(),
    description: text('description'),
    rules: jsonb('rules').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('segments_ws_name').on(t.workspaceId, t.name)],
);

/** Key persons (客户关键人): customer-side logins bound to exactly one account. */
export const keyPersonLogins = pgTable(
  'key_person_logins',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    contactId: uuid('contact_id')
      .notNull()
      .unique()
      .references(() => contacts.id),
    email: text('email').notNull(),
    passwordHash: text('password_hash').notNull(),
    locale: text('locale'),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('key_person_logins_ws_email').on(t.workspaceId, sql`lower(${t.email})`),
    index('key_person_logins_email_lookup').on(sql`lower(${t.email})`),
    index('key_person_logins_account').on(t.accountId),
  ],
);
