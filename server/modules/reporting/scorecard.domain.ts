// KPI scorecards (考核指标体系重构, SPEC §6): traditional and growth measures per role, weighted per workspace.
import { fail, ok, type RuleResult } from '../../platform/errors.js';

export const kpiRoles = ['delivery', 'after_sales', 'sales', 'csm', 'expert'] as const;
export type KpiRole = (typeof kpiRoles)[number];

export const measures = {
  // traditional — delivery (seed 000: UT, delivery quality, schedule, collections)
  ut_pct: { higherIsBetter: true, kind: 'traditional' },
  quality_pct: { higherIsBetter: true, kind: 'traditional' },
  milestones_on_time_pct: { higherIsBetter: true, kind: 'traditional' },
  collections_pct: { higherIsBetter: true, kind: 'traditional' },
  tasks_done: { higherIsBetter: true, kind: 'traditional' },
  tasks_on_time_pct: { higherIsBetter: true, kind: 'traditional' },
  // traditional — after-sales
  cases_solved: { higherIsBetter: true, kind: 'traditional' },
  handling_hours: { higherIsBetter: false, kind: 'traditional' },
  csat_avg: { higherIsBetter: true, kind: 'traditional' },
  // growth — delivery and after-sales
  opps_captured: { higherIsBetter: true, kind: 'growth' },
  opps_amount_yuan: { higherIsBetter: true, kind: 'growth' },
  /** captured by the person and handed to sales after incubation (孵化商机) */
  opps_incubated: { higherIsBetter: true, kind: 'growth' },
  opps_incubated_yuan: { higherIsBetter: true, kind: 'growth' },
  opps_converted: { higherIsBetter: true, kind: 'growth' },
  /** the three relationship uplifts, each on its own (seed 000) */
  closeness_uplift: { higherIsBetter: true, kind: 'growth' },
  solution_uplift: { higherIsBetter: true, kind: 'growth' },
  price_uplift: { higherIsBetter: true, kind: 'growth' },
  /** the three summed (kept for workspaces that scored it before the three were separate) */
  relationship_uplift: { higherIsBetter: true, kind: 'growth' },
  behaviour_mastery: { higherIsBetter: true, kind: 'growth' },
  // sales
  key_moment_meetings: { higherIsBetter: true, kind: 'growth' },
  service_sourced_wins: { higherIsBetter: true, kind: 'growth' },
  service_sourced_won_yuan: { higherIsBetter: true, kind: 'growth' },
} as const;
export type Measure = keyof typeof measures;

export type MeasureConfig = { weight: number; target: number };
export type RoleWeights = Partial<Record<Measure, MeasureConfig>>;
export type KpiWeights = Record<KpiRole, RoleWeights>;

export const defaultWeights: KpiWeights = {
  delivery: {
    ut_pct: { weight: 15, target: 75 },
    quality_pct: { weight: 10, target: 90 },
    milestones_on_time_pct: { weight: 10, target: 90 },
    collections_pct: { weight: 10, target: 95 },
    opps_captured: { weight: 10, target: 3 },
    opps_amount_yuan: { weight: 5, target: 300000 },
    opps_incubated: { weight: 10, target: 1 },
    closeness_uplift: { weight: 5, target: 1 },
    solution_uplift: { weight: 5, target: 1 },
    price_uplift: { weight: 5, target: 1 },
    behaviour_mastery: { weight: 15, target: 80 },
  },
  after_sales: {
    cases_solved: { weight: 20, target: 20 },
    handling_hours: { weight: 10, target: 8 },
    csat_avg: { weight: 15, target: 4.5 },
    opps_captured: { weight: 15, target: 3 },
    opps_amount_yuan: { weight: 5, target: 300000 },
    opps_incubated: { weight: 10, target: 1 },
    closeness_uplift: { weight: 5, target: 1 },
    solution_uplift: { weight: 5, target: 1 },
    price_uplift: { weight: 5, target: 1 },
    behaviour_mastery: { weight: 10, target: 80 },
  },
  sales: {
    key_moment_meetings: { weight: 40, target: 4 },
    service_sourced_wins: { weight: 30, target: 2 },
    service_sourced_won_yuan: { weight: 30, target: 500000 },
  },
  csm: {
    collections_pct: { weight: 15, target: 95 },
    opps_captured: { weight: 15, target: 3 },
    opps_incubated: { weight: 15, target: 1 },
    closeness_uplift: { weight: 15, target: 1 },
    solution_uplift: { weight: 10, target: 1 },
    price_uplift: { weight: 10, target: 1 },
    behaviour_mastery: { weight: 20, target: 80 },
  },
  expert: {
    cases_solved: { weight: 25, target: 10 },
    handling_hours: { weight: 15, target: 16 },
    opps_captured: { weight: 20, target: 2 },
    opps_incubated: { weight: 10, target: 1 },
    solution_uplift: { weight: 15, target: 1 },
    tasks_done: { weight: 15, target: 3 },
  },
};

