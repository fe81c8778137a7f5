// Relationship metrics (关系紧密度 / 方案认可度 / 价格接受度) and behaviour-pattern mastery (掌握项目行为规律), SPEC §4.
// Pure: dates are passed in as YYYY-MM-DD strings, nothing reads the clock.
import { fail, ok, type RuleResult } from '../../platform/errors.js';

export const metrics = ['closeness', 'solution_acceptance', 'price_acceptance'] as const;
export type Metric = (typeof metrics)[number];
export const SCORE_MIN = 1;
export const SCORE_MAX = 5;

export const aspects = ['budget_cycle', 'decision_process', 'procurement_habits', 'key_person_preferences'] as const;
export type Aspect = (typeof aspects)[number];
export const behaviourSources = ['private_visit', 'meeting', 'portal'] as const;
export type BehaviourSource = (typeof behaviourSources)[number];

export type Assessment = { metric: Metric; score: number; assessedOn: string };
export type BehaviourFact = { aspect: Aspect; learnedOn: string };

const DAY = 86_400_000;
const days = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY);
const isDate = (s: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

/** A score on the 1–5 scale, with evidence, dated no later than today. */
export function validateAssessment(a: { score: number; evidence: string; assessedOn: string }, today: string): RuleResult<true> {
  if (!Number.isInteger(a.score) || a.score < SCORE_MIN || a.score > SCORE_MAX)
    return fail('relationships.score_scale', { min: SCORE_MIN, max: SCORE_MAX, score: a.score }, 'score');
  if (!a.evidence.trim()) return fail('relationships.evidence_required', {}, 'evidence');
  if (!isDate(a.assessedOn)) return fail('relationships.bad_date', { value: a.assessedOn }, 'assessedOn');
  if (a.assessedOn > today) return fail('relationships.future_date', { value: a.assessedOn }, 'assessedOn');
  return ok(true);
}

export function validateFactDate(learnedOn: string, today: string): RuleResult<true> {
  if (!isDate(learnedOn)) return fail('relationships.bad_date', { value: learnedOn }, 'learnedOn');
  if (learnedOn > today) return fail('relationships.future_date', { value: learnedOn }, 'learnedOn');
  return ok(true);
}

/** A period [from, to] (inclusive dates); refused when it ends before it starts. */
export function validatePeriod(from: string, to: string): RuleResult<{ from: string; to: string }> {
  if (!isDate(from)) return fail('relationships.bad_date', { value: from }, 'from');
  if (!isDate(to)) return fail('relationships.bad_date', { value: to }, 'to');
  if (to < from) return fail('kpi.period_reversed', { from, to }, 'to');
  return ok({ from, to });
}

const byDate = (a: Assessment, b: Assessment) => (a.assessedOn < b.assessedOn ? -1 : a.assessedOn > b.assessedOn ? 1 : 0);

/** The latest score of a metric on or before a date (null when none yet). */
export function scoreAsOf(list: Assessment[], metric: Metric, asOf: string): number | null {
  const xs = list.filter((a) => a.metric === metric && a.assessedOn <= asOf).sort(byDate);
  return xs.length ? xs[xs.length - 1].score : null;
}

/**
 * Uplift of a metric over a period: the score at its end minus the score at its start (the latest
 * before the period, or else the first one inside it). Null when there is nothing to compare.
 */
export function uplift(list: Assessment[], metric: Metric, from: string, to: string): number | null {
  const end = scoreAsOf(list, metric, to);
  if (end === null) return null;
  const before = list.filter((a) => a.metric === metric && a.assessedOn < from).sort(byDate);
  const inside = list.filter((a) => a.metric === metric && a.assessedOn >= from && a.assessedOn <= to).sort(byDate);
  const start = before.length ? before[before.length - 1].score : inside.length ? inside[0].score : null;
  return start === null ? null : end - start;
}

/** Freshness of what was learned: full for 90 days, then down linearly to nothing at 360 days. */
export function freshness(learnedOn: string, asOf: string): number {
  const age = Math.max(0, days(learnedOn, asOf));
  if (age <= 90) return 1;
  if (age >= 360) return 0;
  return (360 - age) / 270;
}

/**
 * Mastery 0–100 = the four aspects' freshness (each its freshest fact; missing counts 0) averaged.
 * Completeness is how many aspects are known at all.
 */
export function mastery(facts: BehaviourFact[], asOf: string): { mastery: number; completeness: number; perAspect: Record<Aspect, number> } {
  const perAspect = Object.fromEntries(aspects.map((a) => [a, 0])) as Record<Aspect, number>;
  let known = 0;
  for (const a of aspects) {
    const fs = facts.filter((f) => f.aspect === a && f.learnedOn <= asOf);
    if (!fs.length) continue;
    known++;
    perAspect[a] = Math.max(...fs.map((f) => freshness(f.learnedOn, asOf)));
  }
  const sum = aspects.reduce((s, a) => s + perAspect[a], 0);
  return { mastery: Math.round((100 * sum) / aspects.length), completeness: Math.round((100 * known) / aspects.length), perAspect };
}

/** Monthly trend points (YYYY-MM → score as of the month's end) for each metric. */
export function monthlyTrend(
  list: Assessment[],
  months: string[],
): { month: string; closeness: number | null; solution_acceptance: number | null; price_acceptance: number | null }[] {
  return months.map((m) => {
    const [y, mo] = m.split('-').map(Number);
    const end = new Date(Date.UTC(y, mo, 0)).toISOString().slice(0, 10);
    return {
      month: m,
      closeness: scoreAsOf(list, 'closeness', end),
      solution_acceptance: scoreAsOf(list, 'solution_acceptance', end),
      price_acceptance: scoreAsOf(list, 'price_acceptance', end),
    };
  });
}
