import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users, workspaces } from '../people/people.table.js';
import type { ChannelPrefs } from './notifications.domain.js';

/**
 * The notification centre: one row per person and notice (the bell). Written by the subscribers of
 * other modules' events (notifications.subscribers.ts); `dedupeKey` makes a redelivered event one notice.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    /** one of noticeKinds (notifications.domain.ts); the console words it */
    kind: text('kind').notNull(),
    /** the record's title at the time (ticket, meeting, need, booking …) */
    title: text('title').notNull(),
    /** what the wording needs besides the title (ticket number, clock, account name) */
    params: jsonb('params').$type<Record<string, string | number | null>>().notNull().default(sql`'{}'::jsonb`),
    /** the record it is about: ticket | meeting | action_item | demand | booking | opportunity */
    recordType: text('record_type').notNull(),
    recordId: uuid('record_id').notNull(),
    accountId: uuid('account_id'),
    urgent: boolean('urgent').notNull().default(false),
    dedupeKey: text('dedupe_key').notNull(),
    readAt: timestamp('read_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('notifications_once').on(t.workspaceId, t.dedupeKey),
    index('notifications_user').on(t.workspaceId, t.userId, t.createdAt),
    index('notifications_unread').on(t.workspaceId, t.userId).where(sql`${t.readAt} is null`),
  ],
);

/** Each person's choice of channels per kind, and quiet hours (non-urgent mail and IM wait until they end). */
export const notificationPreferences = pgTable(
  'notification_preferences',
  {
    userId: uuid('user_id')
      .primaryKey()
      .references(() => users.id),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    /** kind → channels; kinds left out keep their defaults */
    channels: jsonb('channels').$type<Record<string, ChannelPrefs>>().notNull().default(sql`'{}'::jsonb`),
    /** 'HH:mm' in the workspace's time zone; both null = no quiet hours */
    quietStart: text('quiet_start'),
    quietEnd: text('quiet_end'),
    /** optimistic concurrency (docs/concurrency.md): bumped by every change a person makes */
    version: integer('version').notNull().default(1),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check(
      'notification_preferences_quiet',
      sql`(${t.quietStart} is null) = (${t.quietEnd} is null) and (${t.quietStart} is null or (${t.quietStart} ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' and ${t.quietEnd} ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'))`,
    ),
  ],
);
