import { describe, expect, it } from 'vitest';
import {
  budgetFor,
  checkMoney,
  decideApproval,
  decideBooking,
  rebaseBudget,
  ratioFromPercent,
  remainingOf,
  type BudgetState,
} from './budget.domain.js';
import { seed003Menu } from './catalog.domain.js';

const YUAN = 100;
const item = (code: string) => {
  const i = seed003Menu.find((x) => x.code === `free_expert.${code}`)!;
  return {
    pricing: i.pricing,
    internalCostMinor: i.internalCostMinor,
    priceMinor: i.priceMinor,
    active: true,
    eligibleTiers: i.eligibleTiers as string[],
  };
};

describe('the seed 003 worked example (1000万 × 2%)', () => {
  it('10,000,000 CNY × 2% = 200,000; 50,000 spent; brainstorming + review + case visit (100,000) → 50,000 left', () => {
    const budget = budgetFor(10_000_000 * YUAN, 200);
    expect(budget).toBe(200_000 * YUAN);
    let state: BudgetState = { budgetMinor: budget, extraMinor: 0, committedMinor: 50_000 * YUAN };
    expect(remainingOf(state)).toBe(150_000 * YUAN);
    const drawn: number[] = [];
    for (const code of ['brainstorming', 'project_review', 'case_visit']) {
      const d = decideBooking({ tier: 'A', item: item(code), budget: state, overflowPolicy: 'refuse' });
      expect(d.ok).toBe(true);
      if (!d.ok || d.value.kind !== 'draw') throw new Error('expected a draw');
      drawn.push(d.value.amountMinor);
      state = { ...state, committedMinor: state.committedMinor + d.value.amountMinor };
      expect(remainingOf(state)).toBe(d.value.remainingAfter);
    }
    expect(drawn.reduce((a, b) => a + b, 0)).toBe(100_000 * YUAN);
    expect(remainingOf(state)).toBe(50_000 * YUAN);
  });
});

describe('budget arithmetic', () => {
  it('rounds down to the fen and stays exact for large targets', () => {
    expect(budgetFor(333, 200)).toBe(6); // 6.66 fen → 6
    expect(budgetFor(9_000_000_000_000_000 / 10, 250)).toBe(22_500_000_000_000);
    expect(budgetFor(1_000_000, 0)).toBe(0);
    expect(budgetFor(1_000_000, 10_000)).toBe(1_000_000);
  });
  it('takes a ratio as a percentage with at most two decimals, inside 0–100%', () => {
    expect(ratioFromPercent(2)).toEqual({ ok: true, value: 200 });
    expect(ratioFromPercent(2.5)).toEqual({ ok: true, value: 250 });
    expect(ratioFromPercent(0)).toEqual({ ok: true, value: 0 });
    expect(ratioFromPercent(100)).toEqual({ ok: true, value: 10_000 });
    expect(ratioFromPercent(100.01)).toMatchObject({ ok: false, key: 'budget.ratio_range' });
    expect(ratioFromPercent(-1)).toMatchObject({ ok: false, key: 'budget.ratio_range' });
    expect(ratioFromPercent(1.234)).toMatchObject({ ok: false, key: 'budget.ratio_precision' });
    expect(ratioFromPercent(Number.NaN)).toMatchObject({ ok: false });
  });
  it('refuses negative, fractional and oversized amounts', () => {
    expect(checkMoney(100, 'x')).toEqual({ ok: true, value: 100 });
    expect(checkMoney(-1, 'x')).toMatchObject({ ok: false, key: 'money.negative' });
    expect(checkMoney(1.5, 'x')).toMatchObject({ ok: false, key: 'money.fraction' });
    expect(checkMoney(1e16, 'x')).toMatchObject({ ok: false, key: 'money.too_large' });
  });
});

