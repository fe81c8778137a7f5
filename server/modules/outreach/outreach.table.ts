import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { contacts } from '../accounts/accounts.table.js';
import { users, workspaces } from '../people/people.table.js';

/** A campaign's audience: rule conditions of the accounts' segments (their contacts), and/or named contacts. */
export type Audience = { conditions: { field: string; values: string[] }[]; contactIds: string[] };

/**
 * The workspace's outreach rules (issue 18): the frequency cap across all campaigns (at most `capCount`
 * touches per person in `capDays` days), quiet hours (no sending between `quietStart` and `quietEnd`, local
 * time of the workspace), whether a person must have opted in, and the secret that signs unsubscribe links.
 */
export const outreachSettings = pgTable('outreach_settings', {
  workspaceId: uuid('workspace_id')
    .primaryKey()
    .references(() => workspaces.id),
  capCount: integer('cap_count').notNull().default(2),
  capDays: integer('cap_days').notNull().default(7),
  /** 'HH:MM'; both null = no quiet hours */
  quietStart: text('quiet_start'),
  quietEnd: text('quiet_end'),
  /** true: only people with a granted consent are touched; false: everyone but those who withdrew */
  requireOptIn: boolean('require_opt_in').notNull().default(true),
  /** HMAC key of the one-click unsubscribe links (never sent to a client) */
  unsubscribeSecret: text('unsubscribe_secret').notNull(),
  version: integer('version').notNull().default(1),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Consent history, append-only: the current state of a person and channel is its latest row. */
export const outreachConsents = pgTable(
  'outreach_consents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    channel: text('channel').notNull(),
    granted: boolean('granted').notNull(),
    /** staff | form | import | unsubscribe_link */
    source: text('source').notNull(),
    note: text('note'),
    recordedBy: uuid('recorded_by').references(() => users.id),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('outreach_consents_contact').on(t.workspaceId, t.contactId, t.channel, t.at),
    check('outreach_consents_channel', sql`${t.channel} in ('email','portal')`),
    check('outreach_consents_source', sql`${t.source} in ('staff','form','import','unsubscribe_link')`),
  ],
);

export const campaigns = pgTable(
  'campaigns',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    name: text('name').notNull(),
    channel: text('channel').notNull().default('email'),
    audience: jsonb('audience').$type<Audience>().notNull(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    /** this campaign's own cap (stricter than the workspace's): skip people touched `capCount` times in `capDays` days */
    capCount: integer('cap_count'),
    capDays: integer('cap_days'),
    scheduledAt: timestamp('scheduled_at', { withTimezone: true }),
    status: text('status').notNull().default('draft'),
    createdBy: uuid('created_by').references(() => users.id),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('campaigns_ws_created').on(t.workspaceId, t.createdAt),
    check('campaigns_status', sql`${t.status} in ('draft','scheduled','sending','sent','cancelled')`),
    check('campaigns_channel', sql`${t.channel} in ('email','portal')`),
    check('campaigns_cap', sql`(${t.capCount} is null) = (${t.capDays} is null)`),
  ],
);

export const campaignRecipients = pgTable(
  'campaign_recipients',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    state: text('state').notNull().default('planned'),
    /** the send job that decides this recipient (recipients in contact order, BATCH_SIZE per job) */
    batch: integer('batch').notNull().default(0),
    reason: text('reason'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.campaignId, t.contactId] }),
    index('campaign_recipients_state').on(t.campaignId, t.state),
    index('campaign_recipients_batch').on(t.campaignId, t.batch),
    check('campaign_recipients_state', sql`${t.state} in ('planned','sent','excluded')`),
    check(
      'campaign_recipients_reason',
      sql`${t.reason} is null or ${t.reason} in ('no_consent','unsubscribed','cap_reached','no_address','cancelled')`,
    ),
  ],
);

/** One row per person who was ever touched or considered: its row lock serialises the cap check of that person. */
export const outreachPeople = pgTable(
  'outreach_people',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    lastTouchAt: timestamp('last_touch_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.contactId] })],
);

/** The touch ledger the caps count: one row per message that went to a person. */
export const outreachTouches = pgTable(
  'outreach_touches',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    channel: text('channel').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('outreach_touches_person').on(t.workspaceId, t.contactId, t.at), uniqueIndex('outreach_touches_once').on(t.campaignId, t.contactId)],
);

/** A campaign's message on the portal channel: it waits in the key person's inbox in the portal. */
export const outreachMessages = pgTable(
  'outreach_messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (t) => [
    index('outreach_messages_inbox').on(t.workspaceId, t.contactId, t.createdAt),
    uniqueIndex('outreach_messages_once').on(t.campaignId, t.contactId),
  ],
);
