import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { accounts } from '../accounts/accounts.table.js';
import { workspaces } from '../people/people.table.js';

/**
 * IM group robots (WeCom group robot, DingTalk custom robot, Feishu custom bot) a workspace sends its
 * cards to: workspace-wide (account_id null) or one account's iron-triangle group.
 */
export const imRobots = pgTable(
  'im_robots',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    /** null: the workspace's robot; set: the robot of this account's iron-triangle group (preferred for its cards) */
    accountId: uuid('account_id').references(() => accounts.id, { onDelete: 'cascade' }),
    /** wecom | dingtalk | feishu */
    platform: text('platform').notNull(),
    name: text('name').notNull(),
    /** the robot's webhook address: its token is a credential too, so the API shows a masked hint only */
    webhookUrl: text('webhook_url').notNull(),
    /** DingTalk / Feishu signing secret ("加签"); never returned by the API */
    secret: text('secret'),
    enabled: boolean('enabled').notNull().default(true),
    /** when the last messages went out (newest last, the last 100 at most): the platforms' rate limits are per robot, across instances */
    recentSends: timestamp('recent_sends', { withTimezone: true }).array().notNull().default(sql`'{}'::timestamptz[]`),
    lastSuccessAt: timestamp('last_success_at', { withTimezone: true }),
    lastFailureAt: timestamp('last_failure_at', { withTimezone: true }),
    /** rejected | rate_limited | unreachable | blocked: worded for people by the API, never a raw error */
    lastFailureReason: text('last_failure_reason'),
    /** the platform's own error code (errcode / code) when it answered one */
    lastFailureCode: integer('last_failure_code'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('im_robots_ws_account').on(t.workspaceId, t.accountId),
    check('im_robots_platform', sql`${t.platform} in ('wecom','dingtalk','feishu')`),
    check(
      'im_robots_failure_reason',
      sql`${t.lastFailureReason} is null or ${t.lastFailureReason} in ('rejected','rate_limited','unreachable','blocked')`,
    ),
  ],
);
