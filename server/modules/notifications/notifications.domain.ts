// The notification centre's rules: which kinds exist, which are urgent, who hears what by default, quiet
// hours, where a notice links to and how it is worded in mail and IM. Pure: no database, no clock.
import { DateTime } from 'luxon';
import { z } from 'zod';

export const noticeKinds = [
  'ticket_assigned',
  'sla_warning',
  'sla_breached',
  'key_moment',
  'meeting_invited',
  'meeting_updated',
  'meeting_cancelled',
  'meeting_reminder',
  'action_assigned',
  'action_due_soon',
  'action_overdue',
  'action_escalated',
  'portal_need',
  'portal_message',
  'booking_pending',
  'opportunity_handed',
] as const;
export type NoticeKind = (typeof noticeKinds)[number];

export const recordTypes = ['ticket', 'meeting', 'action_item', 'demand', 'booking', 'opportunity'] as const;
export type RecordType = (typeof recordTypes)[number];

export const channels = ['inApp', 'email', 'im'] as const;
export type Channel = (typeof channels)[number];
export const ChannelPrefs = z.strictObject({ inApp: z.boolean(), email: z.boolean(), im: z.boolean() });
export type ChannelPrefs = z.infer<typeof ChannelPrefs>;

/** Urgent kinds reach people during quiet hours too. */
export const urgentKinds: ReadonlySet<NoticeKind> = new Set(['sla_breached', 'key_moment']);

const on = (email: boolean, im: boolean): ChannelPrefs => ({ inApp: true, email, im });
/**
 * Defaults: everything in the bell; mail for what must not be missed and is not mailed already (the
 * meetings module mails invitations with ICS, reminders and action-item supervision itself); IM for what
 * the iron triangle should see together.
 */
export const defaultChannels: Record<NoticeKind, ChannelPrefs> = {
  ticket_assigned: on(false, false),
  sla_warning: on(false, false),
  sla_breached: on(true, true),
  key_moment: on(false, true),
  meeting_invited: on(false, false),
  meeting_updated: on(false, false),
  meeting_cancelled: on(false, false),
  meeting_reminder: on(false, false),
  action_assigned: on(false, false),
  action_due_soon: on(false, false),
  action_overdue: on(false, false),
  action_escalated: on(false, false),
  portal_need: on(true, true),
  portal_message: on(false, false),
  booking_pending: on(true, false),
  opportunity_handed: on(true, true),
};