describe('decideBooking', () => {
  const state: BudgetState = { budgetMinor: 100_000, extraMinor: 0, committedMinor: 60_000 };
  const free = { pricing: 'free' as const, internalCostMinor: 40_000, priceMinor: 0, active: true, eligibleTiers: ['A', 'C'] };
  it('draws exactly the remaining amount (fits to the fen)', () => {
    expect(decideBooking({ tier: 'C', item: free, budget: state, overflowPolicy: 'refuse' })).toEqual({
      ok: true,
      value: { kind: 'draw', amountMinor: 40_000, remainingAfter: 0 },
    });
  });
  it('refuses one fen too many, or sends it for approval when the workspace chose so', () => {
    const big = { ...free, internalCostMinor: 40_001 };
    expect(decideBooking({ tier: 'A', item: big, budget: state, overflowPolicy: 'refuse' })).toEqual({
      ok: true,
      value: { kind: 'refused', amountMinor: 40_001, shortfallMinor: 1 },
    });
    expect(decideBooking({ tier: 'A', item: big, budget: state, overflowPolicy: 'approval' })).toEqual({
      ok: true,
      value: { kind: 'needs_approval', amountMinor: 40_001, shortfallMinor: 1 },
    });
  });
  it('refuses B, D and E accounts, retired items and items not offered to the tier', () => {
    for (const tier of ['B', 'D', 'E']) {
      expect(
        decideBooking({ tier, item: { ...free, eligibleTiers: ['A', 'B', 'C', 'D', 'E'] }, budget: null, overflowPolicy: 'refuse' }),
      ).toMatchObject({ ok: false, key: 'booking.budget_tiers_only' });
      expect(decideBooking({ tier, item: free, budget: null, overflowPolicy: 'refuse' })).toMatchObject({
        ok: false,
        key: 'booking.tier_not_eligible',
      });
    }
    expect(decideBooking({ tier: 'A', item: { ...free, active: false }, budget: state, overflowPolicy: 'refuse' })).toMatchObject({
      ok: false,
      key: 'booking.item_retired',
    });
  });
  it('records paid services as revenue with a promised value, without touching the budget', () => {
    const paid = { pricing: 'paid' as const, internalCostMinor: 10_000, priceMinor: 500_000, active: true, eligibleTiers: ['A', 'B', 'C', 'D', 'E'] };
    expect(decideBooking({ tier: 'B', item: paid, budget: null, overflowPolicy: 'refuse', promisedValueMinor: 2_000_000 })).toEqual({
      ok: true,
      value: { kind: 'revenue', amountMinor: 500_000 },
    });
    expect(decideBooking({ tier: 'B', item: paid, budget: null, overflowPolicy: 'refuse' })).toMatchObject({
      ok: false,
      key: 'booking.promised_value_required',
    });
  });
});

describe('approval and rebasing', () => {
  const state: BudgetState = { budgetMinor: 100_000, extraMinor: 0, committedMinor: 90_000 };
  it('grants exactly the shortfall as an extra allowance', () => {
    expect(decideApproval({ approverId: 'm', requesterId: 'c', status: 'pending_approval', budget: state, amountMinor: 25_000 })).toEqual({
      ok: true,
      value: { extraMinor: 15_000 },
    });
  });
  it('refuses approving your own booking or one not pending', () => {
    expect(decideApproval({ approverId: 'c', requesterId: 'c', status: 'pending_approval', budget: state, amountMinor: 1 })).toMatchObject({
      ok: false,
      key: 'booking.self_approval',
    });
    expect(decideApproval({ approverId: 'm', requesterId: 'c', status: 'booked', budget: state, amountMinor: 1 })).toMatchObject({
      ok: false,
      key: 'booking.not_pending',
    });
  });
  it('a lower ratio never takes the budget below what is committed', () => {
    expect(rebaseBudget(state, 50_000)).toEqual({ ...state, budgetMinor: 90_000, capped: true });
    expect(rebaseBudget(state, 120_000)).toEqual({ ...state, budgetMinor: 120_000, capped: false });
    expect(remainingOf(rebaseBudget(state, 0))).toBe(0);
  });
});
