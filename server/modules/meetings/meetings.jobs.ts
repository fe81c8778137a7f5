/**
 * The communication mechanism's jobs: the mail outbox, the summary after minutes are saved, and the
 * scan (every minute) that turns key-moment events into meetings, reminds before meetings, and
 * supervises action items (due soon → overdue → escalated to the manager), each exactly once.
 * "Now" is the moment the job was due (its run_at), so tests drive it with an injected clock.
 */
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import type { Actor } from '../../platform/actor.js';
import { translate } from '../../platform/i18n.js';
import { assertCan } from '../../platform/actor.js';
import type { JobHandler, JobRow } from '../../platform/jobs.js';
import { findAccount } from '../accounts/index.js';
import { activeUsersWithRole } from '../people/index.js';
import { businessCalendar, claimOpenKeyMoment, firstFreeSlot } from '../service-desk/index.js';
import { summariseWithLlm } from './llm.client.js';
import { MailDelivered, OutgoingMail, operatorSmtp } from '../../platform/mail.js';
import { announce } from '../../platform/events.js';
import { sendMail } from './mail.sender.js';
import { KEY_MOMENT_LEAD_MS, KEY_MOMENT_MINUTES, keyMomentGuestTitle, keyMomentInvitees, keyMomentTitle } from './meetings.domain.js';
import * as repo from './meetings.repo.js';
import {
  dueAtOf,
  insertMeetings,
  resolveGuests,
  MAIL_JOB,
  mailWords,
  meetingMail,
  notify,
  queueMail,
  SUMMARISE_JOB,
  type Loc,
} from './meetings.service.js';
import { meetingDayIn, summariseOffline, type Summary } from './summariser.domain.js';
import { dueNotices, meetingReminderDue, type Notice, type SupervisionPolicy } from './supervision.domain.js';

/** The summary job's payload: which meeting, and the minutes version it summarises. */
const SummarisePayload = z.object({ meetingId: z.guid(), version: z.string().optional() });

export const SCAN_JOB = 'meetings.scan';
/** Every minute; KW_MEETINGS_SCAN_SECONDS shortens it (the browser journey uses a few seconds). */
export const SCAN_SCHEDULE = { name: 'meetings.scan', kind: SCAN_JOB, everySeconds: Math.max(1, Number(process.env.KW_MEETINGS_SCAN_SECONDS) || 60) };
export { MAIL_JOB, SUMMARISE_JOB };

const jobNow = (job: JobRow): Date => (job.run_at ? new Date(job.run_at) : new Date());

function smtpOf(s: repo.SettingsRow | null) {
  if (!s?.smtpHost || !s.smtpPort || !s.smtpFrom) return null;
  return { host: s.smtpHost, port: s.smtpPort, secure: s.smtpSecure, user: s.smtpUser, password: s.smtpPassword, from: s.smtpFrom };
}
function llmOf(s: repo.SettingsRow | null) {
  if (!s?.llmBaseUrl || !s.llmModel) return null;
  return { baseUrl: s.llmBaseUrl, model: s.llmModel, apiKey: s.llmApiKey ?? 'none' };
}
const policyOf = (s: {
  meeting_reminder_minutes: number | null;
  due_reminder_hours: number | null;
  escalate_after_days: number | null;
}): SupervisionPolicy => ({
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
    const mail = OutgoingMail.parse(job.payload);
    const r = await sendMail(cfg, mail, opts);
    if (r.rejected.length && !r.accepted.length) throw new Error(`all recipients rejected`);
    // the sender learns its mail went out (outreach counts it delivered)
    if (mail.deliveryRef) await announce(db, job.workspace_id, MailDelivered, { ref: mail.deliveryRef, at: new Date().toISOString() });
  };
}

// ---------- summary ----------

