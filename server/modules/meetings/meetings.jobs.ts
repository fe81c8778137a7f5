/**
 * The communication mechanism's jobs: the mail outbox, the summary after minutes are saved, and the
 * scan (every minute) that turns key-moment events into meetings, reminds before meetings, and
 * supervises action items (due soon → overdue → escalated to the manager), each exactly once.
 * "Now" is the moment the job was due (its run_at), so tests drive it with an injected clock.
 */
import { and, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.js';
import type { Actor } from '../../platform/actor.js';
import { assertCan } from '../../platform/actor.js';
import type { JobHandler, JobRow } from '../../platform/jobs.js';
import { operatorSmtp } from '../../platform/mail.js';
import { accounts } from '../accounts/index.js';
import { users } from '../people/index.js';
import { keyMomentEvents, tickets } from '../service-desk/index.js';
import { summariseWithLlm } from './llm.client.js';
import { sendMail, type OutgoingMail } from './mail.sender.js';
import { keyMomentInvitees, keyMomentSlot, keyMomentTitle } from './meetings.domain.js';
import * as repo from './meetings.repo.js';
import { dueAtOf, insertMeetings, MAIL_JOB, mailWords, meetingMail, notify, queueMail, SUMMARISE_JOB, type Loc } from './meetings.service.js';
import { actionItems, meetingAttendees, meetings, meetingSettings } from './meetings.table.js';
import { summariseOffline, type Summary } from './summariser.domain.js';
import { dueNotices, meetingReminderDue, type Notice, type SupervisionPolicy } from './supervision.domain.js';

export const SCAN_JOB = 'meetings.scan';
/** Every minute; KW_MEETINGS_SCAN_SECONDS shortens it (the browser journey uses a few seconds). */
export const SCAN_SCHEDULE = { name: 'meetings.scan', kind: SCAN_JOB, everySeconds: Math.max(1, Number(process.env.KW_MEETINGS_SCAN_SECONDS) || 60) };
export { MAIL_JOB, SUMMARISE_JOB };

async function jobNow(db: Db, job: JobRow): Promise<Date> {
  const [row] = await queryRows<{ run_at: string | Date }>(db, sql`select run_at from jobs where id = ${job.id}`);
  return row ? new Date(row.run_at) : new Date();
}

function smtpOf(s: repo.SettingsRow | null) {
  if (!s?.smtpHost || !s.smtpPort || !s.smtpFrom) return null;
  return { host: s.smtpHost, port: s.smtpPort, secure: s.smtpSecure, user: s.smtpUser, password: s.smtpPassword, from: s.smtpFrom };
}
function llmOf(s: repo.SettingsRow | null) {
  if (!s?.llmBaseUrl || !s.llmModel) return null;
  return { baseUrl: s.llmBaseUrl, model: s.llmModel, apiKey: s.llmApiKey ?? 'none' };
}
const policyOf = (s: { meeting_reminder_minutes: number | null; due_reminder_hours: number | null; escalate_after_days: number | null }): SupervisionPolicy => ({
  meetingReminderMinutes: s.meeting_reminder_minutes ?? 30,
  dueReminderHours: s.due_reminder_hours ?? 24,
  escalateAfterDays: s.escalate_after_days ?? 2,
});

// ---------- mail outbox ----------

/** Sends one queued mail over the workspace's SMTP; failures are retried by the runner. */
export function mailHandler(opts: { timeoutMs?: number } = {}): JobHandler {
  return async (db, job) => {
    if (!job.workspace_id) return;
    // the workspace's own SMTP, else the installation's (SMTP_URL); neither: in-app notices only
    const cfg = smtpOf(await repo.getSettings(db, job.workspace_id)) ?? operatorSmtp();
    if (!cfg) return;
    const r = await sendMail(cfg, job.payload as OutgoingMail, opts);
    if (r.rejected.length && !r.accepted.length) throw new Error(`all recipients rejected`);
  };
}

// ---------- summary ----------

export async function summariseMeeting(db: Db, workspaceId: string, meetingId: string, version: string | null) {
  const m = await repo.findMeeting(db, workspaceId, meetingId);
  if (!m || !m.minutes || !m.minutesUpdatedAt) return null;
  if (version && m.minutesUpdatedAt.toISOString() !== version) return null; // newer minutes have their own job
  const attendees = await repo.attendeesOf(db, workspaceId, m.id);
  const people = attendees.map((a) => ({ id: a.userId, name: a.name }));
  const settings = await repo.getSettings(db, workspaceId);
  const llm = llmOf(settings);
  let summary: Summary & { model?: string | null; error?: string | null };
  if (llm) {
    try {
      summary = { ...(await summariseWithLlm(llm, { title: m.title, agenda: m.agenda, minutes: m.minutes, startsAt: m.startsAt, attendees: people })), model: llm.model };
    } catch (err) {
      summary = { ...summariseOffline(m.minutes, m.startsAt, people), error: String((err as Error).message ?? err).slice(0, 300) };
    }
  } else summary = summariseOffline(m.minutes, m.startsAt, people);
  const ws = await repo.workspaceOf(db, workspaceId);
  return db.transaction(async (tx) => {
    const [updated] = await tx
      .update(meetings)
      .set({ summary, summaryStatus: 'done', summarisedAt: new Date() })
      .where(and(eq(meetings.id, m.id), eq(meetings.minutesUpdatedAt, m.minutesUpdatedAt!)))
      .returning({ id: meetings.id });
    if (!updated) return null;
    // items the summary proposed earlier and nobody touched are replaced by the new ones
    await tx.delete(actionItems).where(and(eq(actionItems.meetingId, m.id), eq(actionItems.source, 'summary'), eq(actionItems.status, 'open')));
    if (summary.actionItems.length) {
      const rows = await tx
        .insert(actionItems)
        .values(
          summary.actionItems.map((a) => ({
            workspaceId,
            meetingId: m.id,
            accountId: m.accountId,
            title: a.title,
            ownerId: a.ownerId ?? m.organizerId,
            dueOn: a.dueOn,
            dueAt: dueAtOf(a.dueOn, ws.timezone),
            source: 'summary',
          })),
        )
        .returning();
      for (const r of rows) await notify(tx, { workspaceId, userIds: [r.ownerId], kind: 'assigned', title: r.title, meetingId: m.id, actionItemId: r.id, dedupe: `assigned:${r.id}` });
    }
    return summary;
  });
}

export function summariseHandler(): JobHandler {
  return async (db, job) => {
    const p = job.payload as { meetingId: string; version?: string };
    if (job.workspace_id) await summariseMeeting(db, job.workspace_id, p.meetingId, p.version ?? null);
  };
}

// ---------- the scan ----------

/** Claims open key-moment events (a conditional update, so each becomes one meeting) and schedules them. */
export async function scheduleKeyMoments(db: Db, now: Date, limit = 50): Promise<number> {
  let n = 0;
  for (; n < limit; n++) {
    const done = await db.transaction(async (tx) => {
      const [ev] = await queryRows<{ id: string; workspace_id: string; account_id: string; ticket_id: string; cause: 'complaint' | 'major_issue'; note: string | null; created_at: string | Date }>(
        tx,
        sql`update ${keyMomentEvents} set status = 'meeting_scheduled'
            where id = (select id from ${keyMomentEvents} where status = 'open' order by created_at, id limit 1 for update skip locked)
            returning id, workspace_id, account_id, ticket_id, cause, note, created_at`,
      );
      if (!ev) return false;
      const [acc] = await tx.select().from(accounts).where(and(eq(accounts.workspaceId, ev.workspace_id), eq(accounts.id, ev.account_id)));
      const [ticket] = await tx.select({ title: tickets.title, ownerId: tickets.ownerId, description: tickets.description }).from(tickets).where(eq(tickets.id, ev.ticket_id));
      const ws = await repo.workspaceOf(tx, ev.workspace_id);
      const loc: Loc = ws.defaultLocale === 'en' ? 'en' : 'zh-CN';
      let organizerId = acc.csmId ?? acc.afterSalesId ?? acc.salesId ?? acc.deliveryId ?? ticket?.ownerId ?? null;
      if (!organizerId) {
        const [lead] = await tx.select({ id: users.id }).from(users).where(and(eq(users.workspaceId, ev.workspace_id), inArray(users.role, ['manager', 'admin']), eq(users.active, true))).limit(1);
        organizerId = lead?.id ?? null;
      }
      if (!organizerId) return true;
      const slot = keyMomentSlot(new Date(ev.created_at), now);
      const agenda =
        loc === 'zh-CN'
          ? `1. 复盘问题经过与客户影响\n2. 明确整改方案、负责人与截止日期\n3. 识别关系风险与潜在商机\n\n工单：${ticket?.title ?? ''}${ev.note && ev.note !== ticket?.title ? `\n说明：${ev.note}` : ''}`
          : `1. What happened and the customer impact\n2. Remedy, owners and due dates\n3. Relationship risks and opportunities\n\nTicket: ${ticket?.title ?? ''}${ev.note && ev.note !== ticket?.title ? `\nNote: ${ev.note}` : ''}`;
      await insertMeetings(tx, { kind: 'system', workspaceId: ev.workspace_id }, {
        accountId: acc.id,
        accountName: acc.name,
        kind: 'key_moment',
        cause: ev.cause,
        title: keyMomentTitle(loc, ev.cause, acc.name, ticket?.title ?? ''),
        agenda,
        location: null,
        occurrences: [slot.startsAt],
        durationMs: slot.endsAt.getTime() - slot.startsAt.getTime(),
        organizerId,
        invitees: keyMomentInvitees(acc, ticket?.ownerId ? [ticket.ownerId] : []),
        rrule: null,
        keyMomentEventId: ev.id,
        ticketId: ev.ticket_id,
      });
      return true;
    });
    if (!done) break;
  }
  return n;
}

/** Reminders before meetings start, once each. */
export async function remindMeetings(db: Db, now: Date): Promise<number> {
  const candidates = await queryRows<{ id: string; workspace_id: string; status: string; starts_at: string | Date; meeting_reminder_minutes: number | null; due_reminder_hours: number | null; escalate_after_days: number | null }>(
    db,
    sql`select m.id, m.workspace_id, m.status, m.starts_at, s.meeting_reminder_minutes, s.due_reminder_hours, s.escalate_after_days
        from ${meetings} m left join ${meetingSettings} s on s.workspace_id = m.workspace_id
        where m.status = 'scheduled' and m.reminder_sent_at is null and m.starts_at > ${now.toISOString()}::timestamptz
          and m.starts_at <= ${new Date(now.getTime() + 7 * 86_400_000).toISOString()}::timestamptz`,
  );
  let n = 0;
  for (const c of candidates) {
    if (!meetingReminderDue({ status: c.status, startsAt: new Date(c.starts_at), reminderSentAt: null }, now, policyOf(c))) continue;
    await db.transaction(async (tx) => {
      const [m] = await tx.update(meetings).set({ reminderSentAt: now }).where(and(eq(meetings.id, c.id), isNull(meetings.reminderSentAt), eq(meetings.status, 'scheduled'))).returning();
      if (!m) return;
      n++;
      const people = await tx
        .select({ userId: meetingAttendees.userId, name: users.name, email: users.email })
        .from(meetingAttendees)
        .innerJoin(users, eq(users.id, meetingAttendees.userId))
        .where(and(eq(meetingAttendees.meetingId, m.id), ne(meetingAttendees.response, 'declined')));
      const ws = await repo.workspaceOf(tx, m.workspaceId);
      const [acc] = await tx.select({ name: accounts.name }).from(accounts).where(eq(accounts.id, m.accountId));
      const loc: Loc = ws.defaultLocale === 'en' ? 'en' : 'zh-CN';
      const text = meetingMail(loc, ws.timezone, 'reminder', m, acc?.name ?? '');
      await notify(tx, { workspaceId: m.workspaceId, userIds: people.map((p) => p.userId), kind: 'reminder', title: m.title, meetingId: m.id, dedupe: `reminder:${m.id}:${m.startsAt.toISOString()}` });
      await queueMail(tx, m.workspaceId, { to: people.map((p) => ({ name: p.name, email: p.email })), subject: text.subject, text: text.text }, `reminder:${m.id}:${m.startsAt.toISOString()}`);
    });
  }
  return n;
}

const column: Record<Notice, 'dueRemindedAt' | 'overdueNotifiedAt' | 'escalatedAt'> = { due_soon: 'dueRemindedAt', overdue: 'overdueNotifiedAt', escalate: 'escalatedAt' };

/** Supervision (督导): due-soon and overdue reminders to the owner, escalation to the owner's manager. */
export async function superviseActionItems(db: Db, now: Date): Promise<Record<Notice, number>> {
  const counts: Record<Notice, number> = { due_soon: 0, overdue: 0, escalate: 0 };
  const candidates = await queryRows<{
    id: string;
    status: string;
    due_at: string | Date;
    due_reminded_at: string | Date | null;
    overdue_notified_at: string | Date | null;
    escalated_at: string | Date | null;
    meeting_reminder_minutes: number | null;
    due_reminder_hours: number | null;
    escalate_after_days: number | null;
  }>(
    db,
    sql`select a.id, a.status, a.due_at, a.due_reminded_at, a.overdue_notified_at, a.escalated_at, s.meeting_reminder_minutes, s.due_reminder_hours, s.escalate_after_days
        from ${actionItems} a left join ${meetingSettings} s on s.workspace_id = a.workspace_id
        where a.status = 'open' and a.due_at is not null and a.due_at <= ${new Date(now.getTime() + 15 * 86_400_000).toISOString()}::timestamptz
          and (a.due_reminded_at is null or a.overdue_notified_at is null or a.escalated_at is null)`,
  );
  const d = (v: string | Date | null) => (v ? new Date(v) : null);
  for (const c of candidates) {
    const notices = dueNotices({ status: c.status, dueAt: d(c.due_at), dueRemindedAt: d(c.due_reminded_at), overdueNotifiedAt: d(c.overdue_notified_at), escalatedAt: d(c.escalated_at) }, now, policyOf(c));
    for (const notice of notices) {
      await db.transaction(async (tx) => {
        const col = actionItems[column[notice]];
        const [item] = await tx
          .update(actionItems)
          .set({ [column[notice]]: now })
          .where(and(eq(actionItems.id, c.id), isNull(col), eq(actionItems.status, 'open')))
          .returning();
        if (!item) return;
        counts[notice]++;
        const [owner] = await repo.usersByIds(tx, item.workspaceId, [item.ownerId]);
        const m = await repo.findMeeting(tx, item.workspaceId, item.meetingId);
        let recipients = [owner];
        if (notice === 'escalate') {
          let managerId = owner.managerId;
          if (!managerId || managerId === owner.id) {
            const [lead] = await tx.select({ id: users.id }).from(users).where(and(eq(users.workspaceId, item.workspaceId), eq(users.role, 'manager'), eq(users.active, true), ne(users.id, owner.id))).limit(1);
            managerId = lead?.id ?? (m && m.organizerId !== owner.id ? m.organizerId : null);
          }
          const [manager] = managerId ? await repo.usersByIds(tx, item.workspaceId, [managerId]) : [];
          if (!manager) return;
          await tx.update(actionItems).set({ escalatedToId: manager.id }).where(eq(actionItems.id, item.id));
          recipients = [manager];
        }
        const kind = notice === 'escalate' ? 'escalated' : notice;
        const ws = await repo.workspaceOf(tx, item.workspaceId);
        const loc: Loc = ws.defaultLocale === 'en' ? 'en' : 'zh-CN';
        const w = mailWords[loc];
        await notify(tx, { workspaceId: item.workspaceId, userIds: recipients.map((r) => r.id), kind, title: item.title, meetingId: item.meetingId, actionItemId: item.id, dedupe: `${kind}:${item.id}:${item.dueOn}` });
        await queueMail(
          tx,
          item.workspaceId,
          {
            to: recipients.map((r) => ({ name: r.name, email: r.email })),
            subject: `[${w[kind]}] ${item.title}`,
            text: [`${w.owner}: ${owner.name}`, `${w.dueOn}: ${item.dueOn ?? ''}`, ...(m ? [`${m.title}`] : [])].join('\n'),
          },
          `${kind}:${item.id}:${item.dueOn}`,
        );
      });
    }
  }
  return counts;
}

export async function scanMeetings(db: Db, now: Date) {
  const keyMoments = await scheduleKeyMoments(db, now);
  const reminders = await remindMeetings(db, now);
  const supervision = await superviseActionItems(db, now);
  return { keyMoments, reminders, ...supervision };
}

export function scanHandler(): JobHandler {
  return async (db, job) => {
    await scanMeetings(db, await jobNow(db, job));
  };
}

// ---------- the admin's test buttons ----------

export async function sendTestMail(db: Db, actor: Actor, to?: string | null) {
  assertCan(actor, 'meetings.settings');
  const cfg = smtpOf(await repo.getSettings(db, actor.workspaceId));
  if (!cfg) return { ok: false as const, error: 'SMTP not configured' };
  const [me] = await repo.usersByIds(db, actor.workspaceId, [actor.userId]);
  const w = mailWords[actor.locale];
  try {
    await sendMail(cfg, { to: [{ name: me.name, email: to ?? me.email }], subject: w.test, text: w.testBody }, { timeoutMs: 10_000 });
    return { ok: true as const, error: null };
  } catch (err) {
    return { ok: false as const, error: String((err as Error).message).replace(cfg.password ?? '\u0000', '***').slice(0, 300) };
  }
}

export async function testLlm(db: Db, actor: Actor) {
  assertCan(actor, 'meetings.settings');
  const cfg = llmOf(await repo.getSettings(db, actor.workspaceId));
  if (!cfg) return { ok: false as const, error: 'LLM not configured', summary: null };
  try {
    const s = await summariseWithLlm(cfg, { title: 'Test', agenda: '', minutes: 'We agreed to test the endpoint. Alice will confirm by Friday.', startsAt: new Date(), attendees: [] }, { timeoutMs: 10_000, maxRetries: 0 });
    return { ok: true as const, error: null, summary: s.summary };
  } catch (err) {
    return { ok: false as const, error: String((err as Error).message).slice(0, 300), summary: null };
  }
}
