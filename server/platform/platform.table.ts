import { sql } from 'drizzle-orm';
import { bigserial, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { workspaces } from '../modules/people/people.table.js';

/** Server-side sessions: the cookie carries a random id, the table keeps only its hash. */
export const sessions = pgTable(
  'sessions',
  {
    idHash: text('id_hash').primaryKey(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    /** 'staff' (users) or 'key_person' (key_person_logins) */
    principalKind: text('principal_kind').notNull(),
    principalId: uuid('principal_id').notNull(),
    csrfToken: text('csrf_token').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sessions_principal').on(t.principalKind, t.principalId)],
);

/** Failed-login counters keyed by normalised email + client address (also for unknown emails). */
export const loginThrottle = pgTable('login_throttle', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull().default(0),
  windowStart: timestamp('window_start', { withTimezone: true }).notNull().defaultNow(),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
});

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    actorKind: text('actor_kind').notNull(),
    actorId: uuid('actor_id'),
    actorName: text('actor_name'),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id'),
    before: jsonb('before'),
    after: jsonb('after'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('audit_ws_at').on(t.workspaceId, t.at), index('audit_entity').on(t.workspaceId, t.entityType, t.entityId)],
);

/** Jobs and outbox in one table, claimed with FOR UPDATE SKIP LOCKED so instances share work. */
export const jobs = pgTable(
  'jobs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    workspaceId: uuid('workspace_id').references(() => workspaces.id),
    kind: text('kind').notNull(),
    payload: jsonb('payload').notNull().default({}),
    status: text('status').notNull().default('queued'),
    runAt: timestamp('run_at', { withTimezone: true }).notNull().defaultNow(),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(5),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    lockedBy: text('locked_by'),
    lastError: text('last_error'),
    dedupeKey: text('dedupe_key').unique(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('jobs_due').on(t.status, t.runAt).where(sql`${t.status} in ('queued','running')`)],
);

/** Recurring schedules: the instance that claims a due schedule enqueues its job and moves next_run_at. */
export const schedules = pgTable('schedules', {
  name: text('name').primaryKey(),
  kind: text('kind').notNull(),
  everySeconds: integer('every_seconds').notNull(),
  nextRunAt: timestamp('next_run_at', { withTimezone: true }).notNull(),
  lastRunAt: timestamp('last_run_at', { withTimezone: true }),
});

/**
 * Idempotency keys (the Stripe convention) of POSTs by a signed-in actor: claimed 'in_flight' with
 * INSERT … ON CONFLICT before the handler runs, filled with the 2xx response after it; a replay answers
 * the stored response. Keys live 24 h (older rows are ignored and removed by the cleanup job).
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    /** 'staff' (users) or 'key_person' (key_person_logins) */
    actorKind: text('actor_kind').notNull(),
    actorId: uuid('actor_id').notNull(),
    key: text('key').notNull(),
    /** method + route pattern, e.g. "POST /api/accounts/:id/value-add/bookings" */
    route: text('route').notNull(),
    /** SHA-256 (hex) of the request: its path and query, and its JSON body */
    requestHash: text('request_hash').notNull(),
    state: text('state').notNull().default('in_flight'),
    responseStatus: integer('response_status'),
    /** the headers that matter on a replay (content-type, location) */
    responseHeaders: jsonb('response_headers').$type<Record<string, string>>(),
    responseBody: text('response_body'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'idempotency_keys_pk', columns: [t.workspaceId, t.actorKind, t.actorId, t.key] }),
    index('idempotency_keys_created').on(t.createdAt),
    check('idempotency_keys_state', sql`${t.state} in ('in_flight', 'done')`),
  ],
);
