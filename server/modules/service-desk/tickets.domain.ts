/**
 * The ticket's own rules (SPEC §2): the status lifecycle with no illegal jumps, when a clock may be
 * paused, what a reply does, who may reassign to whom, when satisfaction may be given. Pure.
 */
import { fail, ok, type RuleResult } from '../../platform/errors.js';

export const statuses = ['open', 'in_progress', 'waiting_customer', 'resolved', 'closed'] as const;
export type Status = (typeof statuses)[number];
export const openStatuses: readonly Status[] = ['open', 'in_progress', 'waiting_customer'];

export const statusNames: Record<Status, { 'zh-CN': string; en: string }> = {
  open: { 'zh-CN': '新建', en: 'open' },
  in_progress: { 'zh-CN': '处理中', en: 'in progress' },
  waiting_customer: { 'zh-CN': '等待客户', en: 'waiting on customer' },
  resolved: { 'zh-CN': '已解决', en: 'resolved' },
  closed: { 'zh-CN': '已关闭', en: 'closed' },
};

const next: Record<Status, Status[]> = {
  open: ['in_progress', 'waiting_customer', 'resolved'],
  in_progress: ['waiting_customer', 'resolved'],
  waiting_customer: ['in_progress', 'resolved'],
  resolved: ['closed', 'in_progress'],
  closed: [],
};

export function allowedNext(from: Status): Status[] {
  return next[from];
}

export function decideTransition(from: Status, to: Status, locale: 'zh-CN' | 'en'): RuleResult<Status> {
  if (from === to || !next[from].includes(to)) {
    return fail('ticket.illegal_status', {
      from: statusNames[from][locale],
      to: statusNames[to][locale],
      allowed: next[from].map((s) => statusNames[s][locale]).join(locale === 'en' ? ', ' : '、') || (locale === 'en' ? 'none' : '无'),
    });
  }
  return ok(to);
}

export type Author = 'staff' | 'customer';

/**
 * A pause stops the SLA clocks while the ball is in the customer's court: the ticket must be open
 * or in progress, and our public message must be the last word (we asked them something).
 */
export function decidePause(t: { status: Status; lastPublicFrom: Author | null }): RuleResult<'waiting_customer'> {
  if (t.status === 'waiting_customer') return fail('ticket.already_paused');
  if (t.status !== 'open' && t.status !== 'in_progress') return fail('ticket.pause_status', { status: t.status });
  if (t.lastPublicFrom !== 'staff') return fail('ticket.pause_not_waiting');
  return ok('waiting_customer');
}

export function decideResume(t: { status: Status }): RuleResult<'in_progress'> {
  if (t.status !== 'waiting_customer') return fail('ticket.not_paused');
  return ok('in_progress');
}

export type ReplyEffect = { status: Status; resume: boolean; reopen: boolean; meetsResponse: boolean; startsNextResponse: boolean };

/** What a message does to the ticket: replies to a closed ticket are refused. */
export function decideReply(status: Status, by: Author, visibility: 'public' | 'internal'): RuleResult<ReplyEffect> {
  if (status === 'closed') return fail('ticket.closed');
  if (by === 'customer' && visibility === 'internal') return fail('ticket.customer_internal');
  if (visibility === 'internal') return ok({ status, resume: false, reopen: false, meetsResponse: false, startsNextResponse: false });
  if (by === 'staff') {
    if (status === 'resolved') return fail('ticket.resolved_reply');
    return ok({ status: status === 'open' ? 'in_progress' : status, resume: false, reopen: false, meetsResponse: true, startsNextResponse: false });
  }
  // the customer's reply resumes a paused ticket and reopens a resolved one
  return ok({
    status: status === 'waiting_customer' || status === 'resolved' ? 'in_progress' : status,
    resume: status === 'waiting_customer',
    reopen: status === 'resolved',
    meetsResponse: false,
    startsNextResponse: true,
  });
}

export function decideResolve(status: Status, resolution: string): RuleResult<'resolved'> {
  if (!resolution.trim()) return fail('ticket.resolution_required', {}, 'resolution');
  if (!openStatuses.includes(status)) return fail('ticket.resolve_status');
  return ok('resolved');
}

export type ReassignInput = {
  actor: { id: string; role: string; teamIds: string[] };
  ticket: { ownerId: string | null; teamId: string | null; accountableId: string | null; status: Status };
  /** the team the ticket goes to (the same team unless a lead or the CSM moves it) */
  targetTeamId: string | null;
  target: { id: string; active: boolean; teamIds: string[] } | null;
  /** people allowed outside any team: the account's iron triangle, CSM and the partner's implementers */
  accountPeople: string[];
};

