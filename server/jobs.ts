// Which job kinds exist and which module handles them; main.ts starts the runner with these.
import { sql } from 'drizzle-orm';
import type { Db } from './db/client.js';
import { queryRows } from './db/client.js';
import type { JobHandler } from './platform/jobs.js';
import { ensureSchedule } from './platform/jobs.js';
import { IDEMPOTENCY_CLEANUP_JOB, IDEMPOTENCY_CLEANUP_SCHEDULE, cleanupIdempotencyKeys } from './platform/idempotency.js';
import { eventJobHandlers, type Subscription } from './platform/events.js';
import { recomputeGrading } from './modules/accounts/index.js';
import { notificationSubscriptions } from './modules/notifications/index.js';
import { WEBHOOK_JOB, webhookHandler } from './modules/opportunities/index.js';
import { IM_JOB, imSendHandler } from './modules/channels/index.js';
import {
  OUTREACH_BATCH_JOB,
  PEOPLE_RULES_JOB,
  PEOPLE_RULES_SCHEDULE,
  measuresSubscriptions,
  outreachBatchHandler,
  peopleRulesHandler,
} from './modules/outreach/index.js';
import { COMMERCE_NIGHTLY_JOB, COMMERCE_NIGHTLY_SCHEDULE, commerceNightlyHandler } from './modules/commerce/index.js';
import {
  EMAIL_POLL_JOB,
  EMAIL_POLL_SCHEDULE,
  SLA_SCAN_JOB,
  SLA_SCAN_SCHEDULE,
  emailPollHandler,
  slaScanHandler,
} from './modules/service-desk/index.js';
import { HEALTH_JOB, HEALTH_ALL_JOB, HEALTH_SCHEDULE, healthJobHandler, healthAllJobHandler, healthSubscriptions } from './modules/kpi/index.js';
import {
  MAIL_JOB as MEETINGS_MAIL_JOB,
  SUMMARISE_JOB as MEETINGS_SUMMARISE_JOB,
  SCAN_JOB as MEETINGS_SCAN_JOB,
  SCAN_SCHEDULE as MEETINGS_SCAN_SCHEDULE,
  mailHandler as meetingsMailHandler,
  summariseHandler as meetingsSummariseHandler,
  scanHandler as meetingsScanHandler,
} from './modules/meetings/index.js';

/** Who reacts to which event between modules (server/platform/events.ts): collected here, where the jobs are. */
export const subscriptions: readonly Subscription[] = [
  /** account health: each announced change to one of its inputs queues one (coalesced) recompute */
  ...healthSubscriptions,
  /** the notification centre: assignments, SLA warnings and escalations, meetings, portal needs, bookings, hand-overs */
  ...notificationSubscriptions,
  /** outreach's measures: a campaign mail handed to the mail server counts as delivered */
  ...measuresSubscriptions,
];

export const jobHandlers: Record<string, JobHandler> = {
  /** events between modules: fan out to the subscribers, then deliver to each (retried alone) */
  ...eventJobHandlers(subscriptions),
  /** nightly regrade of every workspace (tiers also regrade on demand and when inputs change) */
  'grading.recompute-all': async (db) => {
    const wss = await queryRows<{ id: string }>(db, sql`select id from workspaces`);
    for (const ws of wss) await db.transaction((tx) => recomputeGrading(tx, { kind: 'system', workspaceId: ws.id }));
  },
  /** outgoing webhook: an opportunity handed to sales → the vendor's sales CRM (signed, SSRF-guarded, retried) */
  [WEBHOOK_JOB]: webhookHandler(),
  /** IM cards to WeCom / DingTalk / Feishu group robots (signed, SSRF-guarded, within each platform's rate limit per robot, retried) */
  [IM_JOB]: imSendHandler(),
  /** SLA warnings and breaches, each escalated once (to the owner's manager; for A/C also the CSM) */
  [SLA_SCAN_JOB]: slaScanHandler(),
  /** email in: each enabled support mailbox read over IMAP (unseen mail → tickets, replies in their thread, triage) */
  [EMAIL_POLL_JOB]: emailPollHandler(),
  /** meetings: invitation/reminder mail over SMTP (outbox), summaries after minutes, and the scan that turns key moments into meetings and supervises action items */
  [MEETINGS_MAIL_JOB]: meetingsMailHandler(),
  [MEETINGS_SUMMARISE_JOB]: meetingsSummariseHandler(),
  [MEETINGS_SCAN_JOB]: meetingsScanHandler(),
  /** account health: one account when an input changes (outbox), every account nightly */
  [HEALTH_JOB]: healthJobHandler(),
  [HEALTH_ALL_JOB]: healthAllJobHandler(),
  /** the commercial record nightly: grading factors follow the moving windows; contracts entering the renewal window raise renewals */
  [COMMERCE_NIGHTLY_JOB]: commerceNightlyHandler(),
  /** outreach: one batch of a campaign's recipients, each within the frequency caps (issue 18) */
  [OUTREACH_BATCH_JOB]: outreachBatchHandler(),
  /** outreach: the behaviour rules nightly — person tags set and removed with their evidence, to-C stages moved forward */
  [PEOPLE_RULES_JOB]: peopleRulesHandler(),
  /** idempotency keys older than 24 h are forgotten */
  [IDEMPOTENCY_CLEANUP_JOB]: (db) => cleanupIdempotencyKeys(db),
  /**
   * PGlite runs no autovacuum: without this, planner statistics go stale as data grows and the visibility
   * map is never set, so the covering indexes (open tickets, running clocks) cannot be read index-only.
   * On PostgreSQL autovacuum does the same; a nightly pass costs little (it skips all-visible pages).
   */
  'db.analyze': async (db) => {
    await db.execute(sql`vacuum (analyze)`);
  },
};

export async function ensureSchedules(db: Db) {
  await ensureSchedule(db, { name: 'grading.nightly', kind: 'grading.recompute-all', everySeconds: 24 * 3600 });
  await ensureSchedule(db, SLA_SCAN_SCHEDULE);
  await ensureSchedule(db, EMAIL_POLL_SCHEDULE);
  await ensureSchedule(db, MEETINGS_SCAN_SCHEDULE);
  await ensureSchedule(db, HEALTH_SCHEDULE);
  await ensureSchedule(db, COMMERCE_NIGHTLY_SCHEDULE);
  await ensureSchedule(db, PEOPLE_RULES_SCHEDULE);
  await ensureSchedule(db, IDEMPOTENCY_CLEANUP_SCHEDULE);
  await ensureSchedule(db, {
    name: 'db.analyze.nightly',
    kind: 'db.analyze',
    everySeconds: 24 * 3600,
    firstRunAt: new Date(Date.now() + 24 * 3600 * 1000),
  });
}