export async function summariseMeeting(db: Db, workspaceId: string, meetingId: string, version: string | null) {
  const m = await repo.findMeeting(db, workspaceId, meetingId);
  if (!m?.minutes || !m.minutesUpdatedAt) return null;
  if (version && m.minutesUpdatedAt.toISOString() !== version) return null; // newer minutes have their own job
  const attendees = await repo.attendeesOf(db, workspaceId, m.id);
  const people = attendees.map((a) => ({ id: a.userId, name: a.name }));
  const settings = await repo.getSettings(db, workspaceId);
  const llm = llmOf(settings);
  const ws = await repo.workspaceOf(db, workspaceId);
  // relative dates ("本周五", "by Friday") count from the meeting's day in the workspace's zone, not UTC's
  const day = meetingDayIn(m.startsAt, ws.timezone);
  let summary: Summary & { model?: string | null; error?: string | null };
  if (llm) {
    try {
      summary = {
        ...(await summariseWithLlm(llm, { title: m.title, agenda: m.agenda, minutes: m.minutes, startsAt: m.startsAt, attendees: people })),
        model: llm.model,
      };
    } catch (err) {
      summary = { ...summariseOffline(m.minutes, day, people), error: String((err as Error).message ?? err).slice(0, 300) };
    }
  } else summary = summariseOffline(m.minutes, day, people);
  return db.transaction(async (tx) => {
    if (!(await repo.saveSummary(tx, m.id, m.minutesUpdatedAt!, summary))) return null;
    // items the summary proposed earlier and nobody touched are replaced by the new ones
    await repo.deleteOpenSummaryItems(tx, m.id);
    if (summary.actionItems.length) {
      const rows = await repo.insertActionItems(
        tx,
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
      );
      for (const r of rows)
        await notify(tx, {
          workspaceId,
          accountId: m.accountId,
          userIds: [r.ownerId],
          kind: 'assigned',
          title: r.title,
          meetingId: m.id,
          actionItemId: r.id,
          dedupe: `assigned:${r.id}`,
        });
    }
    return summary;
  });
}

export function summariseHandler(): JobHandler {
  return async (db, job) => {
    const p = SummarisePayload.parse(job.payload);
    if (job.workspace_id) await summariseMeeting(db, job.workspace_id, p.meetingId, p.version ?? null);
  };
}

// ---------- the scan ----------

async function requesterAsGuest(tx: Db, workspaceId: string, accountId: string, keyPersonId: string | null) {
  if (!keyPersonId) return [];
  // a key person no longer active is simply not invited
  return resolveGuests(tx, workspaceId, accountId, [keyPersonId]).catch(() => []);
}

/** Claims open key-moment events (a conditional update, so each becomes one meeting) and schedules them. */
export async function scheduleKeyMoments(db: Db, now: Date, limit = 50): Promise<number> {
  let n = 0;
  for (; n < limit; n++) {
    const done = await db.transaction(async (tx) => {
      const ev = await claimOpenKeyMoment(tx);
      if (!ev) return false;
      const acc = (await findAccount(tx, ev.workspaceId, ev.accountId))!;
      const ticket = ev.ticket;
      const ws = await repo.workspaceOf(tx, ev.workspaceId);
      const loc: Loc = ws.defaultLocale === 'en' ? 'en' : 'zh-CN';
      let organizerId = acc.csmId ?? acc.afterSalesId ?? acc.salesId ?? acc.deliveryId ?? ticket?.ownerId ?? null;
      if (!organizerId) {
        const [lead] = await activeUsersWithRole(tx, ev.workspaceId, ['manager', 'admin'], { limit: 1 });
        organizerId = lead?.id ?? null;
      }
      if (!organizerId) return true;
      // the first free hour inside the workspace's business calendar, at least two hours ahead (never 03:00, never a holiday)
      const invitees = keyMomentInvitees(acc, ticket?.ownerId ? [ticket.ownerId] : []);
      const from = new Date(Math.max(ev.createdAt.getTime(), now.getTime()) + KEY_MOMENT_LEAD_MS);
      const cal = await businessCalendar(tx, ev.workspaceId);
      const busy = await repo.busyIntervals(tx, ev.workspaceId, [organizerId, ...invitees], from, new Date(from.getTime() + 31 * 86_400_000));
      const slot = firstFreeSlot(cal, from, KEY_MOMENT_MINUTES, busy);
      const agenda =
        loc === 'zh-CN'
          ? `1. 复盘问题经过与客户影响\n2. 明确整改方案、负责人与截止日期\n3. 识别关系风险与潜在商机\n\n工单：${ticket?.title ?? ''}${ev.note && ev.note !== ticket?.title ? `\n说明：${ev.note}` : ''}`
          : `1. What happened and the customer impact\n2. Remedy, owners and due dates\n3. Relationship risks and opportunities\n\nTicket: ${ticket?.title ?? ''}${ev.note && ev.note !== ticket?.title ? `\nNote: ${ev.note}` : ''}`;
      await insertMeetings(
        tx,
        { kind: 'system', workspaceId: ev.workspaceId },
        {
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
          invitees,
          rrule: null,
          keyMomentEventId: ev.id,
          ticketId: ev.ticketId,
          // the key person who raised it is invited: the customer's words, not the internal title
          guests: await requesterAsGuest(tx, ev.workspaceId, acc.id, ticket?.requesterKeyPersonId ?? null),
          guestTitle: ticket?.title ? keyMomentGuestTitle(loc, ticket.title) : null,
        },
      );
      return true;
    });
    if (!done) break;
  }
  return n;
}

