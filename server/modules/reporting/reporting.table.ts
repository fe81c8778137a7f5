// The reporting module's own table: how KPI scorecards are weighted (SPEC §6).
import { boolean, integer, jsonb, pgTable, timestamp, uuid } from 'drizzle-orm/pg-core';
import { workspaces } from '../people/people.table.js';
import type { KpiWeights } from './scorecard.domain.js';

/** KPI weights per workspace and whether staff see only their own team's personal scorecards. */
export const kpiSettings = pgTable('kpi_settings', {
  workspaceId: uuid('workspace_id')
    .primaryKey()
    .references(() => workspaces.id),
  weights: jsonb('weights').$type<KpiWeights>().notNull(),
  restrictPersonal: boolean('restrict_personal').notNull().default(false),
  /** optimistic concurrency (docs/concurrency.md): bumped by every change a person makes */
  version: integer('version').notNull().default(1),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
