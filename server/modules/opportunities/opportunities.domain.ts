import { fail, ok, type RuleResult } from '../../platform/errors.js';

/** The opportunity pipeline (商机): captured → incubating → handed_to_sales → won | lost (with a reason). */
export const opportunityStages = ['captured', 'incubating', 'handed_to_sales', 'won', 'lost'] as const;
export type OpportunityStage = (typeof opportunityStages)[number];
export const opportunitySources = ['ticket', 'meeting', 'value_add_task', 'portal_demand', 'visit', 'contract', 'other'] as const;

const next: Record<OpportunityStage, OpportunityStage[]> = {
  captured: ['incubating', 'lost'],
  incubating: ['handed_to_sales', 'lost'],
  handed_to_sales: ['won', 'lost'],
  won: [],
  lost: [],
};

export function allowedNextStages(from: OpportunityStage): OpportunityStage[] {
  return next[from];
}

/** Won and lost close the opportunity and are sales' decision; the service side moves the rest. */
export const closingStages: OpportunityStage[] = ['won', 'lost'];

export function decideOpportunityMove(m: {
  from: OpportunityStage;
  to: OpportunityStage;
  reason?: string | null;
}): RuleResult<{ to: OpportunityStage; handOver: boolean; closes: boolean }> {
  if (m.from === m.to) return fail('opportunity.same_stage', { stage: m.to });
  if (!next[m.from].includes(m.to))
    return fail('opportunity.illegal_move', { from: m.from, to: m.to, allowed: next[m.from].join(', ') || '—' }, 'to');
  if (m.to === 'lost' && !m.reason?.trim()) return fail('opportunity.lost_reason', {}, 'reason');
  return ok({ to: m.to, handOver: m.to === 'handed_to_sales', closes: closingStages.includes(m.to) });
}

/**
 * The outcome of incubation: a successful one is handed to sales automatically (SPEC §3, seed 000),
 * a failed one is lost with its reason.
 */
export function decideIncubationOutcome(m: { from: OpportunityStage; success: boolean; reason?: string | null }): RuleResult<OpportunityStage[]> {
  if (m.from !== 'incubating') return fail('opportunity.not_incubating', { stage: m.from });
  if (m.success) return ok(['handed_to_sales']);
  if (!m.reason?.trim()) return fail('opportunity.lost_reason', {}, 'reason');
  return ok(['lost']);
}

export type BoardItem = { id: string; stage: string; amountMinor: number };

/** The pipeline board's columns: count and amount per stage, in pipeline order. */
export function boardColumns<T extends BoardItem>(items: T[]) {
  return opportunityStages.map((stage) => {
    const inStage = items.filter((i) => i.stage === stage);
    return { stage, count: inStage.length, amountMinor: inStage.reduce((s, i) => s + i.amountMinor, 0), items: inStage };
  });
}

/** An opportunity amount: whole fen, not negative. */
export function checkAmount(v: number | undefined): RuleResult<number> {
  if (v === undefined) return ok(0);
  if (!Number.isFinite(v) || !Number.isInteger(v)) return fail('money.fraction', { field: 'amountMinor' }, 'amountMinor');
  if (v < 0) return fail('money.negative', { field: 'amountMinor' }, 'amountMinor');
  if (v > 9e15) return fail('money.too_large', { field: 'amountMinor' }, 'amountMinor');
  return ok(v);
}
