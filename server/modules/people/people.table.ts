import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { DEFAULT_TIMEZONE } from '../../platform/time.js';

export const workspaces = pgTable(
  'workspaces',
  {
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
    /** active | suspended: a suspended workspace signs nobody in and its sessions are ended (the operator's `npm run workspaces`) */
    status: text('status').notNull().default('active'),
    suspendedAt: timestamp('suspended_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** optimistic concurrency of the settings (docs/concurrency.md): bumped by PATCH /api/settings/workspace, not by the ticket counter */
    version: integer('version').notNull().default(1),
  },
  (t) => [check('workspaces_status', sql`${t.status} in ('active','suspended')`)],
);

export const channelPartners = pgTable(
  'channel_partners',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
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
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
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
    // unique per workspace: one tenant must not learn whether an address is used in another
    uniqueIndex('users_ws_email').on(t.workspaceId, sql`lower(${t.email})`),
    index('users_email_lookup').on(sql`lower(${t.email})`), // sign-in finds the address before it knows the workspace
    index('users_ws').on(t.workspaceId),
    check('users_role', sql`${t.role} in ('admin','manager','sales','delivery','after_sales','csm','expert','channel_implementer')`),
    check('users_channel', sql`(${t.role} = 'channel_implementer') = (${t.channelPartnerId} is not null)`),
  ],
);

export const teams = pgTable(
  'teams',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
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
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    teamId: uuid('team_id')
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.userId] }), index('team_members_user').on(t.userId)],
);

/** One-time links for staff: an invitation (set your own password) or a password reset. Only the token's hash is kept. */
export const staffTokens = pgTable(
  'staff_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    purpose: text('purpose').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('staff_tokens_user').on(t.workspaceId, t.userId), check('staff_tokens_purpose', sql`${t.purpose} in ('invite','reset')`)],
);

/**
 * Single sign-on (OpenID Connect, authorization code + PKCE) of a workspace. Users are matched by their
 * verified email; creating unknown users on their first sign-in (just in time) is off unless turned on.
 * The client secret is write-only: it is never returned by the API.
 */
export const workspaceSso = pgTable(
  'workspace_sso',
  {
    workspaceId: uuid('workspace_id')
      .primaryKey()
      .references(() => workspaces.id),
    issuer: text('issuer').notNull(),
    clientId: text('client_id').notNull(),
    clientSecret: text('client_secret'),
    enabled: boolean('enabled').notNull().default(false),
    /** the label of the sign-in button, e.g. 企业微信登录 or Okta */
    label: text('label'),
    jitCreate: boolean('jit_create').notNull().default(false),
    jitRole: text('jit_role').notNull().default('sales'),
    /** optimistic concurrency (docs/concurrency.md): bumped by every change a person makes */
    version: integer('version').notNull().default(1),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('workspace_sso_jit_role', sql`${t.jitRole} in ('manager','sales','delivery','after_sales','csm','expert')`)],
);

/** A sign-on in flight: the PKCE verifier and nonce, found again by the state's hash when the provider sends the person back. */
export const ssoStates = pgTable(
  'sso_states',
  {
    stateHash: text('state_hash').primaryKey(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    codeVerifier: text('code_verifier').notNull(),
    nonce: text('nonce').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sso_states_expiry').on(t.expiresAt)],
);
