/**
 * Meeting rules (SPEC §5), pure: kinds and causes, the key-moment invitees (the iron triangle, sales
 * included), times, single-line fields that end up in mail headers and calendar lines.
 */
import { fail, ok, type RuleResult } from '../../platform/errors.js';

export const meetingKinds = ['key_moment', 'periodic', 'ad_hoc'] as const;
export type MeetingKind = (typeof meetingKinds)[number];

/** Why a meeting is held. Key moments: SOW review, complaint, major issue; ad hoc: big changes; periodic: status & needs. */
export const causes = {
  key_moment: ['sow_review', 'complaint', 'major_issue'],
  periodic: ['status_review'],
  ad_hoc: ['requirement_change', 'customer_change', 'other'],
} as const satisfies Record<MeetingKind, readonly string[]>;
export type Cause = (typeof causes)[MeetingKind][number];
export const allCauses = [...causes.key_moment, ...causes.periodic, ...causes.ad_hoc] as const;

export function checkCause(kind: MeetingKind, cause: string): RuleResult<Cause> {
  return (causes[kind] as readonly string[]).includes(cause) ? ok(cause as Cause) : fail('meeting.bad_cause', { kind, cause }, 'cause');
}

export const MAX_DURATION_MINUTES = 12 * 60;

export function checkTimes(startsAt: Date, endsAt: Date): RuleResult<{ startsAt: Date; endsAt: Date }> {
  if (Number.isNaN(startsAt.getTime())) return fail('meeting.bad_time', {}, 'startsAt');
  if (Number.isNaN(endsAt.getTime())) return fail('meeting.bad_time', {}, 'endsAt');
  if (endsAt.getTime() <= startsAt.getTime()) return fail('meeting.ends_before_start', {}, 'endsAt');
  if (endsAt.getTime() - startsAt.getTime() > MAX_DURATION_MINUTES * 60_000)
    return fail('meeting.too_long', { hours: MAX_DURATION_MINUTES / 60 }, 'endsAt');
  return ok({ startsAt, endsAt });
}

/** Text that lands on one line of a mail header or a calendar property: no CR, LF or other breaks. */
export function checkSingleLine(value: string, field: string): RuleResult<string> {
  if (/[\r\n\u0085\u2028\u2029\u000b\u000c]/.test(value)) return fail('meeting.line_break', { field }, field);
  if (/[\u0000-\u0008\u000e-\u001f\u007f]/.test(value)) return fail('meeting.control_char', { field }, field);
  return ok(value.trim());
}

/** Multi-line text (agenda, minutes): line ends normalised to \n, other control characters removed. */
export function normaliseText(value: string): string {
  return value.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f\u2028\u2029]/g, '');
}

export type IronTriangle = { salesId: string | null; deliveryId: string | null; afterSalesId: string | null; csmId: string | null };

/** Key-moment invitees: sales, delivery, after-sales and the CSM of the account, each once. */
export function keyMomentInvitees(team: IronTriangle, extra: string[] = []): string[] {
  return [...new Set([team.salesId, team.deliveryId, team.afterSalesId, team.csmId, ...extra].filter((x): x is string => !!x))];
}

const causeNames = {
  'zh-CN': {
    sow_review: '工作说明书提交前评审',
    complaint: '客户投诉',
    major_issue: '使用中发现重大问题',
    status_review: '客户现状及需求分析',
    requirement_change: '重大需求变化',
    customer_change: '客户内部重大变化',
    other: '其他',
  },
  en: {
    sow_review: 'statement-of-work review',
    complaint: 'customer complaint',
    major_issue: 'major issue in use',
    status_review: 'customer status & needs analysis',
    requirement_change: 'major requirement change',
    customer_change: 'big change inside the customer',
    other: 'other',
  },
} as const;

export function causeName(locale: 'zh-CN' | 'en', cause: Cause): string {
  return causeNames[locale][cause];
}

/** The title of a key-moment meeting created from an event. */
export function keyMomentTitle(locale: 'zh-CN' | 'en', cause: 'complaint' | 'major_issue', accountName: string, ticketTitle: string): string {
  const base =
    locale === 'zh-CN'
      ? `关键时点会议：${accountName}·${causeNames[locale][cause]}（${ticketTitle}）`
      : `Key-moment meeting: ${accountName} — ${causeNames[locale][cause]} (${ticketTitle})`;
  return base.replace(/[\r\n\u0085\u2028\u2029]+/g, ' ').slice(0, 200);
}

/** What the invited key person reads: about their issue, in their words (no internal method names). */
export function keyMomentGuestTitle(locale: 'zh-CN' | 'en', ticketTitle: string): string {
  const t = ticketTitle.replace(/[\r\n\u0085\u2028\u2029]+/g, ' ');
  return (locale === 'zh-CN' ? `关于「${t}」的沟通会` : `Meeting about "${t}"`).slice(0, 200);
}

/** A key-moment meeting is proposed at least this far ahead (so everyone can join), for an hour. */
export const KEY_MOMENT_LEAD_MS = 2 * 3_600_000;
export const KEY_MOMENT_MINUTES = 60;

export const actionStatuses = ['open', 'done', 'cancelled'] as const;
export type ActionStatus = (typeof actionStatuses)[number];

export function checkActionMove(from: ActionStatus, to: ActionStatus): RuleResult<ActionStatus> {
  if (from === to) return ok(to);
  if (from === 'open') return ok(to);
  if (to === 'open') return ok(to); // reopen
  return fail('action.bad_move', { from, to }, 'status');
}
