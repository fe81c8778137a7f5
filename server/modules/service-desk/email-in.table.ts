// Email in: the workspace's support mailbox, every mail that came in (and what became of it), the Message-IDs
// of each ticket's thread, and files of mails still waiting in triage.
import { sql } from 'drizzle-orm';
import { boolean, check, customType, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users, workspaces } from '../people/people.table.js';
import { accounts, contacts } from '../accounts/accounts.table.js';
import { tickets } from './tickets.table.js';

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });

/** One support mailbox per workspace: its address (unique across workspaces: the inbound gateway routes by it) and IMAP access. */
export const supportMailboxes = pgTable(
  'support_mailboxes',
  {
    workspaceId: uuid('workspace_id')
      .primaryKey()
      .references(() => workspaces.id),
    address: text('address').notNull(),
    enabled: boolean('enabled').notNull().default(false),
    imapHost: text('imap_host'),
    imapPort: integer('imap_port'),
    /** implicit TLS (993); otherwise STARTTLS when offered */
    imapTls: boolean('imap_tls').notNull().default(true),
    imapUser: text('imap_user'),
    imapPassword: text('imap_password'),
    imapFolder: text('imap_folder').notNull().default('INBOX'),
    lastPolledAt: timestamp('last_polled_at', { withTimezone: true }),
    lastError: text('last_error'),
    /** optimistic concurrency (docs/concurrency.md): bumped by every change a person makes */
    version: integer('version').notNull().default(1),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('support_mailboxes_address').on(sql`lower(${t.address})`),
    check('support_mailboxes_port', sql`${t.imapPort} is null or ${t.imapPort} between 1 and 65535`),
  ],
);

/** Every mail that reached the support mailbox, once per Message-ID: ticketed, waiting in triage, or ignored (with why). */
export const inboundEmails = pgTable(
  'inbound_emails',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    messageId: text('message_id').notNull(),
    /** imap | smtp */
    source: text('source').notNull(),
    fromEmail: text('from_email').notNull(),
    fromName: text('from_name').notNull(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    inReplyTo: text('in_reply_to'),
    /** triage | ticketed | ignored */
    status: text('status').notNull(),
    /** why it was ignored or waits in triage (email-in.domain.ts reasons) */
    reason: text('reason'),
    ticketId: uuid('ticket_id').references(() => tickets.id, { onDelete: 'set null' }),
    /** files that were left out (type or size), by name, with why */
    skippedFiles: jsonb('skipped_files').$type<{ fileName: string; reason: string }[]>().notNull().default([]),
    decidedById: uuid('decided_by_id').references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('inbound_emails_message').on(t.workspaceId, t.messageId),
    index('inbound_emails_status').on(t.workspaceId, t.status, t.receivedAt),
    index('inbound_emails_sender').on(t.workspaceId, sql`lower(${t.fromEmail})`, t.receivedAt),
    check('inbound_emails_source', sql`${t.source} in ('imap','smtp')`),
    check('inbound_emails_status', sql`${t.status} in ('triage','ticketed','ignored')`),
  ],
);

/** Files of a mail waiting in triage: they become ticket attachments when it becomes a ticket (already checked by the upload rules). */
export const inboundEmailFiles = pgTable(
  'inbound_email_files',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    inboundId: uuid('inbound_id')
      .notNull()
      .references(() => inboundEmails.id, { onDelete: 'cascade' }),
    fileName: text('file_name').notNull(),
    contentType: text('content_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    data: bytea('data').notNull(),
  },
  (t) => [index('inbound_email_files_mail').on(t.inboundId), check('inbound_email_files_size', sql`${t.sizeBytes} between 1 and 5242880`)],
);

/** A ticket's mail thread: who it is with (replies go there) and the subject it started with. */
export const ticketEmailThreads = pgTable('ticket_email_threads', {
  ticketId: uuid('ticket_id')
    .primaryKey()
    .references(() => tickets.id, { onDelete: 'cascade' }),
  workspaceId: uuid('workspace_id')
    .notNull()
    .references(() => workspaces.id),
  accountId: uuid('account_id')
    .notNull()
    .references(() => accounts.id),
  email: text('email').notNull(),
  name: text('name').notNull(),
  contactId: uuid('contact_id').references(() => contacts.id),
  subject: text('subject').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Every Message-ID of a ticket's thread, ours (out) and theirs (in): a reply naming one of them threads into the ticket. */
export const ticketEmailMessages = pgTable(
  'ticket_email_messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    messageId: text('message_id').notNull(),
    direction: text('direction').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('ticket_email_messages_id').on(t.workspaceId, t.messageId),
    index('ticket_email_messages_ticket').on(t.ticketId, t.createdAt),
    check('ticket_email_messages_direction', sql`${t.direction} in ('in','out')`),
  ],
);
