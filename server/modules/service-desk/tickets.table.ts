import { sql } from 'drizzle-orm';
import { bigserial, boolean, check, customType, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { teams, users, workspaces } from '../people/people.table.js';
import { accounts, keyPersonLogins } from '../accounts/accounts.table.js';

/** Raw bytes (PostgreSQL bytea); PGlite hands back a Uint8Array, node-postgres a Buffer. */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });

export type StoredPause = { from: string; to: string | null };
export type PolicySnapshot = {
  tier: string;
  severity: string;
  firstResponseMinutes: number;
  nextResponseMinutes: number;
  resolutionMinutes: number;
  warnPct: number;
};

/** A service request (工单). */
export const tickets = pgTable(
  'tickets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** human-facing number, e.g. #1024, counted per workspace (workspaces.ticket_seq); the serial default only serves bulk loads */
    number: bigserial('number', { mode: 'number' }).notNull(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    title: text('title').notNull(),
    description: text('description').notNull(),
    kind: text('kind').notNull(),
    severity: text('severity').notNull(),
    channel: text('channel').notNull(),
    product: text('product'),
    contractNo: text('contract_no'),
    requesterKind: text('requester_kind').notNull(),
    requesterUserId: uuid('requester_user_id').references(() => users.id),
    requesterKeyPersonId: uuid('requester_key_person_id').references(() => keyPersonLogins.id),
    requesterName: text('requester_name').notNull(),
    /** requester_kind 'email': a sender known only by address (a contact without a portal login, or a triaged mail) */
    requesterEmail: text('requester_email'),
    status: text('status').notNull().default('open'),
    ownerId: uuid('owner_id').references(() => users.id),
    teamId: uuid('team_id').references(() => teams.id),
    /** A/C: the CSM accountable end to end (一票到底) */
    accountableId: uuid('accountable_id').references(() => users.id),
    tierAtCreation: text('tier_at_creation').notNull(),
    priority: text('priority').notNull(),
    dispatchRule: text('dispatch_rule').notNull(),
    dispatchReason: jsonb('dispatch_reason').$type<{ 'zh-CN': string; en: string }>().notNull(),
    /** the policy in force when the ticket was opened: later policy changes do not touch it */
    policy: jsonb('policy').$type<PolicySnapshot>().notNull(),
    pauses: jsonb('pauses').$type<StoredPause[]>().notNull().default([]),
    major: boolean('major').notNull().default(false),
    /** who spoke last in public: staff | customer (a pause needs staff) */
    lastPublicFrom: text('last_public_from'),
    resolution: text('resolution'),
    firstRespondedAt: timestamp('first_responded_at', { withTimezone: true }),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /** optimistic concurrency: bumped by every UPDATE of the row (platform/concurrency.ts) */
    version: integer('version').notNull().default(1),
  },
  (t) => [
    index('tickets_ws_status').on(t.workspaceId, t.status),
    index('tickets_ws_owner').on(t.workspaceId, t.ownerId),
    index('tickets_ws_team').on(t.workspaceId, t.teamId),
    index('tickets_ws_account').on(t.workspaceId, t.accountId, t.createdAt),
    // the open backlog (queues, queue counts, the workbench): an index-only scan instead of visiting every open ticket
    index('tickets_open')
      .on(t.workspaceId, t.createdAt, t.id, t.ownerId, t.accountableId, t.teamId, t.accountId)
      .where(sql`${t.status} in ('open','in_progress','waiting_customer')`),
    uniqueIndex('tickets_ws_number').on(t.workspaceId, t.number),
    // the global search: any substring of a title (pg_trgm)
    index('tickets_title_trgm').using('gin', t.title.op('gin_trgm_ops')),
    // the search's newest matches: a common word walks this backwards and stops after a page
    index('tickets_ws_created').on(t.workspaceId, t.createdAt),
    check('tickets_kind', sql`${t.kind} in ('product_issue','expert_request','customisation','complaint','new_need')`),
    check('tickets_severity', sql`${t.severity} in ('critical','high','medium','low')`),
    check('tickets_channel', sql`${t.channel} in ('portal','phone','email','meeting','staff')`),
    check('tickets_status', sql`${t.status} in ('open','in_progress','waiting_customer','resolved','closed')`),
    check(
      'tickets_requester',
      sql`(${t.requesterKind} = 'staff' and ${t.requesterUserId} is not null) or (${t.requesterKind} = 'key_person' and ${t.requesterKeyPersonId} is not null) or (${t.requesterKind} = 'email' and ${t.requesterEmail} is not null)`,
    ),
    check('tickets_resolved', sql`${t.status} not in ('resolved','closed') or ${t.resolvedAt} is not null`),
  ],
);