/** Reminders before meetings start, once each. */
export async function remindMeetings(db: Db, now: Date): Promise<number> {
  const candidates = await repo.reminderCandidates(db, now);
  let n = 0;
  for (const c of candidates) {
    if (!meetingReminderDue({ status: c.status, startsAt: new Date(c.starts_at), reminderSentAt: null }, now, policyOf(c))) continue;
    await db.transaction(async (tx) => {
      const m = await repo.claimReminder(tx, c.id, now);
      if (!m) return;
      n++;
      const people = await repo.attendeesToNotify(tx, m.workspaceId, m.id);
      const ws = await repo.workspaceOf(tx, m.workspaceId);
      const acc = await findAccount(tx, m.workspaceId, m.accountId);
      const loc: Loc = ws.defaultLocale === 'en' ? 'en' : 'zh-CN';
      const text = meetingMail(loc, ws.timezone, 'reminder', m, acc?.name ?? '');
      await notify(tx, {
        workspaceId: m.workspaceId,
        accountId: m.accountId,
        userIds: people.map((p) => p.userId),
        kind: 'reminder',
        title: m.title,
        meetingId: m.id,
        dedupe: `reminder:${m.id}:${m.startsAt.toISOString()}`,
      });
      await queueMail(
        tx,
        m.workspaceId,
        { to: people.map((p) => ({ name: p.name, email: p.email })), subject: text.subject, text: text.text },
        `reminder:${m.id}:${m.startsAt.toISOString()}`,
      );
    });
  }
  return n;
}

const column: Record<Notice, 'dueRemindedAt' | 'overdueNotifiedAt' | 'escalatedAt'> = {
  due_soon: 'dueRemindedAt',
  overdue: 'overdueNotifiedAt',
  escalate: 'escalatedAt',
};

