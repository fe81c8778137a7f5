import { sql } from 'drizzle-orm';
import { bigserial, boolean, check, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { workspaces } from '../people/people.table.js';
import { opportunities } from './opportunities.table.js';

/** The outgoing webhook an admin configures: where handed-over opportunities are sent (e.g. the sales CRM). */
export const webhookEndpoints = pgTable('webhook_endpoints', {
  workspaceId: uuid('workspace_id')
    .primaryKey()
    .references(() => workspaces.id),
  url: text('url').notNull(),
  /** HMAC key; shown to the admin when set, never in lists or the audit trail */
  secret: text('secret').notNull(),
  active: boolean('active').notNull().default(true),
  /** optimistic concurrency (docs/concurrency.md): bumped by every change a person makes */
  version: integer('version').notNull().default(1),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Every delivery attempt, successful or not: the delivery log. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    /** one id per event; attempts share it (also sent as X-Keyward-Delivery) */
    deliveryId: uuid('delivery_id').notNull(),
    event: text('event').notNull(),
    opportunityId: uuid('opportunity_id').references(() => opportunities.id, { onDelete: 'set null' }),
    url: text('url').notNull(),
    attempt: integer('attempt').notNull(),
    /** delivered | failed | refused (SSRF guard) */
    outcome: text('outcome').notNull(),
    statusCode: integer('status_code'),
    error: text('error'),
    durationMs: integer('duration_ms').notNull().default(0),
    payload: jsonb('payload').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('webhook_deliveries_ws').on(t.workspaceId, t.at),
    check('webhook_deliveries_outcome', sql`${t.outcome} in ('delivered','failed','refused')`),
  ],
);
