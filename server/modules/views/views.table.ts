import { sql } from 'drizzle-orm';
import { boolean, check, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users, workspaces } from '../people/people.table.js';

/** A list's filters and sort saved under a name: the person's own, or shared with the workspace by a lead. */
export const savedViews = pgTable(
  'saved_views',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    /** accounts | tickets: the list the view belongs to */
    page: text('page').notNull(),
    name: text('name').notNull(),
    /** the list's query string parameters, as the list sends them */
    query: jsonb('query').$type<Record<string, string | string[]>>().notNull(),
    shared: boolean('shared').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('saved_views_page', sql`${t.page} in ('accounts','tickets')`),
    uniqueIndex('saved_views_owner_name').on(t.workspaceId, t.userId, t.page, t.name),
    index('saved_views_ws_page').on(t.workspaceId, t.page),
  ],
);
