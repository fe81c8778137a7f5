/**
 * Behaviour signals → suggestions for the iron triangle, each with its reason. Pure: takes the
 * recent signals and open needs, returns what to suggest and why (as a message key and params).
 */
export type Signal = {
  kind: 'view' | 'request' | 'discuss';
  subjectType: string;
  subjectId: string | null;
  label: string;
  tasks: string[];
  keyPersonId: string;
  createdAt: Date;
};
export type OpenNeed = { id: string; title: string; messages: number; hasOpportunity: boolean; by: string };
export type Suggestion = {
  kind: 'opportunity' | 'service_product';
  subjectType: string;
  subjectId: string | null;
  label: string;
  task: string | null;
  reasonKey: string;
  params: Record<string, string | number>;
  score: number;
};

export const INTEREST_VIEWS = 2;

export function suggest(signals: Signal[], needs: OpenNeed[], now: Date, windowDays = 30): Suggestion[] {
  const since = now.getTime() - windowDays * 86_400_000;
  const recent = signals.filter((s) => s.createdAt.getTime() >= since);
  const out: Suggestion[] = [];

  // needs not yet captured → suggested opportunities
  for (const n of needs) {
    if (n.hasOpportunity) continue;
    out.push({
      kind: 'opportunity',
      subjectType: 'demand',
      subjectId: n.id,
      label: n.title,
      task: 'capture',
      reasonKey: 'portal.reason.need',
      params: { by: n.by, messages: n.messages },
      score: 100 + n.messages,
    });
  }

  // repeated interest in a product or solution that was not requested → suggested opportunity
  const requested = new Set(recent.filter((s) => s.kind === 'request').map((s) => s.label));
  const byPost = new Map<string, { label: string; id: string | null; views: number; people: Set<string>; tasks: string[] }>();
  for (const s of recent) {
    if (s.kind !== 'view' || s.subjectType !== 'post' || !s.subjectId) continue;
    const e = byPost.get(s.subjectId) ?? { label: s.label, id: s.subjectId, views: 0, people: new Set<string>(), tasks: s.tasks };
    e.views++;
    e.people.add(s.keyPersonId);
    byPost.set(s.subjectId, e);
  }
  for (const e of byPost.values()) {
    if (e.views < INTEREST_VIEWS || requested.has(e.label)) continue;
    out.push({
      kind: 'opportunity',
      subjectType: 'post',
      subjectId: e.id,
      label: e.label,
      task: 'capture',
      reasonKey: 'portal.reason.interest',
      params: { views: e.views, people: e.people.size, days: windowDays },
      score: 10 * e.people.size + e.views,
    });
  }

  // the six tasks key persons' attention points to → service products serving that task
  const taskCount = new Map<string, number>();
  for (const s of recent)
    for (const t of s.tasks) taskCount.set(t, (taskCount.get(t) ?? 0) + (s.kind === 'request' ? 3 : s.kind === 'discuss' ? 2 : 1));
  for (const [task, n] of [...taskCount.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 2)) {
    if (n < 2) continue;
    out.push({
      kind: 'service_product',
      subjectType: 'task',
      subjectId: null,
      label: task,
      task,
      reasonKey: 'portal.reason.task',
      params: { weight: n, days: windowDays },
      score: n,
    });
  }
  return out.sort((a, b) => b.score - a.score);
}

/** A one-time link is usable once, before it expires. */
export function tokenUsable(t: { expiresAt: Date; usedAt: Date | null }, now: Date): 'ok' | 'used' | 'expired' {
  if (t.usedAt) return 'used';
  if (t.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'ok';
}

export const INVITE_TTL_MS = 7 * 86_400_000;
export const RESET_TTL_MS = 60 * 60_000;
