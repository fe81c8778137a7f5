// Account health (SPEC §4): weighted groups of measures, colour bands, trend, and when a follow-up is due.
// Pure: every input (counts, scores, the previous result) is passed in.
import { fail, ok, type RuleResult } from '../../platform/errors.js';

export const groups = ['relationship', 'tickets', 'engagement', 'value', 'payment'] as const;
export type Group = (typeof groups)[number];
export type Weights = Record<Group, number>;
export type Band = 'green' | 'amber' | 'red';
export type HealthModel = { weights: Weights; amberBelow: number; redBelow: number };

export const defaultModel: HealthModel = {
  weights: { relationship: 30, tickets: 25, engagement: 15, value: 15, payment: 15 },
  amberBelow: 70,
  redBelow: 50,
};

/** Weights are whole numbers 0–100 for all five groups and add up to exactly 100; 0 < red < amber ≤ 100. */
export function validateModel(m: { weights: Record<string, number>; amberBelow: number; redBelow: number }): RuleResult<HealthModel> {
  for (const g of groups) {
    const w = m.weights[g];
    if (w === undefined || !Number.isInteger(w) || w < 0 || w > 100) return fail('kpi.weight_range', { name: g }, `weights.${g}`);
  }
  const extra = Object.keys(m.weights).filter((k) => !(groups as readonly string[]).includes(k));
  if (extra.length) return fail('kpi.weight_unknown', { names: extra.join(', ') }, `weights.${extra[0]}`);
  const sum = groups.reduce((s, g) => s + m.weights[g], 0);
  if (sum !== 100) return fail('kpi.weights_sum', { sum }, 'weights');
  if (!Number.isInteger(m.redBelow) || !Number.isInteger(m.amberBelow) || m.redBelow <= 0 || m.amberBelow > 100 || m.redBelow >= m.amberBelow)
    return fail('kpi.bands', { red: m.redBelow, amber: m.amberBelow }, 'redBelow');
  return ok({ weights: { ...(m.weights as Weights) }, amberBelow: m.amberBelow, redBelow: m.redBelow });
}

export type HealthInputs = {
  /** latest 1–5 scores of closeness, solution acceptance, price acceptance (null when never assessed) */
  relationshipScores: (number | null)[];
  /** SLA breaches in the last 90 days */
  breaches90d: number;
  /** open tickets of critical severity */
  openCritical: number;
  /** average satisfaction 1–5 of the last 90 days (null when none) */
  csatAvg: number | null;
  /** meetings held in the last 90 days */
  meetingsHeld90d: number;
  /** portal actions (views, requests, posts) by key persons in the last 90 days */
  portalActions90d: number;
  /** realised / expected value in fen (expected 0 → no data) */
  valueRealisedMinor: number;
  valueExpectedMinor: number;
  /** on-time payment percentage 0–100 (null when unknown) */
  onTimePaymentPct: number | null;
};

export type Words = { 'zh-CN': string; en: string };
const w = (zh: string, en: string): Words => ({ 'zh-CN': zh, en });

/** Each group's 0–100 score, or null when the account has no data for it (then it is left out and the rest re-weighted). */
export function groupScores(i: HealthInputs): Record<Group, number | null> {
  const rel = i.relationshipScores.filter((s): s is number => s !== null);
  const relationship = rel.length ? Math.round(rel.reduce((s, x) => s + (x - 1) * 25, 0) / rel.length) : null;
  let tickets = Math.max(0, 100 - 15 * i.breaches90d - 20 * i.openCritical);
  if (i.csatAvg !== null) tickets = Math.round((tickets * 3 + (i.csatAvg - 1) * 25) / 4);
  const engagement = Math.min(100, 25 * i.meetingsHeld90d + 5 * i.portalActions90d);
  const value = i.valueExpectedMinor > 0 ? Math.min(100, Math.round((100 * i.valueRealisedMinor) / i.valueExpectedMinor)) : null;
  const payment = i.onTimePaymentPct;
  return { relationship, tickets, engagement, value, payment };
}

export function bandOf(score: number, m: HealthModel): Band {
  return score < m.redBelow ? 'red' : score < m.amberBelow ? 'amber' : 'green';
}

