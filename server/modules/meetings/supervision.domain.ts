/**
 * Reminders and supervision (督导), pure: given an instant and what was already sent, which notices
 * are due now. The scan job records each notice with a conditional update so it fires exactly once.
 */

export type SupervisionPolicy = {
  /** reminder before a meeting starts */
  meetingReminderMinutes: number;
  /** reminder before an action item is due */
  dueReminderHours: number;
  /** escalation to the owner's manager this many days after the due moment */
  escalateAfterDays: number;
};

export const defaultPolicy: SupervisionPolicy = { meetingReminderMinutes: 30, dueReminderHours: 24, escalateAfterDays: 2 };

export type MeetingClock = { status: string; startsAt: Date; reminderSentAt: Date | null };

/** A scheduled meeting's reminder is due from `minutes` before its start until it starts. */
export function meetingReminderDue(m: MeetingClock, now: Date, policy: SupervisionPolicy): boolean {
  if (m.status !== 'scheduled' || m.reminderSentAt) return false;
  const from = m.startsAt.getTime() - policy.meetingReminderMinutes * 60_000;
  return now.getTime() >= from && now.getTime() < m.startsAt.getTime();
}

export type ItemClock = {
  status: string;
  dueAt: Date | null;
  dueRemindedAt: Date | null;
  overdueNotifiedAt: Date | null;
  escalatedAt: Date | null;
};

export type Notice = 'due_soon' | 'overdue' | 'escalate';

/** The notices an open action item owes now, in order. A late scan catches up without repeating. */
export function dueNotices(item: ItemClock, now: Date, policy: SupervisionPolicy): Notice[] {
  if (item.status !== 'open' || !item.dueAt) return [];
  const t = now.getTime();
  const due = item.dueAt.getTime();
  const out: Notice[] = [];
  if (!item.dueRemindedAt && t >= due - policy.dueReminderHours * 3_600_000 && t < due) out.push('due_soon');
  if (!item.overdueNotifiedAt && t >= due) out.push('overdue');
  if (!item.escalatedAt && t >= due + policy.escalateAfterDays * 86_400_000) out.push('escalate');
  return out;
}

/** Days an item is past its due moment (0 when not overdue). */
export function daysOverdue(dueAt: Date | null, now: Date): number {
  if (!dueAt) return 0;
  return Math.max(0, Math.floor((now.getTime() - dueAt.getTime()) / 86_400_000));
}

export function checkPolicy(p: SupervisionPolicy): { ok: true } | { ok: false; field: keyof SupervisionPolicy } {
  if (!Number.isInteger(p.meetingReminderMinutes) || p.meetingReminderMinutes < 0 || p.meetingReminderMinutes > 7 * 24 * 60)
    return { ok: false, field: 'meetingReminderMinutes' };
  if (!Number.isInteger(p.dueReminderHours) || p.dueReminderHours < 0 || p.dueReminderHours > 24 * 14)
    return { ok: false, field: 'dueReminderHours' };
  if (!Number.isInteger(p.escalateAfterDays) || p.escalateAfterDays < 0 || p.escalateAfterDays > 60) return { ok: false, field: 'escalateAfterDays' };
  return { ok: true };
}
