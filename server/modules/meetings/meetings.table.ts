import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users, workspaces } from '../people/people.table.js';
import { accounts, keyPersonLogins } from '../accounts/accounts.table.js';
import { keyMomentEvents, tickets } from '../service-desk/tickets.table.js';
import type { Summary } from './summariser.domain.js';

/** A periodic series (定期会议): the bounded RRULE its meetings were expanded from. */
export const meetingSeries = pgTable(
  'meeting_series',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    rrule: text('rrule').notNull(),
    firstStartsAt: timestamp('first_starts_at', { withTimezone: true }).notNull(),
    durationMinutes: integer('duration_minutes').notNull(),
    sequence: integer('sequence').notNull().default(0),
    status: text('status').notNull().default('active'),
    organizerId: uuid('organizer_id')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('meeting_series_ws_account').on(t.workspaceId, t.accountId),
    check('meeting_series_status', sql`${t.status} in ('active','cancelled')`),
  ],
);

/** A meeting: key-moment (关键时点), one occurrence of a periodic series (定期), or ad hoc (突发). */
export const meetings = pgTable(
  'meetings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    kind: text('kind').notNull(),
    cause: text('cause').notNull(),
    title: text('title').notNull(),
    /** what invited key persons read instead of the title (the customer's words; null = the title) */
    guestTitle: text('guest_title'),
    /** internal: never shown to key persons */
    agenda: text('agenda').notNull().default(''),
    location: text('location'),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    /** scheduled | held | cancelled */
    status: text('status').notNull().default('scheduled'),
    /** iCalendar SEQUENCE: raised on every update or cancellation sent */
    sequence: integer('sequence').notNull().default(0),
    seriesId: uuid('series_id').references(() => meetingSeries.id),
    /** for an occurrence of a series: its original start, the RECURRENCE-ID of its updates and cancellation */
    recurrenceStart: timestamp('recurrence_start', { withTimezone: true }),
    keyMomentEventId: uuid('key_moment_event_id').references(() => keyMomentEvents.id),
    ticketId: uuid('ticket_id').references(() => tickets.id),
    organizerId: uuid('organizer_id')
      .notNull()
      .references(() => users.id),
    minutes: text('minutes'),
    minutesUpdatedAt: timestamp('minutes_updated_at', { withTimezone: true }),
    minutesById: uuid('minutes_by_id').references(() => users.id),
    /** none | pending | done */
    summaryStatus: text('summary_status').notNull().default('none'),
    summary: jsonb('summary').$type<Summary & { model?: string | null; error?: string | null }>(),
    summarisedAt: timestamp('summarised_at', { withTimezone: true }),
    reminderSentAt: timestamp('reminder_sent_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /** optimistic concurrency: bumped by every UPDATE of the row (platform/concurrency.ts) */
    version: integer('version').notNull().default(1),
  },
  (t) => [
    index('meetings_ws_starts').on(t.workspaceId, t.startsAt),
    index('meetings_ws_account').on(t.workspaceId, t.accountId, t.startsAt),
    index('meetings_series').on(t.seriesId),
    index('meetings_title_trgm').using('gin', t.title.op('gin_trgm_ops')),
    uniqueIndex('meetings_key_moment_once').on(t.keyMomentEventId),
    check('meetings_kind', sql`${t.kind} in ('key_moment','periodic','ad_hoc')`),
    check('meetings_status', sql`${t.status} in ('scheduled','held','cancelled')`),
    check('meetings_summary_status', sql`${t.summaryStatus} in ('none','pending','done')`),
    check('meetings_times', sql`${t.endsAt} > ${t.startsAt}`),
    check('meetings_periodic_series', sql`(${t.kind} = 'periodic') = (${t.seriesId} is not null)`),
  ],
);

/** Key persons of the account invited to a meeting: they get the ICS by mail and see it in the portal. */
export const meetingGuests = pgTable(
  'meeting_guests',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    keyPersonId: uuid('key_person_id')
      .notNull()
      .references(() => keyPersonLogins.id, { onDelete: 'cascade' }),
    /** name and address when invited (the ICS attendee) */
    name: text('name').notNull(),
    email: text('email').notNull(),
    invitedAt: timestamp('invited_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.meetingId, t.keyPersonId] }), index('meeting_guests_key_person').on(t.workspaceId, t.keyPersonId)],
);

/** Who is invited, and their reply. */
export const meetingAttendees = pgTable(
  'meeting_attendees',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    /** needs_action | accepted | declined | tentative */
    response: text('response').notNull().default('needs_action'),
    respondedAt: timestamp('responded_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.meetingId, t.userId] }),
    index('meeting_attendees_user').on(t.workspaceId, t.userId),
    check('meeting_attendees_response', sql`${t.response} in ('needs_action','accepted','declined','tentative')`),
  ],
);

/** Next steps agreed in a meeting, supervised (督导) until done. */
export const actionItems = pgTable(
  'action_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    title: text('title').notNull(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id),
    dueOn: date('due_on', { mode: 'string' }),
    /** the instant it becomes overdue: the end of dueOn in the workspace's time zone */
    dueAt: timestamp('due_at', { withTimezone: true }),
    /** open | done | cancelled */
    status: text('status').notNull().default('open'),
    /** manual | summary */
    source: text('source').notNull().default('manual'),
    dueRemindedAt: timestamp('due_reminded_at', { withTimezone: true }),
    overdueNotifiedAt: timestamp('overdue_notified_at', { withTimezone: true }),
    escalatedAt: timestamp('escalated_at', { withTimezone: true }),
    escalatedToId: uuid('escalated_to_id').references(() => users.id),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('action_items_owner').on(t.workspaceId, t.ownerId, t.status),
    index('action_items_meeting').on(t.meetingId),
    index('action_items_due').on(t.status, t.dueAt),
    check('action_items_status', sql`${t.status} in ('open','done','cancelled')`),
    check('action_items_source', sql`${t.source} in ('manual','summary')`),
  ],
);

/** Per-workspace mail and LLM settings and supervision timing. Secrets never leave the server. */
export const meetingSettings = pgTable('meeting_settings', {
  workspaceId: uuid('workspace_id')
    .primaryKey()
    .references(() => workspaces.id),
  smtpHost: text('smtp_host'),
  smtpPort: integer('smtp_port'),
  /** implicit TLS (465); otherwise STARTTLS when the server offers it */
  smtpSecure: boolean('smtp_secure').notNull().default(false),
  smtpUser: text('smtp_user'),
  smtpPassword: text('smtp_password'),
  smtpFrom: text('smtp_from'),
  llmBaseUrl: text('llm_base_url'),
  llmModel: text('llm_model'),
  llmApiKey: text('llm_api_key'),
  meetingReminderMinutes: integer('meeting_reminder_minutes').notNull().default(30),
  dueReminderHours: integer('due_reminder_hours').notNull().default(24),
  escalateAfterDays: integer('escalate_after_days').notNull().default(2),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  /** optimistic concurrency (platform/concurrency.ts); a workspace with none stored reads as 0 */
  version: integer('version').notNull().default(1),
});