export type Trend = 'up' | 'down' | 'flat' | 'new';
/** Up/down when the score moved by 3 points or more since the previous computation. */
export function trendOf(score: number, previous: number | null): Trend {
  if (previous === null) return 'new';
  return score - previous >= 3 ? 'up' : previous - score >= 3 ? 'down' : 'flat';
}

/** The reasons in words: every measure that pulls the score down. */
export function reasonsOf(i: HealthInputs, g: Record<Group, number | null>): Words[] {
  const r: Words[] = [];
  if (i.breaches90d > 0) r.push(w(`近 90 天 SLA 超时 ${i.breaches90d} 次`, `${i.breaches90d} SLA breach(es) in 90 days`));
  if (i.openCritical > 0) r.push(w(`${i.openCritical} 个紧急问题未解决`, `${i.openCritical} open critical issue(s)`));
  if (i.csatAvg !== null && i.csatAvg < 4) r.push(w(`满意度偏低（${i.csatAvg.toFixed(1)}）`, `Low satisfaction (${i.csatAvg.toFixed(1)})`));
  if (g.relationship !== null && g.relationship < 50) r.push(w(`关系指标偏低（${g.relationship}）`, `Weak relationship metrics (${g.relationship})`));
  if (g.relationship === null) r.push(w('尚未评估关系指标', 'Relationship metrics not yet assessed'));
  if (i.meetingsHeld90d === 0) r.push(w('近 90 天没有召开会议', 'No meeting held in 90 days'));
  if (g.value !== null && g.value < 50) r.push(w(`价值实现 ${g.value}%`, `Value realised ${g.value}%`));
  if (i.onTimePaymentPct !== null && i.onTimePaymentPct < 80)
    r.push(w(`按时回款率 ${i.onTimePaymentPct}%`, `On-time payment ${i.onTimePaymentPct}%`));
  return r;
}

export type HealthResult = { score: number; band: Band; trend: Trend; groups: Record<Group, number | null>; reasons: Words[] };

/** Score = Σ weight × group score / Σ weight over the groups with data (rounded); no data at all → 0. */
export function computeHealth(i: HealthInputs, m: HealthModel, previous: number | null): HealthResult {
  const g = groupScores(i);
  let num = 0;
  let den = 0;
  for (const k of groups) {
    const s = g[k];
    if (s === null) continue;
    num += m.weights[k] * s;
    den += m.weights[k];
  }
  const score = den ? Math.round(num / den) : 0;
  return { score, band: bandOf(score, m), trend: trendOf(score, previous), groups: g, reasons: reasonsOf(i, g) };
}

const rank: Record<Band, number> = { green: 0, amber: 1, red: 2 };

/**
 * A follow-up is raised when health crosses into a worse band (amber or red), for that reason
 * (`health_amber` / `health_red`) — and not again while one for the same reason is still open.
 */
export function decideFollowUp(previousBand: Band | null, band: Band, openReasons: string[]): { reason: string } | null {
  if (band === 'green') return null;
  if (rank[band] <= rank[previousBand ?? 'green']) return null;
  const reason = `health_${band}`;
  if (openReasons.includes(reason)) return null;
  return { reason };
}

/** The model that applies: stage-specific beats tier-specific beats the workspace's, else the default. */
export function pickModel(models: { scope: string; model: HealthModel }[], tier: string, stage: string): HealthModel {
  return (
    (
      models.find((m) => m.scope === `stage:${stage}`) ??
      models.find((m) => m.scope === `tier:${tier}`) ??
      models.find((m) => m.scope === 'workspace')
    )?.model ?? defaultModel
  );
}

/** A follow-up raised by health is expected to be worked within this many days; after that it is overdue. */
export const FOLLOW_UP_DUE_DAYS = 7;
const DAY_MS = 86_400_000;

export function followUpDueAt(raisedAt: Date): Date {
  return new Date(raisedAt.getTime() + FOLLOW_UP_DUE_DAYS * DAY_MS);
}

/** Follow-ups raised at or before this instant are overdue at `now`. */
export function overdueCutoff(now: Date): Date {
  return new Date(now.getTime() - FOLLOW_UP_DUE_DAYS * DAY_MS);
}
