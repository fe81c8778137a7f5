import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { DEFAULT_TIMEZONE } from '../../platform/time.js';

export const workspaces = pgTable('workspaces', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  slug: text('slug').notNull().unique(),
  timezone: text('timezone').notNull().default(DEFAULT_TIMEZONE),
  currency: text('currency').notNull().default('CNY'),
  defaultLocale: text('default_locale').notNull().default('zh-CN'),
  /** to_b | to_c | both: which stage vocabularies the workspace uses */
  customerModel: text('customer_model').notNull().default('to_b'),
  /** the last ticket number given in this workspace: numbers count per workspace, never across them */
  ticketSeq: bigint('ticket_seq', { mode: 'number' }).notNull().default(0),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const channelPartners = pgTable(
  'channel_partners',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id),
    name: text('name').notNull(),
    region: text('region'),
    contactName: text('contact_name'),
    contactPhone: text('contact_phone'),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('channel_partners_ws_name').on(t.workspaceId, t.name)],
);

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id),
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: text('role').notNull(),
    passwordHash: text('password_hash').notNull(),
    locale: text('locale'),
    phone: text('phone'),
    skills: text('skills').array().notNull().default(sql`'{}'::text[]`),
    /** for channel implementers: the partner whose accounts they see */
    channelPartnerId: uuid('channel_partner_id').references(() => channelPartners.id),
    managerId: uuid('manager_id'),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('users_email').on(sql`lower(${t.email})`),
    index('users_ws').on(t.workspaceId),
    check(
      'users_role',
      sql`${t.role} in ('admin','manager','sales','delivery','after_sales','csm','expert','channel_implementer')`,
    ),
    check('users_channel', sql`(${t.role} = 'channel_implementer') = (${t.channelPartnerId} is not null)`),
  ],
);

export const teams = pgTable(
  'teams',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    /** industry served, for integrated industry service centers */
    industry: text('industry'),
    leadId: uuid('lead_id').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('teams_ws_name').on(t.workspaceId, t.name),
    check('teams_kind', sql`${t.kind} in ('service_desk','expert','delivery','industry_center')`),
    check('teams_center_industry', sql`(${t.kind} = 'industry_center') = (${t.industry} is not null)`),
  ],
);

export const teamMembers = pgTable(
  'team_members',
  {
    workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id),
    teamId: uuid('team_id').notNull().references(() => teams.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').notNull().references(() => users.id),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.userId] }), index('team_members_user').on(t.userId)],
);