/** Supervision (督导): due-soon and overdue reminders to the owner, escalation to the owner's manager. */
export async function superviseActionItems(db: Db, now: Date): Promise<Record<Notice, number>> {
  const counts: Record<Notice, number> = { due_soon: 0, overdue: 0, escalate: 0 };
  const candidates = await repo.supervisionCandidates(db, now);
  const d = (v: string | Date | null) => (v ? new Date(v) : null);
  for (const c of candidates) {
    const notices = dueNotices(
      {
        status: c.status,
        dueAt: d(c.due_at),
        dueRemindedAt: d(c.due_reminded_at),
        overdueNotifiedAt: d(c.overdue_notified_at),
        escalatedAt: d(c.escalated_at),
      },
      now,
      policyOf(c),
    );
    for (const notice of notices) {
      await db.transaction(async (tx) => {
        const item = await repo.stampNotice(tx, c.id, column[notice], now);
        if (!item) return;
        counts[notice]++;
        const [owner] = await repo.usersByIds(tx, item.workspaceId, [item.ownerId]);
        const m = await repo.findMeeting(tx, item.workspaceId, item.meetingId);
        let recipients = [owner];
        if (notice === 'escalate') {
          let managerId = owner.managerId;
          if (!managerId || managerId === owner.id) {
            const [lead] = await activeUsersWithRole(tx, item.workspaceId, ['manager'], { exceptId: owner.id, limit: 1 });
            managerId = lead?.id ?? (m && m.organizerId !== owner.id ? m.organizerId : null);
          }
          const [manager] = managerId ? await repo.usersByIds(tx, item.workspaceId, [managerId]) : [];
          if (!manager) return;
          await repo.setEscalatedTo(tx, item.id, manager.id);
          recipients = [manager];
        }
        const kind = notice === 'escalate' ? 'escalated' : notice;
        const ws = await repo.workspaceOf(tx, item.workspaceId);
        const loc: Loc = ws.defaultLocale === 'en' ? 'en' : 'zh-CN';
        const w = mailWords[loc];
        await notify(tx, {
          workspaceId: item.workspaceId,
          accountId: item.accountId,
          userIds: recipients.map((r) => r.id),
          kind,
          title: item.title,
          meetingId: item.meetingId,
          actionItemId: item.id,
          dedupe: `${kind}:${item.id}:${item.dueOn}`,
        });
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
    await scanMeetings(db, jobNow(job));
  };
}

// ---------- the admin's test buttons ----------

let testMailWindowMs = 12_000;
/**
 * How long a failed test mail takes to answer: every failure answers when this window ends, so a closed
 * port (refused at once), a filtered one (a timeout) and a server that is not SMTP cannot be told apart
 * by the time either. Tests shorten it.
 */
export function setTestMailWindow(ms: number) {
  testMailWindowMs = ms;
}

export async function sendTestMail(db: Db, actor: Actor, to?: string | null) {
  assertCan(actor, 'meetings.settings');
  const cfg = smtpOf(await repo.getSettings(db, actor.workspaceId));
  if (!cfg) return { ok: false as const, error: translate(actor.locale, 'meeting.test_mail_unconfigured') };
  const [me] = await repo.usersByIds(db, actor.workspaceId, [actor.userId]);
  const w = mailWords[actor.locale];
  const window = testMailWindowMs;
  const started = Date.now();
  const sleep = (ms: number) => new Promise<false>((r) => setTimeout(() => r(false), Math.max(0, ms)));
  const sent = sendMail(
    cfg,
    { to: [{ name: me.name, email: to ?? me.email }], subject: w.test, text: w.testBody },
    { timeoutMs: Math.min(10_000, window) },
  ).then(
    () => true,
    () => false,
  );
  if (await Promise.race([sent, sleep(window)])) return { ok: true as const, error: null };
  await sleep(window - (Date.now() - started));
  // one answer for every failure, at the same moment: a refused connection, a timeout, a server that is not
  // SMTP, a refused login or an internal address the guard stopped all read alike (no port or host mapping)
  return { ok: false as const, error: translate(actor.locale, 'meeting.test_mail_failed') };
}

export async function testLlm(db: Db, actor: Actor) {
  assertCan(actor, 'meetings.settings');
  const cfg = llmOf(await repo.getSettings(db, actor.workspaceId));
  if (!cfg) return { ok: false as const, error: 'LLM not configured', summary: null };
  try {
    const s = await summariseWithLlm(
      cfg,
      { title: 'Test', agenda: '', minutes: 'We agreed to test the endpoint. Alice will confirm by Friday.', startsAt: new Date(), attendees: [] },
      { timeoutMs: 10_000, maxRetries: 0 },
    );
    return { ok: true as const, error: null, summary: s.summary };
  } catch (err) {
    return { ok: false as const, error: String((err as Error).message).slice(0, 300), summary: null };
  }
}
