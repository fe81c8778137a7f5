import { fail, ok, type RuleResult } from '../../platform/errors.js';
import { coreTasks, normaliseTasks, relationshipMetrics, type CoreTask, type RelationshipMetric } from './tasks.domain.js';

/** Value-add tasks of an account's service plan: planned → scheduled → done → evaluated (or cancelled). */
export const taskStatuses = ['planned', 'scheduled', 'done', 'evaluated', 'cancelled'] as const;
export type TaskStatus = (typeof taskStatuses)[number];

const next: Record<TaskStatus, TaskStatus[]> = {
  planned: ['scheduled', 'cancelled'],
  scheduled: ['done', 'planned', 'cancelled'],
  done: ['evaluated'],
  evaluated: [],
  cancelled: [],
};

export function allowedNext(from: TaskStatus): TaskStatus[] {
  return next[from];
}

export type TaskMove = { from: TaskStatus; to: TaskStatus; dueOn: string | null; outcome: string | null; metricsMoved: string[] };

/** A task is scheduled for a date, done with an outcome, evaluated with the metrics it moved. */
export function decideTaskMove(m: TaskMove): RuleResult<{ metricsMoved: RelationshipMetric[] }> {
  if (m.from === m.to) return fail('task.same_status', { status: m.to });
  if (!next[m.from].includes(m.to)) return fail('task.illegal_move', { from: m.from, to: m.to, allowed: next[m.from].join(', ') || '—' }, 'status');
  if (m.to === 'scheduled' && !m.dueOn) return fail('task.date_required', {}, 'dueOn');
  if ((m.to === 'done' || m.to === 'evaluated') && !m.outcome?.trim()) return fail('task.outcome_required', {}, 'outcome');
  const bad = m.metricsMoved.filter((x) => !(relationshipMetrics as readonly string[]).includes(x));
  if (bad.length) return fail('task.bad_metric', { metric: bad.join(', ') }, 'metricsMoved');
  return ok({ metricsMoved: relationshipMetrics.filter((x) => m.metricsMoved.includes(x)) });
}

/** Focus: at least one of the six tasks, each at most once, in the vocabulary's order. */
export function decideFocus(tasks: string[], period: string): RuleResult<{ tasks: CoreTask[]; period: string }> {
  if (!/^\d{4}(-(H[12]|Q[1-4]|(0[1-9]|1[0-2])))?$/.test(period)) return fail('focus.bad_period', {}, 'period');
  const bad = tasks.filter((t) => !(coreTasks as readonly string[]).includes(t));
  if (bad.length) return fail('focus.bad_task', { task: bad.join(', ') }, 'tasks');
  const norm = normaliseTasks(tasks);
  if (!norm.length) return fail('focus.empty', {}, 'tasks');
  return ok({ tasks: norm, period });
}
