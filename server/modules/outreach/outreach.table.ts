import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { contacts } from '../accounts/accounts.table.js';
import { users, workspaces } from '../people/people.table.js';

/** A campaign's audience: rule conditions of the accounts' segments (their contacts), and/or named contacts. */
export type Audience = {
  conditions: { field: string; values: string[] }[];
  contactIds: string[];
  /** people carrying any of these tags (whatever their source); narrows the rest, or alone selects the workspace's people */
  personTags?: string[];
  /** people at any of these to-C stages; narrows like personTags */
  personStages?: string[];
};

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
  /** measures: a stage move or purchase within this many days after a touch is attributed to it (last touch) */
  attributionDays: integer('attribution_days').notNull().default(14),
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
    /** the person's to-C stage (contact → interest → purchase → repurchase → loyalty), null: not staged yet */
    toCStage: text('to_c_stage'),
    /** the person's own IANA zone (quiet hours in the person's time), null: the workspace's */
    timeZone: text('time_zone'),
    /** the profile's version (stage, time zone): platform/concurrency.ts */
    version: integer('version').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.contactId] }),
    index('outreach_people_stage').on(t.workspaceId, t.toCStage),
    check('outreach_people_stage', sql`${t.toCStage} is null or ${t.toCStage} in ('contact','interest','purchase','repurchase','loyalty')`),
  ],
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

/** People and portraits (issue 18 point 1): a person's tags, each with where it came from and why. */
export const outreachPersonTags = pgTable(
  'outreach_person_tags',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    tag: text('tag').notNull(),
    /** manual | import | rule */
    source: text('source').notNull(),
    /** source 'rule': the rule that set it (its tag goes when the behaviour no longer matches) */
    ruleId: uuid('rule_id').references(() => outreachTagRules.id, { onDelete: 'cascade' }),
    /** source 'rule': what matched — counts, window, last event (TagEvidence) */
    evidence: jsonb('evidence'),
    /** manual: the note; import: the file */
    note: text('note'),
    createdBy: uuid('created_by').references(() => users.id),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('outreach_person_tags_tag').on(t.workspaceId, t.tag),
    index('outreach_person_tags_contact').on(t.workspaceId, t.contactId),
    uniqueIndex('outreach_person_tags_once').on(t.workspaceId, t.contactId, t.tag, t.source).where(sql`${t.ruleId} is null`),
    uniqueIndex('outreach_person_tags_rule_once').on(t.workspaceId, t.contactId, t.tag, t.ruleId).where(sql`${t.ruleId} is not null`),
    check('outreach_person_tags_source', sql`${t.source} in ('manual','import','rule')`),
    check('outreach_person_tags_rule', sql`(${t.source} = 'rule') = (${t.ruleId} is not null)`),
  ],
);

/** A person's to-C stage history, append-only: who or what moved it, from where to where, when. */
export const outreachStageMoves = pgTable(
  'outreach_stage_moves',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    fromStage: text('from_stage'),
    toStage: text('to_stage'),
    /** staff | import | rule */
    source: text('source').notNull(),
    ruleId: uuid('rule_id').references(() => outreachTagRules.id, { onDelete: 'set null' }),
    userId: uuid('user_id').references(() => users.id),
    note: text('note'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('outreach_stage_moves_contact').on(t.workspaceId, t.contactId, t.at),
    check('outreach_stage_moves_source', sql`${t.source} in ('staff','import','rule')`),
  ],
);

/** Behaviour rules (workspace settings): at least `minCount` events of `kind` in the last `days` days → the tag (and the stage). */
export const outreachTagRules = pgTable(
  'outreach_tag_rules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    name: text('name').notNull(),
    /** portal_views | portal_requests | purchases | tickets */
    kind: text('kind').notNull(),
    minCount: integer('min_count').notNull().default(1),
    days: integer('days').notNull(),
    tag: text('tag').notNull(),
    /** the to-C stage a match moves the person forward to (never back), null: tags only */
    stage: text('stage'),
    enabled: boolean('enabled').notNull().default(true),
    lastRunAt: timestamp('last_run_at', { withTimezone: true }),
    createdBy: uuid('created_by').references(() => users.id),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('outreach_tag_rules_ws').on(t.workspaceId, t.createdAt),
    check('outreach_tag_rules_kind', sql`${t.kind} in ('portal_views','portal_requests','purchases','tickets')`),
    check('outreach_tag_rules_counts', sql`${t.minCount} >= 1 and ${t.days} >= 1`),
    check('outreach_tag_rules_stage', sql`${t.stage} is null or ${t.stage} in ('contact','interest','purchase','repurchase','loyalty')`),
  ],
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

// ---- measures (issue 18 point 4): delivered, opened, clicked, referrals

/**
 * One row per mail sent to a person: the links of the campaign's body in order (a click token names an index,
 * never a URL), the person's account and its to-C stage when sent, and what became of the mail.
 */
export const outreachTracking = pgTable(
  'outreach_tracking',
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
    accountId: uuid('account_id').notNull(),
    /** the account's to-C stage when the mail was sent (null: none set) */
    toCStage: text('to_c_stage'),
    links: jsonb('links').$type<string[]>().notNull().default([]),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull(),
    /** handed to the mail server (the mail job succeeded) */
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    openedFirstAt: timestamp('opened_first_at', { withTimezone: true }),
    openedLastAt: timestamp('opened_last_at', { withTimezone: true }),
    openCount: integer('open_count').notNull().default(0),
    clickedFirstAt: timestamp('clicked_first_at', { withTimezone: true }),
    clickedLastAt: timestamp('clicked_last_at', { withTimezone: true }),
    clickCount: integer('click_count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.campaignId, t.contactId] }), index('outreach_tracking_sent').on(t.workspaceId, t.sentAt)],
);

/** Each click on a tracked link: which link (its index in the campaign's body) and when. */
export const outreachClicks = pgTable(
  'outreach_clicks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    linkIndex: integer('link_index').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('outreach_clicks_campaign').on(t.workspaceId, t.campaignId, t.contactId)],
);

/** A visit to a person's referral link (裂变): counted, nothing else known. */
export const outreachReferralVisits = pgTable(
  'outreach_referral_visits',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    referrerContactId: uuid('referrer_contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    campaignId: uuid('campaign_id').references(() => campaigns.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('outreach_referral_visits_ws').on(t.workspaceId, t.campaignId, t.at)],
);

/** A person recommended through a referral link: a lead with the consent it gave on the form. */
export const outreachReferrals = pgTable(
  'outreach_referrals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    referrerContactId: uuid('referrer_contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    campaignId: uuid('campaign_id').references(() => campaigns.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    email: text('email'),
    phone: text('phone'),
    company: text('company'),
    /** the consent checkbox was ticked (a referral is stored only then); its words, in the language shown */
    consent: boolean('consent').notNull(),
    consentText: text('consent_text').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('outreach_referrals_ws').on(t.workspaceId, t.campaignId, t.at),
    index('outreach_referrals_referrer').on(t.workspaceId, t.referrerContactId, t.at),
    check('outreach_referrals_contact', sql`${t.email} is not null or ${t.phone} is not null`),
    check('outreach_referrals_consent', sql`${t.consent}`),
  ],
);