/** Each role: known measures, whole-number weights 1–100 adding up to exactly 100, targets above 0. */
export function validateWeights(input: Record<string, Record<string, { weight: number; target: number }>>): RuleResult<KpiWeights> {
  for (const role of kpiRoles) {
    const rw = input[role];
    if (!rw || !Object.keys(rw).length) return fail('kpi.role_missing', { role }, role);
    let sum = 0;
    for (const [m, c] of Object.entries(rw)) {
      if (!(m in measures)) return fail('kpi.weight_unknown', { names: m }, `${role}.${m}`);
      if (!Number.isInteger(c.weight) || c.weight < 1 || c.weight > 100)
        return fail('kpi.weight_range', { name: `${role}.${m}` }, `${role}.${m}.weight`);
      if (!(c.target > 0) || !Number.isFinite(c.target)) return fail('kpi.target_positive', { name: `${role}.${m}` }, `${role}.${m}.target`);
      sum += c.weight;
    }
    if (sum !== 100) return fail('kpi.weights_sum', { sum, role }, role);
  }
  const extra = Object.keys(input).filter((k) => !(kpiRoles as readonly string[]).includes(k));
  if (extra.length) return fail('kpi.weight_unknown', { names: extra.join(', ') }, extra[0]);
  return ok(input as KpiWeights);
}

/** A measure's score 0–100 against its target: value/target (or target/value when lower is better), capped at 100. */
export function measureScore(m: Measure, value: number | null, target: number): number {
  if (value === null) return 0;
  if (measures[m].higherIsBetter) return Math.max(0, Math.min(100, Math.round((100 * value) / target)));
  if (value <= 0) return 100;
  return Math.min(100, Math.round((100 * target) / value));
}

export type ScoreLine = {
  measure: Measure;
  kind: 'traditional' | 'growth';
  value: number | null;
  target: number;
  weight: number;
  score: number;
  points: number;
};

/** Total = Σ weight × score / 100, each line's points rounded to 0.1 and the total to 0.1. */
export function scorecard(
  role: KpiRole,
  values: Partial<Record<Measure, number | null>>,
  weights: KpiWeights,
): { lines: ScoreLine[]; total: number } {
  const lines = (Object.entries(weights[role]) as [Measure, MeasureConfig][]).map(([measure, c]) => {
    const value = values[measure] ?? null;
    const score = measureScore(measure, value, c.target);
    return { measure, kind: measures[measure].kind, value, target: c.target, weight: c.weight, score, points: Math.round(c.weight * score) / 100 };
  });
  const total = Math.round(lines.reduce((s, l) => s + l.weight * l.score, 0) / 10) / 10;
  return { lines, total };
}

/** Which KPI role a staff role is scored as (null: not scored). */
export function kpiRoleOf(role: string): KpiRole | null {
  if ((kpiRoles as readonly string[]).includes(role)) return role as KpiRole;
  return role === 'channel_implementer' ? 'delivery' : null;
}

/** A workspace's saved weights with the roles it never set (e.g. CSM and expert, scored since issue 16) at their defaults. */
export function withDefaultRoles(saved: Partial<KpiWeights> | null | undefined): KpiWeights {
  return { ...defaultWeights, ...(saved ?? {}) };
}