/** The conversation: public replies (the customer sees them) and internal notes (staff only). */
export const ticketMessages = pgTable(
  'ticket_messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    visibility: text('visibility').notNull(),
    authorKind: text('author_kind').notNull(),
    authorId: uuid('author_id'),
    authorName: text('author_name').notNull(),
    body: text('body').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('ticket_messages_ticket').on(t.ticketId, t.createdAt),
    check('ticket_messages_visibility', sql`${t.visibility} in ('public','internal')`),
    check('ticket_messages_internal_staff', sql`${t.visibility} = 'public' or ${t.authorKind} = 'staff'`),
  ],
);

/**
 * Files stay in the database (bytea, at most 5 MB each): they commit and roll back with the ticket,
 * are scoped by workspace like every other row, and one backup (or PostgreSQL replica) covers them.
 */
export const ticketAttachments = pgTable(
  'ticket_attachments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    visibility: text('visibility').notNull().default('public'),
    fileName: text('file_name').notNull(),
    contentType: text('content_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    data: bytea('data').notNull(),
    uploadedByKind: text('uploaded_by_kind').notNull(),
    uploadedById: uuid('uploaded_by_id'),
    uploadedByName: text('uploaded_by_name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('ticket_attachments_ticket').on(t.ticketId),
    check('ticket_attachments_size', sql`${t.sizeBytes} between 1 and 5242880`),
    check('ticket_attachments_visibility', sql`${t.visibility} in ('public','internal')`),
  ],
);

/** Everything that happened to a ticket: dispatch, every hand-off with who and why, status, pauses, breaches. */
export const ticketHistory = pgTable(
  'ticket_history',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    /** created | assigned | status | paused | resumed | warned | breached | escalated | major | opportunity | rated | key_moment */
    kind: text('kind').notNull(),
    fromOwnerId: uuid('from_owner_id'),
    toOwnerId: uuid('to_owner_id'),
    fromStatus: text('from_status'),
    toStatus: text('to_status'),
    /** why, in words (zh-CN and en) */
    reason: jsonb('reason').$type<{ 'zh-CN': string; en: string }>(),
    actorKind: text('actor_kind').notNull(),
    actorId: uuid('actor_id'),
    actorName: text('actor_name').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('ticket_history_ticket').on(t.ticketId, t.id)],
);

/**
 * One SLA clock of a ticket. `due_at`/`warn_at` are what the breach scan reads: null while the clock
 * is paused or met. A breach is recorded once (`breached_at`) and escalated once.
 */
export const slaClocks = pgTable(
  'sla_clocks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    targetMinutes: integer('target_minutes').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    metAt: timestamp('met_at', { withTimezone: true }),
    dueAt: timestamp('due_at', { withTimezone: true }),
    warnAt: timestamp('warn_at', { withTimezone: true }),
    warnedAt: timestamp('warned_at', { withTimezone: true }),
    breachedAt: timestamp('breached_at', { withTimezone: true }),
  },
  (t) => [
    index('sla_clocks_ticket').on(t.ticketId),
    // the running clocks of a workspace (queue counts: breaching / breached), read without the heap
    index('sla_clocks_running').on(t.workspaceId, t.ticketId, t.breachedAt, t.warnAt).where(sql`${t.metAt} is null`),
    index('sla_clocks_breach_scan').on(t.dueAt).where(sql`${t.breachedAt} is null and ${t.metAt} is null and ${t.dueAt} is not null`),
    index('sla_clocks_warn_scan')
      .on(t.warnAt)
      .where(sql`${t.warnedAt} is null and ${t.breachedAt} is null and ${t.metAt} is null and ${t.warnAt} is not null`),
    check('sla_clocks_kind', sql`${t.kind} in ('first_response','next_response','resolution')`),
    check('sla_clocks_target', sql`${t.targetMinutes} >= 0`),
  ],
);