export function channelsFor(kind: NoticeKind, saved: Record<string, ChannelPrefs> | null | undefined): ChannelPrefs {
  return { ...defaultChannels[kind], ...(saved?.[kind] ?? {}) };
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;
export function validQuietHours(start: string | null, end: string | null): boolean {
  if (start == null && end == null) return true;
  return start != null && end != null && HHMM.test(start) && HHMM.test(end) && start !== end;
}

/**
 * When a non-urgent notice may go out by mail or IM: `now` unless it falls in the quiet hours (in the
 * workspace's time zone; a window may wrap midnight, e.g. 22:00–08:00), then the end of them.
 */
export function sendAfterQuietHours(now: Date, tz: string, quiet: { start: string | null; end: string | null }): Date {
  if (!quiet.start || !quiet.end || !validQuietHours(quiet.start, quiet.end)) return now;
  const local = DateTime.fromJSDate(now, { zone: tz });
  const at = (hhmm: string, day: DateTime) => {
    const [h, m] = hhmm.split(':').map(Number);
    return day.set({ hour: h, minute: m, second: 0, millisecond: 0 });
  };
  const today = local.startOf('day');
  const start = at(quiet.start, today);
  const end = at(quiet.end, today);
  if (start < end) return local >= start && local < end ? end.toJSDate() : now;
  // wraps midnight: quiet from start today to end tomorrow, or from start yesterday to end today
  if (local >= start) return at(quiet.end, today.plus({ days: 1 })).toJSDate();
  if (local < end) return end.toJSDate();
  return now;
}

/** Where the console shows the record. */
export function linkOf(n: { recordType: RecordType; recordId: string; accountId: string | null }): string {
  switch (n.recordType) {
    case 'ticket':
      return `/service-desk/tickets/${n.recordId}`;
    case 'meeting':
      return `/meetings/${n.recordId}`;
    case 'action_item':
      return `/meetings?view=actions&item=${n.recordId}`;
    case 'demand':
      return `/portal-admin?demand=${n.recordId}`;
    case 'booking':
      return n.accountId ? `/accounts/${n.accountId}?tab=valueAdd` : '/value-add';
    case 'opportunity':
      return `/opportunities?open=${n.recordId}`;
  }
}

type Loc = 'zh-CN' | 'en';
type Params = Record<string, string | number | null | undefined>;
const num = (p: Params) => (p.number != null ? `#${p.number} ` : '');
const acct = (p: Params, loc: Loc) => (p.accountName ? (loc === 'zh-CN' ? `（${p.accountName}）` : ` (${p.accountName})`) : '');

/** The headline of a notice in mail and IM (the console words it from the same kind with i18n). */
export function headline(kind: NoticeKind, title: string, p: Params, loc: Loc): string {
  const z = loc === 'zh-CN';
  switch (kind) {
    case 'ticket_assigned':
      return z ? `工单已分派给你：${num(p)}${title}` : `Ticket assigned to you: ${num(p)}${title}`;
    case 'sla_warning':
      return z ? `工单即将超时：${num(p)}${title}` : `Ticket close to its SLA deadline: ${num(p)}${title}`;
    case 'sla_breached':
      return z ? `SLA 超时已升级给你：${num(p)}${title}${acct(p, loc)}` : `SLA breach escalated to you: ${num(p)}${title}${acct(p, loc)}`;
    case 'key_moment':
      return z ? `已安排：${title}` : `Scheduled: ${title}`;
    case 'meeting_invited':
      return z ? `会议邀请：${title}` : `Meeting invitation: ${title}`;
    case 'meeting_updated':
      return z ? `会议变更：${title}` : `Meeting changed: ${title}`;
    case 'meeting_cancelled':
      return z ? `会议取消：${title}` : `Meeting cancelled: ${title}`;
    case 'meeting_reminder':
      return z ? `会议即将开始：${title}` : `Meeting starts soon: ${title}`;
    case 'action_assigned':
      return z ? `新的行动项：${title}` : `New action item: ${title}`;
    case 'action_due_soon':
      return z ? `行动项即将到期：${title}` : `Action item due soon: ${title}`;
    case 'action_overdue':
      return z ? `行动项已逾期：${title}` : `Action item overdue: ${title}`;
    case 'action_escalated':
      return z ? `逾期行动项已升级给你：${title}` : `Overdue action item escalated to you: ${title}`;
    case 'portal_need':
      return z ? `客户在门户提出新需求：${title}${acct(p, loc)}` : `New need from the portal: ${title}${acct(p, loc)}`;
    case 'portal_message':
      return z ? `客户回复了需求：${title}${acct(p, loc)}` : `The customer replied on a need: ${title}${acct(p, loc)}`;
    case 'booking_pending':
      return z ? `服务产品预订待审批：${title}${acct(p, loc)}` : `Booking awaiting approval: ${title}${acct(p, loc)}`;
    case 'opportunity_handed':
      return z ? `商机已移交给你：${title}${acct(p, loc)}` : `Opportunity handed to you: ${title}${acct(p, loc)}`;
  }
}

/** A notice as an IM card's markdown body (zh-CN first: the group reads Chinese; the link goes back to the record). */
export function imMarkdown(kind: NoticeKind, title: string, p: Params, recipients: string[], url: string): string {
  const lines = [`**${headline(kind, title, p, 'zh-CN')}**`];
  if (recipients.length) lines.push(`负责人：${recipients.join('、')}`);
  lines.push(`[打开记录](${url})`);
  return lines.join('\n\n');
}