/**
 * Who may reassign: leads, the current owner, the accountable CSM, or a member of the ticket's team.
 * To whom: an active member of the ticket's team; leads and the CSM may move it to another team;
 * a ticket without a team goes to a team member or one of the account's own people.
 */
export function decideReassign(i: ReassignInput): RuleResult<{ ownerId: string; teamId: string | null }> {
  const lead = i.actor.role === 'admin' || i.actor.role === 'manager';
  const accountable = !!i.ticket.accountableId && i.ticket.accountableId === i.actor.id;
  const mayAct = lead || accountable || i.ticket.ownerId === i.actor.id || (!!i.ticket.teamId && i.actor.teamIds.includes(i.ticket.teamId));
  if (!mayAct) return fail('ticket.reassign_forbidden');
  if (!openStatuses.includes(i.ticket.status)) return fail('ticket.reassign_status');
  if (i.targetTeamId !== i.ticket.teamId && !(lead || accountable)) return fail('ticket.team_change_forbidden', {}, 'teamId');
  if (!i.target?.active) return fail('ticket.assignee_unknown', {}, 'ownerId');
  if (i.target.id === i.ticket.ownerId && i.targetTeamId === i.ticket.teamId) return fail('ticket.assignee_same', {}, 'ownerId');
  if (i.targetTeamId) {
    if (!i.target.teamIds.includes(i.targetTeamId)) return fail('ticket.assignee_outside_team', {}, 'ownerId');
  } else if (!i.accountPeople.includes(i.target.id) && i.target.teamIds.length === 0) {
    return fail('ticket.assignee_outside_team', {}, 'ownerId');
  }
  return ok({ ownerId: i.target.id, teamId: i.targetTeamId });
}

export function decideRating(status: Status, alreadyRated: boolean, score: number): RuleResult<number> {
  if (status !== 'resolved' && status !== 'closed') return fail('csat.not_resolved');
  if (alreadyRated) return fail('csat.already');
  if (!Number.isInteger(score) || score < 1 || score > 5) return fail('csat.score', {}, 'score');
  return ok(score);
}

/** A complaint, or a ticket marked as a major issue, is a key moment (关键时点). */
export function keyMomentCause(kind: string, major: boolean): 'complaint' | 'major_issue' | null {
  if (kind === 'complaint') return 'complaint';
  if (major) return 'major_issue';
  return null;
}

// ---- attachments

export const ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024;
/** Types a support conversation needs; anything that can run in a browser (html, svg, js) is refused. */
export const allowedTypes: Record<string, string[]> = {
  'image/png': ['png'],
  'image/jpeg': ['jpg', 'jpeg'],
  'image/gif': ['gif'],
  'image/webp': ['webp'],
  'application/pdf': ['pdf'],
  'text/plain': ['txt', 'log'],
  'text/csv': ['csv'],
  'application/zip': ['zip'],
  'application/json': ['json'],
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ['docx'],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['xlsx'],
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': ['pptx'],
};

/** Checks the declared type, the extension and the first bytes agree with an allowed type. */
export function decideAttachment(f: {
  fileName: string;
  contentType: string;
  size: number;
  head: Uint8Array;
}): RuleResult<{ fileName: string; contentType: string }> {
  if (f.size === 0) return fail('attachment.empty', {}, 'file');
  if (f.size > ATTACHMENT_MAX_BYTES) return fail('attachment.too_large', { limit: '5 MB' }, 'file');
  const name = f.fileName.replace(/[\\/\u0000-\u001f]/g, '_').slice(-200) || 'file';
  const ext = name.includes('.') ? name.split('.').pop()!.toLowerCase() : '';
  const type = f.contentType.split(';')[0].trim().toLowerCase();
  const exts = allowedTypes[type];
  if (!exts?.includes(ext)) return fail('attachment.type', { allowed: Object.values(allowedTypes).flat().join(', ') }, 'file');
  const h = f.head;
  const starts = (...b: number[]) => b.every((x, i) => h[i] === x);
  const magicOk =
    type === 'image/png'
      ? starts(0x89, 0x50, 0x4e, 0x47)
      : type === 'image/jpeg'
        ? starts(0xff, 0xd8, 0xff)
        : type === 'image/gif'
          ? starts(0x47, 0x49, 0x46)
          : type === 'image/webp'
            ? starts(0x52, 0x49, 0x46, 0x46)
            : type === 'application/pdf'
              ? starts(0x25, 0x50, 0x44, 0x46)
              : type.startsWith('application/vnd.openxml') || type === 'application/zip'
                ? starts(0x50, 0x4b)
                : // text: no NUL bytes and no markup a browser would run
                  !h.includes(0) && !/<\s*(script|html|svg|iframe)/i.test(new TextDecoder().decode(h));
  if (!magicOk) return fail('attachment.type_mismatch', {}, 'file');
  return ok({ fileName: name, contentType: type });
}