/** Who was told about a breach: once per clock and person. */
export const slaEscalations = pgTable(
  'sla_escalations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    clockId: uuid('clock_id')
      .notNull()
      .references(() => slaClocks.id, { onDelete: 'cascade' }),
    recipientId: uuid('recipient_id')
      .notNull()
      .references(() => users.id),
    /** manager | csm | team_lead */
    recipientRole: text('recipient_role').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('sla_escalations_once').on(t.clockId, t.recipientId),
    index('sla_escalations_recipient').on(t.workspaceId, t.recipientId, t.at),
  ],
);

/** Key moments (关键时点): a complaint or a major issue; the meetings capability turns them into meetings with sales. */
export const keyMomentEvents = pgTable(
  'key_moment_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    /** complaint | major_issue */
    cause: text('cause').notNull(),
    note: text('note'),
    /** open → meeting_scheduled (set by the meetings capability) */
    status: text('status').notNull().default('open'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('key_moment_events_once').on(t.ticketId, t.cause),
    index('key_moment_events_account').on(t.workspaceId, t.accountId, t.createdAt),
    check('key_moment_events_cause', sql`${t.cause} in ('complaint','major_issue')`),
    check('key_moment_events_status', sql`${t.status} in ('open','meeting_scheduled','done')`),
  ],
);

/** Customer satisfaction (CSAT) given once per ticket after resolution. */
export const csatResponses = pgTable(
  'csat_responses',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    ticketId: uuid('ticket_id')
      .notNull()
      .unique()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    ownerId: uuid('owner_id').references(() => users.id),
    teamId: uuid('team_id').references(() => teams.id),
    score: integer('score').notNull(),
    comment: text('comment'),
    byKind: text('by_kind').notNull(),
    byName: text('by_name').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('csat_account').on(t.workspaceId, t.accountId), check('csat_score', sql`${t.score} between 1 and 5`)],
);

/** The workspace's business calendar for SLA clocks. */
export const slaCalendars = pgTable('sla_calendars', {
  workspaceId: uuid('workspace_id')
    .primaryKey()
    .references(() => workspaces.id),
  name: text('name').notNull(),
  timezone: text('timezone').notNull(),
  workingDays: integer('working_days').array().notNull(),
  periods: jsonb('periods').$type<{ start: string; end: string }[]>().notNull(),
  holidays: text('holidays').array().notNull().default(sql`'{}'::text[]`),
  extraWorkdays: text('extra_workdays').array().notNull().default(sql`'{}'::text[]`),
  /** optimistic concurrency (docs/concurrency.md): bumped by every change a person makes */
  version: integer('version').notNull().default(1),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * The version of a workspace's SLA policies as one set (they are saved together by PUT /api/settings/sla/policies):
 * optimistic concurrency (docs/concurrency.md); no row = version 0, the defaults.
 */
export const slaPolicySets = pgTable('sla_policy_sets', {
  workspaceId: uuid('workspace_id')
    .primaryKey()
    .references(() => workspaces.id),
  version: integer('version').notNull().default(1),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** SLA targets per tier × severity, in business minutes. */
export const slaPolicies = pgTable(
  'sla_policies',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    tier: text('tier').notNull(),
    severity: text('severity').notNull(),
    firstResponseMinutes: integer('first_response_minutes').notNull(),
    nextResponseMinutes: integer('next_response_minutes').notNull(),
    resolutionMinutes: integer('resolution_minutes').notNull(),
    warnPct: integer('warn_pct').notNull().default(80),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('sla_policies_key').on(t.workspaceId, t.tier, t.severity),
    check('sla_policies_tier', sql`${t.tier} in ('A','B','C','D','E')`),
    check('sla_policies_severity', sql`${t.severity} in ('critical','high','medium','low')`),
    check(
      'sla_policies_targets',
      sql`${t.firstResponseMinutes} > 0 and ${t.nextResponseMinutes} > 0 and ${t.resolutionMinutes} >= ${t.firstResponseMinutes}`,
    ),
    check('sla_policies_warn', sql`${t.warnPct} between 1 and 99`),
  ],
);
